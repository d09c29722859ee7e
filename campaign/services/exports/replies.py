"""The replies of a campaign as a table: one row per reply, auto-replies and bounces marked by their kind."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Letter, Reply
from campaign.services.common.tabular import Column
from campaign.services.dashboard.definitions import COUNTED_REPLY, SUBSTANTIVE_REPLY

# The JSON keys the issue fixes (English snake_case), with the German headings of CSV and XLSX.
COLUMNS = (
    Column("reference", "Unser Zeichen"),
    Column("recipient", "Empfänger:in"),
    Column("channel", "Kanal"),
    Column("kind", "Art"),
    Column("quality", "Qualität"),
    Column("stance", "Haltung"),
    Column("received_at", "Eingegangen"),
    Column("text", "Text"),
    # As counted on the dashboard (campaign.services.dashboard.definitions).
    Column("counts_as_reply", "Zählt als Antwort"),
    Column("substantive", "Inhaltlich"),
    # The follow-up („Nachfrage“) the reply came to; it counts for the letter under `reference`.
    Column("follow_up", "Antwort auf Nachfrage"),
)


def rows(session: Session, campaign: Campaign) -> Iterator[dict[str, Any]]:
    statement = (
        select(Reply, Letter, COUNTED_REPLY, SUBSTANTIVE_REPLY)
        .outerjoin(Letter, Letter.id == Reply.letter_id)
        .where(Reply.campaign_id == campaign.id)
        .order_by(Reply.received_at, Reply.id)
    )
    for reply, letter, counts, substantive in session.execute(statement):
        yield {
            "reference": letter.reference_code if letter else "",
            "recipient": letter.recipient_name if letter else (reply.recipient.full_name if reply.recipient else ""),
            "channel": reply.channel,
            "kind": reply.kind,
            "follow_up": reply.follow_up.reference_code if reply.follow_up else "",
            "quality": reply.quality,
            "stance": reply.stance,
            "received_at": reply.received_at,
            "text": reply.body_text,
            "counts_as_reply": bool(counts),
            "substantive": bool(substantive),
        }
