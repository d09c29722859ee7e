"""Organiser views of argument sets, arguments and citations, the coverage view and the briefing export."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from campaign.db import db
from campaign.models import Argument, ArgumentSet, Citation, Motion, Source, SourceQuote, Stance
from campaign.services.common.errors import ServiceError
from campaign.services.common.markdown import render_markdown
from campaign.services.evidence import arguments as service
from campaign.services.evidence.briefing import (
    briefing_filename,
    briefing_markdown,
    build_briefing,
    render_briefing_pdf,
)
from campaign.services.evidence.citations import format_citation
from campaign.services.evidence.coverage import coverage as compute_coverage
from campaign.services.evidence.sources import title_sort_key
from campaign.web.organise.argument_forms import (
    ArgumentForm,
    ArgumentSetForm,
    CitationForm,
    ConfirmForm,
    MoveForm,
)
from campaign.web.organise.blueprint import bp
from campaign.web.organise.sources import actor
from campaign.web.security import WRITERS, has_role, role_required


def _set(set_id: int) -> ArgumentSet:
    return db.session.get(ArgumentSet, set_id) or abort(404)


def _argument(argument_id: int) -> Argument:
    return db.session.get(Argument, argument_id) or abort(404)


def _all_motions() -> list[Motion]:
    return list(db.session.scalars(select(Motion).order_by(func.lower(Motion.title), Motion.id)))


def _all_sets() -> list[ArgumentSet]:
    return list(db.session.scalars(select(ArgumentSet).order_by(func.lower(ArgumentSet.title))))


# Argument sets --------------------------------------------------------------------------------------------------


@bp.get("/argument-sets")
def argument_sets():
    return render_template(
        "organise/arguments/sets.html", rows=service.list_sets(db.session), can_write=has_role(*WRITERS)
    )


@bp.route("/argument-sets/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def argument_set_new():
    form = ArgumentSetForm()
    if form.validate_on_submit():
        try:
            created = service.create_set(db.session, form.title.data, form.description.data or "", user=actor())
        except ServiceError as exc:
            db.session.rollback()
            form.title.errors = [*form.title.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("Argumentationsset „%(title)s“ angelegt.", title=created.title), "success")
            return redirect(url_for("organise.argument_set", set_id=created.id))
    status = 400 if form.errors else 200
    return render_template("organise/arguments/set_form.html", form=form, argument_set=None), status


def _filter_from_request() -> service.ArgumentFilter:
    tag = (request.args.get("tag") or "").strip() or None
    return service.ArgumentFilter(
        tag=tag, provision_id=request.args.get("provision", type=int), source_id=request.args.get("source", type=int)
    )


@bp.get("/argument-sets/<int:set_id>")
def argument_set(set_id: int):
    found = _set(set_id)
    wanted = _filter_from_request()
    return render_template(
        "organise/argument_set.html",
        argument_set=found,
        arguments=service.filter_arguments(found, wanted),
        total=len(found.arguments),
        wanted=wanted,
        choices=service.filter_choices(found),
        set_motions=service.motions_of_set(db.session, found),
        motions=_all_motions(),
        cite=format_citation,
        markdown=render_markdown,
        confirm=ConfirmForm(),
        can_write=has_role(*WRITERS),
    )


@bp.route("/argument-sets/<int:set_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def argument_set_edit(set_id: int):
    found = _set(set_id)
    form = ArgumentSetForm(obj=found)
    if form.validate_on_submit():
        try:
            service.update_set(db.session, found, form.title.data, form.description.data or "", user=actor())
        except ServiceError as exc:
            db.session.rollback()
            form.title.errors = [*form.title.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("Argumentationsset gespeichert."), "success")
            return redirect(url_for("organise.argument_set", set_id=found.id))
    status = 400 if form.errors else 200
    return render_template("organise/arguments/set_form.html", form=form, argument_set=found), status


@bp.post("/argument-sets/<int:set_id>/duplicate")
@role_required(*WRITERS)
def argument_set_duplicate(set_id: int):
    found = _set(set_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    copy = service.duplicate_set(db.session, found, user=actor())
    db.session.commit()
    flash(_("Kopie „%(title)s“ angelegt.", title=copy.title), "success")
    return redirect(url_for("organise.argument_set", set_id=copy.id))


# Arguments ------------------------------------------------------------------------------------------------------


def _argument_form(argument: Argument | None, *, submitted: bool) -> tuple[ArgumentForm, list[tuple[Motion, list]]]:
    """The form (from the request, or prefilled from `argument`) with its provision choices grouped by motion."""
    linked = list(argument.provisions) if argument else []
    groups = service.provisions_by_motion(db.session, keep=linked)
    if submitted or argument is None:
        form = ArgumentForm() if submitted else ArgumentForm(formdata=None)
    else:
        form = ArgumentForm(
            formdata=None,
            claim=argument.claim,
            paragraph=argument.paragraph,
            tags=", ".join(argument.tags or []),
            stance=argument.stance.value,
            provisions=[provision.id for provision in linked],
        )
    form.provisions.choices = [
        SelectChoice(provision.id, provision.title, optgroup=motion.title)
        for motion, items in groups
        for provision in items
    ]
    return form, groups


def _argument_data(form: ArgumentForm) -> service.ArgumentData:
    return service.ArgumentData(
        claim=form.claim.data or "",
        paragraph=form.paragraph.data or "",
        tags=service.parse_tags(form.tags.data or ""),
        stance=Stance(form.stance.data),
        provision_ids=list(form.provisions.data or []),
    )


def _citation_form(argument: Argument, form: CitationForm | None = None) -> CitationForm:
    """The citation form, its choices grouped by source: the whole source or one of its passages."""
    form = form or CitationForm(formdata=None)
    choices: list[SelectChoice] = []
    groups: set[str] = set()
    for source in sorted(db.session.scalars(select(Source).order_by(Source.id)), key=lambda s: title_sort_key(s.title)):
        # Groups are labelled with the citation; two identical ones would merge into one group.
        group = format_citation(source).text[:120]
        group = group if group not in groups else f"{group} [{source.id}]"
        groups.add(group)
        choices.append(SelectChoice(f"source:{source.id}", _("Ganze Quelle"), optgroup=group))
        for quote in source.quotes:
            excerpt = " ".join(quote.text.split())
            excerpt = excerpt if len(excerpt) <= 90 else excerpt[:89] + "…"
            page = f" ({_('S.')} {quote.page})" if quote.page else ""
            choices.append(SelectChoice(f"quote:{quote.id}", f"„{excerpt}“{page}", optgroup=group))
    form.reference.choices = choices
    return form


def _render_argument_form(form, groups, argument_set, argument, citation_form=None, status=200):
    return render_template(
        "organise/arguments/argument_form.html",
        form=form,
        groups=groups,
        argument_set=argument_set,
        argument=argument,
        citation_form=_citation_form(argument, citation_form) if argument else None,
        cite=format_citation,
        markdown=render_markdown,
        confirm=ConfirmForm(),
    ), status


@bp.route("/argument-sets/<int:set_id>/arguments/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def argument_new(set_id: int):
    found = _set(set_id)
    form, groups = _argument_form(None, submitted=request.method == "POST")
    if form.validate_on_submit():
        try:
            created = service.create_argument(db.session, found, _argument_data(form), user=actor())
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Argument angelegt. Fügen Sie jetzt Belege aus den Quellen hinzu."), "success")
            return redirect(url_for("organise.argument_edit", argument_id=created.id) + "#belege")
    return _render_argument_form(form, groups, found, None, status=400 if form.errors else 200)


@bp.route("/arguments/<int:argument_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def argument_edit(argument_id: int):
    found = _argument(argument_id)
    form, groups = _argument_form(found, submitted=request.method == "POST")
    if form.validate_on_submit():
        try:
            service.update_argument(db.session, found, _argument_data(form), user=actor())
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Argument gespeichert."), "success")
            return redirect(url_for("organise.argument_set", set_id=found.argument_set_id) + f"#argument-{found.id}")
    return _render_argument_form(form, groups, found.argument_set, found, status=400 if form.errors else 200)


@bp.post("/arguments/<int:argument_id>/delete")
@role_required(*WRITERS)
def argument_delete(argument_id: int):
    found = _argument(argument_id)
    set_id = found.argument_set_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.delete_argument(db.session, found, user=actor())
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Argument gelöscht."), "success")
    return redirect(url_for("organise.argument_set", set_id=set_id))


@bp.post("/arguments/<int:argument_id>/move")
@role_required(*WRITERS)
def argument_move(argument_id: int):
    found = _argument(argument_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    moved = service.move_argument(db.session, found, form.direction.data, user=actor())
    db.session.commit()
    if not moved:
        flash(
            _("Das Argument steht bereits ganz oben.")
            if form.direction.data == "up"
            else _("Das Argument steht bereits ganz unten."),
            "info",
        )
    return redirect(url_for("organise.argument_set", set_id=found.argument_set_id) + f"#argument-{found.id}")


# Citations ------------------------------------------------------------------------------------------------------


def _reference(value: str) -> tuple[Source, SourceQuote | None]:
    kind, _sep, number = (value or "").partition(":")
    if not number.isdigit():
        raise ServiceError(_("Bitte eine Quelle wählen."))
    if kind == "quote":
        quote = db.session.get(SourceQuote, int(number))
        if quote is None:
            raise ServiceError(_("Diese Textstelle gibt es nicht mehr."))
        return quote.source, quote
    source = db.session.get(Source, int(number)) if kind == "source" else None
    if source is None:
        raise ServiceError(_("Diese Quelle gibt es nicht mehr."))
    return source, None


@bp.post("/arguments/<int:argument_id>/citations")
@role_required(*WRITERS)
def citation_add(argument_id: int):
    found = _argument(argument_id)
    form = _citation_form(found, CitationForm())
    if form.validate_on_submit():
        try:
            source, quote = _reference(form.reference.data)
            service.add_citation(db.session, found, source, quote=quote, page=form.page.data or "", user=actor())
        except ServiceError as exc:
            db.session.rollback()
            form.reference.errors = [*form.reference.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("Beleg hinzugefügt."), "success")
            return redirect(url_for("organise.argument_edit", argument_id=found.id) + "#belege")
    # The argument form on the same page shows the saved values, not this request's citation fields.
    argument_form, groups = _argument_form(found, submitted=False)
    return _render_argument_form(argument_form, groups, found.argument_set, found, citation_form=form, status=400)


@bp.post("/citations/<int:citation_id>/delete")
@role_required(*WRITERS)
def citation_delete(citation_id: int):
    citation = db.session.get(Citation, citation_id) or abort(404)
    argument_id = citation.argument_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.remove_citation(db.session, citation, user=actor())
    db.session.commit()
    flash(_("Beleg entfernt."), "success")
    return redirect(url_for("organise.argument_edit", argument_id=argument_id) + "#belege")


# Coverage and briefing ------------------------------------------------------------------------------------------


def _motion_and_set() -> tuple[Motion | None, ArgumentSet | None]:
    motion_id, set_id = request.args.get("motion", type=int), request.args.get("set", type=int)
    motion = db.session.get(Motion, motion_id) if motion_id else None
    argument_set = db.session.get(ArgumentSet, set_id) if set_id else None
    if (motion_id and motion is None) or (set_id and argument_set is None):
        abort(404)
    return motion, argument_set


@bp.get("/coverage")
def coverage():
    motion, argument_set = _motion_and_set()
    result = compute_coverage(db.session, motion, argument_set) if motion and argument_set else None
    return render_template(
        "organise/arguments/coverage.html",
        result=result,
        motion=motion,
        argument_set=argument_set,
        motions=_all_motions(),
        sets=_all_sets(),
        can_write=has_role(*WRITERS),
    )


def _briefing():
    motion, argument_set = _motion_and_set()
    if motion is None or argument_set is None:
        abort(404)
    return build_briefing(motion, argument_set)


@bp.get("/briefing.pdf")
def briefing_pdf():
    briefing = _briefing()
    html = render_template("organise/arguments/briefing_print.html", briefing=briefing, markdown=render_markdown)
    return Response(
        render_briefing_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{briefing_filename(briefing.motion, "pdf")}"'},
    )


@bp.get("/briefing.md")
def briefing_md():
    briefing = _briefing()
    return Response(
        briefing_markdown(briefing),
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="{briefing_filename(briefing.motion, "md")}"'},
    )
