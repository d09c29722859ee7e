"""Access rules, sessions bound to the account's session token, the acting user, security headers, rate-limit waits."""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Response, abort, current_app, make_response, request, session
from flask_login import current_user, login_user, logout_user

from campaign.db import db
from campaign.extensions import limiter, login_manager
from campaign.models import Role, User

# No inline script or style anywhere: everything comes from /static on our own host.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

STAFF = (Role.ADMIN, Role.ORGANISER, Role.COORDINATOR)
WRITERS = (Role.ADMIN, Role.ORGANISER)
# The session key of the account's session token: a cookie only logs in while it matches the one in the row.
SESSION_TOKEN_KEY = "session_token"
# Files the same for everyone, which caches may keep even for logged-in users.
SHARED_FILES = frozenset({"static", "public.icon"})


def add_security_headers(response: Response) -> Response:
    """Set the headers above on every response that has not chosen its own; keep staff pages out of caches."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint not in SHARED_FILES and current_user.is_authenticated:
        # Whatever a logged-in user sees may hold personal data: no browser or proxy cache may keep a copy.
        response.headers["Cache-Control"] = "no-store"
    return response


def retry_after_seconds() -> int | None:
    """For a request over a rate limit: the seconds until the limit's window has room again (None: no limit)."""
    limit = limiter.current_limit
    if limit is None:
        return None
    return max(1, limit.reset_at - int(time.time()))


def safe_next(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`: a `next` never leads to another host."""
    # Browsers read "/\host" as "//host", and control characters can hide either: both count as another host.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
        and not urlsplit(target).netloc
    ):
        return target
    return fallback


def no_store(view: Callable[..., Any]) -> Callable[..., Any]:
    """Keep a public page that shows personal data (a supporter's own signature, say) out of every cache."""

    @functools.wraps(view)
    def private(*args: Any, **kwargs: Any) -> Response:
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return private


def start_session(user: User) -> None:
    """Log `user` in with a session bound to the account's current session token."""
    login_user(user)
    session[SESSION_TOKEN_KEY] = user.session_token


def end_session() -> None:
    """Forget the login in this browser (the caller replaces the token to end copies of the cookie too)."""
    logout_user()
    session.pop(SESSION_TOKEN_KEY, None)


def load_user(user_id: str) -> User | None:
    """The session's user, if the account is active and the session carries its current session token."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    token = session.get(SESSION_TOKEN_KEY) or ""
    if user is None or not user.active or not user.session_token or not token:
        return None
    return user if secrets.compare_digest(token, user.session_token) else None


def role_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let only logged-in users with one of `roles` through: others go to the login page, or get 403."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        # Read by `may_open`: a page links to such a view only for those it lets through.
        guarded.allowed_roles = roles  # type: ignore[attr-defined]
        return guarded

    return decorate


def has_role(*roles: Role) -> bool:
    """Whether someone is logged in with one of `roles`."""
    return current_user.is_authenticated and current_user.role in roles


def may_open(endpoint: str) -> bool:
    """Whether the current user may open `endpoint`'s page (for templates: no link that ends in a 403)."""
    view = current_app.view_functions.get(endpoint)
    roles = getattr(view, "allowed_roles", None)
    return roles is None or has_role(*roles)


def acting_user() -> User:
    """The logged-in user as a model instance, for services and the audit log (never the `current_user` proxy)."""
    return current_user._get_current_object()
