"""Organisation screens under /organise/organisations: list, create, edit, delete, logo and signatories."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.db import db
from campaign.models import Organisation
from campaign.services.organisations import records as service
from campaign.web.boundary import errors_shown_on, on_error_back_to
from campaign.web.forms import ConfirmForm, validate_with_service
from campaign.web.organise.organisations.forms import LogoForm, OrganisationForm, SignatoryForm
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


def _data(form: OrganisationForm) -> service.OrganisationData:
    return service.OrganisationData(
        **{name: form[name].data or "" for name in service.OrganisationData.__annotations__}
    )


@bp.get("")
def index():
    return render_template(
        "organise/organisations/list.html",
        organisations=service.list_organisations(db.session),
        can_write=has_role(*WRITERS),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new():
    form = OrganisationForm()
    if validate_with_service(form, lambda: service.check_organisation(db.session, _data(form))):
        with errors_shown_on(form):
            created = service.create_organisation(db.session, _data(form), user=acting_user())
            flash(_("Organisation „%(name)s“ angelegt.", name=created.name), "success")
            return redirect(url_for(".show", organisation_id=created.id))
    return render_template("organise/organisations/form.html", form=form, organisation=None), (
        400 if form.errors else 200
    )


def _detail(found: Organisation, *, logo_form=None, signatory_form=None, status: int = 200):
    return render_template(
        "organise/organisations/detail.html",
        organisation=found,
        logo_form=logo_form or LogoForm(formdata=None),
        signatory_form=signatory_form or SignatoryForm(formdata=None),
        confirm=ConfirmForm(),
        can_write=has_role(*WRITERS),
    ), status


@bp.get("/<int:organisation_id>")
def show(organisation_id: int):
    return _detail(db.get_or_404(Organisation, organisation_id))


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def edit(organisation_id: int):
    found = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=found) if request.method == "GET" else OrganisationForm()
    if validate_with_service(form, lambda: service.check_organisation(db.session, _data(form), found)):
        with errors_shown_on(form):
            service.update_organisation(db.session, found, _data(form), user=acting_user())
            flash(_("Organisation gespeichert."), "success")
            return redirect(url_for(".show", organisation_id=found.id))
    return render_template("organise/organisations/form.html", form=form, organisation=found), (
        400 if form.errors else 200
    )


@bp.post("/<int:organisation_id>/delete")
@role_required(*WRITERS)
@on_error_back_to(".show")
def delete(organisation_id: int):
    found = db.get_or_404(Organisation, organisation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = found.name
    service.delete_organisation(db.session, found, user=acting_user())
    flash(_("Organisation „%(name)s“ gelöscht.", name=name), "success")
    return redirect(url_for(".index"))


@bp.get("/<int:organisation_id>/logo")
def logo(organisation_id: int):
    found = db.get_or_404(Organisation, organisation_id)
    if not found.logo:
        abort(404)
    response = Response(found.logo, mimetype=found.logo_type)
    # A sanitised SVG still gets a policy of its own, so nothing in it could run if opened directly.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@bp.post("/<int:organisation_id>/logo")
@role_required(*WRITERS)
def upload_logo(organisation_id: int):
    found = db.get_or_404(Organisation, organisation_id)
    form = LogoForm()
    if form.validate_on_submit():
        with errors_shown_on(form, default="logo"):
            upload = form.logo.data
            service.set_logo(db.session, found, upload.read(), upload.filename or "", user=acting_user())
            flash(_("Logo gespeichert."), "success")
            return redirect(url_for(".show", organisation_id=found.id))
    return _detail(found, logo_form=form, status=400)


@bp.post("/<int:organisation_id>/logo/delete")
@role_required(*WRITERS)
def remove_logo(organisation_id: int):
    found = db.get_or_404(Organisation, organisation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.remove_logo(db.session, found, user=acting_user())
    flash(_("Logo entfernt."), "success")
    return redirect(url_for(".show", organisation_id=found.id))


@bp.post("/<int:organisation_id>/signatories")
@role_required(*WRITERS)
def add_signatory(organisation_id: int):
    found = db.get_or_404(Organisation, organisation_id)
    form = SignatoryForm()
    if form.validate_on_submit():
        with errors_shown_on(form, default="signature"):
            upload = form.signature.data
            service.add_signatory(
                db.session,
                found,
                name=form.name.data,
                role=form.role.data or "",
                signature=upload.read() if upload else b"",
                filename=(upload.filename or "") if upload else "",
                user=acting_user(),
            )
            flash(_("Unterzeichnende Person hinzugefügt."), "success")
            return redirect(url_for(".show", organisation_id=found.id))
    return _detail(found, signatory_form=form, status=400)


@bp.post("/<int:organisation_id>/signatories/<int:index>/delete")
@role_required(*WRITERS)
@on_error_back_to(".show")
def remove_signatory(organisation_id: int, index: int):
    found = db.get_or_404(Organisation, organisation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.remove_signatory(db.session, found, index, user=acting_user())
    flash(_("Unterzeichnende Person entfernt."), "success")
    return redirect(url_for(".show", organisation_id=found.id))
