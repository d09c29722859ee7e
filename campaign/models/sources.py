"""Sources that arguments cite, with quoted passages."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import db, enum_type
from campaign.models.common import TimestampMixin


class SourceKind(enum.StrEnum):
    ARTICLE = "article"
    STUDY = "study"
    POLICY_BRIEF = "policy_brief"
    POSITION_PAPER = "position_paper"
    LAW = "law"
    PRESS = "press"
    WEBSITE = "website"
    OTHER = "other"


class DatePrecision(enum.StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Source(TimestampMixin, db.Model):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[SourceKind] = mapped_column(enum_type(SourceKind), default=SourceKind.ARTICLE)
    title: Mapped[str] = mapped_column(String(500))
    # "Nachname, Vorname" entries in citation order.
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    publisher: Mapped[str] = mapped_column(String(300), default="")
    published_on: Mapped[date | None]
    date_precision: Mapped[DatePrecision | None] = mapped_column(enum_type(DatePrecision))
    url: Mapped[str] = mapped_column(String(1000), default="")
    doi: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    quotes: Mapped[list[SourceQuote]] = relationship(
        back_populates="source", order_by="SourceQuote.position", cascade="all, delete-orphan"
    )


class SourceQuote(db.Model):
    """A verbatim passage of a source, with its page."""

    __tablename__ = "source_quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    page: Mapped[str] = mapped_column(String(40), default="")

    source: Mapped[Source] = relationship(back_populates="quotes")
