"""The signatures of a campaign as a table: one row per signature in any state, for the team's own analysis."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Signature, Supporter
from campaign.services.common.tabular import Column

COLUMNS = (
    Column("first_name", "Vorname"),
    Column("last_name", "Nachname"),
    Column("email", "E-Mail"),
    Column("postcode", "PLZ"),
    Column("city", "Ort"),
    Column("organisation", "Organisation"),
    Column("function", "Funktion"),
    Column("listing", "Nennung"),
    Column("status", "Status"),
    Column("consent_version", "Einwilligung (Version)"),
    Column("created_at", "Eingegangen"),
    Column("confirmed_at", "Bestätigt"),
    Column("withdrawn_at", "Widerrufen oder entfernt"),
)


def rows(session: Session, campaign: Campaign) -> Iterator[dict[str, Any]]:
    statement = (
        select(Signature, Supporter)
        .outerjoin(Supporter, Supporter.id == Signature.supporter_id)
        .where(Signature.campaign_id == campaign.id)
        .order_by(Signature.created_at, Signature.id)
    )
    for signature, person in session.execute(statement):
        yield {
            "first_name": person.first_name if person else "",
            "last_name": person.last_name if person else "",
            "email": person.email if person else "",
            "postcode": person.postcode if person else "",
            "city": person.city if person else "",
            "organisation": signature.organisation,
            "function": signature.function,
            "listing": signature.listing,
            "status": signature.status,
            "consent_version": signature.consent_version,
            "created_at": signature.created_at,
            "confirmed_at": signature.confirmed_at,
            "withdrawn_at": signature.withdrawn_at,
        }
