"""Reusable argument sets: claims with a letter paragraph, linked to provisions and sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import db, enum_type
from campaign.models.common import TimestampMixin
from campaign.models.motions import Stance

if TYPE_CHECKING:
    from campaign.models.motions import Provision
    from campaign.models.sources import Source, SourceQuote

argument_provisions = Table(
    "argument_provisions",
    db.metadata,
    Column("argument_id", ForeignKey("arguments.id", ondelete="CASCADE"), primary_key=True),
    Column("provision_id", ForeignKey("provisions.id", ondelete="CASCADE"), primary_key=True),
)


class ArgumentSet(TimestampMixin, db.Model):
    __tablename__ = "argument_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")

    arguments: Mapped[list[Argument]] = relationship(
        back_populates="argument_set", order_by="Argument.position", cascade="all, delete-orphan"
    )


class Argument(TimestampMixin, db.Model):
    __tablename__ = "arguments"

    id: Mapped[int] = mapped_column(primary_key=True)
    argument_set_id: Mapped[int] = mapped_column(ForeignKey("argument_sets.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    claim: Mapped[str] = mapped_column(String(500))
    # The letter paragraph, in a small sanitised Markdown subset.
    paragraph: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    stance: Mapped[Stance] = mapped_column(enum_type(Stance), default=Stance.OPPOSE)

    argument_set: Mapped[ArgumentSet] = relationship(back_populates="arguments")
    provisions: Mapped[list[Provision]] = relationship(secondary=argument_provisions, back_populates="arguments")
    citations: Mapped[list[Citation]] = relationship(
        back_populates="argument", order_by="Citation.position", cascade="all, delete-orphan"
    )


class Citation(db.Model):
    """An argument's reference to a source, optionally to one quoted passage and page."""

    __tablename__ = "citations"

    id: Mapped[int] = mapped_column(primary_key=True)
    argument_id: Mapped[int] = mapped_column(ForeignKey("arguments.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("source_quotes.id", ondelete="SET NULL"))
    page: Mapped[str] = mapped_column(String(40), default="")
    position: Mapped[int] = mapped_column(default=0)

    argument: Mapped[Argument] = relationship(back_populates="citations")
    source: Mapped[Source] = relationship()
    quote: Mapped[SourceQuote | None] = relationship()
