"""Organiser views of sources and their quoted passages."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.db import db
from campaign.models import DatePrecision, Source, SourceKind, SourceQuote, User
from campaign.services.common.errors import ServiceError
from campaign.services.evidence import sources as service
from campaign.services.evidence.citations import format_citation
from campaign.web.organise.argument_forms import ConfirmForm, QuoteForm, SourceForm
from campaign.web.organise.blueprint import bp
from campaign.web.security import WRITERS, has_role, role_required


def actor() -> User:
    """The logged-in user as a model instance, for the audit log."""
    return current_user._get_current_object()


def _source(source_id: int) -> Source:
    return db.session.get(Source, source_id) or abort(404)


def _quote(source: Source, quote_id: int) -> SourceQuote:
    quote = db.session.get(SourceQuote, quote_id)
    if quote is None or quote.source_id != source.id:
        abort(404)
    return quote


def _data(form: SourceForm) -> service.SourceData:
    return service.SourceData(
        title=form.title.data or "",
        kind=SourceKind(form.kind.data),
        authors=service.parse_authors(form.authors.data or ""),
        publisher=form.publisher.data or "",
        published_on=form.published_on.data,
        date_precision=DatePrecision(form.date_precision.data) if form.date_precision.data else None,
        url=form.url.data or "",
        doi=form.doi.data or "",
        notes=form.notes.data or "",
    )


@bp.get("/sources")
def sources():
    return render_template(
        "organise/sources/list.html",
        rows=service.list_sources(db.session),
        cite=format_citation,
        can_write=has_role(*WRITERS),
    )


@bp.route("/sources/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def source_new():
    form = SourceForm()
    if form.validate_on_submit():
        try:
            created = service.create_source(db.session, _data(form), user=actor())
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Quelle „%(title)s“ angelegt.", title=created.title), "success")
            return redirect(url_for("organise.source", source_id=created.id))
    return render_template("organise/sources/form.html", form=form, source=None), 400 if form.errors else 200


@bp.get("/sources/<int:source_id>")
def source(source_id: int):
    found = _source(source_id)
    return render_template(
        "organise/sources/detail.html",
        source=found,
        citation=format_citation(found),
        arguments=service.citing_arguments(db.session, found),
        quote_form=QuoteForm(formdata=None),
        confirm=ConfirmForm(),
        can_write=has_role(*WRITERS),
    )


@bp.route("/sources/<int:source_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def source_edit(source_id: int):
    found = _source(source_id)
    form = SourceForm(obj=found) if request.method == "GET" else SourceForm()
    if request.method == "GET":
        form.kind.data = found.kind.value
        form.authors.data = "\n".join(found.authors or [])
        form.date_precision.data = found.date_precision.value if found.date_precision else ""
    if form.validate_on_submit():
        try:
            service.update_source(db.session, found, _data(form), user=actor())
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Quelle gespeichert."), "success")
            return redirect(url_for("organise.source", source_id=found.id))
    return render_template("organise/sources/form.html", form=form, source=found), 400 if form.errors else 200


@bp.post("/sources/<int:source_id>/delete")
@role_required(*WRITERS)
def source_delete(source_id: int):
    found = _source(source_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    title = found.title
    try:
        service.delete_source(db.session, found, user=actor())
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("organise.source", source_id=source_id))
    db.session.commit()
    flash(_("Quelle „%(title)s“ gelöscht.", title=title), "success")
    return redirect(url_for("organise.sources"))


@bp.post("/sources/<int:source_id>/quotes")
@role_required(*WRITERS)
def quote_add(source_id: int):
    found = _source(source_id)
    form = QuoteForm()
    if form.validate_on_submit():
        try:
            service.add_quote(db.session, found, form.text.data, form.page.data or "", user=actor())
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Textstelle hinzugefügt."), "success")
            return redirect(url_for("organise.source", source_id=found.id) + "#textstellen")
    status = 400 if form.errors else 200
    return render_template(
        "organise/sources/detail.html",
        source=found,
        citation=format_citation(found),
        arguments=service.citing_arguments(db.session, found),
        quote_form=form,
        confirm=ConfirmForm(),
        can_write=True,
    ), status


@bp.route("/sources/<int:source_id>/quotes/<int:quote_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def quote_edit(source_id: int, quote_id: int):
    found = _source(source_id)
    quote = _quote(found, quote_id)
    form = QuoteForm(obj=quote)
    if form.validate_on_submit():
        try:
            service.update_quote(db.session, quote, form.text.data, form.page.data or "", user=actor())
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Textstelle gespeichert."), "success")
            return redirect(url_for("organise.source", source_id=found.id) + "#textstellen")
    return render_template("organise/sources/quote_form.html", form=form, source=found, quote=quote), (
        400 if form.errors else 200
    )


@bp.post("/sources/<int:source_id>/quotes/<int:quote_id>/delete")
@role_required(*WRITERS)
def quote_delete(source_id: int, quote_id: int):
    found = _source(source_id)
    quote = _quote(found, quote_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.delete_quote(db.session, quote, user=actor())
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Textstelle gelöscht."), "success")
    return redirect(url_for("organise.source", source_id=source_id) + "#textstellen")
