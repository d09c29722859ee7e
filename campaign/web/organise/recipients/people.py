"""Organiser views of recipients: the filtered list with its bulk action, and creating, editing, deleting one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.db import db
from campaign.models import Recipient, RecipientList
from campaign.services import recipients as service
from campaign.web.boundary import errors_shown_on, on_error_back_to
from campaign.web.forms import ConfirmForm, validate_with_service
from campaign.web.organise.recipients.forms import FILTER_PARAMS, BulkAddForm, RecipientFilterForm, RecipientForm
from campaign.web.paging import page_links
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("recipients", __name__, url_prefix="/recipients")

PER_PAGE = 50


def _filter_args() -> dict[str, str]:
    """The filter part of the query string (without the page), to carry into links and the bulk action."""
    return {key: value for key, value in request.args.items() if key in FILTER_PARAMS and value}


def _filter_form(choices: service.FilterChoices) -> RecipientFilterForm:
    form = RecipientFilterForm(formdata=request.args)
    form.set_choices(choices)
    return form


@bp.get("")
def index():
    choices = service.filter_choices(db.session)
    form = _filter_form(choices)
    filters = form.to_filter()
    page = service.search_recipients(db.session, filters, page=request.args.get("page", 1, type=int), per_page=PER_PAGE)
    args = _filter_args()
    bulk_form = BulkAddForm()
    bulk_form.set_list_choices(choices.lists)
    return render_template(
        "organise/recipients/index.html",
        form=form,
        page=page,
        links=page_links(".index", page, **args),
        filtered=not filters.is_empty,
        bulk_form=bulk_form,
        bulk_url=url_for(".bulk_add", **args),
        can_write=has_role(*WRITERS),
    )


def _bulk_target(form: BulkAddForm) -> RecipientList | None:
    """The list chosen in the bulk form, or the new one named there (None if neither)."""
    chosen = form.list_id.data or ""
    if chosen.isdigit():
        return db.get_or_404(RecipientList, int(chosen))
    if (form.new_list.data or "").strip():
        return service.get_or_create_list(db.session, form.new_list.data, user=acting_user())[0]
    return None


@bp.post("/bulk-add")
@role_required(*WRITERS)
@on_error_back_to(".index", keep_query=True)
def bulk_add():
    args = _filter_args()
    choices = service.filter_choices(db.session)
    filters = _filter_form(choices).to_filter()
    form = BulkAddForm()
    form.set_list_choices(choices.lists)
    target = _bulk_target(form) if form.validate_on_submit() else None
    if target is None:
        flash(_("Bitte eine Liste wählen oder einen Namen für eine neue Liste angeben."), "error")
        return redirect(url_for(".index", **args))
    ids = service.filtered_ids(db.session, filters)
    added = service.add_to_list(db.session, target, ids, user=acting_user())
    added_line = ngettext(
        "%(num)s Empfänger:in zur Liste „%(name)s“ hinzugefügt",
        "%(num)s Empfänger:innen zur Liste „%(name)s“ hinzugefügt",
        added,
        name=target.name,
    )
    already_line = ngettext("(%(num)s war schon darauf).", "(%(num)s waren schon darauf).", len(ids) - added)
    flash(f"{added_line} {already_line}", "success")
    return redirect(url_for(".index", **args))


def _form_page(form: RecipientForm, recipient: Recipient | None):
    status = 400 if request.method == "POST" else 200
    return render_template("organise/recipients/form.html", form=form, recipient=recipient), status


def _recipient_form() -> RecipientForm:
    form = RecipientForm()
    form.set_list_choices([summary.recipient_list for summary in service.list_summaries(db.session)])
    return form


@bp.route("/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new():
    form = _recipient_form()
    if validate_with_service(form, lambda: service.check_recipient(db.session, form.values())):
        with errors_shown_on(form):
            created = service.create_recipient(db.session, form.values(), list_ids=form.lists.data, user=acting_user())
            flash(_("Empfänger:in „%(name)s“ angelegt.", name=created.full_name), "success")
            return redirect(url_for(".show", recipient_id=created.id))
    return _form_page(form, None)


@bp.get("/<int:recipient_id>")
def show(recipient_id: int):
    found = db.get_or_404(Recipient, recipient_id)
    return render_template("organise/recipients/detail.html", recipient=found, can_write=has_role(*WRITERS))


@bp.route("/<int:recipient_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def edit(recipient_id: int):
    found = db.get_or_404(Recipient, recipient_id)
    form = _recipient_form()
    if request.method == "GET":
        form.fill_from(found)
    elif validate_with_service(form, lambda: service.check_recipient(db.session, form.values(), exclude_id=found.id)):
        with errors_shown_on(form):
            changed = service.update_recipient(
                db.session, found, form.values(), list_ids=form.lists.data, user=acting_user()
            )
            flash(_("Gespeichert.") if changed else _("Keine Änderungen."), "success")
            return redirect(url_for(".show", recipient_id=found.id))
    return _form_page(form, found)


@bp.route("/<int:recipient_id>/delete", methods=["GET", "POST"])
@role_required(*WRITERS)
def delete(recipient_id: int):
    found = db.get_or_404(Recipient, recipient_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = found.full_name
        service.delete_recipient(db.session, found, user=acting_user())
        flash(_("Empfänger:in „%(name)s“ gelöscht.", name=name), "success")
        return redirect(url_for(".index"))
    return render_template(
        "organise/recipients/delete.html",
        recipient=found,
        impact=service.deletion_impact(db.session, found),
        form=form,
    )
