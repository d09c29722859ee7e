"""Replies to letters, matched by Message-ID, reference code or sender, and classified."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import db, enum_type
from campaign.models.common import TimestampMixin

if TYPE_CHECKING:
    from campaign.models.letters import Letter
    from campaign.models.recipients import Recipient


class ReplyChannel(enum.StrEnum):
    EMAIL = "email"
    POST = "post"
    PHONE = "phone"
    IN_PERSON = "in_person"
    OTHER = "other"


class ReplyQuality(enum.StrEnum):
    UNCLASSIFIED = "unclassified"
    SUBSTANTIVE = "substantive"
    STANDARD = "standard"
    ACKNOWLEDGEMENT = "acknowledgement"
    REFUSAL = "refusal"
    AUTO_REPLY = "auto_reply"


class ReplyStance(enum.StrEnum):
    UNCLEAR = "unclear"
    SUPPORTIVE = "supportive"
    PARTLY = "partly"
    NEUTRAL = "neutral"
    OPPOSED = "opposed"


class Reply(TimestampMixin, db.Model):
    __tablename__ = "replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="SET NULL"), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("recipients.id", ondelete="SET NULL"), index=True)
    channel: Mapped[ReplyChannel] = mapped_column(enum_type(ReplyChannel), default=ReplyChannel.EMAIL)
    received_at: Mapped[datetime]
    from_address: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    in_reply_to: Mapped[str] = mapped_column(String(255), default="")
    quality: Mapped[ReplyQuality] = mapped_column(enum_type(ReplyQuality), default=ReplyQuality.UNCLASSIFIED)
    stance: Mapped[ReplyStance] = mapped_column(enum_type(ReplyStance), default=ReplyStance.UNCLEAR)
    commitments: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    letter: Mapped[Letter | None] = relationship()
    recipient: Mapped[Recipient | None] = relationship()
