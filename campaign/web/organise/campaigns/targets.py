"""A campaign's targets: add from lists, tags and filters or one by one, remove, and choose each one's template."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from campaign.db import db
from campaign.models import Campaign, LetterTemplate
from campaign.services.campaigns import targets as service
from campaign.services.recipients.search import filter_choices
from campaign.web.boundary import on_error_back_to
from campaign.web.forms import ConfirmForm
from campaign.web.lookup import campaign_or_404
from campaign.web.organise.campaigns.forms import (
    AddOneForm,
    AddTargetsForm,
    TargetTemplateForm,
    TemplateRuleForm,
)
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("campaign_targets", __name__, url_prefix="/campaigns/<slug>/targets")


def _back(found: Campaign):
    return redirect(url_for(".index", slug=found.slug))


def _add_form() -> AddTargetsForm:
    form = AddTargetsForm()
    form.set_choices(filter_choices(db.session))
    return form


@bp.get("")
def index(slug: str):
    found = campaign_or_404(slug)
    query = (request.args.get("q") or "").strip()[:200]
    template_choices = [SelectChoice("", _("nach Regel")), *(SelectChoice(t.id, t.name) for t in found.templates)]
    return render_template(
        "organise/campaigns/targets.html",
        campaign=found,
        rows=service.target_page(db.session, found, page=request.args.get("page", 1, type=int)),
        add_form=_add_form(),
        query=query,
        candidates=service.candidates(db.session, found, query),
        template_choices=template_choices,
        templates=found.templates,
        confirm=ConfirmForm(),
        can_write=has_role(*WRITERS),
    )


@bp.post("/add")
@role_required(*WRITERS)
@on_error_back_to(".index")
def add(slug: str):
    found = campaign_or_404(slug)
    form = _add_form()
    if not form.validate_on_submit():
        abort(400)
    added = service.add_matching(db.session, found, form.to_filter(), user=acting_user())
    flash(ngettext("%(num)s Empfänger:in hinzugefügt.", "%(num)s Empfänger:innen hinzugefügt.", added), "success")
    return _back(found)


@bp.post("/add-one")
@role_required(*WRITERS)
@on_error_back_to(".index")
def add_one(slug: str):
    found = campaign_or_404(slug)
    form = AddOneForm()
    if not form.validate_on_submit() or form.recipient_id.data is None:
        abort(400)
    service.add_targets(db.session, found, [form.recipient_id.data], user=acting_user(), how="einzeln")
    flash(_("Empfänger:in hinzugefügt."), "success")
    return _back(found)


@bp.post("/<int:recipient_id>/remove")
@role_required(*WRITERS)
@on_error_back_to(".index")
def remove(slug: str, recipient_id: int):
    found = campaign_or_404(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.remove_target(db.session, found, recipient_id, user=acting_user())
    flash(_("Empfänger:in aus der Kampagne genommen."), "success")
    return _back(found)


@bp.post("/remove-all")
@role_required(*WRITERS)
@on_error_back_to(".index")
def remove_all(slug: str):
    found = campaign_or_404(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    removed = service.remove_all_targets(db.session, found, user=acting_user())
    flash(ngettext("%(num)s Empfänger:in entfernt.", "%(num)s Empfänger:innen entfernt.", removed), "success")
    return _back(found)


@bp.post("/<int:recipient_id>/template")
@role_required(*WRITERS)
@on_error_back_to(".index")
def choose_template(slug: str, recipient_id: int):
    found = campaign_or_404(slug)
    form = TargetTemplateForm()
    if not form.validate_on_submit():
        abort(400)
    service.set_target_template(db.session, found, recipient_id, form.template_id.data, user=acting_user())
    flash(_("Vorlage gewählt."), "success")
    return _back(found)


@bp.post("/rules")
@role_required(*WRITERS)
@on_error_back_to(".index")
def template_rule(slug: str):
    found = campaign_or_404(slug)
    form = TemplateRuleForm()
    if not form.validate_on_submit() or not (form.template_id.data or "").isdigit():
        abort(400)
    template = db.get_or_404(LetterTemplate, int(form.template_id.data))
    if template.campaign_id != found.id:
        abort(404)
    service.set_template_tag(db.session, template, form.recipient_tag.data or "", user=acting_user())
    flash(_("Regel für die Vorlage „%(name)s“ gespeichert.", name=template.name), "success")
    return _back(found)
