"""Pre-aggregated dashboard figures: confirmed signatures per campaign and day, and how far they are up to date."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import db
from campaign.models.supporters import Signature


class SignatureDay(db.Model):
    """Signatures confirmed on one day (German time) that still count; kept up to date by the dashboard service."""

    __tablename__ = "signature_days"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    confirmed: Mapped[int] = mapped_column(default=0)


class SignatureDayState(db.Model):
    """Up to when a campaign's SignatureDay rows were brought up to date (the watermark of the next refresh)."""

    __tablename__ = "signature_day_states"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    # The highest signature id seen at the last refresh (rows loaded in bulk carry old timestamps).
    last_signature_id: Mapped[int] = mapped_column(default=0)
    refreshed_at: Mapped[datetime]


# A signature enters or leaves the count only by getting confirmed_at or withdrawn_at; these indexes let the
# refresh find the days such changes touched, and recount one day, without reading a campaign's other signatures.
Index("ix_signatures_campaign_id_confirmed_at", Signature.campaign_id, Signature.confirmed_at)
Index("ix_signatures_campaign_id_withdrawn_at", Signature.campaign_id, Signature.withdrawn_at)
