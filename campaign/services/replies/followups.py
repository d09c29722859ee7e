"""Follow-ups: sent letters without an answer after the campaign's period, and answers with a follow-up date.

This module says whom to follow up and when; the follow-up letter itself (a template per campaign, sent through
the letter pipeline) is made by campaign.services.replies.follow_up_letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Campaign, Letter, Reply, ReplyKind, User
from campaign.services.common.audit import record
from campaign.services.common.dates import german_day, short_date
from campaign.services.common.errors import ServiceError
from campaign.services.replies.board import due_condition

MIN_DAYS, MAX_DAYS = 1, 365


@dataclass(frozen=True)
class DueFollowUp:
    letter: Letter
    # Days since the letter went out, or the reply whose follow-up date has come.
    days_waiting: int
    reply: Reply | None = None

    @property
    def reason(self) -> str:
        if self.reply is not None and self.reply.follow_up_on:
            return _("Nachfassen vereinbart zum %(date)s", date=short_date(self.reply.follow_up_on))
        return _("seit %(days)s Tagen keine Antwort", days=self.days_waiting)


def _days_since(letter: Letter, now: datetime) -> int:
    """Days since the letter left: by mail at its sending time, on paper on the day it was posted or handed over."""
    if letter.delivered_on is not None:  # its sent_at is only noon of that day (services.sending.offline)
        return (german_day(now) - letter.delivered_on).days
    return (now - letter.sent_at).days if letter.sent_at else 0


def _agreed_condition(campaign: Campaign, now: datetime) -> ColumnElement[bool]:
    """Answers to a letter of the campaign whose agreed date to follow up has come."""
    return and_(
        Reply.campaign_id == campaign.id,
        Reply.kind == ReplyKind.REPLY,
        Reply.follow_up_on.is_not(None),
        Reply.follow_up_on <= german_day(now),
        Reply.letter_id.is_not(None),
    )


def unanswered_letters(session: Session, campaign: Campaign, *, now: datetime | None = None) -> list[DueFollowUp]:
    """Sent letters without an answer past the campaign's period, longest waiting first: each may get a follow-up."""
    now = now or utcnow()
    letters = session.scalars(
        select(Letter)
        .where(Letter.campaign_id == campaign.id, due_condition(campaign, now))
        .order_by(Letter.sent_at, Letter.id)
    )
    return [DueFollowUp(letter, _days_since(letter, now)) for letter in letters]


def agreed_follow_ups(session: Session, campaign: Campaign, *, now: datetime | None = None) -> list[DueFollowUp]:
    """Answers whose agreed follow-up date has come, earliest first.

    No follow-up letter for these: its text is for letters without an answer, and these people have answered.
    The team gets in touch as agreed and then moves or clears the date on the answer.
    """
    now = now or utcnow()
    replies = session.scalars(
        select(Reply).where(_agreed_condition(campaign, now)).order_by(Reply.follow_up_on, Reply.id)
    )
    today = german_day(now)
    return [DueFollowUp(reply.letter, (today - reply.follow_up_on).days, reply) for reply in replies]


def due_follow_ups(session: Session, campaign: Campaign, *, now: datetime | None = None) -> list[DueFollowUp]:
    """Unanswered letters past the period (longest waiting first), then answers whose follow-up date has come."""
    now = now or utcnow()
    return unanswered_letters(session, campaign, now=now) + agreed_follow_ups(session, campaign, now=now)


def due_counts(session: Session, campaigns: list[Campaign], *, now: datetime | None = None) -> dict[int, int]:
    """Campaign id → number of follow-ups due (the reminders on the coordinators' overview)."""
    now = now or utcnow()
    counts = {}
    for campaign in campaigns:
        letters = session.scalar(
            select(func.count(Letter.id)).where(Letter.campaign_id == campaign.id, due_condition(campaign, now))
        )
        promised = session.scalar(select(func.count(Reply.id)).where(_agreed_condition(campaign, now)))
        counts[campaign.id] = (letters or 0) + (promised or 0)
    return counts


def set_follow_up_days(session: Session, campaign: Campaign, days: int, *, user: User | None = None) -> None:
    """After how many days without an answer a letter is due for a follow-up."""
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise ServiceError(
            _("Bitte eine Zahl von %(MIN_DAYS)s bis %(MAX_DAYS)s Tagen angeben.", MIN_DAYS=MIN_DAYS, MAX_DAYS=MAX_DAYS),
            "days",
        )
    before = campaign.follow_up_days
    campaign.follow_up_days = days
    session.flush()
    record(session, "campaign.follow_up_days", campaign, user=user, before=before, after=days)
