"""The UI language (the switch's cookie, else the browser's preference, else German) and compiled catalogues."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, Response, has_request_context, request

# German first: the msgids are German, so German needs no catalogue; every other locale needs a compiled one.
DEFAULT_LOCALE = "de"
SUPPORTED_LOCALES = ("de", "en")
COOKIE = "locale"
COOKIE_DAYS = 365


def select_locale() -> str:
    """The chosen language (cookie), else the browser's preference among ours, else German (also outside requests:
    CLI, jobs and exports are German)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = request.cookies.get(COOKIE)
    if chosen in SUPPORTED_LOCALES:
        return chosen
    return request.accept_languages.best_match(SUPPORTED_LOCALES) or DEFAULT_LOCALE


def vary_by_language(response: Response) -> Response:
    """Pages differ by the cookie and the browser's languages, so caches must keep them apart (files do not)."""
    if response.mimetype == "text/html":
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
        # Looked up now, not at import: Alembic's logging set-up must not have disabled it in between.
        logging.getLogger(__name__).warning(
            "Übersetzungen nicht kompiliert (%s): diese Sprachen zeigen Deutsch. Abhilfe: `make run` oder "
            "`pybabel compile -d campaign/translations`.",
            ", ".join(missing),
        )
