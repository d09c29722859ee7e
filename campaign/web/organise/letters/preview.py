"""One letter before it is generated (page, PDF, text, HTML, Word), all letters as Word, and the mail-merge file."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import NoReturn

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from campaign.db import db
from campaign.models import Campaign, LetterTemplate, Recipient, TemplateVersion
from campaign.services.campaigns.targets import template_for_recipient
from campaign.services.common.dates import today_in_germany
from campaign.services.common.errors import ServiceError
from campaign.services.letters import exports
from campaign.services.letters.compose import ComposedLetter, compose_letter, select_arguments
from campaign.services.letters.layout import render_letters_pdf
from campaign.services.letters.templates import campaign_template, campaign_templates, template_version
from campaign.web.lookup import campaign_or_404

bp = Blueprint("letter_preview", __name__, url_prefix="/campaigns/<slug>")

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _preview_code() -> str:
    """Stands where the reference code will be, until the letter is generated and gets its own."""
    # Part of the letter, so German like the letter, whatever the language of the page that asked for it.
    return "(Vorschau)"


@dataclass(frozen=True)
class PreviewChoice:
    """What the preview screens were asked for: recipient, template and version (None where not found)."""

    recipient: Recipient | None
    template: LetterTemplate | None
    version: TemplateVersion | None

    def query(self, slug: str) -> dict[str, object]:
        """URL parameters that reproduce this choice on the other format views."""
        values: dict[str, object] = {"slug": slug}
        if self.recipient is not None:
            values["recipient"] = self.recipient.id
        if self.template is not None:
            values["template"] = self.template.id
        if self.version is not None:
            values["version"] = self.version.id
        return values


def _preview_choice(campaign: Campaign, *, default_recipient: bool = True) -> PreviewChoice:
    """Parse ?recipient=&template=&version=; an unknown id is a 404, a missing recipient the first target, a missing
    template the one the recipient gets."""
    recipient_id = request.args.get("recipient", type=int)
    recipient = None
    if recipient_id is not None:
        recipient = db.get_or_404(Recipient, recipient_id)
    elif default_recipient:
        targets = exports.campaign_targets(db.session, campaign)
        recipient = targets[0].recipient if targets else None
    template_id = request.args.get("template", type=int)
    if template_id is None and recipient is not None:
        found = template_for_recipient(db.session, campaign, recipient)  # the template this recipient gets
    else:
        found = campaign_template(db.session, campaign, template_id)
    if template_id is not None and found is None:
        abort(404)
    version = None
    if found is not None:
        version = template_version(db.session, found, request.args.get("version", type=int))
        if version is None:
            abort(404)
    return PreviewChoice(recipient=recipient, template=found, version=version)


def _compose(campaign: Campaign, choice: PreviewChoice) -> ComposedLetter:
    """The chosen letter as it would be generated today, with a placeholder instead of the reference code."""
    return compose_letter(
        campaign,
        choice.recipient,
        on=today_in_germany(),
        reference_code=_preview_code(),
        template_version=choice.version,
    )


def _letter_parts(composed: ComposedLetter) -> dict[str, object]:
    """Values the letter fragment shows; only http(s) sources become links."""
    endnotes = [
        (f"[{number}] {citation.text}", citation.link if citation.link.startswith(("https://", "http://")) else "")
        for number, citation in enumerate(composed.citations, start=1)
    ]
    return {
        "letter": composed,
        "return_line": composed.sender.return_line if composed.sender else "",
        "signatories": composed.signatories,
        "sender_name": composed.sender.name if composed.sender else "",
        "closing": composed.closing,
        "endnotes": endnotes,
    }


def _preview_page(campaign: Campaign, choice: PreviewChoice, *, problem: str = "", status: int = 200, **extra):
    targets = [target.recipient for target in exports.campaign_targets(db.session, campaign)]
    target_ids = {person.id for person in targets}
    others = [person for person in exports.all_recipients(db.session) if person.id not in target_ids]
    return render_template(
        "organise/letters/preview.html",
        campaign=campaign,
        templates=campaign_templates(db.session, campaign),
        template=choice.template,
        version=choice.version,
        recipient=choice.recipient,
        targets=targets,
        others=others,
        problem=problem,
        query=choice.query(campaign.slug),
        **extra,
    ), status


@bp.get("/preview")
def index(slug: str):
    campaign = campaign_or_404(slug)
    choice = _preview_choice(campaign)
    if choice.template is None or choice.recipient is None:
        return _preview_page(campaign, choice)
    composed = _composed(campaign, choice)
    return _preview_page(
        campaign, choice, arguments=select_arguments(campaign, choice.recipient), **_letter_parts(composed)
    )


def _composed(campaign: Campaign, choice: PreviewChoice | None = None) -> ComposedLetter:
    """The chosen letter; if there is none, the preview page says why (status 422) instead of the download."""
    choice = choice or _preview_choice(campaign)
    if choice.template is None:
        _refuse(campaign, choice, _("Diese Kampagne hat noch keine Briefvorlage."))
    if choice.recipient is None:
        _refuse(campaign, choice, _("Bitte eine Empfänger:in wählen."))
    try:
        return _compose(campaign, choice)
    except ServiceError as problem:
        _refuse(campaign, choice, str(problem))


def _refuse(campaign: Campaign, choice: PreviewChoice, problem: str) -> NoReturn:
    """Stop here and show the preview page with the reason why there is no letter (status 422)."""
    abort(make_response(_preview_page(campaign, choice, problem=problem, status=422)))


def _all_composed(campaign: Campaign, choice: PreviewChoice) -> list[ComposedLetter]:
    """Every target's letter (generated ones with their own code); the preview page says why if there are none."""
    try:
        return exports.compose_campaign_letters(
            db.session,
            campaign,
            on=today_in_germany(),
            template_version=choice.version,
            placeholder_code=_preview_code(),
        )
    except ServiceError as problem:
        _refuse(campaign, choice, str(problem))


def _download(content: bytes, mimetype: str, filename: str, *, inline: bool = False) -> Response:
    """A response that saves as `filename` (or is shown inline); personal data, so never cached."""
    response = send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=not inline, download_name=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/preview.pdf")
def pdf(slug: str):
    campaign = campaign_or_404(slug)
    composed = _composed(campaign)
    return _download(render_letters_pdf([composed]), "application/pdf", f"vorschau-{campaign.slug}.pdf", inline=True)


@bp.get("/letter.txt")
def text(slug: str):
    campaign = campaign_or_404(slug)
    composed = _composed(campaign)
    content = composed.full_text.encode("utf-8")
    return _download(content, "text/plain", f"brief-{campaign.slug}.txt", inline=not request.args.get("download"))


@bp.get("/letter.html")
def email_html(slug: str):
    campaign = campaign_or_404(slug)
    composed = _composed(campaign)
    content = render_template("organise/letters/email.html", letter=composed, body=composed.full_html).encode("utf-8")
    return _download(content, "text/html", f"brief-{campaign.slug}.html", inline=not request.args.get("download"))


@bp.get("/mail-merge.csv")
def mail_merge_csv(slug: str):
    campaign = campaign_or_404(slug)
    content = exports.mail_merge_csv(db.session, campaign)
    return _download(content, "text/csv", f"serienbrief-{campaign.slug}.csv")


@bp.get("/letters.docx")
def docx(slug: str):
    """One letter (?recipient=, as in the preview) or every target's letter as a Word document."""
    campaign = campaign_or_404(slug)
    if request.args.get("recipient"):
        letters, name = [_composed(campaign)], f"brief-{campaign.slug}-{request.args.get('recipient', type=int)}.docx"
    else:
        choice = _preview_choice(campaign, default_recipient=False)
        letters = _all_composed(campaign, choice)
        if not letters:
            flash(_("Diese Kampagne hat noch keine Empfänger:innen."), "error")
            return redirect(url_for("organise.letters.campaign", slug=slug))
        name = f"briefe-{campaign.slug}.docx"
    # Imported here: python-docx is needed by this download only, not by every process that builds the app.
    from campaign.services.letters.word import letters_docx

    content = letters_docx(letters, title=f"{letters[0].subject} – {campaign.title}")
    return _download(content, DOCX_MIMETYPE, name)
