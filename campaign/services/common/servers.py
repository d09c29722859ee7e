"""The outside servers the workers talk to (SMTP, IMAP): every attempt to reach one is recorded for the status pages.

Each record is one UPDATE written before anything is read (see `jobs._lock_jobs` on SQLite); the row is created by
the first attempt. "Failing since" stays at the first failure after the last success, whichever worker saw it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import ServerState

SMTP = "smtp"
IMAP = "imap"
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def record_reached(session: Session, name: str, address: str, *, now: datetime | None = None) -> None:
    """The server answered: it counts as reachable again."""
    now = now or utcnow()
    _write(session, name, {"address": address[:500], "last_success_at": now, "failing_since": None})


def record_unreachable(session: Session, name: str, address: str, error: str, *, now: datetime | None = None) -> None:
    """The server could not be reached (or refused the session); the error is kept for the status pages."""
    now = now or utcnow()
    values = {
        "address": address[:500],
        "failing_since": func.coalesce(ServerState.failing_since, now),
        "last_failure_at": now,
        "last_error": error[:2000],
    }
    _write(session, name, values)


def server_state(session: Session, name: str) -> ServerState | None:
    """The server's last known state (None before the first attempt)."""
    return session.get(ServerState, name, populate_existing=True)


def _write(session: Session, name: str, values: dict) -> None:
    statement = update(ServerState).where(ServerState.name == name).values(**values)
    if session.execute(statement.execution_options(synchronize_session=False)).rowcount:
        return
    insert = _INSERTS[session.get_bind().dialect.name]
    session.execute(insert(ServerState).values(name=name, last_error="").on_conflict_do_nothing())
    session.execute(statement.execution_options(synchronize_session=False))
