"""The co-signatures of a campaign as a table (staff only: co-signing reveals a political opinion, Art. 9 DSGVO)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Signature, Supporter
from campaign.services.common.tabular import Column
from campaign.services.dashboard.definitions import COUNTED_SIGNATURE

COLUMNS = (
    Column("first_name", "Vorname"),
    Column("last_name", "Nachname"),
    Column("email", "E-Mail"),
    Column("postcode", "PLZ"),
    Column("city", "Ort"),
    Column("status", "Status"),
    Column("counted", "Zählt als Mitzeichnung"),
    Column("organisation", "Organisation"),
    Column("function", "Funktion"),
    Column("listing", "Nennung"),
    Column("consent_version", "Version der Einwilligung"),
    Column("consented_at", "Eingewilligt"),
    Column("confirmed_at", "Bestätigt"),
    Column("withdrawn_at", "Widerrufen oder entfernt"),
)


def rows(session: Session, campaign: Campaign) -> Iterator[dict[str, Any]]:
    """One row per signature, oldest first; an erased person's fields are empty."""
    statement = (
        select(Signature, Supporter, COUNTED_SIGNATURE)
        .outerjoin(Supporter, Supporter.id == Signature.supporter_id)
        .where(Signature.campaign_id == campaign.id)
        .order_by(Signature.created_at, Signature.id)
        .execution_options(yield_per=2_000)
    )
    for signature, supporter, counted in session.execute(statement):
        person = supporter if supporter is not None and supporter.erased_at is None else None
        yield {
            "first_name": person.first_name if person else "",
            "last_name": person.last_name if person else "",
            "email": person.email if person else "",
            "postcode": person.postcode if person else "",
            "city": person.city if person else "",
            "status": signature.status,
            "counted": bool(counted),
            "organisation": signature.organisation if person else "",
            "function": signature.function if person else "",
            "listing": signature.listing,
            "consent_version": signature.consent_version,
            "consented_at": signature.consented_at,
            "confirmed_at": signature.confirmed_at,
            "withdrawn_at": signature.withdrawn_at,
        }
