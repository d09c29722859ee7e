"""Views of the JSON API."""

from __future__ import annotations

from flask import Blueprint, abort

from campaign.db import db
from campaign.services.campaigns.records import campaign_figures, public_campaign

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/campaigns/<slug>")
def campaign(slug: str):
    found = public_campaign(db.session, slug)
    if found is None:
        abort(404)
    figures = campaign_figures(db.session, found)
    return {
        "slug": found.slug,
        "title": found.title,
        "status": found.status.value,
        "deadline": found.deadline.isoformat() if found.deadline else None,
        "signatures": figures.signatures,
        "goal_signatures": found.goal_signatures,
        "letters_sent": figures.letters_sent,
        "replies": figures.replies,
    }
