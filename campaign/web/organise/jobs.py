"""Progress of background jobs (e.g. bulk letter generation), as a page and as JSON for the progress bar."""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from campaign.db import db
from campaign.jobs.letters import KIND as LETTERS_JOB
from campaign.jobs.letters import letters_root, render_letters_job
from campaign.models import Campaign, Job, JobStatus
from campaign.services.common.errors import ServiceError
from campaign.services.common.jobs import active_job, create_job
from campaign.services.common.labels import label
from campaign.services.letters.templates import current_template_version
from campaign.web.organise.blueprint import bp
from campaign.web.security import WRITERS, role_required

__all__ = ["bp"]

DOWNLOAD_TYPES = {".zip": "application/zip", ".pdf": "application/pdf"}


class GenerateLettersForm(FlaskForm):
    """Start generating all letters of a campaign; both choices have defaults, so a bare button works too."""

    format = SelectField(
        _l("Ausgabe"),
        choices=[
            SelectChoice("zip", _l("Ein PDF pro Brief (ZIP)")),
            SelectChoice("merged", _l("Eine Druckdatei (PDF)")),
        ],
        default="zip",
    )
    sort = SelectField(
        _l("Reihenfolge"),
        choices=[
            SelectChoice("postcode", _l("nach Postleitzahl")),
            SelectChoice("region", _l("nach Unterbezirk, dann Postleitzahl")),
        ],
        default="postcode",
    )


def _campaign(slug: str) -> Campaign:
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug)) or abort(404)


def _job(job_id: int) -> Job:
    return db.session.get(Job, job_id) or abort(404)


@bp.post("/campaigns/<slug>/letters/generate")
@role_required(*WRITERS)
def generate_letters(slug: str):
    """Queue the job that generates and renders every letter of the campaign, then show its progress."""
    campaign = _campaign(slug)
    form = GenerateLettersForm()
    back = url_for("organise.campaign_letters", slug=campaign.slug)
    if not form.validate_on_submit():
        flash(_("Bitte Ausgabe und Reihenfolge aus der Liste wählen."), "error")
        return redirect(back)
    running = active_job(db.session, LETTERS_JOB, campaign)
    if running is not None:
        flash(_("Für diese Kampagne werden bereits Briefe erzeugt."), "info")
        return redirect(url_for("organise.job", job_id=running.id))
    try:
        current_template_version(campaign)
        job = create_job(
            db.session,
            LETTERS_JOB,
            campaign=campaign,
            user=current_user,
            message=_("Wartet auf einen freien Job-Worker …"),
            params={"format": form.format.data, "sort": form.sort.data},
        )
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    db.session.commit()
    # Enqueued only after the commit, so the worker finds the job row (with JOBS_URL=immediate it runs right here).
    render_letters_job(job.id)
    flash(_("Die Briefe werden erzeugt."), "success")
    return redirect(url_for("organise.job", job_id=job.id))


def _download_path(job: Job) -> Path | None:
    """The job's output file, if it exists inside instance/letters/ (a stored path never leads elsewhere)."""
    relative = (job.result or {}).get("path")
    if job.status is not JobStatus.DONE or not isinstance(relative, str) or not relative:
        return None
    root = letters_root().resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file() or path.suffix not in DOWNLOAD_TYPES:
        return None
    return path


def _view(job: Job) -> dict:
    """The job as the page and the JSON endpoint show it."""
    path = _download_path(job)
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status.value,
        "status_label": str(label(job.status)),
        "total": job.total,
        "done": job.done,
        "percent": job.percent,
        "message": job.message,
        "finished": job.status in (JobStatus.DONE, JobStatus.FAILED),
        "download_url": url_for("organise.job_download", job_id=job.id) if path else None,
        "filename": path.name if path else None,
        "skipped": list((job.result or {}).get("skipped", [])),
    }


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    found = _job(job_id)
    campaign = db.session.get(Campaign, found.campaign_id) if found.campaign_id else None
    return render_template("organise/jobs/show.html", job=found, view=_view(found), campaign=campaign)


@bp.get("/jobs/<int:job_id>.json")
def job_json(job_id: int):
    response = _view(_job(job_id))
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/jobs/<int:job_id>/download")
def job_download(job_id: int):
    found = _job(job_id)
    path = _download_path(found)
    if path is None:
        abort(404)
    return send_file(path, mimetype=DOWNLOAD_TYPES[path.suffix], as_attachment=True, download_name=path.name)
