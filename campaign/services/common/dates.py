"""German dates: month names, „26. Januar 2026“ (or the page's language), and today as seen in Germany."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from campaign.services.common.language import SOURCE_LANGUAGE, page_language

GERMAN_TIMEZONE = ZoneInfo("Europe/Berlin")

GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


def german_date(value: date | None) -> str:
    """„26. Januar 2026“ (empty for None)."""
    return f"{value.day}. {GERMAN_MONTHS[value.month - 1]} {value.year}" if value else ""


# Babel patterns of a calendar day per language, in figures and in words; German outside a request (the CLI, jobs,
# letters). English puts the day first with the month as a word, which no reader takes for a month-first date.
SHORT_DATE_PATTERNS = {"de": "dd.MM.yyyy", "en": "d MMM yyyy"}
LONG_DATE_PATTERNS = {"de": "d. MMMM yyyy", "en": "d MMMM yyyy"}


def _in_page_language(value: date | None, patterns: dict[str, str]) -> str:
    if value is None:
        return ""
    language = page_language()
    return format_date(value, patterns.get(language, patterns[SOURCE_LANGUAGE]), locale=language)


def short_date(value: date | None) -> str:
    """„26.01.2026“ on German pages and outside requests, „26 Jan 2026“ on English ones ("" for None)."""
    return _in_page_language(value, SHORT_DATE_PATTERNS)


# A day as stored in texts (state-change notes keep it as ISO date, the same in every language).
_ISO_DAY = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")


def days_in_page_notation(text: str) -> str:
    """A stored text with its ISO days („2026-12-01“) written as the page writes days („01.12.2026“)."""

    def written(match: re.Match[str]) -> str:
        try:
            return short_date(date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:  # no such day: leave it as it stands
            return match[0]

    return _ISO_DAY.sub(written, text or "")


def long_date(value: date | None) -> str:
    """„26. Januar 2026“ on German pages and outside requests, „26 January 2026“ on English ones ("" for None)."""
    return _in_page_language(value, LONG_DATE_PATTERNS)


def german_month(value: date) -> str:
    """„Januar 2026“."""
    return f"{GERMAN_MONTHS[value.month - 1]} {value.year}"


def today_in_germany() -> date:
    """Today in Germany: the date letters made now carry, whatever the server's time zone."""
    return datetime.now(GERMAN_TIMEZONE).date()


def german_time_to_utc(value: datetime) -> datetime:
    """A wall-clock time in Germany (naive) as the naive UTC the database keeps."""
    return value.replace(tzinfo=GERMAN_TIMEZONE).astimezone(UTC).replace(tzinfo=None)


def utc_to_german_time(value: datetime) -> datetime:
    """Naive UTC from the database as naive wall-clock time in Germany (for forms)."""
    return value.replace(tzinfo=UTC).astimezone(GERMAN_TIMEZONE).replace(tzinfo=None)


def german_day(value: datetime) -> date:
    """The German calendar day of a stored (naive UTC) time."""
    return utc_to_german_time(value).date()


def parse_german_datetime(text: str) -> datetime:
    """'YYYY-MM-DD HH:MM' (German time, also with a T between) as naive UTC; ValueError if it is not one."""
    return german_time_to_utc(datetime.strptime(text.strip().replace("T", " "), "%Y-%m-%d %H:%M"))
