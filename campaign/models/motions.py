"""Party motions and the passages (provisions) we take a stance on."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import db, enum_type
from campaign.models.common import TimestampMixin

if TYPE_CHECKING:
    from campaign.models.arguments import Argument


class MotionKind(enum.StrEnum):
    LEITANTRAG = "leitantrag"
    ANTRAG = "antrag"
    POSITIONSPAPIER = "positionspapier"
    RESOLUTION = "resolution"
    OTHER = "other"


class MotionStatus(enum.StrEnum):
    DRAFT = "draft"
    PRESENTED = "presented"
    AMENDED = "amended"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Stance(enum.StrEnum):
    OPPOSE = "oppose"
    WELCOME = "welcome"
    AMEND = "amend"
    NEUTRAL = "neutral"


class Motion(TimestampMixin, db.Model):
    __tablename__ = "motions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[MotionKind] = mapped_column(enum_type(MotionKind), default=MotionKind.ANTRAG)
    party: Mapped[str] = mapped_column(String(120), default="")
    body: Mapped[str] = mapped_column(String(200), default="")
    presented_on: Mapped[date | None]
    decision_forum: Mapped[str] = mapped_column(String(200), default="")
    decision_date: Mapped[date | None]
    status: Mapped[MotionStatus] = mapped_column(enum_type(MotionStatus), default=MotionStatus.PRESENTED)
    source_url: Mapped[str] = mapped_column(String(500), default="")
    full_text: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None]

    provisions: Mapped[list[Provision]] = relationship(
        back_populates="motion", order_by="Provision.position", cascade="all, delete-orphan"
    )


class Provision(TimestampMixin, db.Model):
    """A passage of a motion, addressed by its line range in the numbered full text."""

    __tablename__ = "provisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    stance: Mapped[Stance] = mapped_column(enum_type(Stance), default=Stance.OPPOSE)
    line_from: Mapped[int | None]
    line_to: Mapped[int | None]
    # Draft replacement text for an amendment (Änderungsantrag); empty if none.
    amendment_text: Mapped[str] = mapped_column(Text, default="")

    motion: Mapped[Motion] = relationship(back_populates="provisions")
    arguments: Mapped[list[Argument]] = relationship(secondary="argument_provisions", back_populates="provisions")

    __table_args__ = (UniqueConstraint("motion_id", "key"),)
