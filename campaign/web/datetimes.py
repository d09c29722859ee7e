"""Stored times shown as local time of the configured time zone (Europe/Berlin), in German notation."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_datetime

# Babel patterns: "23.11.2026, 14:05" and "23.11.2026".
PATTERNS = {"datetime": "dd.MM.yyyy, HH:mm", "date": "dd.MM.yyyy"}


def local_time(value: datetime | None, shape: str = "datetime") -> str:
    """A stored time (naive values are UTC, as the database keeps them) in local time; "" for none."""
    if value is None:
        return ""
    return format_datetime(value, PATTERNS[shape])
