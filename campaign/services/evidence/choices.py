"""What the evidence forms offer to choose from: motions by title, and the source or passage a choice names."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import Motion, Source, SourceQuote
from campaign.services.common.errors import ServiceError


def motions_by_title(session: Session) -> list[Motion]:
    """Every motion, archived ones too, by title regardless of case."""
    return list(session.scalars(select(Motion).order_by(func.lower(Motion.title), Motion.id)))


def cited_reference(session: Session, value: str) -> tuple[Source, SourceQuote | None]:
    """The source ("source:<id>") or the quoted passage and its source ("quote:<id>") a citation choice names."""
    kind, _sep, number = (value or "").partition(":")
    if not number.isdigit():
        raise ServiceError(_("Bitte eine Quelle wählen."), "reference")
    if kind == "quote":
        quote = session.get(SourceQuote, int(number))
        if quote is None:
            raise ServiceError(_("Diese Textstelle gibt es nicht mehr."), "reference")
        return quote.source, quote
    source = session.get(Source, int(number)) if kind == "source" else None
    if source is None:
        raise ServiceError(_("Diese Quelle gibt es nicht mehr."), "reference")
    return source, None
