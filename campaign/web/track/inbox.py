"""The inbox of unmatched mail: upload .eml/.mbox files, and assign a mail to its letter by hand."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.db import db
from campaign.models import Letter, Reply
from campaign.services.common.errors import ServiceError
from campaign.services.replies.inbox import inbox_page, sender_hint
from campaign.services.replies.ingest import ImportReport, import_messages, split_mail_file
from campaign.services.replies.mailbox_status import mailbox_status
from campaign.services.replies.records import assign_reply, find_letters
from campaign.web.boundary import errors_shown_on, on_error_back_to
from campaign.web.paging import page_links
from campaign.web.security import acting_user
from campaign.web.track.forms import AssignForm, ImportForm, LetterSearchForm

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.route("", methods=["GET", "POST"])
def index():
    form = ImportForm()
    if form.validate_on_submit():
        with errors_shown_on(form, default="files"):
            report = _import_uploads(form)
            _flash_report(report)
            return redirect(url_for(".index"))
    include_automatic = request.args.get("alle") == "1"
    page = inbox_page(db.session, include_automatic=include_automatic, page=request.args.get("page", 1, type=int))
    args = {"alle": "1"} if include_automatic else {}
    status = 400 if request.method == "POST" else 200
    return render_template(
        "track/inbox.html",
        form=form,
        page=page,
        links=page_links(".index", page, **args),
        include_automatic=include_automatic,
        mailbox=mailbox_status(db.session),
    ), status


def _import_uploads(form: ImportForm) -> ImportReport:
    """Every uploaded file's messages; a file that is no mail stops the whole upload with its name."""
    messages: list[tuple[str, list[bytes]]] = []
    for upload in form.files.data or []:
        name = upload.filename or _("Datei")
        try:
            messages.append((name, split_mail_file(upload.read())))
        except ServiceError as exc:
            raise ServiceError(f"{name}: {exc}", "files") from exc
    total = ImportReport()
    for name, batch in messages:
        report = import_messages(db.session, batch, source="upload", label=name, user=acting_user())
        for field in ("imported", "duplicates", "matched", "unmatched"):
            setattr(total, field, getattr(total, field) + getattr(report, field))
        total.errors += report.errors
    return total


def _flash_report(report: ImportReport) -> None:
    flash(
        ngettext("%(num)s Nachricht importiert", "%(num)s Nachrichten importiert", report.imported)
        + _(
            ": %(matched)s zugeordnet, %(unmatched)s im Eingang, %(duplicates)s schon vorhanden.",
            matched=report.matched,
            unmatched=report.unmatched,
            duplicates=report.duplicates,
        ),
        "success",
    )
    for error in report.errors:
        flash(error, "error")


@bp.get("/<int:reply_id>")
def show(reply_id: int):
    reply = db.get_or_404(Reply, reply_id)
    search = LetterSearchForm(formdata=request.args)
    query = (search.q.data or "").strip()
    found = find_letters(db.session, query) if query else []
    hint = sender_hint(db.session, reply)
    return render_template(
        "track/inbox_item.html",
        reply=reply,
        search=search,
        query=query,
        found=found,
        hint=hint,
        form=AssignForm(),
    )


@bp.post("/<int:reply_id>/assign")
@on_error_back_to(".show")
def assign(reply_id: int):
    reply = db.get_or_404(Reply, reply_id)
    form = AssignForm()
    letter = db.session.get(Letter, form.letter_id.data) if form.validate_on_submit() else None
    if letter is None:
        flash(_("Bitte einen Brief auswählen."), "error")
        return redirect(url_for(".show", reply_id=reply.id, q=request.form.get("q", "")))
    result = assign_reply(db.session, reply, letter, learn_address=bool(form.learn_address.data), user=acting_user())
    flash(_("Zugeordnet zu %(code)s (%(name)s).", code=letter.reference_code, name=letter.recipient_name), "success")
    if result.learned is not None:
        flash(
            _(
                "Mails von %(address)s gehören ab jetzt zu %(name)s.",
                address=reply.from_address,
                name=letter.recipient_name,
            ),
            "success",
        )
    if result.also_assigned:
        flash(
            ngettext(
                "Eine weitere Mail von dieser Adresse wurde ebenfalls zugeordnet.",
                "%(num)s weitere Mails von dieser Adresse wurden ebenfalls zugeordnet.",
                len(result.also_assigned),
            ),
            "success",
        )
    return redirect(url_for("track.replies.show", reply_id=reply.id))
