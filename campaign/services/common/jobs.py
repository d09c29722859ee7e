"""Background job records: create, start, progress, finish and fail (they flush; the job itself commits)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Campaign, Job, JobStatus, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
MAX_MESSAGE = 500


def active_job(session: Session, kind: str, campaign: Campaign) -> Job | None:
    """The queued or running job of this kind for the campaign, if any."""
    return session.scalar(
        select(Job)
        .where(Job.kind == kind, Job.campaign_id == campaign.id, Job.status.in_(ACTIVE))
        .order_by(Job.id.desc())
        .limit(1)
    )


def create_job(
    session: Session,
    kind: str,
    *,
    campaign: Campaign | None = None,
    user: User | None = None,
    message: str = "",
    params: dict[str, Any] | None = None,
) -> Job:
    """A queued job; refused while the same kind of job for the same campaign is still queued or running."""
    if campaign is not None and (running := active_job(session, kind, campaign)) is not None:
        raise ServiceError(
            f"Für die Kampagne „{campaign.title}“ läuft bereits ein solcher Auftrag (Nr. {running.id}). "
            "Bitte warten Sie, bis er fertig ist."
        )
    job = Job(
        kind=kind,
        campaign_id=campaign.id if campaign else None,
        created_by_id=user.id if user else None,
        status=JobStatus.QUEUED,
        message=message[:MAX_MESSAGE],
        result={"params": dict(params or {})},
    )
    session.add(job)
    session.flush()
    record(session, "job.create", job, user=user, kind=kind, campaign_id=job.campaign_id, params=params or {})
    return job


def start_job(session: Session, job: Job, *, total: int = 0, message: str = "") -> None:
    """Mark the job as running (when a worker picks it up)."""
    job.status = JobStatus.RUNNING
    job.started_at = utcnow()
    job.total, job.done = total, 0
    job.message = message[:MAX_MESSAGE]
    session.flush()


def report_progress(session: Session, job: Job, done: int, *, total: int | None = None, message: str = "") -> None:
    """Record how far the job has got (the browser polls this)."""
    if total is not None:
        job.total = total
    job.done = min(done, job.total) if job.total else done
    if message:
        job.message = message[:MAX_MESSAGE]
    session.flush()


def finish_job(session: Session, job: Job, *, result: dict[str, Any], message: str) -> None:
    """Mark the job as done, with what it produced."""
    job.status = JobStatus.DONE
    job.done = job.total
    job.finished_at = utcnow()
    job.message = message[:MAX_MESSAGE]
    job.result = {**(job.result or {}), **result}
    session.flush()


def fail_job(session: Session, job: Job, message: str) -> None:
    """Mark the job as failed with a message the user can act on."""
    job.status = JobStatus.FAILED
    job.finished_at = utcnow()
    job.message = message[:MAX_MESSAGE]
    session.flush()


def job_params(job: Job) -> dict[str, Any]:
    """The parameters the job was created with."""
    return dict((job.result or {}).get("params", {}))
