"""The inbox: mail no rule could tie to a letter, waiting for a coordinator to assign it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import Reply, ReplyKind
from campaign.services.common.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from campaign.services.replies.matching import Match, match_sender


def inbox_count(session: Session) -> int:
    """Unmatched answers by people (auto-replies and bounces without a letter are listed, but not counted)."""
    return (
        session.scalar(select(func.count(Reply.id)).where(Reply.campaign_id.is_(None), Reply.kind == ReplyKind.REPLY))
        or 0
    )


def inbox_page(
    session: Session, *, include_automatic: bool = False, page: int = 1, per_page: int = DEFAULT_PAGE_SIZE
) -> Page[Reply]:
    statement = select(Reply).where(Reply.campaign_id.is_(None))
    if not include_automatic:
        statement = statement.where(Reply.kind == ReplyKind.REPLY)
    return paginate(
        session, statement.order_by(Reply.received_at.desc(), Reply.id.desc()), page=page, per_page=per_page
    )


def sender_hint(session: Session, reply: Reply) -> Match:
    """Whom the sender's address belongs to, if anyone: a hint shown beside an inbox item."""
    return match_sender(session, reply.from_address)
