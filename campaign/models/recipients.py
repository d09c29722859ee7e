"""Recipients, recipient lists, and the campaign targets that pick recipients."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import db, enum_type
from campaign.models.common import TimestampMixin

if TYPE_CHECKING:
    from campaign.models.campaigns import Campaign, LetterTemplate


class FormOfAddress(enum.StrEnum):
    FRAU = "frau"
    HERR = "herr"
    DIVERS = "divers"
    UNBEKANNT = "unbekannt"
    GRUPPE = "gruppe"


class Channel(enum.StrEnum):
    POST = "post"
    EMAIL = "email"


recipient_list_members = Table(
    "recipient_list_members",
    db.metadata,
    Column("list_id", ForeignKey("recipient_lists.id", ondelete="CASCADE"), primary_key=True),
    Column("recipient_id", ForeignKey("recipients.id", ondelete="CASCADE"), primary_key=True),
)


class Recipient(TimestampMixin, db.Model):
    __tablename__ = "recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_of_address: Mapped[FormOfAddress] = mapped_column(enum_type(FormOfAddress), default=FormOfAddress.UNBEKANNT)
    title: Mapped[str] = mapped_column(String(60), default="")
    first_name: Mapped[str] = mapped_column(String(120), default="")
    last_name: Mapped[str] = mapped_column(String(120), default="")
    # For group recipients ("Mitglieder der SPD"): who the salutation addresses.
    group_name: Mapped[str] = mapped_column(String(200), default="")
    function: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    unterbezirk: Mapped[str] = mapped_column(String(120), default="")
    kreis: Mapped[str] = mapped_column(String(120), default="")
    wahlkreis: Mapped[str] = mapped_column(String(120), default="")
    kommune: Mapped[str] = mapped_column(String(120), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(80), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    email_canonical: Mapped[str] = mapped_column(String(254), default="", index=True)
    # Set when mail to `email` bounced for good (SMTP 5xx or a delivery status report); cleared when corrected.
    email_failed_at: Mapped[datetime | None]
    email_failure: Mapped[str] = mapped_column(String(500), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")

    lists: Mapped[list[RecipientList]] = relationship(secondary=recipient_list_members, back_populates="recipients")

    @property
    def is_group(self) -> bool:
        return self.form_of_address is FormOfAddress.GRUPPE

    @property
    def full_name(self) -> str:
        """Title, first and last name; the group name for groups."""
        if self.is_group:
            return self.group_name or self.organisation
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    @property
    def has_postal_address(self) -> bool:
        return bool(self.street and self.postcode and self.city)


class RecipientList(TimestampMixin, db.Model):
    __tablename__ = "recipient_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")

    recipients: Mapped[list[Recipient]] = relationship(
        secondary=recipient_list_members, back_populates="lists", order_by="Recipient.last_name"
    )


class Target(TimestampMixin, db.Model):
    """A recipient chosen for a campaign, with the channel the letter goes by."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipients.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel), default=Channel.POST)
    # The template chosen for this target by hand; None: the campaign's rules decide (services.campaigns.targets).
    template_id: Mapped[int | None] = mapped_column(ForeignKey("letter_templates.id", ondelete="SET NULL"), index=True)

    campaign: Mapped[Campaign] = relationship()
    recipient: Mapped[Recipient] = relationship()
    template: Mapped[LetterTemplate | None] = relationship()

    __table_args__ = (UniqueConstraint("campaign_id", "recipient_id"),)
