"""Organiser views of sources and their quoted passages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.db import db
from campaign.models import DatePrecision, Source, SourceKind, SourceQuote
from campaign.services.evidence import sources as service
from campaign.services.evidence.citations import format_citation
from campaign.web.boundary import errors_shown_on, on_error_back_to
from campaign.web.forms import ConfirmForm
from campaign.web.organise.sources.forms import QuoteForm, SourceForm
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("sources", __name__, url_prefix="/sources")


def _quote_or_404(source: Source, quote_id: int) -> SourceQuote:
    quote = db.get_or_404(SourceQuote, quote_id)
    if quote.source_id != source.id:
        abort(404)
    return quote


def _passages_of(source: Source) -> str:
    return url_for(".show", source_id=source.id, _anchor="textstellen")


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


@bp.get("")
def index():
    return render_template(
        "organise/sources/list.html",
        rows=service.list_sources(db.session),
        cite=format_citation,
        can_write=has_role(*WRITERS),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new():
    form = SourceForm()
    if form.validate_on_submit():
        with errors_shown_on(form):
            created = service.create_source(db.session, _data(form), user=acting_user())
            flash(_("Quelle „%(title)s“ angelegt.", title=created.title), "success")
            return redirect(url_for(".show", source_id=created.id))
    return render_template("organise/sources/form.html", form=form, source=None), 400 if form.errors else 200


def _detail_page(found: Source, quote_form: QuoteForm, status: int = 200):
    return render_template(
        "organise/sources/detail.html",
        source=found,
        citation=format_citation(found),
        arguments=service.citing_arguments(db.session, found),
        quote_form=quote_form,
        confirm=ConfirmForm(),
        can_write=has_role(*WRITERS),
    ), status


@bp.get("/<int:source_id>")
def show(source_id: int):
    return _detail_page(db.get_or_404(Source, source_id), QuoteForm(formdata=None))


@bp.route("/<int:source_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def edit(source_id: int):
    found = db.get_or_404(Source, source_id)
    form = SourceForm(obj=found) if request.method == "GET" else SourceForm()
    if request.method == "GET":
        form.kind.data = found.kind.value
        form.authors.data = "\n".join(found.authors or [])
        form.date_precision.data = found.date_precision.value if found.date_precision else ""
    if form.validate_on_submit():
        with errors_shown_on(form):
            service.update_source(db.session, found, _data(form), user=acting_user())
            flash(_("Quelle gespeichert."), "success")
            return redirect(url_for(".show", source_id=found.id))
    return render_template("organise/sources/form.html", form=form, source=found), 400 if form.errors else 200


@bp.post("/<int:source_id>/delete")
@role_required(*WRITERS)
@on_error_back_to(".show")
def delete(source_id: int):
    found = db.get_or_404(Source, source_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    title = found.title
    service.delete_source(db.session, found, user=acting_user())
    flash(_("Quelle „%(title)s“ gelöscht.", title=title), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:source_id>/quotes")
@role_required(*WRITERS)
def add_quote(source_id: int):
    found = db.get_or_404(Source, source_id)
    form = QuoteForm()
    if form.validate_on_submit():
        with errors_shown_on(form, default="text"):
            service.add_quote(db.session, found, form.text.data, form.page.data or "", user=acting_user())
            flash(_("Textstelle hinzugefügt."), "success")
            return redirect(_passages_of(found))
    return _detail_page(found, form, 400 if form.errors else 200)


@bp.route("/<int:source_id>/quotes/<int:quote_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def edit_quote(source_id: int, quote_id: int):
    found = db.get_or_404(Source, source_id)
    quote = _quote_or_404(found, quote_id)
    form = QuoteForm(obj=quote)
    if form.validate_on_submit():
        with errors_shown_on(form, default="text"):
            service.update_quote(db.session, quote, form.text.data, form.page.data or "", user=acting_user())
            flash(_("Textstelle gespeichert."), "success")
            return redirect(_passages_of(found))
    return render_template("organise/sources/quote_form.html", form=form, source=found, quote=quote), (
        400 if form.errors else 200
    )


@bp.post("/<int:source_id>/quotes/<int:quote_id>/delete")
@role_required(*WRITERS)
@on_error_back_to(".show", anchor="textstellen")
def delete_quote(source_id: int, quote_id: int):
    found = db.get_or_404(Source, source_id)
    quote = _quote_or_404(found, quote_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.delete_quote(db.session, quote, user=acting_user())
    flash(_("Textstelle gelöscht."), "success")
    return redirect(_passages_of(found))
