"""The open letter as a PDF: the letter as everyone reads it, with the named co-signers in its annex."""

from __future__ import annotations

from sqlalchemy.orm import Session

from campaign.models import Campaign
from campaign.services.letters.layout import render_letters_pdf
from campaign.services.signing.page import open_letter
from campaign.services.signing.signatories import public_signatories


def open_letter_pdf(session: Session, campaign: Campaign) -> bytes | None:
    """The PDF (DIN 5008 layout of the letters), or None while the campaign has no usable letter template."""
    letter = open_letter(campaign)
    if letter is None:
        return None
    return render_letters_pdf([letter], co_signers=public_signatories(session, campaign).all)
