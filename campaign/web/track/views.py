"""Views of the track blueprint."""

from __future__ import annotations

from flask import Blueprint, render_template

from campaign.db import db
from campaign.services.campaigns.records import all_campaigns, campaign_figures
from campaign.web.security import STAFF, role_required

bp = Blueprint("track", __name__, url_prefix="/track")


@bp.before_request
@role_required(*STAFF)
def require_staff():
    """Every tracking page needs a staff account."""


@bp.get("/")
def overview():
    campaigns = all_campaigns(db.session)
    figures = {campaign.id: campaign_figures(db.session, campaign) for campaign in campaigns}
    return render_template("track/overview.html", campaigns=campaigns, figures=figures)
