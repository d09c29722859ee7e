"""Access rules, the acting user, and HTTP security headers for every response."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response, abort
from flask_login import current_user

from campaign.extensions import login_manager
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


def add_security_headers(response: Response) -> Response:
    """Set the headers above on every response that has not chosen its own."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


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

        return guarded

    return decorate


def has_role(*roles: Role) -> bool:
    """Whether someone is logged in with one of `roles`."""
    return current_user.is_authenticated and current_user.role in roles


def acting_user() -> User:
    """The logged-in user as a model instance, for services and the audit log (never the `current_user` proxy)."""
    return current_user._get_current_object()
