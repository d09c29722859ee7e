"""Progress of background jobs (e.g. bulk letter generation), as a page and as JSON for the progress bar."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _

from campaign.db import db
from campaign.jobs.letters import KIND as LETTERS_JOB
from campaign.jobs.letters import letters_root, render_letters_job
from campaign.jobs.queue import enqueue_job
from campaign.models import Campaign, Job, JobStatus
from campaign.services.common.jobs import active_job, create_job, is_stale, retry_job
from campaign.services.common.labels import label
from campaign.services.common.translation import in_page_language
from campaign.services.common.workers import worker_status
from campaign.services.letters.templates import current_template_version
from campaign.web.boundary import after_commit, on_error_back_to
from campaign.web.lookup import campaign_or_404
from campaign.web.numbers import percent
from campaign.web.organise.jobs.forms import GenerateLettersForm
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("jobs", __name__)

DOWNLOAD_TYPES = {".zip": "application/zip", ".pdf": "application/pdf"}


@bp.post("/campaigns/<slug>/letters/generate")
@role_required(*WRITERS)
@on_error_back_to("organise.letters.campaign")
def generate_letters(slug: str):
    """Queue the job that generates and renders every letter of the campaign, then show its progress."""
    campaign = campaign_or_404(slug)
    form = GenerateLettersForm()
    if not form.validate_on_submit():
        flash(_("Bitte Ausgabe und Reihenfolge aus der Liste wählen."), "error")
        return redirect(url_for("organise.letters.campaign", slug=campaign.slug))
    running = active_job(db.session, LETTERS_JOB, campaign)
    if running is not None:
        flash(_("Für diese Kampagne werden bereits Briefe erzeugt."), "info")
        return redirect(url_for(".show", job_id=running.id))
    current_template_version(campaign)
    job = create_job(
        db.session,
        LETTERS_JOB,
        campaign=campaign,
        user=acting_user(),
        params={"format": form.format.data, "sort": form.sort.data},
    )
    # Enqueued only after the commit, so the worker finds the job row (with JOBS_URL=immediate it runs right then).
    after_commit(render_letters_job, job.id)
    flash(_("Die Briefe werden erzeugt."), "success")
    return redirect(url_for(".show", job_id=job.id))


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
    waiting = job.status is JobStatus.QUEUED
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status.value,
        "status_label": str(label(job.status)),
        "total": job.total,
        "done": job.done,
        "percent": job.percent,
        "percent_text": percent(job.percent),
        # Stored in German by the worker; shown in the viewer's language.
        "message": in_page_language(job.message),
        "finished": job.status in (JobStatus.DONE, JobStatus.FAILED),
        "download_url": url_for(".download", job_id=job.id) if path else None,
        "filename": path.name if path else None,
        "skipped": [in_page_language(str(line)) for line in (job.result or {}).get("skipped", [])],
        # Why a queued job does not move: no worker is running (and how to start one).
        "warning": worker_status(db.session).warning if waiting else None,
        "retryable": job.status is JobStatus.FAILED or is_stale(job),
    }


@bp.get("/jobs/<int:job_id>")
def show(job_id: int):
    found = db.get_or_404(Job, job_id)
    campaign = db.session.get(Campaign, found.campaign_id) if found.campaign_id else None
    return render_template(
        "organise/jobs/show.html", job=found, view=_view(found), campaign=campaign, can_retry=has_role(*WRITERS)
    )


@bp.get("/jobs/<int:job_id>.json")
def state(job_id: int):
    return _view(db.get_or_404(Job, job_id)), 200, {"Cache-Control": "no-store"}


@bp.post("/jobs/<int:job_id>/retry")
@role_required(*WRITERS)
@on_error_back_to("organise.jobs.show")
def retry(job_id: int):
    """Start a failed job again, or one that lost its worker; it goes back into the queue after the commit."""
    job = retry_job(db.session, db.get_or_404(Job, job_id), user=acting_user())
    after_commit(enqueue_job, job.id)
    flash(_("Der Auftrag wurde erneut gestartet."), "success")
    return redirect(url_for(".show", job_id=job.id))


@bp.get("/jobs/<int:job_id>/download")
def download(job_id: int):
    path = _download_path(db.get_or_404(Job, job_id))
    if path is None:
        abort(404)
    return send_file(path, mimetype=DOWNLOAD_TYPES[path.suffix], as_attachment=True, download_name=path.name)
