"""The frame every campaign job shares: claim the job, find its campaign and user, commit progress, and end the job
on any failure (rolled back, with the reason on the job's page) unless the sweep has given it to another worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from campaign.db import db
from campaign.models import Campaign, Job, User
from campaign.services.common.errors import ServiceError
from campaign.services.common.jobs import JobLost, claim_job, fail_job, keep_alive, lost_workers, report_progress
from campaign.services.common.translation import N_


@dataclass
class CampaignJob:
    """A claimed job with its campaign and the user who started it."""

    job: Job
    job_id: int  # kept apart: after a commit, reading the expired job would come before the job's lock (keep_alive)
    claimed_at: datetime | None
    campaign: Campaign
    user: User | None
    # The job's previous worker died mid-way: what it committed stands, and the job goes on from there.
    resumed: bool = False

    def report(self, done: int, total: int, message: str) -> None:
        """Commit the work so far with the progress, so both become visible together; keep the job claimed."""
        report_progress(db.session, self.job, done, total=total, message=message)
        db.session.commit()
        keep_alive(db.session, self.job_id, self.claimed_at)


def start_campaign_job(job_id: int, message: str) -> CampaignJob | None:
    """Claim the job (None if it is done or another worker has it: running a task twice changes nothing)."""
    session = db.session
    job = claim_job(session, job_id, message=message)
    if job is None:
        return None
    claimed_at = job.started_at
    session.commit()
    # Each transaction of the job starts by touching its heartbeat: the job's row stays locked for it, and on
    # SQLite the writes that follow cannot collide with what other processes committed meanwhile.
    keep_alive(session, job_id, claimed_at)
    campaign = session.get(Campaign, job.campaign_id) if job.campaign_id else None
    if campaign is None:
        fail_job(session, job, N_("Die Kampagne gibt es nicht mehr."))
        session.commit()
        return None
    user = session.get(User, job.created_by_id) if job.created_by_id else None
    return CampaignJob(job, job_id, claimed_at, campaign, user, resumed=lost_workers(session, job) > 0)


def run_to_end(claimed: CampaignJob, work: Callable[[], None], *, unexpected: str) -> bool:
    """Run `work` and commit it; a refusal (ServiceError) or an unexpected error fails the job instead.

    `unexpected` is the job page's message (a German msgid, marked with N_) for an error that is not the user's
    to fix (it is logged in full).
    Returns whether the work was committed.
    """
    session = db.session
    try:
        work()
    except JobLost:
        session.rollback()  # the sweep gave the job to another worker, which now does the work
        return False
    except ServiceError as exc:
        fail_rolled_back(claimed.job_id, claimed.claimed_at, str(exc))
        return False
    except Exception:
        session.rollback()  # first: a failed transaction cannot even load the campaign's name for the log
        current_app.logger.exception("%s (Kampagne %s)", unexpected, claimed.campaign.slug)
        fail_rolled_back(claimed.job_id, claimed.claimed_at, N_("%(error)s Siehe Server-Log.") % {"error": unexpected})
        return False
    session.commit()
    return True


def fail_rolled_back(job_id: int, claimed_at: datetime | None, message: str) -> None:
    """Roll back the partial work and mark the job failed, unless the sweep has given it to another worker."""
    session = db.session
    session.rollback()
    try:
        keep_alive(session, job_id, claimed_at)
    except JobLost:
        session.rollback()
        return
    fail_job(session, session.get(Job, job_id), message)
    session.commit()
