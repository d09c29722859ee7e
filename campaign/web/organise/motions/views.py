"""Organiser views of motions: list, create, edit, archive, file imports, the motion page and its amendments PDF."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.db import db
from campaign.models import Motion
from campaign.services.evidence.amendments import render_amendments_pdf, submitter_for
from campaign.services.evidence.motion_import.imported import FORMAT_LABELS
from campaign.services.evidence.motion_import.uploads import import_into_motion, import_new_motion
from campaign.services.evidence.motions import (
    MotionData,
    archive_motion,
    check_motion,
    create_motion,
    list_motions,
    motion_data,
    unarchive_motion,
    update_motion,
)
from campaign.web.boundary import errors_shown_on, on_error_back_to
from campaign.web.forms import ConfirmForm, validate_with_service
from campaign.web.organise.motions.forms import (
    IMPORT_FORMATS,
    ImportForm,
    MotionForm,
    NewMotionImportForm,
    ProvisionForm,
)
from campaign.web.organise.motions.pages import edit_page, flash_reanchoring, motion_page
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("motions", __name__, url_prefix="/motions")

# ?archived= on the list page: current motions, archived ones, or all.
ARCHIVE_FILTERS = {"": False, "1": True, "all": None}


@bp.get("")
def index():
    show = request.args.get("archived", "")
    return render_template(
        "organise/motions/list.html",
        motions=list_motions(db.session, ARCHIVE_FILTERS.get(show, False)),
        show=show if show in ARCHIVE_FILTERS else "",
        can_write=has_role(*WRITERS),
    )


def _form_data(form: MotionForm) -> MotionData:
    return MotionData(
        title=form.title.data or "",
        slug=form.slug.data or "",
        kind=form.kind.data,
        party=form.party.data or "",
        body=form.body.data or "",
        presented_on=form.presented_on.data,
        decision_forum=form.decision_forum.data or "",
        decision_date=form.decision_date.data,
        status=form.status.data,
        source_url=form.source_url.data or "",
        full_text=form.full_text.data or "",
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new():
    form = MotionForm()
    if validate_with_service(form, lambda: check_motion(db.session, _form_data(form))):
        with errors_shown_on(form):
            motion = create_motion(db.session, _form_data(form), user=acting_user())
            flash(_("Der Antrag „%(title)s“ ist angelegt.", title=motion.title), "success")
            return redirect(url_for(".show", motion_id=motion.id))
    return render_template(
        "organise/motions/form.html", form=form, motion=None, import_formats=IMPORT_FORMATS
    ), 400 if form.errors else 200


@bp.get("/<int:motion_id>")
def show(motion_id: int):
    return motion_page(db.get_or_404(Motion, motion_id), ProvisionForm(formdata=None))


@bp.route("/<int:motion_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def edit(motion_id: int):
    motion = db.get_or_404(Motion, motion_id)
    form = MotionForm(data=None if request.method == "POST" else vars(motion_data(motion)))
    if validate_with_service(form, lambda: check_motion(db.session, _form_data(form), motion)):
        with errors_shown_on(form):
            update = update_motion(db.session, motion, _form_data(form), user=acting_user())
            if update.changed:
                flash(_("Die Änderungen sind gespeichert."), "success")
            else:
                flash(_("Es gab nichts zu ändern."), "info")
            flash_reanchoring(update.reanchoring)
            return redirect(url_for(".show", motion_id=motion.id))
    return edit_page(motion, form, ImportForm(formdata=None), 400 if form.errors else 200)


@bp.post("/<int:motion_id>/archive")
@role_required(*WRITERS)
@on_error_back_to(".show")
def archive(motion_id: int):
    motion = db.get_or_404(Motion, motion_id)
    if ConfirmForm().validate_on_submit():
        archive_motion(db.session, motion, user=acting_user())
        flash(_("Der Antrag ist archiviert. Sie finden ihn unter „Archiv“."), "success")
    return redirect(url_for(".show", motion_id=motion_id))


@bp.post("/<int:motion_id>/unarchive")
@role_required(*WRITERS)
@on_error_back_to(".show")
def unarchive(motion_id: int):
    motion = db.get_or_404(Motion, motion_id)
    if ConfirmForm().validate_on_submit():
        unarchive_motion(db.session, motion, user=acting_user())
        flash(_("Der Antrag ist wieder aktiv."), "success")
    return redirect(url_for(".show", motion_id=motion_id))


def _upload(form: ImportForm) -> tuple[str, bytes]:
    """Name and content of the uploaded file, whole, so a file over the limit is refused with its real size.

    The request itself is bounded by MAX_CONTENT_LENGTH.
    """
    upload = form.file.data
    return upload.filename or "", upload.read()


def _flash_notes(notes: tuple[str, ...]) -> None:
    for note in notes:
        flash(note, "info")


@bp.route("/import", methods=["GET", "POST"])
@role_required(*WRITERS)
def import_new():
    form = NewMotionImportForm()
    if form.validate_on_submit():
        filename, data = _upload(form)
        with errors_shown_on(form):
            motion, imported = import_new_motion(
                db.session, filename, data, title=form.title.data or "", user=acting_user()
            )
            flash(
                _(
                    "Der Antrag „%(title)s“ ist aus der Datei (%(format)s) angelegt. "
                    "Bitte prüfen Sie Text und Angaben.",
                    title=motion.title,
                    format=FORMAT_LABELS[imported.format],
                ),
                "success",
            )
            _flash_notes(imported.notes)
            return redirect(url_for(".show", motion_id=motion.id))
    return render_template("organise/motions/import.html", form=form), 400 if form.errors else 200


@bp.post("/<int:motion_id>/import")
@role_required(*WRITERS)
def import_text(motion_id: int):
    motion = db.get_or_404(Motion, motion_id)
    form = ImportForm()
    if form.validate_on_submit():
        filename, data = _upload(form)
        with errors_shown_on(form):
            reanchoring, imported = import_into_motion(db.session, motion, filename, data, user=acting_user())
            flash(
                _(
                    "Der Antragstext ist durch den Text aus der Datei (%(format)s) ersetzt.",
                    format=FORMAT_LABELS[imported.format],
                ),
                "success",
            )
            _flash_notes(imported.notes)
            flash_reanchoring(reanchoring)
            return redirect(url_for(".show", motion_id=motion.id))
    motion_form = MotionForm(formdata=None, data=vars(motion_data(motion)))
    return edit_page(motion, motion_form, form, 400)


@bp.get("/<int:motion_id>/amendments.pdf")
@on_error_back_to(".show")
def amendments_pdf(motion_id: int):
    motion = db.get_or_404(Motion, motion_id)
    pdf = render_amendments_pdf(motion, submitter=submitter_for(db.session, motion))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="aenderungsantraege-{motion.slug}.pdf"'},
    )
