"""Per-campaign sending settings: four-eyes approval, PDF attachment, pause and the scheduled time."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import db
from campaign.models.common import TimestampMixin

if TYPE_CHECKING:
    from campaign.models.campaigns import Campaign


class CampaignSending(TimestampMixin, db.Model):
    """One row per campaign, made when its sending is first set up (defaults: one approver, PDF attached)."""

    __tablename__ = "campaign_sending"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    # A letter must be approved by someone other than the person who generated it or wrote its template.
    require_second_approver: Mapped[bool] = mapped_column(default=False)
    attach_pdf: Mapped[bool] = mapped_column(default=True)
    paused: Mapped[bool] = mapped_column(default=False)
    # Queued mail of the campaign goes out no earlier than this (naive UTC); None: as soon as it is queued.
    send_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()
