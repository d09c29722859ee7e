"""Organiser views of recipient lists: overview, create, rename, remove a member, delete."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.db import db
from campaign.models import Recipient, RecipientList
from campaign.services import recipients as service
from campaign.web.boundary import errors_shown_on
from campaign.web.forms import ConfirmForm, validate_with_service
from campaign.web.organise.recipients.forms import ListForm
from campaign.web.organise.recipients.people import PER_PAGE
from campaign.web.paging import page_links
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("recipient_lists", __name__, url_prefix="/recipients/lists")


def _overview_page(form: ListForm, status: int = 200):
    return render_template(
        "organise/recipients/lists.html",
        summaries=service.list_summaries(db.session),
        form=form,
        can_write=has_role(*WRITERS),
    ), status


@bp.get("")
def index():
    return _overview_page(ListForm())


@bp.post("")
@role_required(*WRITERS)
def create():
    form = ListForm()
    if validate_with_service(form, lambda: service.check_list_name(db.session, form.name.data or "")):
        with errors_shown_on(form, default="name"):
            created = service.create_list(db.session, form.name.data, form.description.data or "", user=acting_user())
            flash(_("Liste „%(name)s“ angelegt.", name=created.name), "success")
            return redirect(url_for(".show", list_id=created.id))
    return _overview_page(form, 400)


def _list_page(found: RecipientList, form: ListForm, status: int = 200):
    page = service.list_members(db.session, found, page=request.args.get("page", 1, type=int), per_page=PER_PAGE)
    return render_template(
        "organise/recipients/list.html",
        recipient_list=found,
        page=page,
        links=page_links(".show", page, list_id=found.id),
        form=form,
        confirm=ConfirmForm(),
        can_write=has_role(*WRITERS),
    ), status


@bp.get("/<int:list_id>")
def show(list_id: int):
    found = db.get_or_404(RecipientList, list_id)
    return _list_page(found, ListForm(obj=found))


@bp.post("/<int:list_id>/edit")
@role_required(*WRITERS)
def edit(list_id: int):
    found = db.get_or_404(RecipientList, list_id)
    form = ListForm()
    if validate_with_service(form, lambda: service.check_list_name(db.session, form.name.data or "", found)):
        with errors_shown_on(form, default="name"):
            service.rename_list(db.session, found, form.name.data, form.description.data or "", user=acting_user())
            flash(_("Liste gespeichert."), "success")
            return redirect(url_for(".show", list_id=found.id))
    return _list_page(found, form, 400)


@bp.route("/<int:list_id>/delete", methods=["GET", "POST"])
@role_required(*WRITERS)
def delete(list_id: int):
    found = db.get_or_404(RecipientList, list_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = found.name
        service.delete_list(db.session, found, user=acting_user())
        flash(
            _("Liste „%(name)s“ gelöscht; ihre Mitglieder bleiben als Empfänger:innen erhalten.", name=name), "success"
        )
        return redirect(url_for(".index"))
    members = len(service.member_ids(db.session, found))
    return render_template("organise/recipients/list_delete.html", recipient_list=found, members=members, form=form)


@bp.post("/<int:list_id>/remove/<int:recipient_id>")
@role_required(*WRITERS)
def remove_member(list_id: int, recipient_id: int):
    found = db.get_or_404(RecipientList, list_id)
    person = db.get_or_404(Recipient, recipient_id)
    if ConfirmForm().validate_on_submit() and service.remove_from_list(
        db.session, found, [person.id], user=acting_user()
    ):
        flash(_("„%(name)s“ von der Liste entfernt.", name=person.full_name), "success")
    return redirect(url_for(".show", list_id=found.id))
