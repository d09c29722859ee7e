"""Transactional outbox: every e-mail is a row first, sent later by a job."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import db, enum_type, utcnow
from campaign.models.common import StatefulMixin

if TYPE_CHECKING:
    from campaign.models.letters import Letter
    from campaign.models.supporters import Signature


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"


_O = OutboxStatus


class OutboxMessage(StatefulMixin, db.Model):
    __tablename__ = "outbox_messages"

    TRANSITIONS: ClassVar = {
        # PENDING → DEAD: cancelled before it was sent.
        _O.PENDING: frozenset({_O.SENDING, _O.DEAD}),
        # SENDING → PENDING recovers a message whose worker died mid-send (at worst sent twice).
        _O.SENDING: frozenset({_O.SENT, _O.FAILED, _O.PENDING, _O.DEAD}),
        # FAILED waits for its next attempt (next_attempt_at), then is claimed again, or is given up.
        _O.FAILED: frozenset({_O.PENDING, _O.SENDING, _O.DEAD}),
        _O.SENT: frozenset(),
        _O.DEAD: frozenset({_O.PENDING}),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="SET NULL"), index=True)
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id", ondelete="SET NULL"), index=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300), default="")
    # The complete MIME message, built once, so a retry sends exactly the same bytes. A mail queued as a draft
    # (the fields of an OutgoingMail, see outbox.insert_mail) gets it when a worker first claims it.
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    draft: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(enum_type(OutboxStatus), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    # When a PENDING or FAILED message is due; for a SENDING message, when its worker's claim (lease) runs out.
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Held back while its campaign's sending is paused: not claimed, whatever next_attempt_at says.
    held: Mapped[bool] = mapped_column(default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    letter: Mapped[Letter | None] = relationship()
    signature: Mapped[Signature | None] = relationship()
