"""Views of the public blueprint (no login)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from campaign.db import db
from campaign.services.campaigns.records import active_campaigns, campaign_figures, public_campaign
from campaign.services.evidence.citations import format_citation

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    campaigns = active_campaigns(db.session)
    figures = {campaign.id: campaign_figures(db.session, campaign) for campaign in campaigns}
    return render_template("public/index.html", campaigns=campaigns, figures=figures)


@bp.get("/c/<slug>")
def campaign(slug: str):
    found = public_campaign(db.session, slug)
    if found is None:
        abort(404)
    arguments = found.argument_set.arguments if found.argument_set else []
    sources = {citation.source for argument in arguments for citation in argument.citations}
    citations = sorted((format_citation(source) for source in sources), key=lambda item: item.text)
    return render_template(
        "public/campaign.html",
        campaign=found,
        arguments=arguments,
        citations=citations,
        figures=campaign_figures(db.session, found),
    )


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on their own, whatever the page links."""
    return current_app.send_static_file("favicon.ico")
