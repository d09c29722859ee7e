"""Organiser views of argument sets: list, create, edit, duplicate, and a set's page with its filters."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.db import db
from campaign.models import ArgumentSet
from campaign.services.common.markdown import render_markdown
from campaign.services.evidence import arguments as service
from campaign.services.evidence.choices import motions_by_title
from campaign.services.evidence.citations import format_citation
from campaign.web.boundary import errors_shown_on
from campaign.web.forms import ConfirmForm, validate_with_service
from campaign.web.organise.arguments.forms import ArgumentSetForm
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("argument_sets", __name__, url_prefix="/argument-sets")


@bp.get("")
def index():
    return render_template(
        "organise/arguments/sets.html", rows=service.list_sets(db.session), can_write=has_role(*WRITERS)
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new():
    form = ArgumentSetForm()
    if validate_with_service(form, lambda: service.check_set_title(db.session, form.title.data or "")):
        with errors_shown_on(form, default="title"):
            created = service.create_set(db.session, form.title.data, form.description.data or "", user=acting_user())
            flash(_("Argumentationsset „%(title)s“ angelegt.", title=created.title), "success")
            return redirect(url_for(".show", set_id=created.id))
    status = 400 if form.errors else 200
    return render_template("organise/arguments/set_form.html", form=form, argument_set=None), status


def _filter_from_request() -> service.ArgumentFilter:
    tag = (request.args.get("tag") or "").strip() or None
    return service.ArgumentFilter(
        tag=tag, provision_id=request.args.get("provision", type=int), source_id=request.args.get("source", type=int)
    )


@bp.get("/<int:set_id>")
def show(set_id: int):
    found = db.get_or_404(ArgumentSet, set_id)
    wanted = _filter_from_request()
    return render_template(
        "organise/arguments/set.html",
        argument_set=found,
        arguments=service.filter_arguments(found, wanted),
        total=len(found.arguments),
        wanted=wanted,
        choices=service.filter_choices(found),
        set_motions=service.motions_of_set(db.session, found),
        motions=motions_by_title(db.session),
        cite=format_citation,
        markdown=render_markdown,
        confirm=ConfirmForm(),
        can_write=has_role(*WRITERS),
    )


@bp.route("/<int:set_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def edit(set_id: int):
    found = db.get_or_404(ArgumentSet, set_id)
    form = ArgumentSetForm(obj=found)
    if validate_with_service(form, lambda: service.check_set_title(db.session, form.title.data or "", own_id=found.id)):
        with errors_shown_on(form, default="title"):
            service.update_set(db.session, found, form.title.data, form.description.data or "", user=acting_user())
            flash(_("Argumentationsset gespeichert."), "success")
            return redirect(url_for(".show", set_id=found.id))
    status = 400 if form.errors else 200
    return render_template("organise/arguments/set_form.html", form=form, argument_set=found), status


@bp.post("/<int:set_id>/duplicate")
@role_required(*WRITERS)
def duplicate(set_id: int):
    found = db.get_or_404(ArgumentSet, set_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    copy = service.duplicate_set(db.session, found, user=acting_user())
    flash(_("Kopie „%(title)s“ angelegt.", title=copy.title), "success")
    return redirect(url_for(".show", set_id=copy.id))
