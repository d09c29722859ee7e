"""The UI language: German unless chosen otherwise with the switch in the page header (kept in a cookie) or, until
then, preferred by the browser; the switch itself, and a start-up warning when a catalogue was never compiled."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, has_request_context, redirect, request, url_for

from campaign.web.security import safe_next

# German first: the msgids are German, so German needs no catalogue; every other locale needs a compiled one.
DEFAULT_LOCALE = "de"
SUPPORTED_LOCALES = ("de", "en")
COOKIE = "locale"
COOKIE_DAYS = 365

bp = Blueprint("language", __name__)
log = logging.getLogger(__name__)


def select_locale() -> str:
    """The chosen language (cookie), else the browser's preference among ours, else German (also outside requests:
    CLI, jobs and exports are German)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = request.cookies.get(COOKIE)
    if chosen in SUPPORTED_LOCALES:
        return chosen
    return request.accept_languages.best_match(SUPPORTED_LOCALES) or DEFAULT_LOCALE


@bp.post("/language")
def switch() -> Response:
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


def vary_by_language(response: Response) -> Response:
    """Pages differ by the cookie and the browser's languages, so caches must keep them apart."""
    response.vary.update(("Accept-Language", "Cookie"))
    return response


def missing_catalogues(app: Flask) -> list[str]:
    """The non-German locales without a compiled catalogue (.mo) in Flask-Babel's translation folders, or with one
    older than its .po."""
    folders = [Path(folder) for folder in app.extensions["babel"].translation_directories]
    missing = []
    for locale in SUPPORTED_LOCALES:
        if locale == DEFAULT_LOCALE:
            continue
        sources = [folder / locale / "LC_MESSAGES" / "messages.po" for folder in folders]
        if not any(_compiled(source) for source in sources):
            missing.append(locale)
    return missing


def _compiled(source: Path) -> bool:
    compiled = source.with_suffix(".mo")
    if not compiled.exists():
        return False
    return not source.exists() or compiled.stat().st_mtime >= source.stat().st_mtime


def warn_about_missing_catalogues(app: Flask) -> None:
    """Pages in a locale without its compiled catalogue fall back to German: say so once, with the fix."""
    missing = missing_catalogues(app)
    if missing:
        log.warning(
            "Übersetzungen nicht kompiliert (%s): diese Sprachen zeigen Deutsch. Abhilfe: `make run` oder "
            "`pybabel compile -d campaign/translations`.",
            ", ".join(missing),
        )
