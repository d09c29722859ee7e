"""Organiser views of a campaign's letters: templates, argument selection, preview, exports and bulk generation."""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from campaign.db import db
from campaign.models import Campaign, LetterTemplate, Recipient, TemplateVersion, User
from campaign.services.campaigns.records import campaign_figures
from campaign.services.common.dates import today_in_germany
from campaign.services.common.errors import ServiceError
from campaign.services.letters import exports as letter_exports
from campaign.services.letters import selection as argument_selection
from campaign.services.letters import templates
from campaign.services.letters.compose import ComposedLetter, compose_letter
from campaign.services.letters.layout import render_letters_pdf
from campaign.services.letters.sandbox import MERGE_FIELDS
from campaign.services.letters.selection import select_arguments
from campaign.web.organise.blueprint import bp
from campaign.web.organise.jobs import GenerateLettersForm
from campaign.web.organise.letter_forms import (
    STARTER_BODY,
    ConfirmForm,
    RuleForm,
    TemplateCreateForm,
    TemplateEditForm,
    argument_choice_form,
    argument_tag_choices,
)
from campaign.web.security import WRITERS, has_role, role_required

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _preview_code() -> str:
    """Stands where the reference code will be, until the letter is generated and gets its own."""
    return _("(Vorschau)")


def _campaign(slug: str) -> Campaign:
    return templates.campaign_by_slug(db.session, slug) or abort(404)


def _user() -> User:
    return current_user._get_current_object()


def _show_field_error(form, problem: ServiceError) -> None:
    """Attach a service's message to the form field it concerns (or the body), so it appears beside the text."""
    name = getattr(problem, "field", "body")
    field = form._fields.get(name) or form.body
    field.errors = [*field.errors, str(problem)]


# --- the campaign's letters page and its templates ---------------------------------------------------------------


@bp.get("/campaigns/<slug>/letters")
def campaign_letters(slug: str):
    campaign = _campaign(slug)
    return _letters_page(campaign, TemplateCreateForm(data={"body": STARTER_BODY}))


def _letters_page(campaign: Campaign, create_form: TemplateCreateForm, status: int = 200):
    return (
        render_template(
            "organise/letters/campaign.html",
            campaign=campaign,
            templates=templates.campaign_templates(db.session, campaign),
            create_form=create_form,
            confirm_form=ConfirmForm(),
            figures=campaign_figures(db.session, campaign),
            generate_form=GenerateLettersForm(),
            can_write=has_role(*WRITERS),
        ),
        status,
    )


@bp.post("/campaigns/<slug>/templates")
@role_required(*WRITERS)
def create_template(slug: str):
    campaign = _campaign(slug)
    form = TemplateCreateForm()
    if form.validate_on_submit():
        try:
            template = templates.create_template(
                db.session,
                campaign,
                name=form.name.data,
                subject=form.subject.data,
                body=form.body.data,
                user=_user(),
            )
        except ServiceError as problem:
            db.session.rollback()
            _show_field_error(form, problem)
        else:
            db.session.commit()
            flash(_("Die Vorlage „%(name)s“ ist angelegt.", name=template.name), "success")
            return redirect(url_for("organise.template", template_id=template.id))
    return _letters_page(campaign, form, 400)


@bp.get("/templates/<int:template_id>")
def template(template_id: int):
    found = db.session.get(LetterTemplate, template_id) or abort(404)
    version = found.current_version
    texts = {"subject": version.subject, "body": version.body} if version else {}
    form = TemplateEditForm(data={"name": found.name, **texts})
    return _template_page(found, form)


def _template_page(found: LetterTemplate, form: TemplateEditForm, status: int = 200):
    creator_ids = {version.created_by_id for version in found.versions if version.created_by_id}
    creators = (
        {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(creator_ids)))}
        if creator_ids
        else {}
    )
    return (
        render_template(
            "organise/template.html",
            template=found,
            campaign=found.campaign,
            form=form,
            merge_fields=MERGE_FIELDS,
            versions=list(reversed(found.versions)),
            creators=creators,
            can_write=has_role(*WRITERS),
        ),
        status,
    )


@bp.post("/templates/<int:template_id>")
@role_required(*WRITERS)
def save_template(template_id: int):
    found = db.session.get(LetterTemplate, template_id) or abort(404)
    form = TemplateEditForm()
    if form.validate_on_submit():
        before = found.current_version.number if found.current_version else 0
        try:
            templates.rename_template(db.session, found, form.name.data, user=_user())
            version = templates.save_template_version(
                db.session, found, subject=form.subject.data, body=form.body.data, user=_user()
            )
        except ServiceError as problem:
            db.session.rollback()
            found = db.session.get(LetterTemplate, template_id)
            _show_field_error(form, problem)
        else:
            db.session.commit()
            if version.number > before and before:
                flash(
                    _(
                        "Gespeichert als neue Version %(number)s; die bisherige Version bleibt unverändert, "
                        "weil aus ihr schon Briefe erstellt wurden.",
                        number=version.number,
                    ),
                    "success",
                )
            else:
                flash(_("Die Vorlage ist gespeichert (Version %(number)s).", number=version.number), "success")
            return redirect(url_for("organise.template", template_id=found.id))
    return _template_page(found, form, 400)


# --- argument selection ---------------------------------------------------------------------------------------------


@bp.get("/campaigns/<slug>/arguments")
def argument_selection_page(slug: str):
    campaign = _campaign(slug)
    return _selection_page(campaign)


def _rule_form(campaign: Campaign) -> RuleForm:
    form = RuleForm()
    form.argument_tag.choices = argument_tag_choices(argument_selection.argument_tags(campaign))
    return form


def _selection_page(campaign: Campaign, *, choice_form=None, rule_form: RuleForm | None = None, status: int = 200):
    arguments = argument_selection.available_arguments(campaign)
    return (
        render_template(
            "organise/letters/arguments.html",
            campaign=campaign,
            choice_form=choice_form
            or argument_choice_form(arguments, argument_selection.chosen_argument_ids(campaign)),
            rule_form=rule_form or _rule_form(campaign),
            rules=argument_selection.rule_summaries(db.session, campaign),
            recipient_tags=argument_selection.recipient_tags(db.session),
            target_tags=set(argument_selection.recipient_tags(db.session, campaign)),
            confirm_form=ConfirmForm(),
            can_write=has_role(*WRITERS),
        ),
        status,
    )


@bp.post("/campaigns/<slug>/arguments")
@role_required(*WRITERS)
def choose_arguments(slug: str):
    campaign = _campaign(slug)
    arguments = argument_selection.available_arguments(campaign)
    form = argument_choice_form(arguments, None)
    if form.validate_on_submit():
        ids, positions = form.chosen()
        try:
            chosen = argument_selection.set_chosen_arguments(
                db.session, campaign, ids, positions=positions, user=_user()
            )
        except ServiceError as problem:
            db.session.rollback()
            flash(str(problem), "error")
        else:
            db.session.commit()
            flash(_("Auswahl gespeichert: %(count)s Argumente für alle Briefe.", count=len(chosen)), "success")
            return redirect(url_for("organise.argument_selection_page", slug=slug))
    return _selection_page(campaign, choice_form=form, status=400)


@bp.post("/campaigns/<slug>/rules")
@role_required(*WRITERS)
def add_rule(slug: str):
    campaign = _campaign(slug)
    form = _rule_form(campaign)
    if form.validate_on_submit():
        try:
            rule = argument_selection.add_rule(
                db.session,
                campaign,
                recipient_tag=form.recipient_tag.data,
                argument_tag=form.argument_tag.data,
                user=_user(),
            )
        except ServiceError as problem:
            db.session.rollback()
            form.recipient_tag.errors = [*form.recipient_tag.errors, str(problem)]
        else:
            db.session.commit()
            flash(
                _(
                    "Regel angelegt: „%(recipient_tag)s“ bekommt die Argumente „%(argument_tag)s“.",
                    recipient_tag=rule.recipient_tag,
                    argument_tag=rule.argument_tag,
                ),
                "success",
            )
            return redirect(url_for("organise.argument_selection_page", slug=slug, _anchor="regeln"))
    return _selection_page(campaign, rule_form=form, status=400)


@bp.post("/campaigns/<slug>/rules/<int:rule_id>/delete")
@role_required(*WRITERS)
def remove_rule(slug: str, rule_id: int):
    campaign = _campaign(slug)
    if ConfirmForm().validate_on_submit():
        try:
            argument_selection.remove_rule(db.session, campaign, rule_id, user=_user())
        except ServiceError as problem:
            db.session.rollback()
            flash(str(problem), "error")
        else:
            db.session.commit()
            flash(_("Die Regel ist entfernt."), "success")
    else:
        flash(_("Die Anfrage war ungültig. Bitte laden Sie die Seite neu."), "error")
    return redirect(url_for("organise.argument_selection_page", slug=slug, _anchor="regeln"))


# --- preview and the formats of one letter ---------------------------------------------------------------------------


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
    """Parse ?recipient=&template=&version=; an unknown id is a 404, a missing recipient the first target."""
    recipient_id = request.args.get("recipient", type=int)
    recipient = None
    if recipient_id is not None:
        recipient = db.session.get(Recipient, recipient_id) or abort(404)
    elif default_recipient:
        targets = letter_exports.campaign_targets(db.session, campaign)
        recipient = targets[0].recipient if targets else None
    template_id = request.args.get("template", type=int)
    found = templates.campaign_template(db.session, campaign, template_id)
    if template_id is not None and found is None:
        abort(404)
    version = None
    if found is not None:
        version = templates.template_version(db.session, found, request.args.get("version", type=int))
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
    targets = [target.recipient for target in letter_exports.campaign_targets(db.session, campaign)]
    target_ids = {person.id for person in targets}
    others = [person for person in letter_exports.all_recipients(db.session) if person.id not in target_ids]
    return (
        render_template(
            "organise/letters/preview.html",
            campaign=campaign,
            templates=templates.campaign_templates(db.session, campaign),
            template=choice.template,
            version=choice.version,
            recipient=choice.recipient,
            targets=targets,
            others=others,
            problem=problem,
            query=choice.query(campaign.slug),
            **extra,
        ),
        status,
    )


@bp.get("/campaigns/<slug>/preview")
def letter_preview(slug: str):
    campaign = _campaign(slug)
    choice = _preview_choice(campaign)
    if choice.template is None or choice.recipient is None:
        return _preview_page(campaign, choice)
    try:
        composed = _compose(campaign, choice)
    except ServiceError as problem:
        return _preview_page(campaign, choice, problem=str(problem), status=422)
    return _preview_page(
        campaign, choice, arguments=select_arguments(campaign, choice.recipient), **_letter_parts(composed)
    )


def _composed_or_problem(campaign: Campaign) -> ComposedLetter | tuple:
    """The chosen letter, or the preview page with the reason why there is none."""
    choice = _preview_choice(campaign)
    if choice.template is None:
        return _preview_page(campaign, choice, problem=_("Diese Kampagne hat noch keine Briefvorlage."), status=422)
    if choice.recipient is None:
        return _preview_page(campaign, choice, problem=_("Bitte eine Empfänger:in wählen."), status=422)
    try:
        return _compose(campaign, choice)
    except ServiceError as problem:
        return _preview_page(campaign, choice, problem=str(problem), status=422)


@bp.get("/campaigns/<slug>/preview.pdf")
def letter_preview_pdf(slug: str):
    campaign = _campaign(slug)
    composed = _composed_or_problem(campaign)
    if not isinstance(composed, ComposedLetter):
        return composed
    pdf = render_letters_pdf([composed])
    return _download(pdf, "application/pdf", f"vorschau-{campaign.slug}.pdf", inline=True)


@bp.get("/campaigns/<slug>/letter.txt")
def letter_text(slug: str):
    campaign = _campaign(slug)
    composed = _composed_or_problem(campaign)
    if not isinstance(composed, ComposedLetter):
        return composed
    return _download(
        composed.full_text.encode("utf-8"),
        "text/plain",
        f"brief-{campaign.slug}.txt",
        inline=not request.args.get("download"),
    )


@bp.get("/campaigns/<slug>/letter.html")
def letter_email_html(slug: str):
    campaign = _campaign(slug)
    composed = _composed_or_problem(campaign)
    if not isinstance(composed, ComposedLetter):
        return composed
    html = render_template("organise/letters/email.html", letter=composed, body=composed.full_html)
    return _download(
        html.encode("utf-8"),
        "text/html",
        f"brief-{campaign.slug}.html",
        inline=not request.args.get("download"),
    )


# --- exports --------------------------------------------------------------------------------------------------------


def _download(content: bytes, mimetype: str, filename: str, *, inline: bool = False) -> Response:
    """A response that saves as `filename` (or is shown inline); personal data, so never cached."""
    response = send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=not inline, download_name=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/campaigns/<slug>/mail-merge.csv")
def mail_merge_csv(slug: str):
    campaign = _campaign(slug)
    content = letter_exports.mail_merge_csv(db.session, campaign)
    return _download(content, "text/csv", f"serienbrief-{campaign.slug}.csv")


@bp.get("/campaigns/<slug>/letters.docx")
def letters_docx(slug: str):
    """One letter (?recipient=, as in the preview) or every target's letter as a Word document."""
    campaign = _campaign(slug)
    if request.args.get("recipient"):
        composed = _composed_or_problem(campaign)
        if not isinstance(composed, ComposedLetter):
            return composed
        letters, name = [composed], f"brief-{campaign.slug}-{request.args.get('recipient', type=int)}.docx"
    else:
        choice = _preview_choice(campaign, default_recipient=False)
        try:
            letters = letter_exports.compose_campaign_letters(
                db.session,
                campaign,
                on=today_in_germany(),
                template_version=choice.version,
                placeholder_code=_preview_code(),
            )
        except ServiceError as problem:
            return _preview_page(campaign, choice, problem=str(problem), status=422)
        if not letters:
            flash(_("Diese Kampagne hat noch keine Empfänger:innen."), "error")
            return redirect(url_for("organise.campaign_letters", slug=slug))
        name = f"briefe-{campaign.slug}.docx"
    content = letter_exports.letters_docx(letters, title=f"{letters[0].subject} – {campaign.title}")
    return _download(content, DOCX_MIMETYPE, name)
