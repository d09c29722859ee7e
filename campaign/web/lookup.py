"""Finding the campaign a URL names by its slug, or 404: one lookup for the organiser and the tracking pages."""

from __future__ import annotations

from flask import abort

from campaign.db import db
from campaign.models import Campaign
from campaign.services.letters.templates import campaign_by_slug


def campaign_or_404(slug: str) -> Campaign:
    return campaign_by_slug(db.session, slug) or abort(404)
