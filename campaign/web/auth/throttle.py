"""Login throttling that strangers cannot turn into a lock-out: limits per address, per account and address, and
per account for unknown browsers only.

Following OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a browser that has logged in to an
account gets a signed cookie naming it. The limit on failed logins per account (from every address together)
stops guessing from many addresses, but does not apply to a browser known to that account, so the owner still
gets in while a botnet guesses. Every browser, known or not, stays under the limits per address.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer

from campaign.extensions import limiter

# Failed logins at one account from one address, and from all addresses together (a botnet); the per-address
# limit on every attempt is LOGIN_RATE_LIMIT.
DEVICE_COOKIE = "known_browser"
DEVICE_COOKIE_DAYS = 180
_FAILED_LOGIN = 401


def _submitted_email() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def _address_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_address_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_ADDRESS_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _account_key() -> str:
    return "login:" + _submitted_email()


def _account_and_address_key() -> str:
    return f"login:{_submitted_email()}:{get_remote_address()}"


def _failed(response: Response) -> bool:
    return response.status_code == _FAILED_LOGIN


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="login-known-browser")


def _fingerprint(email: str) -> str:
    # The cookie names accounts by a hash, so it does not carry e-mail addresses around.
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def _known_accounts() -> list[str]:
    """The accounts this browser has logged in to (by fingerprint), from its signed cookie."""
    try:
        known = _serializer().loads(request.cookies.get(DEVICE_COOKIE) or "", max_age=DEVICE_COOKIE_DAYS * 86400)
    except BadSignature:
        return []
    return [item for item in known if isinstance(item, str)] if isinstance(known, list) else []


def _known_browser() -> bool:
    """Whether this browser has logged in to the account named in the form before."""
    return _fingerprint(_submitted_email()) in _known_accounts()


def remember_browser(response: Response, email: str) -> None:
    """Mark this browser as known to the account `email` (after a successful login)."""
    fingerprint = _fingerprint(email.strip().lower())
    # A shared office computer may know a few accounts; the oldest drop out.
    known = [*(item for item in _known_accounts() if item != fingerprint), fingerprint][-5:]
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(known),
        max_age=DEVICE_COOKIE_DAYS * 86400,
        path="/auth/",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )


def _failures_limited(limit: Callable[[], str], key: Callable[[], str], scope: str, **options: Any) -> Any:
    """A limit on failed logins only: a successful login does not count against the owner."""
    return limiter.limit(limit, methods=["POST"], key_func=key, scope=scope, deduct_when=_failed, **options)


def throttled(view: Callable[..., Any]) -> Callable[..., Any]:
    """The login view under its three limits, each counted on POST only."""
    view = _failures_limited(_account_limit, _account_key, "login-account", exempt_when=_known_browser)(view)
    view = _failures_limited(_account_address_limit, _account_and_address_key, "login-account-address")(view)
    return limiter.limit(_address_limit, methods=["POST"])(view)
