"""The background job that generates and renders all letters of a campaign, with progress for the browser."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app

from campaign.db import db
from campaign.jobs import huey
from campaign.models import Campaign, Job, User
from campaign.services.common.dates import today_in_germany
from campaign.services.common.errors import ServiceError
from campaign.services.common.jobs import (
    JobLost,
    claim_job,
    fail_job,
    finish_job,
    job_params,
    keep_alive,
    report_progress,
)
from campaign.services.letters.batch.run import BatchResult, output_file, render_campaign_letters

KIND = "letters.render"


def letters_root() -> Path:
    """Where generated letter files live: instance/letters/ (never committed, served only to staff)."""
    return Path(current_app.instance_path) / "letters"


@huey.job_task(KIND)
def render_letters_job(job_id: int) -> None:
    """Generate the letters of the job's campaign and write the ZIP or print PDF; progress is committed per chunk."""
    session = db.session
    job = claim_job(session, job_id, message="Briefe werden erzeugt …")
    if job is None:
        return  # done, or another worker has it: running the task twice changes nothing
    claimed_at = job.started_at
    session.commit()
    # Each transaction of the job starts by touching its heartbeat: the job's row stays locked for it, and on
    # SQLite the writes that follow cannot collide with what other processes committed meanwhile.
    keep_alive(session, job_id, claimed_at)
    params = job_params(job)
    campaign = session.get(Campaign, job.campaign_id) if job.campaign_id else None
    user = session.get(User, job.created_by_id) if job.created_by_id else None
    if campaign is None:
        fail_job(session, job, "Die Kampagne gibt es nicht mehr.")
        session.commit()
        return
    fmt, sort = params.get("format", "zip"), params.get("sort", "postcode")

    def progress(done: int, total: int) -> None:
        # One commit per chunk: the letters of the chunk and the progress become visible together.
        report_progress(session, job, done, total=total, message=f"{done} von {total} Briefen erzeugt")
        session.commit()
        keep_alive(session, job_id, claimed_at)

    root = letters_root()
    target = output_file(root, campaign, fmt, job.id)
    try:
        result = render_campaign_letters(
            session,
            campaign,
            target=target,
            fmt=fmt,
            sort=sort,
            on=today_in_germany(),
            user=user,
            workers=current_app.config["LETTER_RENDER_WORKERS"] or None,  # 0: one per core
            progress=progress,
        )
        finish_job(session, job, result=_summary(result, root), message=_message(result))
    except JobLost:
        session.rollback()  # the sweep gave the job to another worker, which now produces it
        return
    except ServiceError as exc:
        fail_rolled_back(job_id, claimed_at, str(exc))
        return
    except Exception:
        current_app.logger.exception("Briefe der Kampagne %s konnten nicht erzeugt werden", campaign.slug)
        fail_rolled_back(job_id, claimed_at, "Unerwarteter Fehler beim Erzeugen der Briefe; siehe Server-Log.")
        return
    session.commit()


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


def _summary(result: BatchResult, root: Path) -> dict[str, Any]:
    """What the job page shows and offers for download (the path relative to the letters folder)."""
    return {
        "path": result.path.relative_to(root).as_posix(),
        "filename": result.path.name,
        "letters": result.letters,
        "pages": result.pages,
        "skipped": result.skipped[:50],
    }


def _message(result: BatchResult) -> str:
    message = f"{result.letters} Briefe erzeugt ({result.pages} Seiten)."
    if result.skipped:
        message += f" {len(result.skipped)} bereits versandte Briefe blieben unverändert."
    return message
