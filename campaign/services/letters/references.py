"""Reference codes („Unser Zeichen“, e.g. NRW-2026-0001): numbered per prefix from a counter row, never twice."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from campaign.models import Campaign, ReferenceCounter

_PREFIX_PART = re.compile(r"[^A-Za-z0-9]+")
# Both understand INSERT … ON CONFLICT DO NOTHING (SQLite from 3.24) and UPDATE … RETURNING (SQLite from 3.35).
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def reference_prefix(campaign: Campaign, on: date) -> str:
    """The prefix of a campaign's codes in a year: the first word of the slug in capitals, e.g. „NRW-2026“."""
    words = [word for word in _PREFIX_PART.split(campaign.slug or "") if word]
    return f"{(words[0][:8] if words else 'BRIEF').upper()}-{on.year}"


def allocate_reference_codes(session: Session, prefix: str, count: int) -> list[str]:
    """`count` new codes under `prefix`, numbered on from the last code handed out (e.g. NRW-2026-0042).

    The counter row is raised in one UPDATE … RETURNING, which locks it until the transaction ends: a concurrent
    run waits for that and then numbers on after these codes, so no two runs can read the same number. The
    unique constraint on letters.reference_code stays as the last line of defence.
    """
    if count <= 0:
        return []
    _ensure_counter(session, prefix)
    last = session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.prefix == prefix)
        .values(last_number=ReferenceCounter.last_number + count)
        .returning(ReferenceCounter.last_number)
    ).scalar_one()
    return [f"{prefix}-{number:04d}" for number in range(last - count + 1, last + 1)]


def _ensure_counter(session: Session, prefix: str) -> None:
    """Create the prefix's counter at 0 unless it exists; a counter another run inserts meanwhile is kept."""
    insert = _INSERTS[session.get_bind().dialect.name]
    session.execute(
        insert(ReferenceCounter)
        .values(prefix=prefix, last_number=0)
        .on_conflict_do_nothing(index_elements=[ReferenceCounter.prefix])
    )
