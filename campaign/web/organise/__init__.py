"""Organiser screens under /organise: one nested blueprint per feature, all behind the staff guard."""

from __future__ import annotations

from flask import Blueprint

from campaign.web.organise import overview
from campaign.web.organise.arguments import arguments, coverage, sets
from campaign.web.organise.campaigns import targets as campaign_targets
from campaign.web.organise.campaigns import views as campaigns
from campaign.web.organise.jobs import views as jobs
from campaign.web.organise.letters import preview, selection, templates
from campaign.web.organise.motions import provisions
from campaign.web.organise.motions import views as motions
from campaign.web.organise.organisations import views as organisations
from campaign.web.organise.recipients import imports, lists, people
from campaign.web.organise.sending import views as sending
from campaign.web.organise.signatures import views as signatures
from campaign.web.organise.sources import views as sources
from campaign.web.organise.writing import views as writing
from campaign.web.security import STAFF, role_required

bp = Blueprint("organise", __name__, url_prefix="/organise")

FEATURES = (
    overview.bp,
    campaigns.bp,
    campaign_targets.bp,
    organisations.bp,
    motions.bp,
    provisions.bp,
    sources.bp,
    sets.bp,
    arguments.bp,
    coverage.bp,
    people.bp,
    lists.bp,
    imports.bp,
    templates.bp,
    selection.bp,
    preview.bp,
    jobs.bp,
    sending.bp,
    signatures.bp,
    writing.bp,
)
for feature in FEATURES:
    bp.register_blueprint(feature)


@bp.before_request
@role_required(*STAFF)
def require_staff():
    """Coordinators may read everything here; views that change data narrow this to WRITERS."""
