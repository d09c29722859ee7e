"""The language switch in the header of every page: remember the choice in a cookie and go back to the page."""

from __future__ import annotations

from flask import Response, current_app, redirect, request, url_for

from campaign.web.language import COOKIE, COOKIE_DAYS, SUPPORTED_LOCALES
from campaign.web.public.views import bp
from campaign.web.security import safe_next


@bp.post("/language")
def switch_language() -> Response:
    """Remember the language from the header's form and go back to the page it was sent from (on this site only)."""
    # CSRFProtect has checked the token already (every POST); an unknown value keeps the current choice.
    chosen = request.form.get("locale", "")
    response = redirect(safe_next(request.form.get("next"), url_for("public.index")), code=303)
    if chosen in SUPPORTED_LOCALES:
        response.set_cookie(
            COOKIE,
            chosen,
            max_age=COOKIE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response
