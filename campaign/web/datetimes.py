"""Dates and stored times on web pages, in the notation of the page's language; times in the configured zone."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_datetime

from campaign.services.common.dates import SHORT_DATE_PATTERNS, long_date, short_date
from campaign.services.common.language import SOURCE_LANGUAGE, page_language

__all__ = ["local_time", "long_date", "short_date"]

# Babel patterns per language. German: "23.11.2026, 14:05", "23.11.2026". English: the day first and the month in
# words ("23 Nov 2026, 14:05"), which no reader takes for 11 23rd. Calendar days (short_date, long_date) are the
# services' (services.common.dates), which write them in the same notation.
PATTERNS = {
    "de": {"datetime": "dd.MM.yyyy, HH:mm", "date": SHORT_DATE_PATTERNS["de"]},
    "en": {"datetime": "d MMM yyyy, HH:mm", "date": SHORT_DATE_PATTERNS["en"]},
}


def _pattern(shape: str) -> str:
    return PATTERNS.get(page_language(), PATTERNS[SOURCE_LANGUAGE])[shape]


def local_time(value: datetime | None, shape: str = "datetime") -> str:
    """A stored time (naive values are UTC, as the database keeps them) in local time; "" for none."""
    if value is None:
        return ""
    return format_datetime(value, _pattern(shape))
