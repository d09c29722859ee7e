"""The tracking board of a campaign: every letter with its recipient, state and reply state, filtered and paged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from campaign.db import utcnow
from campaign.models import Campaign, Letter, LetterStatus, Recipient, Reply, ReplyKind, ReplyQuality, ReplyStance
from campaign.services.common.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from campaign.services.common.search import contains_text
from campaign.services.common.text import collapse_spaces
from campaign.services.recipients.search import RecipientFilter, filtered_statement

NO_REPLY = "none"
REGION_COLUMNS = (Recipient.unterbezirk, Recipient.kreis, Recipient.wahlkreis, Recipient.kommune)


@dataclass(frozen=True)
class BoardFilter:
    """What the board filters by; empty values mean "any". `reply` is a ReplyQuality value or NO_REPLY."""

    text: str = ""
    list_id: int | None = None
    tag: str = ""
    function: str = ""
    region: str = ""
    status: LetterStatus | None = None
    reply: str = ""
    stance: ReplyStance | None = None
    due: bool = False

    @property
    def is_empty(self) -> bool:
        return self == BoardFilter()


@dataclass
class BoardRow:
    letter: Letter
    replies: list[Reply] = field(default_factory=list)
    automatic: list[Reply] = field(default_factory=list)
    due: bool = False
    # The follow-up („Nachfrage“) to this letter, if one was made; answers to it are among `replies`.
    follow_up: Letter | None = None

    @property
    def latest(self) -> Reply | None:
        """The newest answer by a person (auto-replies and bounces never count)."""
        return self.replies[0] if self.replies else None


def _answered(*conditions: Any) -> Any:
    return exists(select(Reply.id).where(Reply.letter_id == Letter.id, Reply.kind == ReplyKind.REPLY, *conditions))


FOLLOW_UP = aliased(Letter, name="follow_up")


def due_condition(campaign: Campaign, now: datetime | None = None) -> Any:
    """A first letter of the campaign, sent, unanswered, older than the follow-up period, and not yet followed up.

    A follow-up is never due itself: a recipient gets at most one follow-up per letter. Letters supporters wrote
    themselves are followed up by their questionnaire (services.writing), not here.
    """
    cutoff = (now or utcnow()) - timedelta(days=campaign.follow_up_days)
    followed_up = exists(select(FOLLOW_UP.id).where(FOLLOW_UP.follow_up_of_id == Letter.id))
    # A letter on paper counts from the day it was posted or handed over (its sent_at is only noon of that day).
    left_in_time = or_(
        Letter.delivered_on <= cutoff.date(), and_(Letter.delivered_on.is_(None), Letter.sent_at <= cutoff)
    )
    return and_(
        Letter.status == LetterStatus.SENT,
        left_in_time,
        Letter.follow_up_of_id.is_(None),
        Letter.supporter_id.is_(None),
        ~_answered(),
        ~followed_up,
    )


def board_statement(session: Session, campaign: Campaign, filters: BoardFilter) -> Select[tuple[Letter]]:
    # One row per first letter: answers to a follow-up are filed under it, the follow-up shows in the history.
    statement = select(Letter).where(Letter.campaign_id == campaign.id, Letter.follow_up_of_id.is_(None))
    people = RecipientFilter(list_id=filters.list_id, tag=filters.tag, function=filters.function)
    if people != RecipientFilter():
        chosen = filtered_statement(session, people).with_only_columns(Recipient.id)
        statement = statement.where(Letter.recipient_id.in_(chosen))
    if filters.region:
        region = collapse_spaces(filters.region)
        matching = select(Recipient.id).where(or_(*(column == region for column in REGION_COLUMNS)))
        statement = statement.where(Letter.recipient_id.in_(matching))
    if filters.text:
        text = collapse_spaces(filters.text)
        statement = statement.where(
            or_(contains_text(Letter.recipient_name, text), contains_text(Letter.reference_code, text))
        )
    if filters.status is not None:
        statement = statement.where(Letter.status == filters.status)
    if filters.reply == NO_REPLY:
        statement = statement.where(~_answered())
    elif filters.reply:
        statement = statement.where(_answered(Reply.quality == ReplyQuality(filters.reply)))
    if filters.stance is not None:
        statement = statement.where(_answered(Reply.stance == filters.stance))
    if filters.due:
        statement = statement.where(due_condition(campaign))
    return statement.order_by(Letter.recipient_name, Letter.reference_code)


def board_page(
    session: Session, campaign: Campaign, filters: BoardFilter, *, page: int = 1, per_page: int = DEFAULT_PAGE_SIZE
) -> Page[BoardRow]:
    """One page of board rows, each with the letter's replies (newest first) and whether a follow-up is due."""
    letters = paginate(session, board_statement(session, campaign, filters), page=page, per_page=per_page)
    rows = {letter.id: BoardRow(letter) for letter in letters.items}
    if rows:
        replies = session.scalars(
            select(Reply).where(Reply.letter_id.in_(rows)).order_by(Reply.received_at.desc(), Reply.id.desc())
        )
        for reply in replies:
            row = rows[reply.letter_id]
            (row.replies if reply.kind is ReplyKind.REPLY else row.automatic).append(reply)
        due_ids = set(session.scalars(select(Letter.id).where(Letter.id.in_(rows), due_condition(campaign))))
        for letter_id in due_ids:
            rows[letter_id].due = True
        for follow_up in session.scalars(select(Letter).where(Letter.follow_up_of_id.in_(rows))):
            rows[follow_up.follow_up_of_id].follow_up = follow_up
    return Page(list(rows.values()), letters.total, letters.page, letters.per_page)


def supporter_letter_count(session: Session, campaign: Campaign, filters: BoardFilter) -> int:
    """How many of the board's letters supporters wrote themselves (the dashboard does not count them as sent)."""
    own = board_statement(session, campaign, filters).where(Letter.supporter_id.is_not(None)).order_by(None)
    return session.scalar(select(func.count()).select_from(own.subquery())) or 0


def reply_counts(session: Session, campaign: Campaign) -> dict[str, int]:
    """Letters answered by a person, and the imported mail that does not count (auto-replies, bounces)."""
    counted = select(func.count(func.distinct(Reply.letter_id))).where(
        Reply.campaign_id == campaign.id, Reply.kind == ReplyKind.REPLY
    )
    by_kind = dict(
        session.execute(
            select(Reply.kind, func.count(Reply.id)).where(Reply.campaign_id == campaign.id).group_by(Reply.kind)
        ).all()
    )
    return {
        "answered": session.scalar(counted) or 0,
        "auto_replies": by_kind.get(ReplyKind.AUTO_REPLY, 0),
        "bounces": by_kind.get(ReplyKind.BOUNCE, 0),
        "unclassified": session.scalar(
            select(func.count(Reply.id)).where(
                Reply.campaign_id == campaign.id,
                Reply.kind == ReplyKind.REPLY,
                Reply.quality == ReplyQuality.UNCLASSIFIED,
            )
        )
        or 0,
    }
