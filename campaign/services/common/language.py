"""The language of the page being answered: the request's locale, German outside any request (CLI, jobs)."""

from __future__ import annotations

from flask_babel import get_locale

# The language of the msgids, of stored texts, and of everything made outside a request.
SOURCE_LANGUAGE = "de"


def page_language() -> str:
    """„de“ or „en“: the language Flask-Babel chose for this request, else German."""
    locale = get_locale()
    return locale.language if locale is not None else SOURCE_LANGUAGE
