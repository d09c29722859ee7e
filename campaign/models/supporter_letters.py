"""Letters supporters write themselves: the postcode table, per-campaign settings, open recipients, the letters."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import db, enum_type, utcnow
from campaign.models.common import StatefulMixin, TimestampMixin

if TYPE_CHECKING:
    from campaign.models.campaigns import Campaign
    from campaign.models.letters import Letter
    from campaign.models.recipients import Recipient
    from campaign.models.replies import Reply
    from campaign.models.supporters import Supporter


class AreaKind(enum.StrEnum):
    """The recipient field a postcode area is matched against."""

    UNTERBEZIRK = "unterbezirk"
    KREIS = "kreis"
    WAHLKREIS = "wahlkreis"
    KOMMUNE = "kommune"


class PostcodeArea(db.Model):
    """One row of the organisers' postcode table: postcode 40210 lies in Wahlkreis „Düsseldorf I“."""

    __tablename__ = "postcode_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    postcode: Mapped[str] = mapped_column(String(10), index=True)
    kind: Mapped[AreaKind] = mapped_column(enum_type(AreaKind))
    area: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("postcode", "kind", "area"),)


class WritingSettings(TimestampMixin, db.Model):
    """One row per campaign whose supporters may write their own letters (made when first set up)."""

    __tablename__ = "writing_settings"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    # Hold confirmed letters until someone of the team approves them (else they go out at once).
    moderated: Mapped[bool] = mapped_column(default=False)
    # Refuse letters nearly identical to `similar_limit` or more letters already sent to the same recipient.
    block_similar: Mapped[bool] = mapped_column(default=False)
    similar_limit: Mapped[int] = mapped_column(default=3)
    # The questionnaire goes out this many days after sending; the reminder as many days later.
    questionnaire_days: Mapped[int] = mapped_column(default=14)

    campaign: Mapped[Campaign] = relationship()


class OpenRecipient(db.Model):
    """A recipient of the campaign that every supporter may choose, whatever their postcode."""

    __tablename__ = "open_recipients"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipients.id", ondelete="CASCADE"), primary_key=True)


class SupporterLetterStatus(enum.StrEnum):
    PENDING = "pending"
    HELD = "held"
    TO_POST = "to_post"
    SENT = "sent"
    REJECTED = "rejected"


class QuestionnaireAnswer(enum.StrEnum):
    ANSWERED = "answered"
    NOT_ANSWERED = "not_answered"
    ACKNOWLEDGED = "acknowledged"
    NO_REPLY = "no_reply"


_W = SupporterLetterStatus


class SupporterLetter(StatefulMixin, TimestampMixin, db.Model):
    """A letter a supporter wrote to one recipient: their choice of arguments, own words, details and answers.

    The Letter row (the record of what went to the office) is made when it is sent; until then this holds it.
    """

    __tablename__ = "supporter_letters"

    TRANSITIONS: ClassVar = {
        # Confirmed by the link: sent by e-mail at once, held for approval, or waiting for the supporter to post it.
        _W.PENDING: frozenset({_W.HELD, _W.TO_POST, _W.SENT}),
        _W.HELD: frozenset({_W.SENT, _W.REJECTED}),
        _W.TO_POST: frozenset({_W.SENT}),
        _W.SENT: frozenset(),
        _W.REJECTED: frozenset(),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    supporter_id: Mapped[int | None] = mapped_column(ForeignKey("supporters.id", ondelete="SET NULL"), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("recipients.id", ondelete="SET NULL"), index=True)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="SET NULL"), index=True)
    status: Mapped[SupporterLetterStatus] = mapped_column(enum_type(SupporterLetterStatus), default=_W.PENDING)
    # "email": the tool sends it; "post": the supporter prints and posts it.
    delivery: Mapped[str] = mapped_column(String(10), default="email")
    argument_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    own_text: Mapped[str] = mapped_column(Text, default="")
    # The letter's text between greeting and closing, as compared with other letters.
    letter_text: Mapped[str] = mapped_column(Text, default="")
    own_share: Mapped[float] = mapped_column(Float, default=0.0)
    # How many letters to the same recipient this one nearly matched when it was written.
    similar_count: Mapped[int] = mapped_column(default=0)
    reference_code: Mapped[str] = mapped_column(String(40), default="")
    # The writer's details (cleared when they are erased; the letter sent keeps what it said).
    first_name: Mapped[str] = mapped_column(String(120), default="")
    last_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    consent_version: Mapped[str] = mapped_column(String(40), default="")
    consented_at: Mapped[datetime | None]
    # Random; with SECRET_KEY it makes the links again for later mails (services.signing.tokens). A copy of the
    # database alone opens nothing: only hashes of the tokens are stored, for confirming and for the letter's page.
    token_seed: Mapped[str] = mapped_column(String(32), default="")
    confirm_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    access_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Where the supporter wrote it (links in later mails start with it when PUBLIC_URL is not set).
    site_url: Mapped[str] = mapped_column(String(300), default="")
    # The language of the pages the letter was written on: the mails to the writer are in it.
    locale: Mapped[str] = mapped_column(String(8), default="de", server_default="de")
    confirmed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    questionnaire_sent_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    answer: Mapped[QuestionnaireAnswer | None] = mapped_column(enum_type(QuestionnaireAnswer))
    answered_at: Mapped[datetime | None]
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="SET NULL"))

    campaign: Mapped[Campaign] = relationship()
    supporter: Mapped[Supporter | None] = relationship()
    recipient: Mapped[Recipient | None] = relationship()
    letter: Mapped[Letter | None] = relationship()
    reply: Mapped[Reply | None] = relationship()

    @property
    def writer_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)
