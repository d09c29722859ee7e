"""The background job that puts a campaign's approved letters into the outbox (each with its PDF), with progress."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from campaign.db import db
from campaign.jobs import huey
from campaign.jobs.outbox import deliver_outbox
from campaign.models import Campaign, Job, User
from campaign.services.common.errors import ServiceError
from campaign.services.common.jobs import JobLost, claim_job, fail_job, finish_job, keep_alive, report_progress
from campaign.services.sending.letter_mail import MailSettings
from campaign.services.sending.lifecycle import queue_letters

KIND = "letters.queue"
# Letters committed together: each letter's outbox row always lands with its move to QUEUED.
CHUNK = 25


@huey.job_task(KIND)
def queue_letters_job(job_id: int) -> None:
    """Queue the campaign's approved e-mail letters; progress (and the letters so far) committed per chunk."""
    session = db.session
    job = claim_job(session, job_id, message="Briefe werden in den Postausgang gelegt …")
    if job is None:
        return
    claimed_at = job.started_at
    session.commit()
    keep_alive(session, job_id, claimed_at)
    campaign = session.get(Campaign, job.campaign_id) if job.campaign_id else None
    user = session.get(User, job.created_by_id) if job.created_by_id else None
    if campaign is None:
        fail_job(session, job, "Die Kampagne gibt es nicht mehr.")
        session.commit()
        return

    def progress(done: int, total: int) -> None:
        if done % CHUNK == 0 or done == total:
            report_progress(session, job, done, total=total, message=f"{done} von {total} Briefen im Postausgang")
            session.commit()
            keep_alive(session, job_id, claimed_at)

    try:
        result = queue_letters(
            session, campaign, MailSettings.from_config(current_app.config), user=user, progress=progress
        )
        message = f"{len(result.done)} Briefe im Postausgang."
        if result.skipped:
            message += f" {len(result.skipped)} übersprungen."
        finish_job(session, job, result={"skipped": result.skipped[:50]}, message=message)
    except JobLost:
        session.rollback()
        return
    except ServiceError as exc:
        _fail(job_id, claimed_at, str(exc))
        return
    except Exception:
        current_app.logger.exception("Briefe der Kampagne %s konnten nicht eingereiht werden", campaign.slug)
        _fail(job_id, claimed_at, "Unerwarteter Fehler beim Einreihen der Briefe; siehe Server-Log.")
        return
    session.commit()
    deliver_outbox()  # what is due goes out now rather than at the next scheduled run


def _fail(job_id: int, claimed_at: datetime | None, message: str) -> None:
    """Keep the letters queued so far (committed per chunk) and mark the job failed with the reason."""
    session = db.session
    session.rollback()
    try:
        keep_alive(session, job_id, claimed_at)
    except JobLost:
        session.rollback()
        return
    fail_job(session, session.get(Job, job_id), message)
    session.commit()
