"""Views of the JSON API."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from campaign.db import db
from campaign.services.campaigns.records import campaign_figures, public_campaign

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Seconds a browser or proxy may reuse the figures: an embedding site's visitors need not each ask us.
CACHE_SECONDS = 30


@bp.get("/campaigns/<slug>")
def campaign(slug: str):
    found = public_campaign(db.session, slug)
    if found is None:
        abort(404)
    figures = campaign_figures(db.session, found)
    response = jsonify(
        {
            "slug": found.slug,
            "title": found.title,
            "status": found.status.value,
            "deadline": found.deadline.isoformat() if found.deadline else None,
            "confirmed_signatures": figures.signatures,
            "goal_signatures": found.goal_signatures,
            "letters_sent": figures.letters_sent,
            "replies": figures.replies,
        }
    )
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    # Embedding on the organisation's own website (fetch from their pages) is what this endpoint is for.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.add_etag()
    return response.make_conditional(request)
