"""The public response tracker /c/<slug>/responses: who was written to, who answered, and how (if switched on)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from campaign.db import db
from campaign.services.campaigns.records import public_campaign
from campaign.services.dashboard.definitions import REPLY_DEFINITIONS
from campaign.services.dashboard.public import public_tracker
from campaign.web.boundary import writes

bp = Blueprint("responses", __name__)


@bp.get("/c/<slug>/responses")
@writes  # brings the stored signature days up to date
def show(slug: str):
    campaign = public_campaign(db.session, slug)
    # Off by default: a campaign that did not switch it on has no such page, as if it never existed.
    if campaign is None or not campaign.public_responses:
        abort(404)
    return render_template(
        "public/responses.html",
        campaign=campaign,
        tracker=public_tracker(db.session, campaign),
        definitions=REPLY_DEFINITIONS,
    )
