"""Finding what a tracking URL names (a campaign by its slug, a recipient of it), or 404."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from campaign.db import db
from campaign.models import Campaign, Letter, Recipient


def campaign_or_404(slug: str) -> Campaign:
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        abort(404)
    return campaign


def recipient_letter_or_404(campaign: Campaign, recipient_id: int) -> tuple[Recipient, Letter]:
    """The recipient and their newest letter in this campaign (a recipient without one has no history here)."""
    recipient = db.get_or_404(Recipient, recipient_id)
    letter = db.session.scalar(
        select(Letter)
        .where(Letter.campaign_id == campaign.id, Letter.recipient_id == recipient.id)
        .order_by(Letter.id.desc())
        .limit(1)
    )
    if letter is None:
        abort(404)
    return recipient, letter
