"""The campaign's letters page and the template editor: create templates, save versions, see who wrote which."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from campaign.db import db
from campaign.models import Campaign, LetterTemplate, TemplateVersion
from campaign.services.accounts.users import users_by_id
from campaign.services.campaigns.records import campaign_figures
from campaign.services.letters.layout import CLOSING
from campaign.services.letters.merge_fields import placeholder_groups
from campaign.services.letters.templates import (
    campaign_templates,
    clean_texts,
    closing_warning,
    create_template,
    open_letter_warning,
    rename_template,
    save_template_version,
)
from campaign.web.boundary import errors_shown_on
from campaign.web.forms import ConfirmForm, validate_with_service
from campaign.web.lookup import campaign_or_404
from campaign.web.organise.jobs.forms import GenerateLettersForm
from campaign.web.organise.letters.forms import STARTER_BODY, TemplateCreateForm, TemplateEditForm
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("letters", __name__)


@bp.get("/campaigns/<slug>/letters")
def campaign(slug: str):
    return _letters_page(campaign_or_404(slug), TemplateCreateForm(data={"body": STARTER_BODY}))


def _letters_page(found: Campaign, create_form: TemplateCreateForm, status: int = 200):
    return render_template(
        "organise/letters/campaign.html",
        campaign=found,
        templates=campaign_templates(db.session, found),
        create_form=create_form,
        confirm_form=ConfirmForm(),
        figures=campaign_figures(db.session, found),
        generate_form=GenerateLettersForm(),
        can_write=has_role(*WRITERS),
    ), status


@bp.post("/campaigns/<slug>/templates")
@role_required(*WRITERS)
def new_template(slug: str):
    found = campaign_or_404(slug)
    form = TemplateCreateForm()
    if validate_with_service(form, lambda: clean_texts(form.subject.data, form.body.data)):
        with errors_shown_on(form, default="body"):
            template = create_template(
                db.session,
                found,
                name=form.name.data,
                subject=form.subject.data,
                body=form.body.data,
                user=acting_user(),
            )
            flash(_("Die Vorlage „%(name)s“ ist angelegt.", name=template.name), "success")
            _flash_warnings(found, template.current_version)
            return redirect(url_for(".template", template_id=template.id))
    return _letters_page(found, form, 400)


def _letter_template_or_404(template_id: int) -> LetterTemplate:
    """A letter template; the follow-up template has its own page under /track, so it is not found here."""
    found = db.get_or_404(LetterTemplate, template_id)
    if found.is_follow_up:
        abort(404)
    return found


@bp.get("/templates/<int:template_id>")
def template(template_id: int):
    found = _letter_template_or_404(template_id)
    version = found.current_version
    texts = {"subject": version.subject, "body": version.body} if version else {}
    return _template_page(found, TemplateEditForm(data={"name": found.name, **texts}))


def _template_page(found: LetterTemplate, form: TemplateEditForm, status: int = 200):
    creator_ids = {version.created_by_id for version in found.versions if version.created_by_id}
    return render_template(
        "organise/letters/template.html",
        template=found,
        campaign=found.campaign,
        form=form,
        placeholder_groups=placeholder_groups(),
        closing=CLOSING,
        versions=list(reversed(found.versions)),
        creators=users_by_id(db.session, creator_ids),
        can_write=has_role(*WRITERS),
    ), status


@bp.post("/templates/<int:template_id>")
@role_required(*WRITERS)
def save_template(template_id: int):
    found = _letter_template_or_404(template_id)
    form = TemplateEditForm()
    if validate_with_service(
        form, lambda: clean_texts(form.subject.data, form.body.data, follow_up=found.is_follow_up)
    ):
        before = found.current_version.number if found.current_version else 0
        with errors_shown_on(form, default="body"):
            rename_template(db.session, found, form.name.data, user=acting_user())
            version = save_template_version(
                db.session, found, subject=form.subject.data, body=form.body.data, user=acting_user()
            )
            _flash_saved(version.number, made_new=version.number > before and bool(before))
            _flash_warnings(found.campaign, version)
            return redirect(url_for(".template", template_id=found.id))
    return _template_page(found, form, 400)


def _flash_saved(number: int, *, made_new: bool) -> None:
    if made_new:
        message = _(
            "Gespeichert als neue Version %(number)s; die bisherige Version bleibt unverändert, "
            "weil aus ihr schon Briefe erstellt wurden.",
            number=number,
        )
    else:
        message = _("Die Vorlage ist gespeichert (Version %(number)s).", number=number)
    flash(message, "success")


def _flash_warnings(campaign: Campaign, version: TemplateVersion) -> None:
    """Saved, but the body ends with a closing that the layout adds as well, or the open letter has gaps."""
    for warning in (closing_warning(version.body), open_letter_warning(campaign, version)):
        if warning:
            flash(warning, "warning")
