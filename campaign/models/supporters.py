"""Supporters, their co-signatures of open letters (double opt-in, Art. 9 DSGVO), counts, consent texts, handovers."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
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
    # Taken out by the campaign team as spam or abuse (the reason is in the audit log).
    REMOVED = "removed"
    ERASED = "erased"


class Listing(enum.StrEnum):
    """How a co-signer is named in public: full name, first name and initial, or not at all."""

    FULL_NAME = "full_name"
    INITIAL = "initial"
    HIDDEN = "hidden"


_S = SignatureStatus


class Signature(StatefulMixin, db.Model):
    __tablename__ = "signatures"

    TRANSITIONS: ClassVar = {
        _S.PENDING: frozenset({_S.CONFIRMED, _S.WITHDRAWN, _S.REMOVED, _S.ERASED}),
        _S.CONFIRMED: frozenset({_S.WITHDRAWN, _S.REMOVED, _S.ERASED}),
        _S.WITHDRAWN: frozenset({_S.ERASED}),
        _S.REMOVED: frozenset({_S.ERASED}),
        _S.ERASED: frozenset(),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (campaign_id, supporter_id) and the dashboard's (campaign_id, confirmed_at) and
    # (campaign_id, withdrawn_at) all start with it, and each index more is one more write per signature.
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    supporter_id: Mapped[int | None] = mapped_column(ForeignKey("supporters.id", ondelete="SET NULL"), index=True)
    status: Mapped[SignatureStatus] = mapped_column(enum_type(SignatureStatus), default=SignatureStatus.PENDING)
    # Version of the consent text the supporter agreed to (Art. 7 (1) DSGVO: proof of consent).
    consent_version: Mapped[str] = mapped_column(String(40))
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    listing: Mapped[Listing] = mapped_column(enum_type(Listing), default=Listing.HIDDEN)
    # Signing for an organisation: it is listed among the first signatories (Erstunterzeichnende).
    organisation: Mapped[str] = mapped_column(String(200), default="")
    function: Mapped[str] = mapped_column(String(200), default="")
    # Only hashes of the confirm and withdraw tokens are stored.
    confirm_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    withdraw_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # When the last confirmation mail was queued and how many were: resending is limited.
    confirmation_sent_at: Mapped[datetime | None]
    confirmation_mails: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    confirmed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()
    supporter: Mapped[Supporter | None] = relationship()

    __table_args__ = (UniqueConstraint("campaign_id", "supporter_id"),)


class SignatureCount(db.Model):
    """Confirmed signatures of a campaign, spread over a few rows so that concurrent confirmations rarely meet.

    The count is the sum over the campaign's shards; each confirmation or withdrawal adds ±1 to one random shard.
    """

    __tablename__ = "signature_counts"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    shard: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    confirmed: Mapped[int] = mapped_column(default=0)


class ConsentText(db.Model):
    """A version of the consent text supporters agree to when co-signing; versions are never edited."""

    __tablename__ = "consent_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class HandoverList(db.Model):
    """A handover list of confirmed signatures as made for download, with the SHA-256 fingerprint of its rows."""

    __tablename__ = "handover_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    signatures: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    campaign: Mapped[Campaign] = relationship()
