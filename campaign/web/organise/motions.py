"""Organiser views of motions: list, create, edit, archive, import, provisions and amendment drafts."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from campaign.db import db
from campaign.models import Motion, Provision
from campaign.services.common.errors import ServiceError
from campaign.services.evidence.amendments import (
    AmendmentDraft,
    amendment_drafts,
    clear_amendment,
    is_deletion,
    passage_of,
    render_amendments_pdf,
    save_amendment,
    submitter_for,
)
from campaign.services.evidence.motion_import.imported import FORMAT_LABELS, MAX_IMPORT_BYTES
from campaign.services.evidence.motion_import.uploads import import_into_motion, import_new_motion
from campaign.services.evidence.motions import (
    MotionData,
    Reanchoring,
    archive_motion,
    create_motion,
    list_motions,
    motion_data,
    unarchive_motion,
    update_motion,
)
from campaign.services.evidence.numbering import NumberedLine, number_lines, passage_text
from campaign.services.evidence.provisions import (
    ProvisionData,
    add_provision,
    delete_provision,
    move_provision,
    update_provision,
)
from campaign.web.organise.blueprint import bp
from campaign.web.organise.motion_forms import (
    KIND_CHOICES,
    STANCE_CHOICES,
    STATUS_CHOICES,
    ActionForm,
    AmendmentForm,
    ImportForm,
    MotionForm,
    MoveForm,
    NewMotionImportForm,
    ProvisionForm,
)
from campaign.web.security import WRITERS, has_role, role_required

# ?archived= on the list page: current motions, archived ones, or all.
ARCHIVE_FILTERS = {"": False, "1": True, "all": None}


@dataclass(frozen=True)
class ProvisionItem:
    """A provision as the motion page shows it: its quoted lines and its amendment draft, ready to render."""

    provision: Provision
    quoted: list[NumberedLine]
    range_fits: bool
    draft: AmendmentDraft | None


def _labels() -> dict[str, dict[str, str]]:
    return {
        "kind": {choice.value: str(choice.label) for choice in KIND_CHOICES},
        "status": {choice.value: str(choice.label) for choice in STATUS_CHOICES},
        "stance": {choice.value: str(choice.label) for choice in STANCE_CHOICES},
    }


def _motion_or_404(motion_id: int) -> Motion:
    return db.session.get(Motion, motion_id) or abort(404)


def _provision_or_404(motion_id: int, provision_id: int) -> Provision:
    provision = db.session.get(Provision, provision_id)
    if provision is None or provision.motion_id != motion_id:
        abort(404)
    return provision


def _show_error(form: FlaskForm, error: ServiceError) -> None:
    """Put a service's message next to the field it names, or above the form."""
    db.session.rollback()
    name = getattr(error, "field", "")
    if name and name in form:
        form[name].errors = [*form[name].errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _flash_reanchoring(reanchoring: Reanchoring) -> None:
    if reanchoring.moved:
        flash(
            _(
                "%(count)s Kernpunkte sind mit ihrer Passage auf neue Zeilen gewandert: %(titles)s.",
                count=len(reanchoring.moved),
                titles=", ".join(provision.title for provision in reanchoring.moved),
            ),
            "info",
        )
    if reanchoring.unresolved:
        flash(
            _(
                "Bitte prüfen Sie den Zeilenbereich dieser Kernpunkte; ihre Passage steht so nicht mehr im Text: "
                "%(titles)s.",
                titles=", ".join(provision.title for provision in reanchoring.unresolved),
            ),
            "error",
        )


# ---------------------------------------------------------------------------------------------------------------
# Motions
# ---------------------------------------------------------------------------------------------------------------


@bp.get("/motions")
def motion_list():
    show = request.args.get("archived", "")
    archived = ARCHIVE_FILTERS.get(show, False)
    return render_template(
        "organise/motions/list.html",
        motions=list_motions(db.session, archived),
        show=show if show in ARCHIVE_FILTERS else "",
        can_write=has_role(*WRITERS),
        labels=_labels(),
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


@bp.route("/motions/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def motion_create():
    form = MotionForm()
    if form.validate_on_submit():
        try:
            motion = create_motion(db.session, _form_data(form), user=current_user)
        except ServiceError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("Der Antrag „%(title)s“ ist angelegt.", title=motion.title), "success")
            return redirect(url_for("organise.motion", motion_id=motion.id))
    return render_template("organise/motions/form.html", form=form, motion=None), 400 if form.errors else 200


def _edit_page(motion: Motion, form: MotionForm, import_form: ImportForm, status: int = 200):
    return render_template(
        "organise/motions/form.html", form=form, import_form=import_form, motion=motion, labels=_labels()
    ), status


@bp.route("/motions/<int:motion_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def motion_edit(motion_id: int):
    motion = _motion_or_404(motion_id)
    form = MotionForm(data=None if request.method == "POST" else vars(motion_data(motion)))
    if form.validate_on_submit():
        try:
            update = update_motion(db.session, motion, _form_data(form), user=current_user)
        except ServiceError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            if update.changed:
                flash(_("Die Änderungen sind gespeichert."), "success")
            else:
                flash(_("Es gab nichts zu ändern."), "info")
            _flash_reanchoring(update.reanchoring)
            return redirect(url_for("organise.motion", motion_id=motion.id))
    return _edit_page(motion, form, ImportForm(formdata=None), 400 if form.errors else 200)


@bp.post("/motions/<int:motion_id>/archive")
@role_required(*WRITERS)
def motion_archive(motion_id: int):
    motion = _motion_or_404(motion_id)
    if ActionForm().validate_on_submit():
        try:
            archive_motion(db.session, motion, user=current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Der Antrag ist archiviert. Sie finden ihn unter „Archiv“."), "success")
    return redirect(url_for("organise.motion", motion_id=motion_id))


@bp.post("/motions/<int:motion_id>/unarchive")
@role_required(*WRITERS)
def motion_unarchive(motion_id: int):
    motion = _motion_or_404(motion_id)
    if ActionForm().validate_on_submit():
        try:
            unarchive_motion(db.session, motion, user=current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Der Antrag ist wieder aktiv."), "success")
    return redirect(url_for("organise.motion", motion_id=motion_id))


# ---------------------------------------------------------------------------------------------------------------
# Imports
# ---------------------------------------------------------------------------------------------------------------


def _upload(form: ImportForm) -> tuple[str, bytes]:
    """Name and content of the uploaded file; one byte more than allowed is enough to tell it is too big."""
    upload = form.file.data
    return upload.filename or "", upload.read(MAX_IMPORT_BYTES + 1)


def _flash_notes(notes: tuple[str, ...]) -> None:
    for note in notes:
        flash(note, "info")


@bp.route("/motions/import", methods=["GET", "POST"])
@role_required(*WRITERS)
def motion_import():
    form = NewMotionImportForm()
    if form.validate_on_submit():
        filename, data = _upload(form)
        try:
            motion, imported = import_new_motion(
                db.session, filename, data, title=form.title.data or "", user=current_user
            )
        except ServiceError as error:
            _show_error(form, error)
        else:
            db.session.commit()
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
            return redirect(url_for("organise.motion", motion_id=motion.id))
    return render_template("organise/motions/import.html", form=form), 400 if form.errors else 200


@bp.post("/motions/<int:motion_id>/import")
@role_required(*WRITERS)
def motion_import_text(motion_id: int):
    motion = _motion_or_404(motion_id)
    form = ImportForm()
    if form.validate_on_submit():
        filename, data = _upload(form)
        try:
            reanchoring, imported = import_into_motion(db.session, motion, filename, data, user=current_user)
        except ServiceError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Der Antragstext ist durch den Text aus der Datei (%(format)s) ersetzt.",
                    format=FORMAT_LABELS[imported.format],
                ),
                "success",
            )
            _flash_notes(imported.notes)
            _flash_reanchoring(reanchoring)
            return redirect(url_for("organise.motion", motion_id=motion.id))
    motion_form = MotionForm(formdata=None, data=vars(motion_data(motion)))
    return _edit_page(motion, motion_form, form, 400)


# ---------------------------------------------------------------------------------------------------------------
# The motion page and its provisions
# ---------------------------------------------------------------------------------------------------------------


def _motion_page(motion: Motion, provision_form: ProvisionForm, status: int = 200):
    lines = number_lines(motion.full_text)
    drafts = {draft.provision.id: draft for draft in amendment_drafts(motion)}
    items, marked = [], set()
    for provision in motion.provisions:
        fits = bool(provision.line_from and provision.line_to and provision.line_to <= len(lines))
        quoted = lines[provision.line_from - 1 : provision.line_to] if fits else []
        marked.update(line.number for line in quoted)
        items.append(ProvisionItem(provision, quoted, fits, drafts.get(provision.id)))
    return render_template(
        "organise/motion.html",
        motion=motion,
        lines=lines,
        marked=marked,
        provisions=items,
        has_drafts=any(draft.changes for draft in drafts.values()),
        provision_form=provision_form,
        can_write=has_role(*WRITERS),
        labels=_labels(),
    ), status


@bp.get("/motions/<int:motion_id>")
def motion(motion_id: int):
    return _motion_page(_motion_or_404(motion_id), ProvisionForm(formdata=None))


def _provision_data(form: ProvisionForm) -> ProvisionData:
    return ProvisionData(
        title=form.title.data or "",
        summary=form.summary.data or "",
        stance=form.stance.data,
        line_from=form.line_from.data,
        line_to=form.line_to.data,
    )


@bp.post("/motions/<int:motion_id>/provisions")
@role_required(*WRITERS)
def motion_provision_create(motion_id: int):
    motion = _motion_or_404(motion_id)
    form = ProvisionForm()
    if form.validate_on_submit():
        try:
            provision = add_provision(db.session, motion, _provision_data(form), user=current_user)
        except ServiceError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("Der Kernpunkt „%(title)s“ ist angelegt.", title=provision.title), "success")
            return redirect(url_for("organise.motion", motion_id=motion.id, _anchor=f"provision-{provision.id}"))
    return _motion_page(motion, form, 400)


def _provision_page(
    provision: Provision, form: ProvisionForm, amendment_form: AmendmentForm | None = None, status: int = 200
):
    motion = provision.motion
    passage = passage_of(motion, provision)
    if amendment_form is None:
        current = provision.amendment_text
        amendment_form = AmendmentForm(
            formdata=None,
            data={
                "mode": "delete" if is_deletion(provision) else "replace",
                # Start from the passage itself: the organiser edits the words that should change.
                "text": passage_text(passage) if not current or is_deletion(provision) else current,
            },
        )
    draft = next((draft for draft in amendment_drafts(motion) if draft.provision.id == provision.id), None)
    return render_template(
        "organise/motions/provision.html",
        motion=motion,
        provision=provision,
        form=form,
        amendment_form=amendment_form,
        passage=passage,
        draft=draft,
        lines=number_lines(motion.full_text),
        labels=_labels(),
    ), status


@bp.route("/motions/<int:motion_id>/provisions/<int:provision_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def motion_provision_edit(motion_id: int, provision_id: int):
    provision = _provision_or_404(motion_id, provision_id)
    values = {
        "title": provision.title,
        "summary": provision.summary,
        "stance": provision.stance.value,
        "line_from": provision.line_from,
        "line_to": provision.line_to,
    }
    form = ProvisionForm(data=None if request.method == "POST" else values)
    if form.validate_on_submit():
        try:
            update_provision(db.session, provision, _provision_data(form), user=current_user)
        except ServiceError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("Der Kernpunkt ist gespeichert."), "success")
            return redirect(url_for("organise.motion", motion_id=motion_id, _anchor=f"provision-{provision_id}"))
    return _provision_page(provision, form, status=400 if form.errors else 200)


@bp.post("/motions/<int:motion_id>/provisions/<int:provision_id>/delete")
@role_required(*WRITERS)
def motion_provision_delete(motion_id: int, provision_id: int):
    provision = _provision_or_404(motion_id, provision_id)
    if ActionForm().validate_on_submit():
        title = provision.title
        unlinked = delete_provision(db.session, provision, user=current_user)
        db.session.commit()
        message = _("Der Kernpunkt „%(title)s“ ist gelöscht.", title=title)
        if unlinked:
            message += " " + _("%(count)s Argumente sind nicht mehr mit ihm verknüpft.", count=unlinked)
        flash(message, "success")
    return redirect(url_for("organise.motion", motion_id=motion_id))


@bp.post("/motions/<int:motion_id>/provisions/<int:provision_id>/move")
@role_required(*WRITERS)
def motion_provision_move(motion_id: int, provision_id: int):
    provision = _provision_or_404(motion_id, provision_id)
    form = MoveForm()
    if form.validate_on_submit():
        if move_provision(db.session, provision, form.direction.data, user=current_user):
            db.session.commit()
        else:
            db.session.rollback()
            flash(_("Der Kernpunkt steht schon an dieser Stelle."), "info")
    else:
        abort(400)
    return redirect(url_for("organise.motion", motion_id=motion_id, _anchor=f"provision-{provision_id}"))


# ---------------------------------------------------------------------------------------------------------------
# Amendment drafts
# ---------------------------------------------------------------------------------------------------------------


@bp.post("/motions/<int:motion_id>/provisions/<int:provision_id>/amendment")
@role_required(*WRITERS)
def motion_amendment_save(motion_id: int, provision_id: int):
    provision = _provision_or_404(motion_id, provision_id)
    form = AmendmentForm()
    if form.validate_on_submit():
        try:
            save_amendment(
                db.session,
                provision,
                form.text.data or "",
                delete_passage=form.mode.data == "delete",
                user=current_user,
            )
        except ServiceError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("Der Änderungsantrag ist gespeichert."), "success")
            return redirect(url_for("organise.motion", motion_id=motion_id, _anchor=f"provision-{provision_id}"))
    return _provision_page(provision, ProvisionForm(formdata=None, obj=provision), form, 400)


@bp.post("/motions/<int:motion_id>/provisions/<int:provision_id>/amendment/delete")
@role_required(*WRITERS)
def motion_amendment_clear(motion_id: int, provision_id: int):
    provision = _provision_or_404(motion_id, provision_id)
    if ActionForm().validate_on_submit():
        try:
            clear_amendment(db.session, provision, user=current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Der Änderungsantrag ist gelöscht."), "success")
    return redirect(url_for("organise.motion", motion_id=motion_id, _anchor=f"provision-{provision_id}"))


@bp.get("/motions/<int:motion_id>/amendments.pdf")
def motion_amendments_pdf(motion_id: int):
    motion = _motion_or_404(motion_id)
    try:
        pdf = render_amendments_pdf(motion, submitter=submitter_for(db.session, motion))
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("organise.motion", motion_id=motion_id))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="aenderungsantraege-{motion.slug}.pdf"'},
    )
