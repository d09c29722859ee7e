"""The headline figures of a campaign: letters sent and answered, the two rates, automatic mail, signatures."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Letter, LetterStatus, Reply, ReplyKind, ReplyQuality
from campaign.services.dashboard.definitions import (
    AUTOMATIC_REPLY,
    CAMPAIGN_LETTER,
    COUNTED_REPLY,
    SUPPORTER_REPORT,
    letter_flags,
    letter_sent,
    rate,
)
from campaign.services.dashboard.signatures import confirmed_total


@dataclass(frozen=True)
class Headline:
    """What `campaign stats` prints; the JSON keys are the field names."""

    letters_sent: int
    letters_replied: int
    letters_substantive: int
    response_rate: float
    substantive_rate: float
    auto_replies: int
    bounces: int
    unclassified: int
    signatures_confirmed: int
    median_days_to_reply: float | None

    def as_dict(self) -> dict[str, int | float | None]:
        return asdict(self)


def letter_counts(session: Session, campaign: Campaign) -> tuple[int, int, int]:
    """Sent letters, those answered, those answered substantively: one pass over the campaign's sent letters."""
    flags = letter_flags(campaign.id)
    sent, answered, substantive = session.execute(
        select(func.count(Letter.id), func.sum(flags.c.answered), func.sum(flags.c.substantive))
        .outerjoin(flags, flags.c.letter_id == Letter.id)
        .where(Letter.campaign_id == campaign.id, letter_sent())
    ).one()
    return sent or 0, int(answered or 0), int(substantive or 0)


def days_to_first_reply(session: Session, campaign: Campaign) -> list[float]:
    """Per answered letter with a sending date: days from sending to its first reply that counts."""
    first = (
        select(Reply.letter_id, func.min(Reply.received_at).label("received_at"))
        .where(Reply.campaign_id == campaign.id, COUNTED_REPLY, Reply.letter_id.is_not(None))
        .group_by(Reply.letter_id)
        .subquery()
    )
    rows = session.execute(
        select(Letter.sent_at, first.c.received_at)
        .join(first, first.c.letter_id == Letter.id)
        .where(Letter.campaign_id == campaign.id, letter_sent(), Letter.sent_at.is_not(None))
    )
    return [max(0.0, (received - sent).total_seconds() / 86400) for sent, received in rows]


def median_days(days: list[float]) -> float | None:
    return round(statistics.median(days), 1) if days else None


def headline(
    session: Session, campaign: Campaign, *, days: list[float] | None = None, refresh: bool = True
) -> Headline:
    """The campaign's headline figures (`days`: the reply times, when the caller has them already)."""
    sent, answered, substantive = letter_counts(session, campaign)
    automatic = session.scalar(select(func.count(Reply.id)).where(Reply.campaign_id == campaign.id, AUTOMATIC_REPLY))
    unclassified = session.scalar(
        select(func.count(Reply.id)).where(
            Reply.campaign_id == campaign.id,
            COUNTED_REPLY,
            Reply.quality == ReplyQuality.UNCLASSIFIED,
            ~SUPPORTER_REPORT,
        )
    )
    return Headline(
        letters_sent=sent,
        letters_replied=answered,
        letters_substantive=substantive,
        response_rate=rate(answered, sent),
        substantive_rate=rate(substantive, sent),
        auto_replies=automatic or 0,
        bounces=bounced_letters(session, campaign),
        unclassified=unclassified or 0,
        signatures_confirmed=confirmed_total(session, campaign, refresh=refresh),
        median_days_to_reply=median_days(days if days is not None else days_to_first_reply(session, campaign)),
    )


def bounced_letters(session: Session, campaign: Campaign) -> int:
    """Letters that did not arrive: bounced at sending, or a bounce report came back for them."""
    bounce_reported = select(Reply.letter_id).where(
        Reply.campaign_id == campaign.id, Reply.kind == ReplyKind.BOUNCE, Reply.letter_id.is_not(None)
    )
    return (
        session.scalar(
            select(func.count(Letter.id)).where(
                Letter.campaign_id == campaign.id,
                CAMPAIGN_LETTER,
                (Letter.status == LetterStatus.BOUNCED) | Letter.id.in_(bounce_reported),
            )
        )
        or 0
    )
