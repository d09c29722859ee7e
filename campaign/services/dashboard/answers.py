"""What the answers say and when they came: stance of those who answered, commitments, time to reply."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Letter, Reply, ReplyStance
from campaign.services.dashboard.definitions import COUNTED_REPLY, letter_sent
from campaign.services.dashboard.signatures import DayCount, per_german_day

# Upper bounds (in whole days) of the reply-time buckets; the last bucket is open.
REPLY_TIME_BUCKETS = (3, 7, 14, 28)
COMMITMENTS_SHOWN = 100


@dataclass(frozen=True)
class Bucket:
    label: str
    count: int


@dataclass(frozen=True)
class Commitment:
    recipient: str
    recipient_id: int | None
    text: str
    received_at: datetime


def _latest_answers(session: Session, campaign: Campaign) -> dict[int, ReplyStance]:
    """Per answered sent letter, the stance of its newest reply that counts."""
    rows = session.execute(
        select(Reply.letter_id, Reply.stance)
        .join(Letter, Letter.id == Reply.letter_id)
        .where(Reply.campaign_id == campaign.id, COUNTED_REPLY, letter_sent())
        .order_by(Reply.received_at, Reply.id)
    )
    return dict(rows.all())  # later rows overwrite earlier ones: the newest answer wins


def stance_breakdown(session: Session, campaign: Campaign) -> list[Bucket]:
    """How the answered letters' recipients stand, in the order of the stance scale (every stance listed)."""
    counts = Counter(_latest_answers(session, campaign).values())
    order = (ReplyStance.SUPPORTIVE, ReplyStance.PARTLY, ReplyStance.NEUTRAL, ReplyStance.OPPOSED, ReplyStance.UNCLEAR)
    return [Bucket(stance, counts.get(stance, 0)) for stance in order]


def reply_time_buckets(days: list[float]) -> list[Bucket]:
    """The reply times (in days) counted per bucket: "0–3", "4–7", … and "> 28"."""
    counts = [0] * (len(REPLY_TIME_BUCKETS) + 1)
    for value in days:
        whole = int(value)
        index = next((i for i, bound in enumerate(REPLY_TIME_BUCKETS) if whole <= bound), len(REPLY_TIME_BUCKETS))
        counts[index] += 1
    labels, lower = [], 0
    for bound in REPLY_TIME_BUCKETS:
        labels.append(f"{lower}–{bound}")
        lower = bound + 1
    labels.append(f"> {REPLY_TIME_BUCKETS[-1]}")
    return [Bucket(label, count) for label, count in zip(labels, counts, strict=True)]


def commitments(session: Session, campaign: Campaign, *, limit: int = COMMITMENTS_SHOWN) -> list[Commitment]:
    """What recipients promised in their answers (newest first)."""
    rows = session.execute(
        select(Letter.recipient_name, Letter.recipient_id, Reply.commitments, Reply.received_at)
        .join(Letter, Letter.id == Reply.letter_id)
        .where(Reply.campaign_id == campaign.id, COUNTED_REPLY, Reply.commitments != "")
        .order_by(Reply.received_at.desc(), Reply.id.desc())
        .limit(limit)
    )
    return [Commitment(*row) for row in rows]


def letters_sent_per_day(session: Session, campaign: Campaign) -> list[DayCount]:
    """Sent letters per German day of sending (letters without a sending date are left out)."""
    counts = per_german_day(
        session, Letter.sent_at, Letter.campaign_id == campaign.id, letter_sent(), Letter.sent_at.is_not(None)
    )
    days, total = [], 0
    for day, count in sorted(counts.items()):
        total += count
        days.append(DayCount(day, count, total))
    return days


def sent_without_date(session: Session, campaign: Campaign) -> int:
    return (
        session.scalar(
            select(func.count(Letter.id)).where(
                Letter.campaign_id == campaign.id, letter_sent(), Letter.sent_at.is_(None)
            )
        )
        or 0
    )
