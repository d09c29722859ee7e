"""The organiser's start page: campaigns, motions, argument sets, templates and recipients at a glance."""

from __future__ import annotations

from flask import Blueprint, render_template

from campaign.db import db
from campaign.services.campaigns.overview import organiser_overview

bp = Blueprint("overview", __name__)


@bp.get("/")
def index():
    return render_template("organise/overview/index.html", overview=organiser_overview(db.session))
