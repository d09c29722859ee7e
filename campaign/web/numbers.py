"""Numbers on web pages in German notation: a decimal comma, and no ",0" after whole numbers."""

from __future__ import annotations


def german_number(value: float | int | None) -> str:
    """30.0 → "30", 33.3 → "33,3", None → "–"."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")
