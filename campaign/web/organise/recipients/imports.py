"""Importing recipients from a CSV or XLSX file: upload, column mapping, dry-run report, then run or cancel."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.utils import secure_filename

from campaign.db import db
from campaign.services import recipients as service
from campaign.services.common.errors import ServiceError
from campaign.services.recipients import importing as importer
from campaign.web.boundary import after_commit, errors_shown_on, on_error_back_to
from campaign.web.forms import ConfirmForm
from campaign.web.organise.recipients.forms import ImportUploadForm, chosen_mapping, mapping_form
from campaign.web.security import WRITERS, acting_user, role_required

bp = Blueprint("recipient_import", __name__, url_prefix="/recipients/import")


@bp.before_request
@role_required(*WRITERS)
def require_writer():
    """Every step of an import is for organisers only, reading the report included."""


def _upload_dir() -> Path:
    return Path(current_app.instance_path) / "uploads" / "recipient-imports"


def _load_table(token: str) -> tuple[importer.Table, dict[str, Any]]:
    """The rows stored at upload for this token, only for the user who uploaded them."""
    try:
        table, meta = importer.load_table(_upload_dir(), token)
    except ServiceError:
        abort(404)
    if meta.get("user_id") != acting_user().id:
        abort(404)
    return table, meta


@bp.route("", methods=["GET", "POST"])
def upload():
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = secure_filename(upload.filename or "") or "import.csv"
        with errors_shown_on(form, default="file"):
            # Parsed once, here: the later steps work on the stored rows, never on the file again.
            table = importer.read_table(importer.read_upload(upload.stream, filename), filename)
            meta = {"filename": filename, "list_name": (form.list_name.data or "").strip(), "user_id": acting_user().id}
            return redirect(url_for(".review", token=importer.save_table(_upload_dir(), table, meta)))
    status = 400 if form.errors else 200
    return render_template("organise/recipients/import_upload.html", form=form), status


@dataclass
class Review:
    """What the review page shows: the columns and their mapping, and the dry run once every column is decided."""

    table: importer.Table
    columns: list[importer.Column]
    chosen: dict[int, str]
    undecided: list[importer.Column]
    plan: importer.ImportPlan | None
    error: str


def _review(table: importer.Table, meta: dict[str, Any]) -> Review:
    """Run the dry run on the stored rows; a mapping problem becomes a message on the page."""
    columns = importer.detect_columns(table)
    chosen = importer.mapping_from_meta(meta)
    try:
        undecided = importer.undecided_columns(columns, importer.resolve_mapping(columns, chosen))
        plan = None if undecided else importer.plan_import(db.session, table, chosen, ignore_undecided=False)
    except ServiceError as exc:
        return Review(table, columns, chosen, [], None, str(exc))
    return Review(table, columns, chosen, undecided, plan, "")


def _review_page(
    token: str, table: importer.Table, meta: dict[str, Any], form: FlaskForm | None = None, status: int = 200
):
    """The review page; `form` is a refused mapping form, shown with the choices as they were sent."""
    found = _review(table, meta)
    return render_template(
        "organise/recipients/import_review.html",
        token=token,
        meta=meta,
        review=found,
        mapping_form=form or mapping_form(found.columns, found.chosen),
        status_labels=importer.STATUS_LABELS,
        statuses=list(importer.RowStatus),
        confirm=ConfirmForm(),
    ), status


@bp.get("/<token>")
def review(token: str):
    table, meta = _load_table(token)
    return _review_page(token, table, meta)


@bp.post("/<token>/mapping")
def mapping(token: str):
    table, meta = _load_table(token)
    columns = importer.detect_columns(table)
    form = mapping_form(columns, importer.mapping_from_meta(meta))
    if not form.validate_on_submit():
        # The page again with the choices as sent (not a redirect, which would show the stored ones).
        flash(_("Bitte für jede Spalte ein Feld oder „ignorieren“ wählen."), "error")
        return _review_page(token, table, meta, form, 400)
    chosen = chosen_mapping(form, columns)
    try:
        importer.resolve_mapping(columns, chosen)
    except ServiceError as exc:
        flash(str(exc), "error")  # kept anyway, so the review page shows the conflict next to the columns
    meta["mapping"] = {str(index): target for index, target in chosen.items()}
    importer.update_upload_meta(_upload_dir(), token, meta)
    return redirect(url_for(".review", token=token))


@bp.post("/<token>/run")
@on_error_back_to(".review")
def run(token: str):
    table, meta = _load_table(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    plan = importer.plan_import(db.session, table, importer.mapping_from_meta(meta), ignore_undecided=False)
    result = importer.run_import(
        db.session,
        plan,
        filename=meta.get("filename", ""),
        list_name=meta.get("list_name") or None,
        skip_invalid=True,
        user=acting_user(),
    )
    # The file goes only once the recipients are stored: if the commit fails, the import can be run again.
    after_commit(importer.discard_upload, _upload_dir(), token)
    flash(importer.result_line(result), "success")
    target = service.find_list(db.session, result.list_name) if result.list_name else None
    return redirect(url_for("organise.recipients.index", list_id=target.id if target else None))


@bp.post("/<token>/cancel")
def cancel(token: str):
    _load_table(token)
    if ConfirmForm().validate_on_submit():
        importer.discard_upload(_upload_dir(), token)
        flash(_("Import abgebrochen; es wurde nichts gespeichert."), "info")
    return redirect(url_for(".upload"))
