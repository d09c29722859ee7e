"""Finding the recipient a tracking URL names, with their newest letter in the campaign, or 404."""

from __future__ import annotations

from flask import abort

from campaign.db import db
from campaign.models import Campaign, Letter, Recipient
from campaign.services.replies.history import newest_letter


def recipient_letter_or_404(campaign: Campaign, recipient_id: int) -> tuple[Recipient, Letter]:
    """The recipient and their newest letter in this campaign (a recipient without one has no history here)."""
    recipient = db.get_or_404(Recipient, recipient_id)
    return recipient, newest_letter(db.session, campaign, recipient) or abort(404)
