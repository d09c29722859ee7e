"""Case-insensitive substring search in SQL, with the user's % and _ taken literally."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

# The escape character of the LIKE patterns; where the user typed it, it is doubled.
LIKE_ESCAPE = "!"


def contains_text(column: Any, text: str) -> ColumnElement[bool]:
    """`column` contains `text`, in any case (on SQLite too: campaign.db gives it a lower() that folds every script)."""
    escaped = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return column.ilike(f"%{escaped}%", escape=LIKE_ESCAPE)
