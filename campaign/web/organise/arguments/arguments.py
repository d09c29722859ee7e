"""Organiser views of arguments: write, edit, reorder and delete them, and cite sources or passages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from campaign.db import db
from campaign.models import Argument, ArgumentSet, Citation, Motion, Stance
from campaign.services.common.markdown import render_markdown
from campaign.services.evidence import arguments as service
from campaign.services.evidence.choices import cited_reference
from campaign.services.evidence.citations import format_citation
from campaign.services.evidence.sources import list_sources
from campaign.web.boundary import errors_shown_on
from campaign.web.forms import ConfirmForm, MoveForm
from campaign.web.organise.arguments.forms import ArgumentForm, CitationForm
from campaign.web.security import WRITERS, acting_user, role_required

bp = Blueprint("arguments", __name__)


def _in_set(argument: Argument) -> str:
    """The argument's place on its set's page."""
    return url_for("organise.argument_sets.show", set_id=argument.argument_set_id, _anchor=f"argument-{argument.id}")


def _evidence_of(argument_id: int) -> str:
    """The citations section of the argument's form."""
    return url_for(".edit", argument_id=argument_id, _anchor="belege")


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


def _citation_form(form: CitationForm | None = None) -> CitationForm:
    """The citation form, its choices grouped by source: the whole source or one of its passages."""
    form = form or CitationForm(formdata=None)
    choices: list[SelectChoice] = []
    groups: set[str] = set()
    for source, _uses in list_sources(db.session):
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


def _form_page(form, groups, argument_set, argument, citation_form=None, status=200):
    return render_template(
        "organise/arguments/argument_form.html",
        form=form,
        groups=groups,
        argument_set=argument_set,
        argument=argument,
        citation_form=_citation_form(citation_form) if argument else None,
        cite=format_citation,
        markdown=render_markdown,
        confirm=ConfirmForm(),
    ), status


@bp.route("/argument-sets/<int:set_id>/arguments/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new(set_id: int):
    found = db.get_or_404(ArgumentSet, set_id)
    form, groups = _argument_form(None, submitted=request.method == "POST")
    if form.validate_on_submit():
        with errors_shown_on(form, default="claim"):
            created = service.create_argument(db.session, found, _argument_data(form), user=acting_user())
            flash(_("Argument angelegt. Fügen Sie jetzt Belege aus den Quellen hinzu."), "success")
            return redirect(_evidence_of(created.id))
    return _form_page(form, groups, found, None, status=400 if form.errors else 200)


@bp.route("/arguments/<int:argument_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def edit(argument_id: int):
    found = db.get_or_404(Argument, argument_id)
    form, groups = _argument_form(found, submitted=request.method == "POST")
    if form.validate_on_submit():
        with errors_shown_on(form, default="claim"):
            service.update_argument(db.session, found, _argument_data(form), user=acting_user())
            flash(_("Argument gespeichert."), "success")
            return redirect(_in_set(found))
    return _form_page(form, groups, found.argument_set, found, status=400 if form.errors else 200)


@bp.post("/arguments/<int:argument_id>/delete")
@role_required(*WRITERS)
def delete(argument_id: int):
    found = db.get_or_404(Argument, argument_id)
    set_id = found.argument_set_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.delete_argument(db.session, found, user=acting_user())
    flash(_("Argument gelöscht."), "success")
    return redirect(url_for("organise.argument_sets.show", set_id=set_id))


@bp.post("/arguments/<int:argument_id>/move")
@role_required(*WRITERS)
def move(argument_id: int):
    found = db.get_or_404(Argument, argument_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    if not service.move_argument(db.session, found, form.direction.data, user=acting_user()):
        flash(
            _("Das Argument steht bereits ganz oben.")
            if form.direction.data == "up"
            else _("Das Argument steht bereits ganz unten."),
            "info",
        )
    return redirect(_in_set(found))


@bp.post("/arguments/<int:argument_id>/citations")
@role_required(*WRITERS)
def add_citation(argument_id: int):
    found = db.get_or_404(Argument, argument_id)
    form = _citation_form(CitationForm())
    if form.validate_on_submit():
        with errors_shown_on(form, default="reference"):
            source, quote = cited_reference(db.session, form.reference.data)
            service.add_citation(db.session, found, source, quote=quote, page=form.page.data or "", user=acting_user())
            flash(_("Beleg hinzugefügt."), "success")
            return redirect(_evidence_of(found.id))
    # The argument form on the same page shows the saved values, not this request's citation fields.
    argument_form, groups = _argument_form(found, submitted=False)
    return _form_page(argument_form, groups, found.argument_set, found, citation_form=form, status=400)


@bp.post("/citations/<int:citation_id>/delete")
@role_required(*WRITERS)
def delete_citation(citation_id: int):
    citation = db.get_or_404(Citation, citation_id)
    argument_id = citation.argument_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.remove_citation(db.session, citation, user=acting_user())
    flash(_("Beleg entfernt."), "success")
    return redirect(_evidence_of(argument_id))
