"""Numbers on web pages in the notation of the page's language, and no ".0" after whole numbers."""

from __future__ import annotations

from flask_babel import format_decimal

# At most one decimal place, digits grouped by thousands: 1234.5 → "1.234,5" (German) / "1,234.5" (English).
PATTERN = "#,##0.#"


def number(value: float | int | None) -> str:
    """30.0 → "30", 33.3 → "33,3" / "33.3", None → "–"."""
    if value is None:
        return "–"
    return format_decimal(value, PATTERN)
