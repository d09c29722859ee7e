"""The letters of a campaign as a table: recipient, channel, state, when sent, and the answer that counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Letter, Reply, ReplyKind
from campaign.services.common.tabular import Column

COLUMNS = (
    Column("reference", "Unser Zeichen"),
    Column("recipient", "Empfänger:in"),
    Column("email", "E-Mail"),
    Column("channel", "Kanal"),
    Column("status", "Status"),
    Column("sent_at", "Versandt"),
    Column("replied_at", "Antwort vom"),
    Column("quality", "Qualität der Antwort"),
    Column("stance", "Haltung"),
    Column("commitments", "Zusagen"),
)


def rows(session: Session, campaign: Campaign) -> Iterator[dict[str, Any]]:
    answers: dict[int, Reply] = {}
    replies = session.scalars(
        select(Reply)
        .where(Reply.campaign_id == campaign.id, Reply.kind == ReplyKind.REPLY, Reply.letter_id.is_not(None))
        .order_by(Reply.received_at)
    )
    for reply in replies:
        answers[reply.letter_id] = reply  # the newest answer wins
    letters = session.scalars(select(Letter).where(Letter.campaign_id == campaign.id).order_by(Letter.reference_code))
    for letter in letters:
        answer = answers.get(letter.id)
        yield {
            "reference": letter.reference_code,
            "recipient": letter.recipient_name,
            "email": letter.recipient_email,
            "channel": letter.channel,
            "status": letter.status,
            "sent_at": letter.sent_at,
            "replied_at": answer.received_at if answer else None,
            "quality": answer.quality if answer else None,
            "stance": answer.stance if answer else None,
            "commitments": answer.commitments if answer else "",
        }
