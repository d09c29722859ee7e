"""Replies to letters (imported or logged by hand), their attachments, learned sender addresses and notes."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import db, enum_type, utcnow
from campaign.models.common import TimestampMixin

if TYPE_CHECKING:
    from campaign.models.campaigns import Campaign
    from campaign.models.letters import Letter
    from campaign.models.recipients import Recipient
    from campaign.models.users import User


class ReplyChannel(enum.StrEnum):
    EMAIL = "email"
    POST = "post"
    PHONE = "phone"
    IN_PERSON = "in_person"
    PUBLIC_STATEMENT = "public_statement"
    SUPPORTER_REPORT = "supporter_report"
    OTHER = "other"


class ReplyKind(enum.StrEnum):
    """What arrived: an answer by a person, an auto-responder's message, or a delivery failure report."""

    REPLY = "reply"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"


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


# The source of a reply logged by hand on the recipient's page (services.replies.records.log_reply).
LOGGED_BY_HAND = "manual"


class Reply(TimestampMixin, db.Model):
    """One reply; without a campaign it waits in the inbox of unmatched mail for a coordinator."""

    __tablename__ = "replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="SET NULL"), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("recipients.id", ondelete="SET NULL"), index=True)
    kind: Mapped[ReplyKind] = mapped_column(enum_type(ReplyKind), default=ReplyKind.REPLY, index=True)
    channel: Mapped[ReplyChannel] = mapped_column(enum_type(ReplyChannel), default=ReplyChannel.EMAIL)
    received_at: Mapped[datetime]
    from_address: Mapped[str] = mapped_column(String(254), default="")
    from_name: Mapped[str] = mapped_column(String(200), default="")
    # The sender's domain, so the suggestion rule finds an office's earlier replies without scanning every row.
    sender_domain: Mapped[str] = mapped_column(String(254), default="", index=True)
    to_address: Mapped[str] = mapped_column(String(254), default="")
    # Who forwarded the reply to us, when the office's answer reached the campaign as a forward.
    forwarded_by: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    # The answer itself: without the quoted original and the signature.
    body_text: Mapped[str] = mapped_column(Text, default="")
    # Everything the message said, decoded, so nothing the text extraction removed is lost.
    original_text: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    in_reply_to: Mapped[str] = mapped_column(String(255), default="")
    # How the reply was tied to its letter: message_id, reference, reply_address, sender, manual; "" = unmatched.
    match_method: Mapped[str] = mapped_column(String(20), default="")
    # Where it came from: imap, file, upload, manual.
    source: Mapped[str] = mapped_column(String(20), default=LOGGED_BY_HAND)
    # For a bounce: the address that could not be reached.
    failed_address: Mapped[str] = mapped_column(String(254), default="")
    # The confirmed quality (UNCLASSIFIED until a coordinator decides) and the rule's suggestion.
    quality: Mapped[ReplyQuality] = mapped_column(enum_type(ReplyQuality), default=ReplyQuality.UNCLASSIFIED)
    suggested_quality: Mapped[ReplyQuality] = mapped_column(
        enum_type(ReplyQuality, name="suggestedquality"), default=ReplyQuality.UNCLASSIFIED
    )
    # Hash of the normalised text: the same form letter from one office has the same fingerprint.
    text_fingerprint: Mapped[str] = mapped_column(String(64), default="", index=True)
    stance: Mapped[ReplyStance] = mapped_column(enum_type(ReplyStance), default=ReplyStance.UNCLEAR)
    commitments: Mapped[str] = mapped_column(Text, default="")
    publication_allowed: Mapped[bool] = mapped_column(default=False)
    follow_up_on: Mapped[date | None]
    classified_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The follow-up („Nachfrage“) this answer came to; `letter` is then the first letter, for which it counts.
    follow_up_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="SET NULL"), default=None)

    campaign: Mapped[Campaign | None] = relationship()
    letter: Mapped[Letter | None] = relationship(foreign_keys=[letter_id])
    follow_up: Mapped[Letter | None] = relationship(foreign_keys=[follow_up_id])
    recipient: Mapped[Recipient | None] = relationship()
    handled_by: Mapped[User | None] = relationship()
    attachments: Mapped[list[ReplyAttachment]] = relationship(
        back_populates="reply", order_by="ReplyAttachment.id", cascade="all, delete-orphan"
    )

    @property
    def is_matched(self) -> bool:
        return self.campaign_id is not None

    @property
    def date_only(self) -> bool:
        """Whether only its day is known: a reply logged by hand (post, phone, in person) is given a date, no time.

        Its received_at is noon of that day; everything that came by mail (source imap, upload …) has a real time.
        """
        return self.source == LOGGED_BY_HAND

    @property
    def counts_as_reply(self) -> bool:
        """Auto-replies and bounces are kept, but never counted as an answer."""
        return self.kind is ReplyKind.REPLY


class ReplyAttachment(db.Model):
    """A file that came with a reply (a PDF letter, a scan); `data` is empty when it was refused (see `note`)."""

    __tablename__ = "reply_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reply: Mapped[Reply] = relationship(back_populates="attachments")

    @property
    def is_stored(self) -> bool:
        return self.data is not None


class RecipientAddress(db.Model):
    """Another address a recipient answers from (an office, an assistant), learned when a coordinator assigned mail."""

    __tablename__ = "recipient_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipients.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    email_canonical: Mapped[str] = mapped_column(String(254), unique=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recipient: Mapped[Recipient] = relationship()


class TrackingNote(db.Model):
    """A coordinator's note on a recipient within a campaign („angerufen, Rückruf zugesagt“)."""

    __tablename__ = "tracking_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipients.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship()


class MailboxState(db.Model):
    """What was fetched from one IMAP mailbox: the UIDs seen so far, and which worker is fetching now."""

    __tablename__ = "mailbox_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    # user@host:port/folder (never the password).
    mailbox: Mapped[str] = mapped_column(String(500), unique=True)
    uid_validity: Mapped[int] = mapped_column(BigInteger, default=0)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    # A fetch run holds the mailbox until then, so two workers never import the same message at once.
    leased_until: Mapped[datetime | None]
    last_polled_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
