"""Organiser views of a motion's provisions: mark, edit, move and delete them, and write their amendment drafts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.db import db
from campaign.models import Motion
from campaign.services.evidence.amendments import clear_amendment, save_amendment
from campaign.services.evidence.provisions import (
    ProvisionData,
    add_provision,
    delete_provision,
    move_provision,
    update_provision,
)
from campaign.web.boundary import errors_shown_on, on_error_back_to
from campaign.web.forms import ConfirmForm, MoveForm
from campaign.web.organise.motions.forms import AmendmentForm, ProvisionForm
from campaign.web.organise.motions.pages import motion_page, provision_or_404, provision_page
from campaign.web.security import WRITERS, acting_user, role_required

bp = Blueprint("provisions", __name__, url_prefix="/motions/<int:motion_id>/provisions")


def _on_motion_page(motion_id: int, provision_id: int | None = None):
    """Back to the motion page, at the provision if one is given."""
    anchor = f"provision-{provision_id}" if provision_id else None
    return redirect(url_for("organise.motions.show", motion_id=motion_id, _anchor=anchor))


def _provision_data(form: ProvisionForm) -> ProvisionData:
    return ProvisionData(
        title=form.title.data or "",
        summary=form.summary.data or "",
        stance=form.stance.data,
        line_from=form.line_from.data,
        line_to=form.line_to.data,
    )


@bp.post("")
@role_required(*WRITERS)
def create(motion_id: int):
    motion = db.get_or_404(Motion, motion_id)
    form = ProvisionForm()
    if form.validate_on_submit():
        with errors_shown_on(form):
            provision = add_provision(db.session, motion, _provision_data(form), user=acting_user())
            flash(_("Der Kernpunkt „%(title)s“ ist angelegt.", title=provision.title), "success")
            return _on_motion_page(motion.id, provision.id)
    return motion_page(motion, form, 400)


@bp.route("/<int:provision_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def edit(motion_id: int, provision_id: int):
    provision = provision_or_404(motion_id, provision_id)
    values = {
        "title": provision.title,
        "summary": provision.summary,
        "stance": provision.stance.value,
        "line_from": provision.line_from,
        "line_to": provision.line_to,
    }
    form = ProvisionForm(data=None if request.method == "POST" else values)
    if form.validate_on_submit():
        with errors_shown_on(form):
            update_provision(db.session, provision, _provision_data(form), user=acting_user())
            flash(_("Der Kernpunkt ist gespeichert."), "success")
            return _on_motion_page(motion_id, provision_id)
    return provision_page(provision, form, status=400 if form.errors else 200)


@bp.post("/<int:provision_id>/delete")
@role_required(*WRITERS)
def delete(motion_id: int, provision_id: int):
    provision = provision_or_404(motion_id, provision_id)
    if ConfirmForm().validate_on_submit():
        title = provision.title
        unlinked = delete_provision(db.session, provision, user=acting_user())
        message = _("Der Kernpunkt „%(title)s“ ist gelöscht.", title=title)
        if unlinked:
            message += " " + ngettext(
                "Ein Argument ist nicht mehr mit ihm verknüpft.",
                "%(num)s Argumente sind nicht mehr mit ihm verknüpft.",
                unlinked,
            )
        flash(message, "success")
    return _on_motion_page(motion_id)


@bp.post("/<int:provision_id>/move")
@role_required(*WRITERS)
def move(motion_id: int, provision_id: int):
    provision = provision_or_404(motion_id, provision_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    if not move_provision(db.session, provision, form.direction.data, user=acting_user()):
        flash(_("Der Kernpunkt steht schon an dieser Stelle."), "info")
    return _on_motion_page(motion_id, provision_id)


@bp.post("/<int:provision_id>/amendment")
@role_required(*WRITERS)
def save_draft(motion_id: int, provision_id: int):
    provision = provision_or_404(motion_id, provision_id)
    form = AmendmentForm()
    if form.validate_on_submit():
        with errors_shown_on(form):
            save_amendment(
                db.session,
                provision,
                form.text.data or "",
                delete_passage=form.mode.data == "delete",
                user=acting_user(),
            )
            flash(_("Der Änderungsantrag ist gespeichert."), "success")
            return _on_motion_page(motion_id, provision_id)
    return provision_page(provision, ProvisionForm(formdata=None, obj=provision), form, 400)


@bp.post("/<int:provision_id>/amendment/delete")
@role_required(*WRITERS)
@on_error_back_to("organise.motions.show", anchor="provision-{provision_id}")
def clear_draft(motion_id: int, provision_id: int):
    provision = provision_or_404(motion_id, provision_id)
    if ConfirmForm().validate_on_submit():
        clear_amendment(db.session, provision, user=acting_user())
        flash(_("Der Änderungsantrag ist gelöscht."), "success")
    return _on_motion_page(motion_id, provision_id)
