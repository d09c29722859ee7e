"""Numbers, percentages and file sizes on web pages in the notation of the page's language, no ".0" after whole
numbers."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from babel.numbers import format_percent
from flask_babel import format_decimal, ngettext

from campaign.services.common.language import page_language

# At most one decimal place, digits grouped by thousands: 1234.5 → "1.234,5" (German) / "1,234.5" (English).
PATTERN = "#,##0.#"
TENTH = Decimal("0.1")


def number(value: float | int | None) -> str:
    """30.0 → "30", 33.3 → "33,3" / "33.3", None → "–"."""
    if value is None:
        return "–"
    return format_decimal(value, PATTERN)


def percent(value: float | int | None) -> str:
    """A share given in percent, with at most one decimal, as the language writes it: 33.3 → "33,3 %" (German,
    with a no-break space before the sign) / "33.3%" (English); None → "–"."""
    if value is None:
        return "–"
    # Rounded as `number` rounds. The language's own percent pattern (CLDR's, through Babel) has no decimal places,
    # so the rounded value is written as it is, without that pattern's rounding (flask_babel.format_percent cannot
    # say so), and a whole number without ".0".
    tenths = Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_EVEN).normalize()
    return format_percent(tenths / 100, locale=page_language(), decimal_quantization=False)


def file_size(size: int | None) -> str:
    """29 → "29 Bytes", 2560 → "2,5 KB", 3_500_000 → "3,3 MB": a small file is not „0 KB“."""
    size = size or 0
    if size < 1024:
        return ngettext("%(num)s Byte", "%(num)s Bytes", size)
    if size < 1024 * 1024:
        return number(round(size / 1024, 1)) + " KB"
    return number(round(size / 1024 / 1024, 1)) + " MB"
