"""A private copy of the migrated SQLite test database, for tests that replace or hide the database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa


def sqlite_copy(url: str, target: Path) -> str:
    """Copy the database at `url` to `target` through SQLite's backup API (a file copy would miss the WAL's pages);
    returns the copy's URL."""
    source = sqlite3.connect(sa.make_url(url).database)
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    return f"sqlite:///{target}"
