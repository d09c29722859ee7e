"""Campaigns under /organise/campaigns: the list, create, the hub page, edit, status changes and duplicates."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.db import db
from campaign.models import Campaign, CampaignChannels, CampaignStatus
from campaign.services.campaigns import editing as service
from campaign.services.campaigns.hub import campaign_hub
from campaign.services.campaigns.records import all_campaigns
from campaign.services.common.labels import label
from campaign.web.boundary import errors_shown_on, on_error_back_to
from campaign.web.forms import submitted_or_back, validate_with_service
from campaign.web.lookup import campaign_or_404
from campaign.web.organise.campaigns.forms import CampaignForm, DuplicateForm, StatusForm
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")

# The button that moves a campaign into each status.
STATUS_ACTIONS = {
    CampaignStatus.DRAFT: _l("Zurück zum Entwurf"),
    CampaignStatus.ACTIVE: _l("Kampagne starten"),
    CampaignStatus.CLOSED: _l("Kampagne beenden"),
    CampaignStatus.ARCHIVED: _l("Archivieren"),
}


def _form(obj: Campaign | None = None) -> CampaignForm:
    """The settings form with its selects filled; prefilled from `obj` on GET."""
    form = CampaignForm(obj=obj) if obj is not None and request.method == "GET" else CampaignForm()
    if obj is not None and request.method == "GET":
        form.channels.data = obj.channels.value
    choices = service.form_choices(db.session)
    form.fill_choices(choices.motions, choices.argument_sets, choices.organisations)
    return form


def _data(form: CampaignForm) -> service.CampaignData:
    return service.CampaignData(
        title=form.title.data or "",
        slug=form.slug.data or "",
        summary=form.summary.data or "",
        motion_id=form.motion_id.data,
        argument_set_id=form.argument_set_id.data,
        organisation_id=form.organisation_id.data,
        deadline=form.deadline.data,
        goal_signatures=form.goal_signatures.data or 0,
        open_letter=bool(form.open_letter.data),
        public_responses=bool(form.public_responses.data),
        # A channel the form refused (not one of its choices) is already named; the service's checks go on without.
        channels=CampaignChannels.POST if form.channels.errors else CampaignChannels(form.channels.data),
    )


def _warn_about_the_deadline(campaign: Campaign) -> None:
    if warning := service.deadline_warning(campaign):
        flash(warning, "warning")


@bp.get("")
def index():
    return render_template(
        "organise/campaigns/list.html", campaigns=all_campaigns(db.session), can_write=has_role(*WRITERS)
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new():
    form = _form()
    if validate_with_service(form, lambda: service.check_campaign(db.session, _data(form))):
        with errors_shown_on(form):
            created = service.create_campaign(db.session, _data(form), user=acting_user())
            flash(_("Kampagne „%(title)s“ angelegt (Entwurf).", title=created.title), "success")
            _warn_about_the_deadline(created)
            return redirect(url_for(".show", slug=created.slug))
    return render_template("organise/campaigns/form.html", form=form, campaign=None), 400 if form.errors else 200


@bp.get("/<slug>")
def show(slug: str):
    found = campaign_or_404(slug)
    hub = campaign_hub(db.session, found, page=request.args.get("page", 1, type=int))
    next_states = [(status, STATUS_ACTIONS[status]) for status in CampaignStatus if found.can_become(status)]
    return render_template(
        "organise/campaigns/show.html",
        hub=hub,
        campaign=found,
        next_states=next_states,
        duplicate_form=DuplicateForm(formdata=None, data={"title": service.suggested_copy_title(found)}),
        can_write=has_role(*WRITERS),
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def edit(slug: str):
    found = campaign_or_404(slug)
    form = _form(found)
    if validate_with_service(form, lambda: service.check_campaign(db.session, _data(form), found)):
        with errors_shown_on(form):
            service.update_campaign(db.session, found, _data(form), user=acting_user())
            flash(_("Einstellungen gespeichert."), "success")
            _warn_about_the_deadline(found)
            return redirect(url_for(".show", slug=found.slug))
    return render_template("organise/campaigns/form.html", form=form, campaign=found), 400 if form.errors else 200


@bp.post("/<slug>/status")
@role_required(*WRITERS)
@on_error_back_to(".show")
def status(slug: str):
    found = campaign_or_404(slug)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    service.change_status(db.session, found, form.status.data, user=acting_user())
    flash(_("Neuer Status der Kampagne: %(status)s.", status=label(found.status)), "success")
    return redirect(url_for(".show", slug=found.slug))


@bp.post("/<slug>/duplicate")
@role_required(*WRITERS)
@on_error_back_to(".show")
def duplicate(slug: str):
    found = campaign_or_404(slug)
    form = submitted_or_back(
        DuplicateForm,
        ".show",
        check=lambda form: service.check_duplicate(
            db.session, found, title=form.title.data or "", slug=form.slug.data or ""
        ),
        slug=found.slug,
    )
    copy = service.duplicate_campaign(
        db.session, found, title=form.title.data, slug=form.slug.data or "", user=acting_user()
    )
    flash(_("Kopie „%(title)s“ angelegt (Entwurf, noch ohne Empfänger:innen).", title=copy.title), "success")
    return redirect(url_for(".show", slug=copy.slug))
