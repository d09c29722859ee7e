"""The background job that generates and renders all letters of a campaign, with progress for the browser."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app

from campaign.db import db
from campaign.jobs import huey
from campaign.jobs.frame import run_to_end, start_campaign_job
from campaign.services.common.dates import today_in_germany
from campaign.services.common.jobs import finish_job, job_params
from campaign.services.common.translation import N_
from campaign.services.letters.batch.plan import output_file

if TYPE_CHECKING:
    from campaign.services.letters.batch.run import BatchResult

KIND = "letters.render"


def letters_root() -> Path:
    """Where generated letter files live: instance/letters/ (never committed, served only to staff)."""
    return Path(current_app.instance_path) / "letters"


@huey.job_task(KIND)
def render_letters_job(job_id: int) -> None:
    """Generate the letters of the job's campaign and write the ZIP or print PDF; progress is committed per chunk."""
    # Imported by the task, not the module: the web process, which only enqueues it, does not load pypdf.
    from campaign.services.letters.batch.run import render_campaign_letters

    claimed = start_campaign_job(job_id, N_("Briefe werden erzeugt …"))
    if claimed is None:
        return
    params = job_params(claimed.job)
    fmt, sort = params.get("format", "zip"), params.get("sort", "postcode")
    root = letters_root()

    def work() -> None:
        result = render_campaign_letters(
            db.session,
            claimed.campaign,
            target=output_file(root, claimed.campaign, fmt, job_id),
            fmt=fmt,
            sort=sort,
            on=today_in_germany(),
            user=claimed.user,
            workers=current_app.config["LETTER_RENDER_WORKERS"] or None,  # 0: one per core
            # One commit per chunk: the letters of the chunk and the progress become visible together.
            progress=lambda done, total: claimed.report(
                done, total, N_("%(done)s von %(total)s Briefen erzeugt") % {"done": done, "total": total}
            ),
        )
        finish_job(db.session, claimed.job, result=_summary(result, root), message=_message(result))

    run_to_end(claimed, work, unexpected=N_("Unerwarteter Fehler beim Erzeugen der Briefe."))


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
    """The finished job's message, in German (shown in the viewer's language)."""
    values = {"letters": result.letters, "pages": result.pages, "skipped": len(result.skipped)}
    if result.skipped:
        return (
            N_(
                "Briefe erzeugt: %(letters)s (Seiten: %(pages)s). "
                "Bereits versandt und unverändert geblieben: %(skipped)s."
            )
            % values
        )
    return N_("Briefe erzeugt: %(letters)s (Seiten: %(pages)s).") % values
