"""Background job records through their state machine: create, claim, progress, finish, fail, retry and sweep.

They flush; the job (or the request) commits. Every status change goes through `states.transition`, so it is
checked against `Job.TRANSITIONS` and logged. A running job touches `heartbeat_at` at every step; a job that
stays silent too long has lost its worker, and the sweep hands it back to the queue.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.db import utcnow
from campaign.models import Campaign, Job, JobStatus, StateChange, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.common.states import transition
from campaign.services.common.translation import N_

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
MAX_MESSAGE = 500
# A job's message is stored in German (written by a worker, which has no page language) and shown in the viewer's
# language (campaign.services.common.translation.in_page_language): so it is made from a msgid with `%`, not `_()`.
WAITING_MESSAGE = N_("Wartet auf einen freien Job-Worker …")
RUNNING_MESSAGE = N_("Läuft …")


class JobLost(ServiceError):
    """The job was handed to another worker (this one was silent too long): stop without touching it."""


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
    if campaign is not None:
        _refuse_second_active(session, kind, campaign)
    job = Job(
        kind=kind,
        campaign_id=campaign.id if campaign else None,
        created_by_id=user.id if user else None,
        status=JobStatus.QUEUED,
        message=(message or WAITING_MESSAGE)[:MAX_MESSAGE],
        result={"params": dict(params or {})},
    )
    session.add(job)
    session.flush()
    record(session, "job.create", job, user=user, kind=kind, campaign_id=job.campaign_id, params=params or {})
    return job


def _refuse_second_active(session: Session, kind: str, campaign: Campaign) -> None:
    if (running := active_job(session, kind, campaign)) is not None:
        raise ServiceError(
            _(
                "Für die Kampagne „%(title)s“ läuft bereits ein solcher Auftrag (Nr. %(id)s). Bitte warten "
                "Sie, bis er fertig ist.",
                title=campaign.title,
                id=running.id,
            )
        )


def _lock_jobs(session: Session, *conditions: ColumnElement[bool]) -> list[int]:
    """Touch the heartbeat of the jobs that meet `conditions`; their ids, whose rows this transaction now holds.

    The conditional UPDATE is the claim: it waits for a competing transaction and re-checks the conditions
    afterwards (PostgreSQL row lock, SQLite database lock), so two workers never both take the same job.
    Where workers compete it must come first in its transaction: on SQLite a transaction that has read
    before another one wrote cannot write any more ("database is locked", at once).
    """
    touched = session.execute(
        update(Job).where(*conditions).values(heartbeat_at=utcnow()).returning(Job.id),
        execution_options={"synchronize_session": "fetch"},  # a loaded job sees its new heartbeat
    )
    return sorted(touched.scalars())


def claim_job(session: Session, job_id: int, *, message: str = "", note: str = "") -> Job | None:
    """Move a queued job to running for this worker; None if it is not queued (done, or another worker has it).

    Call it first in its transaction, as a task does (see `_lock_jobs`).
    """
    if not _lock_jobs(session, Job.id == job_id, Job.status == JobStatus.QUEUED):
        return None
    job = session.get(Job, job_id, populate_existing=True)
    transition(session, job, JobStatus.RUNNING, note=note)
    job.started_at = job.heartbeat_at = utcnow()
    job.finished_at = None
    job.total, job.done = 0, 0
    job.message = (message or RUNNING_MESSAGE)[:MAX_MESSAGE]
    session.flush()
    return job


def keep_alive(session: Session, job_id: int, claimed_at: datetime | None) -> None:
    """Touch the heartbeat of a job this worker claimed at `claimed_at`; JobLost if another worker has it now.

    A job calls it first in each of its transactions (with values kept from before the last commit, since
    reading the expired job first would spoil the lock on SQLite, see `_lock_jobs`).
    """
    if not _lock_jobs(session, Job.id == job_id, Job.status == JobStatus.RUNNING, Job.started_at == claimed_at):
        raise JobLost("Der Auftrag wurde einem anderen Job-Worker übergeben.")


def report_progress(session: Session, job: Job, done: int, *, total: int | None = None, message: str = "") -> None:
    """Record how far the job has got (the browser polls this) and that its worker is alive.

    Raises JobLost if the sweep has meanwhile given the job to another worker.
    """
    keep_alive(session, job.id, job.started_at)
    if total is not None:
        job.total = total
    job.done = min(done, job.total) if job.total else done
    if message:
        job.message = message[:MAX_MESSAGE]
    session.flush()


def finish_job(session: Session, job: Job, *, result: dict[str, Any], message: str) -> None:
    """Mark the job as done, with what it produced (JobLost if another worker has it by now)."""
    if job.status is JobStatus.RUNNING:
        keep_alive(session, job.id, job.started_at)
    transition(session, job, JobStatus.DONE)
    job.done = job.total
    job.finished_at = utcnow()
    job.message = message[:MAX_MESSAGE]
    job.result = {**(job.result or {}), **result}
    session.flush()


def fail_job(session: Session, job: Job, message: str, *, note: str = "") -> None:
    """Mark the job as failed with a message the user can act on."""
    transition(session, job, JobStatus.FAILED, note=note or message)
    job.finished_at = utcnow()
    job.message = message[:MAX_MESSAGE]
    session.flush()


def job_params(job: Job) -> dict[str, Any]:
    """The parameters the job was created with."""
    return dict((job.result or {}).get("params", {}))


# ---- stale jobs: lost before they were enqueued, or lost with their worker ----


def last_sign_of_life(job: Job) -> datetime:
    """When the job was last enqueued or worked on."""
    return job.heartbeat_at or job.started_at or job.created_at


def is_stale(job: Job, now: datetime | None = None) -> bool:
    """Whether a queued job waits longer than JOBS_QUEUED_TIMEOUT, or a running one is silent longer than
    JOBS_RUNNING_TIMEOUT (the page may then offer to start it again)."""
    if job.status not in ACTIVE:
        return False
    timeout = setting("JOBS_QUEUED_TIMEOUT" if job.status is JobStatus.QUEUED else "JOBS_RUNNING_TIMEOUT")
    return last_sign_of_life(job) < (now or utcnow()) - timedelta(seconds=timeout)


def lost_workers(session: Session, job: Job) -> int:
    """How many workers died with this job since it was created or last started again by a user."""
    log = select(func.count()).where(StateChange.object_type == "Job", StateChange.object_id == job.id)
    last_retry = session.scalar(
        select(func.max(StateChange.id)).where(
            StateChange.object_type == "Job", StateChange.object_id == job.id, StateChange.from_status == "failed"
        )
    )
    if last_retry is not None:
        log = log.where(StateChange.id > last_retry)
    return session.scalar(log.where(StateChange.from_status == "running", StateChange.to_status == "queued")) or 0


@dataclass
class SweepResult:
    """What a sweep changed; `to_enqueue` are the jobs that need a task in the queue once this is committed."""

    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    to_enqueue: list[int] = field(default_factory=list)


def sweep_jobs(session: Session, *, pending: Collection[int] = (), now: datetime | None = None) -> SweepResult:
    """Hand running jobs without a heartbeat back to the queue (or fail them after JOBS_MAX_ATTEMPTS lost
    workers), and find queued jobs that have waited too long without a task in the queue (`pending`).

    Call it first in its transaction (see `_lock_jobs`); sweeps running at once share the work out."""
    now = now or utcnow()
    running_limit = now - timedelta(seconds=setting("JOBS_RUNNING_TIMEOUT"))
    queued_limit = now - timedelta(seconds=setting("JOBS_QUEUED_TIMEOUT"))
    silent = _lock_jobs(
        session, Job.status == JobStatus.RUNNING, func.coalesce(Job.heartbeat_at, Job.started_at) < running_limit
    )
    result = SweepResult()
    for job_id in silent:
        job = session.get(Job, job_id, populate_existing=True)
        attempts = lost_workers(session, job) + 1
        if attempts >= setting("JOBS_MAX_ATTEMPTS"):
            fail_job(session, job, _given_up_message(attempts), note=N_("Job-Worker ausgefallen"))
            result.failed.append(job_id)
        else:
            _requeue(session, job, note=N_("Job-Worker ausgefallen; neu eingereiht"))
            result.requeued.append(job_id)
    waiting = _lock_jobs(
        session,
        Job.status == JobStatus.QUEUED,
        func.coalesce(Job.heartbeat_at, Job.created_at) < queued_limit,
        Job.id.not_in(list(pending)),
    )
    result.to_enqueue = sorted({*result.requeued, *waiting})
    return result


def _given_up_message(attempts: int) -> str:
    return N_(
        "Abgebrochen: Der Job-Worker ist %(attempts)s-mal während dieses Auftrags ausgefallen (abgestürzt, "
        "beendet oder ohne Arbeitsspeicher). Bitte prüfen Sie das Server-Log und starten Sie den Auftrag erneut."
    ) % {"attempts": attempts}


def _requeue(session: Session, job: Job, *, note: str, user: User | None = None) -> None:
    transition(session, job, JobStatus.QUEUED, user=user, note=note)
    job.heartbeat_at = utcnow()
    job.started_at = job.finished_at = None
    job.done = 0
    job.message = WAITING_MESSAGE
    session.flush()


def retry_job(session: Session, job: Job, *, user: User | None = None) -> Job:
    """Start a failed or stale job again (the caller enqueues it once this is committed).

    A failed job and a running one without heartbeat go back to the queue; a queued one whose task was lost
    counts as enqueued afresh. A job that is done, or queued or running normally, is refused with a reason.
    """
    if job.status is JobStatus.DONE:
        raise ServiceError(_("Dieser Auftrag ist bereits fertig."))
    if job.status in ACTIVE and not is_stale(job):
        raise ServiceError(
            _("Dieser Auftrag läuft noch.") if job.status is JobStatus.RUNNING else _("Dieser Auftrag wartet bereits.")
        )
    if job.status is JobStatus.FAILED and job.campaign_id is not None:
        _refuse_second_active(session, job.kind, session.get(Campaign, job.campaign_id))
    if job.status is JobStatus.QUEUED:
        job.heartbeat_at = utcnow()
        session.flush()
    else:
        _requeue(session, job, user=user, note=N_("erneut gestartet"))
    record(session, "job.retry", job, user=user, kind=job.kind, campaign_id=job.campaign_id)
    return job
