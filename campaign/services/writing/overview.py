"""What organisers and the dashboard see of supporters' letters: the list, the variation, the questionnaire figures.

The dashboard's figures on these letters are counted in campaign.services.dashboard.supporter_letters, with the
dashboard's definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from campaign.models import Campaign, Recipient, SupporterLetter, SupporterLetterStatus
from campaign.services.writing.variation import Cluster, clusters, near_identical

_W = SupporterLetterStatus
# Own-words share buckets for the organisers' overview: below 10 %, 10–30 %, 30–60 %, 60 % and more.
BUCKETS = ((0.0, 0.1), (0.1, 0.3), (0.3, 0.6), (0.6, 1.01))
PER_PAGE = 100


def letters_of(
    session: Session, campaign: Campaign, status: SupporterLetterStatus | None = None, limit: int = PER_PAGE
):
    """The campaign's supporter letters, newest first (with recipient and letter loaded)."""
    query = (
        select(SupporterLetter)
        .where(SupporterLetter.campaign_id == campaign.id)
        .options(selectinload(SupporterLetter.recipient), selectinload(SupporterLetter.letter))
        .order_by(SupporterLetter.id.desc())
        .limit(limit)
    )
    if status is not None:
        query = query.where(SupporterLetter.status == status)
    return list(session.scalars(query))


def letter_of(session: Session, campaign: Campaign, letter_id: int) -> SupporterLetter | None:
    letter = session.get(SupporterLetter, letter_id)
    return letter if letter is not None and letter.campaign_id == campaign.id else None


def status_counts(session: Session, campaign: Campaign) -> dict[SupporterLetterStatus, int]:
    rows = session.execute(
        select(SupporterLetter.status, func.count())
        .where(SupporterLetter.campaign_id == campaign.id)
        .group_by(SupporterLetter.status)
    )
    counts = dict.fromkeys(SupporterLetterStatus, 0)
    counts.update(dict(rows.all()))
    return counts


@dataclass(frozen=True)
class RecipientCluster:
    recipient: Recipient | None
    cluster: Cluster


@dataclass
class VariationSummary:
    """The share of own words across sent letters, and groups of near-identical letters per recipient."""

    letters: int = 0
    median_share: float = 0.0
    # (from, to, letters): the bounds in percent, written by the page in its language's notation.
    buckets: list[tuple[int, int, int]] = field(default_factory=list)
    clusters: list[RecipientCluster] = field(default_factory=list)
    # Letter id → how many of these letters to the same person it is nearly identical to (counted now, as the
    # groups are: the number stored with a letter counted only the letters sent before it was written).
    similar: dict[int, int] = field(default_factory=dict)


def variation(session: Session, campaign: Campaign) -> VariationSummary:
    """Own-words shares and near-identical clusters of the sent and held letters (compared per recipient)."""
    rows = session.execute(
        select(SupporterLetter.id, SupporterLetter.recipient_id, SupporterLetter.letter_text, SupporterLetter.own_share)
        .where(SupporterLetter.campaign_id == campaign.id, SupporterLetter.status.in_((_W.SENT, _W.HELD)))
        .order_by(SupporterLetter.id)
    ).all()
    summary = VariationSummary(letters=len(rows))
    if not rows:
        return summary
    shares = [row.own_share for row in rows]
    summary.median_share = round(median(shares), 3)
    for low, high in BUCKETS:
        count = sum(1 for share in shares if low <= share < high)
        summary.buckets.append((round(low * 100), min(100, round(high * 100)), count))
    by_recipient: dict[int | None, list[tuple[int, str]]] = {}
    for row in rows:
        by_recipient.setdefault(row.recipient_id, []).append((row.id, row.letter_text))
    for recipient_id, letters in by_recipient.items():
        recipient = session.get(Recipient, recipient_id) if recipient_id else None
        partners = near_identical(letters)
        summary.similar.update((letter_id, len(others)) for letter_id, others in partners.items())
        found = clusters(letters, partners=partners)
        summary.clusters.extend(RecipientCluster(recipient, cluster) for cluster in found)
    summary.clusters.sort(key=lambda item: -len(item.cluster.ids))
    return summary
