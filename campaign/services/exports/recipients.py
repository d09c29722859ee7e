"""The recipients of a campaign as a table: who they are, where, and what came of the letter to them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from campaign.models import Campaign, Letter, Recipient, Reply, Target
from campaign.services.common.tabular import Column
from campaign.services.dashboard.definitions import COUNTED_REPLY, SUBSTANTIVE_REPLY, letter_sent

COLUMNS = (
    Column("name", "Name"),
    Column("function", "Funktion"),
    Column("organisation", "Organisation"),
    Column("unterbezirk", "Unterbezirk"),
    Column("kreis", "Kreis"),
    Column("wahlkreis", "Wahlkreis"),
    Column("kommune", "Kommune"),
    Column("email", "E-Mail"),
    Column("email_failing", "E-Mail-Adresse unzustellbar"),
    Column("lists", "Listen"),
    Column("tags", "Schlagwörter"),
    Column("letters_sent", "Briefe versandt"),
    Column("answered", "Beantwortet"),
    Column("substantive", "Inhaltlich beantwortet"),
    Column("stance", "Haltung"),
)


def _ids(session: Session, statement: Any) -> set[int]:
    return set(session.scalars(statement))


def rows(session: Session, campaign: Campaign) -> Iterator[dict[str, Any]]:
    """Everyone chosen for the campaign or written to in it, by name; answers counted as on the dashboard."""
    chosen = select(Target.recipient_id).where(Target.campaign_id == campaign.id)
    written = select(Letter.recipient_id).where(Letter.campaign_id == campaign.id, Letter.recipient_id.is_not(None))
    sent: dict[int, int] = {}
    for recipient_id in session.scalars(written.where(letter_sent())):
        sent[recipient_id] = sent.get(recipient_id, 0) + 1
    answered_letters = (
        select(Letter.recipient_id, Reply.stance)
        .join(Reply, Reply.letter_id == Letter.id)
        .where(Letter.campaign_id == campaign.id, letter_sent())
        .order_by(Reply.received_at, Reply.id)
    )
    stance = dict(session.execute(answered_letters.where(COUNTED_REPLY)).all())  # the newest answer wins
    substantive = _ids(session, answered_letters.with_only_columns(Letter.recipient_id).where(SUBSTANTIVE_REPLY))
    recipients = session.scalars(
        select(Recipient)
        .where(Recipient.id.in_(chosen.union(written)))
        .order_by(Recipient.last_name, Recipient.first_name, Recipient.id)
        .options(selectinload(Recipient.lists))
    )
    for recipient in recipients:
        yield {
            "name": recipient.full_name,
            "function": recipient.function,
            "organisation": recipient.organisation,
            "unterbezirk": recipient.unterbezirk,
            "kreis": recipient.kreis,
            "wahlkreis": recipient.wahlkreis,
            "kommune": recipient.kommune,
            "email": recipient.email,
            "email_failing": recipient.email_failed_at is not None,
            "lists": ", ".join(sorted(item.name for item in recipient.lists)),
            "tags": ", ".join(recipient.tags or []),
            "letters_sent": sent.get(recipient.id, 0),
            "answered": recipient.id in stance,
            "substantive": recipient.id in substantive,
            "stance": stance.get(recipient.id),
        }
