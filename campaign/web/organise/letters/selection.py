"""Which arguments a campaign's letters use: the common choice for all letters and the rules per recipient tag."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.db import db
from campaign.models import Campaign
from campaign.services.letters import selection as service
from campaign.web.boundary import errors_shown_on, on_error_back_to
from campaign.web.forms import ConfirmForm
from campaign.web.lookup import campaign_or_404
from campaign.web.organise.letters.forms import ArgumentChoiceForm, RuleForm, argument_choice_form, argument_tag_choices
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("letter_arguments", __name__, url_prefix="/campaigns/<slug>")


@bp.get("/arguments")
def index(slug: str):
    return _selection_page(campaign_or_404(slug))


def _rule_form(campaign: Campaign) -> RuleForm:
    form = RuleForm()
    form.argument_tag.choices = argument_tag_choices(service.argument_tags(campaign))
    return form


def _selection_page(
    campaign: Campaign,
    *,
    choice_form: ArgumentChoiceForm | None = None,
    rule_form: RuleForm | None = None,
    status: int = 200,
):
    arguments = service.available_arguments(campaign)
    return render_template(
        "organise/letters/arguments.html",
        campaign=campaign,
        choice_form=choice_form or argument_choice_form(arguments, service.chosen_argument_ids(campaign)),
        rule_form=rule_form or _rule_form(campaign),
        rules=service.rule_summaries(db.session, campaign),
        recipient_tags=service.recipient_tags(db.session),
        target_tags=set(service.recipient_tags(db.session, campaign)),
        confirm_form=ConfirmForm(),
        can_write=has_role(*WRITERS),
    ), status


@bp.post("/arguments")
@role_required(*WRITERS)
def choose(slug: str):
    campaign = campaign_or_404(slug)
    form = argument_choice_form(service.available_arguments(campaign), None)
    if form.validate_on_submit():
        with errors_shown_on(form):
            ids, positions = form.chosen()
            chosen = service.set_chosen_arguments(db.session, campaign, ids, positions=positions, user=acting_user())
            flash(
                ngettext(
                    "Auswahl gespeichert: %(num)s Argument für alle Briefe.",
                    "Auswahl gespeichert: %(num)s Argumente für alle Briefe.",
                    len(chosen),
                ),
                "success",
            )
            return redirect(url_for(".index", slug=slug))
    return _selection_page(campaign, choice_form=form, status=400)


@bp.post("/rules")
@role_required(*WRITERS)
def add_rule(slug: str):
    campaign = campaign_or_404(slug)
    form = _rule_form(campaign)
    if form.validate_on_submit():
        with errors_shown_on(form, default="recipient_tag"):
            rule = service.add_rule(
                db.session,
                campaign,
                recipient_tag=form.recipient_tag.data,
                argument_tag=form.argument_tag.data,
                user=acting_user(),
            )
            flash(
                _(
                    "Regel angelegt: „%(recipient_tag)s“ bekommt die Argumente „%(argument_tag)s“.",
                    recipient_tag=rule.recipient_tag,
                    argument_tag=rule.argument_tag,
                ),
                "success",
            )
            return redirect(url_for(".index", slug=slug, _anchor="regeln"))
    return _selection_page(campaign, rule_form=form, status=400)


@bp.post("/rules/<int:rule_id>/delete")
@role_required(*WRITERS)
@on_error_back_to(".index", anchor="regeln")
def remove_rule(slug: str, rule_id: int):
    campaign = campaign_or_404(slug)
    if ConfirmForm().validate_on_submit():
        service.remove_rule(db.session, campaign, rule_id, user=acting_user())
        flash(_("Die Regel ist entfernt."), "success")
    else:
        flash(_("Die Anfrage war ungültig. Bitte laden Sie die Seite neu."), "error")
    return redirect(url_for(".index", slug=slug, _anchor="regeln"))
