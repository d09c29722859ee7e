"""The letters of a campaign as a table: recipient, channel, state, when sent, and the answer that counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Letter, Reply
from campaign.services.common.tabular import Column
from campaign.services.dashboard.definitions import COUNTED_REPLY, SUBSTANTIVE_REPLY, letter_sent

# "sent", "answered" and "substantive" follow the dashboard's definitions: their sums are its figures.
COLUMNS = (
    Column("reference", "Unser Zeichen"),
    Column("recipient", "Empfänger:in"),
    Column("email", "E-Mail"),
    Column("channel", "Kanal"),
    Column("status", "Status"),
    Column("sent_at", "Versandt am"),
    Column("sent", "Zählt als versandt"),
    Column("answered", "Beantwortet"),
    Column("substantive", "Inhaltlich beantwortet"),
    Column("replied_at", "Antwort vom"),
    Column("quality", "Qualität der Antwort"),
    Column("stance", "Haltung"),
    Column("commitments", "Zusagen"),
    # A follow-up („Nachfrage“) never counts as sent; an answer to it counts in the row of its first letter.
    Column("kind", "Art"),
    Column("follow_up_of", "Nachfrage zu"),
)


def rows(session: Session, campaign: Campaign) -> Iterator[dict[str, Any]]:
    answers: dict[int, Reply] = {}
    replies = session.scalars(
        select(Reply)
        .where(Reply.campaign_id == campaign.id, COUNTED_REPLY, Reply.letter_id.is_not(None))
        .order_by(Reply.received_at, Reply.id)
    )
    for reply in replies:
        answers[reply.letter_id] = reply  # the newest answer wins
    substantive = set(
        session.scalars(select(Reply.letter_id).where(Reply.campaign_id == campaign.id, SUBSTANTIVE_REPLY))
    )
    sent = set(session.scalars(select(Letter.id).where(Letter.campaign_id == campaign.id, letter_sent())))
    letters = session.scalars(select(Letter).where(Letter.campaign_id == campaign.id).order_by(Letter.reference_code))
    for letter in letters:
        answer = answers.get(letter.id)
        counted = letter.id in sent
        yield {
            "reference": letter.reference_code,
            "kind": letter.kind,
            "follow_up_of": letter.follow_up_of.reference_code if letter.follow_up_of else "",
            "recipient": letter.recipient_name,
            "email": letter.recipient_email,
            "channel": letter.channel,
            "status": letter.status,
            "sent_at": letter.sent_at,
            "sent": counted,
            "answered": counted and answer is not None,
            "substantive": counted and letter.id in substantive,
            "replied_at": answer.received_at if answer else None,
            "quality": answer.quality if answer else None,
            "stance": answer.stance if answer else None,
            "commitments": answer.commitments if answer else "",
        }
