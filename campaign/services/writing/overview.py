"""What organisers and the dashboard see of supporters' letters: the list, the variation, the questionnaire figures.

Definitions (shown on the dashboard): a supporter's letter counts as sent once it went to the outbox or its writer
said they posted it; it never counts among the campaign's own letters ("Versandt"). Questionnaire figures count the
writers' answers, one per letter; "reported reply" means any of the three answers that say a reply came.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from campaign.models import Campaign, QuestionnaireAnswer, Recipient, SupporterLetter, SupporterLetterStatus
from campaign.services.writing.variation import Cluster, clusters

_W = SupporterLetterStatus
# Own-words share buckets for the organisers' overview: below 10 %, 10–30 %, 30–60 %, 60 % and more.
BUCKETS = ((0.0, 0.1), (0.1, 0.3), (0.3, 0.6), (0.6, 1.01))
REPORTED_REPLY = (QuestionnaireAnswer.ANSWERED, QuestionnaireAnswer.NOT_ANSWERED, QuestionnaireAnswer.ACKNOWLEDGED)
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
    buckets: list[tuple[str, int]] = field(default_factory=list)
    clusters: list[RecipientCluster] = field(default_factory=list)


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
        label = f"{round(low * 100)}–{min(100, round(high * 100))} %"
        summary.buckets.append((label, sum(1 for share in shares if low <= share < high)))
    by_recipient: dict[int | None, list[tuple[int, str]]] = {}
    for row in rows:
        by_recipient.setdefault(row.recipient_id, []).append((row.id, row.letter_text))
    for recipient_id, letters in by_recipient.items():
        recipient = session.get(Recipient, recipient_id) if recipient_id else None
        summary.clusters.extend(RecipientCluster(recipient, cluster) for cluster in clusters(letters))
    summary.clusters.sort(key=lambda item: -len(item.cluster.ids))
    return summary


@dataclass(frozen=True)
class WritingFigures:
    """The dashboard's figures on supporters' letters and the questionnaire."""

    sent: int
    by_email: int
    by_post: int
    waiting: int
    questionnaires: int
    answered: int
    answers: tuple[tuple[QuestionnaireAnswer, int], ...]
    reported_replies: int

    @property
    def reported_rate(self) -> float:
        return round(100 * self.reported_replies / self.answered, 1) if self.answered else 0.0


def writing_figures(session: Session, campaign: Campaign) -> WritingFigures:
    rows = session.execute(
        select(
            SupporterLetter.status,
            SupporterLetter.delivery,
            SupporterLetter.questionnaire_sent_at,
            SupporterLetter.answer,
        ).where(SupporterLetter.campaign_id == campaign.id)
    ).all()
    sent = [row for row in rows if row.status is _W.SENT]
    answers = Counter(row.answer for row in sent if row.answer is not None)
    return WritingFigures(
        sent=len(sent),
        by_email=sum(1 for row in sent if row.delivery == "email"),
        by_post=sum(1 for row in sent if row.delivery == "post"),
        waiting=sum(1 for row in rows if row.status in (_W.PENDING, _W.HELD, _W.TO_POST)),
        questionnaires=sum(1 for row in sent if row.questionnaire_sent_at is not None),
        answered=sum(answers.values()),
        answers=tuple((answer, answers.get(answer, 0)) for answer in QuestionnaireAnswer),
        reported_replies=sum(answers.get(answer, 0) for answer in REPORTED_REPLY),
    )
