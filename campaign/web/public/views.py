"""Views of the public blueprint (no login)."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template
from flask.blueprints import BlueprintSetupState

from campaign.db import db
from campaign.services.campaigns.records import active_campaigns, campaign_figures
from campaign.services.privacy.notice import privacy_notice

bp = Blueprint("public", __name__)


@bp.record_once
def _warn_without_privacy_controller(state: BlueprintSetupState) -> None:
    """In production, say once at start-up that /privacy names the controller only through the organisations."""
    config = state.app.config
    if config.get("CAMPAIGN_ENV") == "production" and not (config.get("PRIVACY_CONTROLLER") or "").strip():
        logging.getLogger(__name__).warning(
            "PRIVACY_CONTROLLER ist nicht gesetzt: /privacy nennt als Verantwortliche nur die Organisationen der "
            "laufenden Kampagnen. Bitte Name und Postanschrift der verantwortlichen Stelle eintragen."
        )


@bp.get("/")
def index():
    campaigns = active_campaigns(db.session)
    figures = {campaign.id: campaign_figures(db.session, campaign) for campaign in campaigns}
    return render_template("public/index.html", campaigns=campaigns, figures=figures)


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html", notice=privacy_notice(db.session))


# Served from memory at the site's root: browsers ask for /favicon.ico on their own, and often drop the request
# halfway when the next page loads, which would leave an open file behind in the development server.
ICONS = {"favicon.ico": "image/vnd.microsoft.icon", "favicon.svg": "image/svg+xml"}


@bp.get("/<any('favicon.ico', 'favicon.svg'):name>")
def icon(name: str):
    response = Response(Path(current_app.static_folder, name).read_bytes(), mimetype=ICONS[name])
    response.cache_control.public = True
    response.cache_control.max_age = 7 * 24 * 3600
    return response
