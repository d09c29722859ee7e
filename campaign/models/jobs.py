"""Progress records of background jobs (shown as progress bars), and the heartbeats of running workers."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import db, enum_type, utcnow
from campaign.models.common import StatefulMixin


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


_J = JobStatus


class Job(StatefulMixin, db.Model):
    __tablename__ = "jobs"

    TRANSITIONS: ClassVar = {
        _J.QUEUED: frozenset({_J.RUNNING, _J.FAILED}),
        # RUNNING → QUEUED: a worker died mid-job and the sweep hands the job to another worker.
        _J.RUNNING: frozenset({_J.DONE, _J.FAILED, _J.QUEUED}),
        # FAILED → QUEUED: retried by a user.
        _J.FAILED: frozenset({_J.QUEUED}),
        _J.DONE: frozenset(),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[JobStatus] = mapped_column(enum_type(JobStatus), default=JobStatus.QUEUED)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    # Touched by the running job at every step; a running job whose heartbeat is old has lost its worker.
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        """Progress in whole percent (0 while the total is unknown)."""
        return int(100 * self.done / self.total) if self.total else 0


class WorkerHeartbeat(db.Model):
    """A job worker process that is alive: it updates `seen_at` on a schedule while it runs."""

    __tablename__ = "worker_heartbeats"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)  # host:pid
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
