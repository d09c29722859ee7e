"""Campaigns and their versioned letter templates."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import db, enum_type, utcnow
from campaign.models.common import StatefulMixin, TimestampMixin

if TYPE_CHECKING:
    from campaign.models.arguments import Argument, ArgumentSet
    from campaign.models.motions import Motion
    from campaign.models.organisations import Organisation


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"
    ARCHIVED = "archived"


class CampaignChannels(enum.StrEnum):
    """How a campaign's letters may go out."""

    EMAIL = "email"
    POST = "post"
    BOTH = "both"


_C = CampaignStatus


class Campaign(StatefulMixin, TimestampMixin, db.Model):
    __tablename__ = "campaigns"

    TRANSITIONS: ClassVar = {
        _C.DRAFT: frozenset({_C.ACTIVE}),
        # An active campaign may go back to draft while it is being prepared, and a closed one may reopen.
        _C.ACTIVE: frozenset({_C.DRAFT, _C.CLOSED}),
        _C.CLOSED: frozenset({_C.ACTIVE, _C.ARCHIVED}),
        _C.ARCHIVED: frozenset({_C.CLOSED}),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CampaignStatus] = mapped_column(enum_type(CampaignStatus), default=CampaignStatus.DRAFT)
    motion_id: Mapped[int | None] = mapped_column(ForeignKey("motions.id", ondelete="SET NULL"))
    argument_set_id: Mapped[int | None] = mapped_column(ForeignKey("argument_sets.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    deadline: Mapped[date | None]
    goal_signatures: Mapped[int] = mapped_column(default=0)
    # Supporters may co-sign the letter as an open letter.
    open_letter: Mapped[bool] = mapped_column(default=False)
    # Show the public response tracker (/c/<slug>/responses).
    public_responses: Mapped[bool] = mapped_column(default=False)
    # A sent letter without a reply after this many days is due for a follow-up.
    follow_up_days: Mapped[int] = mapped_column(default=21)
    channels: Mapped[CampaignChannels] = mapped_column(enum_type(CampaignChannels), default=CampaignChannels.POST)

    motion: Mapped[Motion | None] = relationship()
    argument_set: Mapped[ArgumentSet | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    # The letters' templates; the follow-up template („Nachfrage“) is kept apart, so no target ever gets it.
    templates: Mapped[list[LetterTemplate]] = relationship(
        back_populates="campaign",
        primaryjoin="and_(Campaign.id == LetterTemplate.campaign_id, LetterTemplate.is_follow_up.is_(False))",
        order_by="LetterTemplate.id",
        cascade="all, delete-orphan",
    )
    chosen_arguments: Mapped[list[CampaignArgument]] = relationship(
        order_by="CampaignArgument.position", cascade="all, delete-orphan"
    )
    argument_rules: Mapped[list[ArgumentRule]] = relationship(
        order_by="ArgumentRule.position", cascade="all, delete-orphan"
    )


class LetterTemplate(TimestampMixin, db.Model):
    """A named letter of a campaign; its text lives in immutable-once-used versions."""

    __tablename__ = "letter_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Rule: targets whose recipient carries this tag get this template (unless one was chosen by hand).
    recipient_tag: Mapped[str] = mapped_column(String(80), default="")
    # The campaign's follow-up template (at most one): its letters follow up unanswered letters.
    is_follow_up: Mapped[bool] = mapped_column(default=False)

    campaign: Mapped[Campaign] = relationship(back_populates="templates")
    versions: Mapped[list[TemplateVersion]] = relationship(
        back_populates="template", order_by="TemplateVersion.number", cascade="all, delete-orphan"
    )

    @property
    def current_version(self) -> TemplateVersion | None:
        """The newest version, which new letters are made from."""
        return self.versions[-1] if self.versions else None

    __table_args__ = (UniqueConstraint("campaign_id", "name"),)


class TemplateVersion(db.Model):
    """One version of a template's subject and body (sandboxed Jinja text)."""

    __tablename__ = "template_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("letter_templates.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set when the first letter is made from this version; from then on it is never edited.
    used_at: Mapped[datetime | None]

    template: Mapped[LetterTemplate] = relationship(back_populates="versions")

    __table_args__ = (UniqueConstraint("template_id", "number"),)


class CampaignArgument(db.Model):
    """An argument chosen for every letter of a campaign, in letter order."""

    __tablename__ = "campaign_arguments"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    argument_id: Mapped[int] = mapped_column(ForeignKey("arguments.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)

    argument: Mapped[Argument] = relationship()


class ArgumentRule(db.Model):
    """Targeting rule: recipients tagged `recipient_tag` also get the arguments tagged `argument_tag`."""

    __tablename__ = "argument_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    recipient_tag: Mapped[str] = mapped_column(String(80))
    argument_tag: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("campaign_id", "recipient_tag", "argument_tag"),)
