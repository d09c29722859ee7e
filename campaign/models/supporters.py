"""Supporters and their co-signatures of open letters (double opt-in, Art. 9 DSGVO)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import db, enum_type, utcnow
from campaign.models.common import StatefulMixin

if TYPE_CHECKING:
    from campaign.models.campaigns import Campaign


class Supporter(db.Model):
    __tablename__ = "supporters"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    # Lower-cased, plus-alias and provider dots removed: one person, one row.
    email_canonical: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(120), default="")
    last_name: Mapped[str] = mapped_column(String(120), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    newsletter_consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[datetime | None]


class SignatureStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"


_S = SignatureStatus


class Signature(StatefulMixin, db.Model):
    __tablename__ = "signatures"

    TRANSITIONS: ClassVar = {
        _S.PENDING: frozenset({_S.CONFIRMED, _S.ERASED}),
        _S.CONFIRMED: frozenset({_S.WITHDRAWN, _S.ERASED}),
        _S.WITHDRAWN: frozenset({_S.ERASED}),
        _S.ERASED: frozenset(),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    supporter_id: Mapped[int | None] = mapped_column(ForeignKey("supporters.id", ondelete="SET NULL"), index=True)
    status: Mapped[SignatureStatus] = mapped_column(enum_type(SignatureStatus), default=SignatureStatus.PENDING)
    # Version of the consent text the supporter agreed to (Art. 7 (1) DSGVO: proof of consent).
    consent_version: Mapped[str] = mapped_column(String(40))
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    show_name_publicly: Mapped[bool] = mapped_column(default=False)
    # Only hashes of the confirm and withdraw tokens are stored.
    confirm_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    withdraw_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()
    supporter: Mapped[Supporter | None] = relationship()

    __table_args__ = (UniqueConstraint("campaign_id", "supporter_id"),)
