"""Dates and stored times on web pages, in the notation of the page's language; times in the configured zone."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, format_datetime, get_locale

# Babel patterns per language. German: "23.11.2026, 14:05", "23.11.2026", "26. Januar 2026". English: the day first
# and the month in words ("23 Nov 2026, 14:05"), which no reader takes for 11 23rd or for 23 November's opposite.
PATTERNS = {
    "de": {"datetime": "dd.MM.yyyy, HH:mm", "date": "dd.MM.yyyy", "long": "d. MMMM yyyy"},
    "en": {"datetime": "d MMM yyyy, HH:mm", "date": "d MMM yyyy", "long": "d MMMM yyyy"},
}


def _pattern(shape: str) -> str:
    return PATTERNS.get(get_locale().language, PATTERNS["de"])[shape]


def local_time(value: datetime | None, shape: str = "datetime") -> str:
    """A stored time (naive values are UTC, as the database keeps them) in local time; "" for none."""
    if value is None:
        return ""
    return format_datetime(value, _pattern(shape))


def short_date(value: date | None) -> str:
    """A calendar day: "26.01.2026" / "26 Jan 2026"; "" for none."""
    return format_date(value, _pattern("date")) if value else ""


def long_date(value: date | None) -> str:
    """A calendar day in words: "26. Januar 2026" / "26 January 2026"; "" for none."""
    return format_date(value, _pattern("long")) if value else ""
