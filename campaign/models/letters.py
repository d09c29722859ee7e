"""Letters: one rendered, immutable-once-sent snapshot per recipient or supporter copy."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import db, enum_type
from campaign.models.common import StatefulMixin, TimestampMixin
from campaign.models.recipients import Channel

if TYPE_CHECKING:
    from campaign.models.campaigns import Campaign, TemplateVersion
    from campaign.models.recipients import Recipient
    from campaign.models.supporters import Supporter


class LetterStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    BOUNCED = "bounced"
    REPLIED = "replied"


class LetterKind(enum.StrEnum):
    """A campaign's letter, a follow-up („Nachfrage“) to one of them, or a copy a supporter sent."""

    LETTER = "letter"
    FOLLOW_UP = "follow_up"
    SUPPORTER_COPY = "supporter_copy"


_L = LetterStatus


class Letter(StatefulMixin, TimestampMixin, db.Model):
    __tablename__ = "letters"

    TRANSITIONS: ClassVar = {
        _L.DRAFT: frozenset({_L.APPROVED}),
        # APPROVED → SENT: a printed letter was posted or handed over in person (`delivery` says which).
        _L.APPROVED: frozenset({_L.DRAFT, _L.QUEUED, _L.SENT}),
        # QUEUED → BOUNCED: the server refused the address for good (5xx at RCPT) before accepting the mail.
        # QUEUED → APPROVED: taken out of the queue before it was sent (cancelled).
        _L.QUEUED: frozenset({_L.SENT, _L.FAILED, _L.BOUNCED, _L.APPROVED}),
        _L.FAILED: frozenset({_L.QUEUED, _L.APPROVED}),
        _L.SENT: frozenset({_L.BOUNCED, _L.REPLIED}),
        # BOUNCED → DRAFT: the address was corrected; the letter is made again for the new address.
        _L.BOUNCED: frozenset({_L.DRAFT}),
        _L.REPLIED: frozenset(),
    }
    # From these states on, the rendered text is a record of what was sent and never changes.
    FROZEN: ClassVar = frozenset({_L.QUEUED, _L.SENT, _L.FAILED, _L.BOUNCED, _L.REPLIED})

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("recipients.id", ondelete="SET NULL"), index=True)
    supporter_id: Mapped[int | None] = mapped_column(ForeignKey("supporters.id", ondelete="SET NULL"), index=True)
    template_version_id: Mapped[int | None] = mapped_column(ForeignKey("template_versions.id", ondelete="RESTRICT"))
    reference_code: Mapped[str] = mapped_column(String(40), unique=True)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel), default=Channel.POST)
    status: Mapped[LetterStatus] = mapped_column(enum_type(LetterStatus), default=LetterStatus.DRAFT)
    # Snapshot of what was addressed and written, so later edits to the recipient change nothing.
    recipient_name: Mapped[str] = mapped_column(String(300), default="")
    recipient_email: Mapped[str] = mapped_column(String(254), default="")
    address_block: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    rendered_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    # Who generated the current text and who approved it (four-eyes: never the same person when required).
    prepared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # How a sent letter left: "email" by the outbox, "post" (posted on), "in_person" (handed over on).
    delivery: Mapped[str] = mapped_column(String(20), default="")
    delivered_on: Mapped[date | None]
    # A follow-up („Nachfrage“) to an unanswered letter: the letter it follows up. Unique, so a recipient never
    # gets a second follow-up to the same letter by accident; replies to it count for that first letter.
    follow_up_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("letters.id", ondelete="CASCADE"), unique=True, default=None
    )

    campaign: Mapped[Campaign] = relationship()
    recipient: Mapped[Recipient | None] = relationship()
    supporter: Mapped[Supporter | None] = relationship()
    template_version: Mapped[TemplateVersion | None] = relationship()
    follow_up_of: Mapped[Letter | None] = relationship(remote_side=[id], back_populates="follow_up")
    follow_up: Mapped[Letter | None] = relationship(back_populates="follow_up_of", uselist=False)

    @property
    def kind(self) -> LetterKind:
        if self.follow_up_of_id is not None:
            return LetterKind.FOLLOW_UP
        return LetterKind.SUPPORTER_COPY if self.supporter_id is not None else LetterKind.LETTER

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN


class ReferenceCounter(db.Model):
    """The last number handed out per reference prefix („NRW-2026“), so concurrent runs never share a code."""

    __tablename__ = "reference_counters"

    prefix: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)
