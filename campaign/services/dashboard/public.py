"""The public response tracker: which office holders were written to, who answered, and how.

Privacy rule: only recipients who hold an office are named in public, i.e. recipients with a function
(„Landesvorsitzende“, „MdL“) who are not a group. Everybody else (private persons, group mailings, copies sent by
supporters) appears only in the totals. A reply's text is shown only where the coordinator recorded that its
author allowed publication; otherwise the stance alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, FormOfAddress, Letter, Recipient, Reply, ReplyQuality, ReplyStance
from campaign.services.dashboard.definitions import COUNTED_REPLY, letter_sent
from campaign.services.dashboard.figures import Headline, headline


@dataclass(frozen=True)
class PublicResponse:
    name: str
    function: str
    organisation: str
    answered: bool
    stance: ReplyStance | None
    quality: ReplyQuality | None
    received_at: datetime | None
    # Empty unless publication was allowed.
    text: str


@dataclass(frozen=True)
class PublicTracker:
    headline: Headline
    responses: list[PublicResponse]
    # Sent letters to people the tracker does not name.
    not_named: int


def is_office_holder(recipient: Recipient | None) -> bool:
    """May this recipient be named in public? Only someone with an office (a function), never a group."""
    return (
        recipient is not None
        and bool(recipient.function.strip())
        and recipient.form_of_address is not FormOfAddress.GRUPPE
    )


def public_tracker(session: Session, campaign: Campaign) -> PublicTracker:
    """The tracker's rows: one per office holder written to, answered ones first, then by name."""
    letters = session.execute(
        select(Letter.id, Recipient)
        .join(Recipient, Recipient.id == Letter.recipient_id)
        .where(Letter.campaign_id == campaign.id, letter_sent())
    ).all()
    named = {letter_id: recipient for letter_id, recipient in letters if is_office_holder(recipient)}
    people = {recipient.id: recipient for recipient in named.values()}
    answers: dict[int, Reply] = {}
    if named:
        replies = session.scalars(
            select(Reply).where(Reply.letter_id.in_(named), COUNTED_REPLY).order_by(Reply.received_at, Reply.id)
        )
        # Per person (a follow-up letter is not a second row), the newest answer wins.
        answers = {named[reply.letter_id].id: reply for reply in replies}
    rows = [_row(recipient, answers.get(recipient_id)) for recipient_id, recipient in people.items()]
    rows.sort(key=lambda row: (not row.answered, row.name.casefold()))
    figures = headline(session, campaign)
    return PublicTracker(figures, rows, figures.letters_sent - len(named))


def _row(recipient: Recipient, reply: Reply | None) -> PublicResponse:
    return PublicResponse(
        name=recipient.full_name,
        function=recipient.function,
        organisation=recipient.organisation,
        answered=reply is not None,
        stance=reply.stance if reply else None,
        quality=reply.quality if reply else None,
        received_at=reply.received_at if reply else None,
        text=reply.body_text if reply and reply.publication_allowed else "",
    )
