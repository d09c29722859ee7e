"""What needs doing: letters that bounced, addresses known to fail, follow-ups due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Campaign, Letter, Recipient, Reply, ReplyKind
from campaign.services.replies.board import due_condition
from campaign.services.replies.followups import due_counts

SHOWN = 50


@dataclass(frozen=True)
class FailingAddress:
    recipient_id: int
    name: str
    email: str
    reason: str
    failed_at: datetime | None


@dataclass(frozen=True)
class Attention:
    failing: list[FailingAddress]
    failing_total: int
    bounce_reports: int
    follow_ups_due: int
    # The longest-waiting unanswered letters.
    oldest_due: list[Letter]


def failing_addresses(session: Session, campaign: Campaign, *, limit: int = SHOWN) -> tuple[list[FailingAddress], int]:
    """Recipients of the campaign's letters whose e-mail address failed for good, and how many there are."""
    written = select(Letter.recipient_id).where(Letter.campaign_id == campaign.id, Letter.recipient_id.is_not(None))
    where = (Recipient.id.in_(written), Recipient.email_failed_at.is_not(None))
    total = session.scalar(select(func.count(Recipient.id)).where(*where)) or 0
    recipients = session.scalars(
        select(Recipient).where(*where).order_by(Recipient.email_failed_at.desc(), Recipient.id).limit(limit)
    )
    return [FailingAddress(r.id, r.full_name, r.email, r.email_failure, r.email_failed_at) for r in recipients], total


def attention(session: Session, campaign: Campaign, *, now: datetime | None = None) -> Attention:
    now = now or utcnow()
    failing, total = failing_addresses(session, campaign)
    reports = session.scalar(
        select(func.count(Reply.id)).where(Reply.campaign_id == campaign.id, Reply.kind == ReplyKind.BOUNCE)
    )
    oldest = session.scalars(
        select(Letter)
        .where(Letter.campaign_id == campaign.id, due_condition(campaign, now))
        .order_by(Letter.sent_at, Letter.id)
        .limit(10)
    )
    return Attention(
        failing=failing,
        failing_total=total,
        bounce_reports=reports or 0,
        follow_ups_due=due_counts(session, [campaign], now=now)[campaign.id],
        oldest_due=list(oldest),
    )
