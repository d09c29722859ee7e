"""The background job that generates and renders all letters of a campaign, with progress for the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app

from campaign.db import db
from campaign.jobs import huey
from campaign.models import Campaign, Job, JobStatus, User
from campaign.services.common.dates import today_in_germany
from campaign.services.common.errors import ServiceError
from campaign.services.common.jobs import fail_job, finish_job, job_params, report_progress, start_job
from campaign.services.letters.batch.run import BatchResult, output_file, render_campaign_letters

KIND = "letters.render"


def letters_root() -> Path:
    """Where generated letter files live: instance/letters/ (never committed, served only to staff)."""
    return Path(current_app.instance_path) / "letters"


@huey.app_task()
def render_letters_job(job_id: int) -> None:
    """Generate the letters of the job's campaign and write the ZIP or print PDF; progress is committed per chunk."""
    session = db.session
    job = session.get(Job, job_id)
    if job is None or job.status is not JobStatus.QUEUED:
        return  # already handled: running the task twice changes nothing
    params = job_params(job)
    campaign = session.get(Campaign, job.campaign_id) if job.campaign_id else None
    user = session.get(User, job.created_by_id) if job.created_by_id else None
    if campaign is None:
        fail_job(session, job, "Die Kampagne gibt es nicht mehr.")
        session.commit()
        return
    fmt, sort = params.get("format", "zip"), params.get("sort", "postcode")
    start_job(session, job, message="Briefe werden erzeugt …")
    session.commit()

    def progress(done: int, total: int) -> None:
        # One commit per chunk: the letters of the chunk and the progress become visible together.
        report_progress(session, job, done, total=total, message=f"{done} von {total} Briefen erzeugt")
        session.commit()

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
    except ServiceError as exc:
        session.rollback()
        fail_job(session, session.get(Job, job_id), str(exc))
        session.commit()
        return
    except Exception:
        current_app.logger.exception("Briefe der Kampagne %s konnten nicht erzeugt werden", campaign.slug)
        session.rollback()
        fail_job(session, session.get(Job, job_id), "Unerwarteter Fehler beim Erzeugen der Briefe; siehe Server-Log.")
        session.commit()
        return
    finish_job(session, job, result=_summary(result, root), message=_message(result))
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
