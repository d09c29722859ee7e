"""German dates: month names, „26. Januar 2026“, and today as seen in Germany."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

GERMAN_TIMEZONE = ZoneInfo("Europe/Berlin")

GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


def german_date(value: date | None) -> str:
    """„26. Januar 2026“ (empty for None)."""
    return f"{value.day}. {GERMAN_MONTHS[value.month - 1]} {value.year}" if value else ""


def german_month(value: date) -> str:
    """„Januar 2026“."""
    return f"{GERMAN_MONTHS[value.month - 1]} {value.year}"


def today_in_germany() -> date:
    """Today in Germany: the date letters made now carry, whatever the server's time zone."""
    return datetime.now(GERMAN_TIMEZONE).date()
