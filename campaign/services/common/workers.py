"""Heartbeats of job worker processes, and whether a live worker exists (else how to start one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.db import utcnow
from campaign.models import WorkerHeartbeat

START_HINT = _l(
    "Es läuft kein Job-Worker, deshalb wartet der Auftrag. Starten Sie einen mit „campaign worker“ "
    "(oder Webserver und Worker zusammen mit „campaign up“ bzw. „make run“)."
)


def beat(session: Session, name: str, *, now: datetime | None = None) -> None:
    """Record that worker `name` (host:pid) is alive: on start, then every JOBS_HEARTBEAT_INTERVAL seconds.

    It writes before it reads: on SQLite a transaction that read first could not write after a job committed.
    """
    now = now or utcnow()
    seen = session.execute(update(WorkerHeartbeat).where(WorkerHeartbeat.name == name).values(seen_at=now))
    if seen.rowcount:
        return
    # A starting worker clears away the rows of killed ones, which stay silent for ever.
    silent_since = now - timedelta(seconds=setting("JOBS_WORKER_TIMEOUT"))
    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.seen_at < silent_since))
    session.add(WorkerHeartbeat(name=name[:200], started_at=now, seen_at=now))
    session.flush()


def sign_off(session: Session, name: str) -> None:
    """Remove the heartbeat of a worker that stops cleanly."""
    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.name == name))
    session.flush()


@dataclass(frozen=True)
class WorkerStatus:
    """The live workers; `warning` is what to show beside a waiting job (None if jobs will run)."""

    workers: list[WorkerHeartbeat]
    inline: bool  # JOBS_URL=immediate: jobs run in the process that starts them, no worker needed

    @property
    def alive(self) -> bool:
        return bool(self.workers)

    @property
    def warning(self) -> str | None:
        return None if self.alive or self.inline else str(START_HINT)


def worker_status(session: Session, *, now: datetime | None = None) -> WorkerStatus:
    """The workers seen within JOBS_WORKER_TIMEOUT seconds (a killed worker leaves its row, but goes silent)."""
    since = (now or utcnow()) - timedelta(seconds=setting("JOBS_WORKER_TIMEOUT"))
    live = session.scalars(
        select(WorkerHeartbeat).where(WorkerHeartbeat.seen_at >= since).order_by(WorkerHeartbeat.started_at)
    ).all()
    return WorkerStatus(workers=list(live), inline=setting("JOBS_URL") == "immediate")
