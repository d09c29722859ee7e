"""The team's view of a campaign's signatures: search, filter by state, figures per state."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from campaign.models import Campaign, Signature, SignatureStatus, Supporter
from campaign.services.common.pagination import Page, paginate
from campaign.services.common.search import contains_text


@dataclass(frozen=True)
class SignatureFilter:
    query: str = ""
    status: SignatureStatus | None = None


def signatures_page(
    session: Session, campaign: Campaign, filters: SignatureFilter, *, page: int = 1, per_page: int = 50
) -> Page[Signature]:
    """The campaign's signatures matching the filter, newest first, with their supporters."""
    statement = (
        select(Signature)
        .outerjoin(Supporter, Supporter.id == Signature.supporter_id)
        .options(joinedload(Signature.supporter))
        .where(Signature.campaign_id == campaign.id)
        .order_by(Signature.created_at.desc(), Signature.id.desc())
    )
    if filters.status is not None:
        statement = statement.where(Signature.status == filters.status)
    words = filters.query.split()
    for word in words[:5]:
        searched = (
            Supporter.first_name,
            Supporter.last_name,
            Supporter.email,
            Supporter.city,
            Supporter.postcode,
            Signature.organisation,
        )
        statement = statement.where(or_(*(contains_text(column, word) for column in searched)))
    return paginate(session, statement, page=page, per_page=per_page)


def status_counts(session: Session, campaign: Campaign) -> dict[SignatureStatus, int]:
    """How many of the campaign's signatures are in each state (every state listed)."""
    rows = session.execute(
        select(Signature.status, func.count()).where(Signature.campaign_id == campaign.id).group_by(Signature.status)
    )
    counts = dict.fromkeys(SignatureStatus, 0)
    counts.update(dict(rows.all()))
    return counts


def signature_of(session: Session, campaign: Campaign, signature_id: int) -> Signature | None:
    return session.scalar(select(Signature).where(Signature.id == signature_id, Signature.campaign_id == campaign.id))
