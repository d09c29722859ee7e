"""Finding what a tracking URL names (a campaign by its slug, a recipient of it), or 404."""

from __future__ import annotations

from flask import abort

from campaign.db import db
from campaign.models import Campaign, Letter, Recipient
from campaign.services.letters.templates import campaign_by_slug
from campaign.services.replies.history import newest_letter


def campaign_or_404(slug: str) -> Campaign:
    return campaign_by_slug(db.session, slug) or abort(404)


def recipient_letter_or_404(campaign: Campaign, recipient_id: int) -> tuple[Recipient, Letter]:
    """The recipient and their newest letter in this campaign (a recipient without one has no history here)."""
    recipient = db.get_or_404(Recipient, recipient_id)
    return recipient, newest_letter(db.session, campaign, recipient) or abort(404)
