"""Organiser views of recipients and recipient lists: filters, editing, lists, bulk add and the file import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from campaign.db import db
from campaign.models import Recipient, RecipientList, User
from campaign.services import recipients as service
from campaign.services.common.errors import ServiceError
from campaign.services.common.pagination import Page
from campaign.services.recipients import importing as importer
from campaign.web.organise.blueprint import bp
from campaign.web.organise.recipient_forms import (
    FILTER_PARAMS,
    BulkAddForm,
    ConfirmForm,
    ImportUploadForm,
    ListForm,
    RecipientFilterForm,
    RecipientForm,
    chosen_mapping,
    mapping_form,
)
from campaign.web.security import WRITERS, has_role, role_required

PER_PAGE = 50


def _actor() -> User:
    """The logged-in user as a model instance, for the audit log."""
    return current_user._get_current_object()


def _recipient(recipient_id: int) -> Recipient:
    return db.session.get(Recipient, recipient_id) or abort(404)


def _list(list_id: int) -> RecipientList:
    return db.session.get(RecipientList, list_id) or abort(404)


def _all_lists() -> list[RecipientList]:
    return [summary.recipient_list for summary in service.list_summaries(db.session)]


def _filter_args() -> dict[str, str]:
    """The filter part of the query string (without the page), to carry into links and the bulk action."""
    return {key: value for key, value in request.args.items() if key in FILTER_PARAMS and value}


def _filter_form(choices: service.FilterChoices) -> RecipientFilterForm:
    form = RecipientFilterForm(formdata=request.args)
    form.set_choices(choices)
    return form


def _page_links(endpoint: str, page: Page, **values: Any) -> dict[str, str | None]:
    def link(number: int) -> str:
        return url_for(endpoint, **values, page=number)

    return {
        "previous": link(page.page - 1) if page.has_previous else None,
        "next": link(page.page + 1) if page.has_next else None,
        "first": link(1) if page.page > 2 else None,
        "last": link(page.pages) if page.page < page.pages - 1 else None,
    }


# ---- recipients ----


@bp.get("/recipients")
def recipients():
    choices = service.filter_choices(db.session)
    form = _filter_form(choices)
    filters = form.to_filter()
    page = service.search_recipients(db.session, filters, page=request.args.get("page", 1, type=int), per_page=PER_PAGE)
    args = _filter_args()
    bulk_form = BulkAddForm()
    bulk_form.set_list_choices(choices.lists)
    return render_template(
        "organise/recipients.html",
        form=form,
        page=page,
        links=_page_links("organise.recipients", page, **args),
        filtered=not filters.is_empty,
        bulk_form=bulk_form,
        bulk_url=url_for("organise.recipients_bulk_add", **args),
        can_write=has_role(*WRITERS),
    )


@bp.post("/recipients/bulk-add")
@role_required(*WRITERS)
def recipients_bulk_add():
    args = _filter_args()
    choices = service.filter_choices(db.session)
    filters = _filter_form(choices).to_filter()
    form = BulkAddForm()
    form.set_list_choices(choices.lists)
    if not form.validate_on_submit():
        flash(_("Bitte eine Liste wählen oder einen Namen für eine neue Liste angeben."), "error")
        return redirect(url_for("organise.recipients", **args))
    try:
        chosen = form.list_id.data or ""
        if chosen.isdigit():
            target = _list(int(chosen))
        elif (form.new_list.data or "").strip():
            target, _created = service.get_or_create_list(db.session, form.new_list.data, user=_actor())
        else:
            raise ServiceError(_("Bitte eine Liste wählen oder einen Namen für eine neue Liste angeben."))
        ids = service.filtered_ids(db.session, filters)
        added = service.add_to_list(db.session, target, ids, user=_actor())
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("organise.recipients", **args))
    db.session.commit()
    flash(
        _(
            "%(added)s Empfänger:innen zur Liste „%(name)s“ hinzugefügt (%(already)s waren schon darauf).",
            added=added,
            name=target.name,
            already=len(ids) - added,
        ),
        "success",
    )
    return redirect(url_for("organise.recipients", **args))


def _render_form(form: RecipientForm, recipient: Recipient | None, status: int = 200):
    return render_template("organise/recipients/form.html", form=form, recipient=recipient), status


def _apply_service_errors(form: RecipientForm, exc: ServiceError) -> None:
    """Show field errors next to their fields; anything else above the form."""
    if isinstance(exc, service.RecipientInvalid):
        for name, message in exc.errors.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [*field.errors, message]
    else:
        flash(str(exc), "error")


@bp.route("/recipients/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def recipient_new():
    form = RecipientForm()
    form.set_list_choices(_all_lists())
    if form.validate_on_submit():
        try:
            created = service.create_recipient(db.session, form.values(), list_ids=form.lists.data, user=_actor())
        except ServiceError as exc:
            db.session.rollback()
            _apply_service_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Empfänger:in „%(name)s“ angelegt.", name=created.full_name), "success")
            return redirect(url_for("organise.recipient", recipient_id=created.id))
    status = 400 if request.method == "POST" else 200
    return _render_form(form, None, status)


@bp.get("/recipients/<int:recipient_id>")
def recipient(recipient_id: int):
    found = _recipient(recipient_id)
    return render_template(
        "organise/recipients/detail.html",
        recipient=found,
        can_write=has_role(*WRITERS),
    )


@bp.route("/recipients/<int:recipient_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def recipient_edit(recipient_id: int):
    found = _recipient(recipient_id)
    form = RecipientForm()
    form.set_list_choices(_all_lists())
    if request.method == "GET":
        form.fill_from(found)
    elif form.validate_on_submit():
        try:
            changed = service.update_recipient(
                db.session, found, form.values(), list_ids=form.lists.data, user=_actor()
            )
        except ServiceError as exc:
            db.session.rollback()
            _apply_service_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Gespeichert.") if changed else _("Keine Änderungen."), "success")
            return redirect(url_for("organise.recipient", recipient_id=found.id))
    status = 400 if request.method == "POST" else 200
    return _render_form(form, found, status)


@bp.route("/recipients/<int:recipient_id>/delete", methods=["GET", "POST"])
@role_required(*WRITERS)
def recipient_delete(recipient_id: int):
    found = _recipient(recipient_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = found.full_name
        service.delete_recipient(db.session, found, user=_actor())
        db.session.commit()
        flash(_("Empfänger:in „%(name)s“ gelöscht.", name=name), "success")
        return redirect(url_for("organise.recipients"))
    return render_template(
        "organise/recipients/delete.html",
        recipient=found,
        impact=service.deletion_impact(db.session, found),
        form=form,
    )


# ---- lists ----


@bp.get("/recipients/lists")
def recipient_lists():
    return render_template(
        "organise/recipients/lists.html",
        summaries=service.list_summaries(db.session),
        form=ListForm(),
        can_write=has_role(*WRITERS),
    )


@bp.post("/recipients/lists")
@role_required(*WRITERS)
def recipient_list_create():
    form = ListForm()
    if form.validate_on_submit():
        try:
            created = service.create_list(db.session, form.name.data, form.description.data or "", user=_actor())
        except ServiceError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("Liste „%(name)s“ angelegt.", name=created.name), "success")
            return redirect(url_for("organise.recipient_list", list_id=created.id))
    summaries = service.list_summaries(db.session)
    return render_template("organise/recipients/lists.html", summaries=summaries, form=form, can_write=True), 400


def _render_list(found: RecipientList, form: ListForm, status: int = 200):
    page = service.list_members(db.session, found, page=request.args.get("page", 1, type=int), per_page=PER_PAGE)
    return render_template(
        "organise/recipients/list.html",
        recipient_list=found,
        page=page,
        links=_page_links("organise.recipient_list", page, list_id=found.id),
        form=form,
        confirm=ConfirmForm(),
        can_write=has_role(*WRITERS),
    ), status


@bp.get("/recipients/lists/<int:list_id>")
def recipient_list(list_id: int):
    found = _list(list_id)
    return _render_list(found, ListForm(obj=found))


@bp.post("/recipients/lists/<int:list_id>/edit")
@role_required(*WRITERS)
def recipient_list_edit(list_id: int):
    found = _list(list_id)
    form = ListForm()
    if form.validate_on_submit():
        try:
            service.rename_list(db.session, found, form.name.data, form.description.data or "", user=_actor())
        except ServiceError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("Liste gespeichert."), "success")
            return redirect(url_for("organise.recipient_list", list_id=found.id))
    return _render_list(found, form, 400)


@bp.route("/recipients/lists/<int:list_id>/delete", methods=["GET", "POST"])
@role_required(*WRITERS)
def recipient_list_delete(list_id: int):
    found = _list(list_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = found.name
        service.delete_list(db.session, found, user=_actor())
        db.session.commit()
        flash(
            _("Liste „%(name)s“ gelöscht; ihre Mitglieder bleiben als Empfänger:innen erhalten.", name=name), "success"
        )
        return redirect(url_for("organise.recipient_lists"))
    members = len(service.member_ids(db.session, found))
    return render_template("organise/recipients/list_delete.html", recipient_list=found, members=members, form=form)


@bp.post("/recipients/lists/<int:list_id>/remove/<int:recipient_id>")
@role_required(*WRITERS)
def recipient_list_remove(list_id: int, recipient_id: int):
    found = _list(list_id)
    person = _recipient(recipient_id)
    if ConfirmForm().validate_on_submit():
        removed = service.remove_from_list(db.session, found, [person.id], user=_actor())
        db.session.commit()
        if removed:
            flash(_("„%(name)s“ von der Liste entfernt.", name=person.full_name), "success")
    return redirect(url_for("organise.recipient_list", list_id=found.id))


# ---- import ----


def _upload_dir() -> Path:
    return Path(current_app.instance_path) / "uploads" / "recipient-imports"


def _load_upload(token: str) -> tuple[bytes, dict[str, Any]]:
    """The stored upload for this token, only for the user who uploaded it."""
    try:
        data, meta = importer.load_upload(_upload_dir(), token)
    except ServiceError:
        abort(404)
    if meta.get("user_id") != current_user.id:
        abort(404)
    return data, meta


def _back_to_upload(token: str, message: str):
    importer.discard_upload(_upload_dir(), token)
    flash(message, "error")
    return redirect(url_for("organise.recipient_import"))


@bp.route("/recipients/import", methods=["GET", "POST"])
@role_required(*WRITERS)
def recipient_import():
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = secure_filename(upload.filename or "") or "import.csv"
        data = upload.stream.read(importer.MAX_FILE_BYTES + 1)
        try:
            importer.read_table(data, filename)
            token = importer.save_upload(
                _upload_dir(),
                data,
                {"filename": filename, "list_name": (form.list_name.data or "").strip(), "user_id": current_user.id},
            )
        except ServiceError as exc:
            form.file.errors = [*form.file.errors, str(exc)]
        else:
            return redirect(url_for("organise.recipient_import_review", token=token))
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


def _review(data: bytes, meta: dict[str, Any]) -> Review:
    """Read the upload and run the dry run; a mapping problem becomes a message on the page."""
    table = importer.read_table(data, meta.get("filename", ""))
    columns = importer.detect_columns(table)
    chosen = importer.mapping_from_meta(meta)
    try:
        undecided = importer.undecided_columns(columns, importer.resolve_mapping(columns, chosen))
        plan = None if undecided else importer.plan_import(db.session, table, chosen, ignore_undecided=False)
    except ServiceError as exc:
        return Review(table, columns, chosen, [], None, str(exc))
    return Review(table, columns, chosen, undecided, plan, "")


@bp.get("/recipients/import/<token>")
@role_required(*WRITERS)
def recipient_import_review(token: str):
    data, meta = _load_upload(token)
    try:
        review = _review(data, meta)
    except ServiceError as exc:
        return _back_to_upload(token, str(exc))
    return render_template(
        "organise/recipients/import_review.html",
        token=token,
        meta=meta,
        review=review,
        mapping_form=mapping_form(review.columns, review.chosen),
        status_labels=importer.STATUS_LABELS,
        statuses=list(importer.RowStatus),
        confirm=ConfirmForm(),
    )


@bp.post("/recipients/import/<token>/mapping")
@role_required(*WRITERS)
def recipient_import_mapping(token: str):
    data, meta = _load_upload(token)
    try:
        table = importer.read_table(data, meta.get("filename", ""))
    except ServiceError as exc:
        return _back_to_upload(token, str(exc))
    columns = importer.detect_columns(table)
    form = mapping_form(columns, importer.mapping_from_meta(meta))
    if not form.validate_on_submit():
        flash(_("Bitte für jede Spalte ein Feld oder „ignorieren“ wählen."), "error")
        return redirect(url_for("organise.recipient_import_review", token=token))
    chosen = chosen_mapping(form, columns)
    try:
        importer.resolve_mapping(columns, chosen)
    except ServiceError as exc:
        flash(str(exc), "error")
    meta["mapping"] = {str(index): target for index, target in chosen.items()}
    importer.update_upload_meta(_upload_dir(), token, meta)
    return redirect(url_for("organise.recipient_import_review", token=token))


@bp.post("/recipients/import/<token>/run")
@role_required(*WRITERS)
def recipient_import_run(token: str):
    data, meta = _load_upload(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        table = importer.read_table(data, meta.get("filename", ""))
        plan = importer.plan_import(db.session, table, importer.mapping_from_meta(meta), ignore_undecided=False)
        result = importer.run_import(
            db.session,
            plan,
            filename=meta.get("filename", ""),
            list_name=meta.get("list_name") or None,
            skip_invalid=True,
            user=_actor(),
        )
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("organise.recipient_import_review", token=token))
    db.session.commit()
    importer.discard_upload(_upload_dir(), token)
    flash(importer.result_line(result), "success")
    if result.list_name:
        target = service.find_list(db.session, result.list_name)
        if target is not None:
            return redirect(url_for("organise.recipients", list_id=target.id))
    return redirect(url_for("organise.recipients"))


@bp.post("/recipients/import/<token>/cancel")
@role_required(*WRITERS)
def recipient_import_cancel(token: str):
    _load_upload(token)
    if ConfirmForm().validate_on_submit():
        importer.discard_upload(_upload_dir(), token)
        flash(_("Import abgebrochen; es wurde nichts gespeichert."), "info")
    return redirect(url_for("organise.recipient_import"))
