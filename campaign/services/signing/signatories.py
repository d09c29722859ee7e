"""Who is named under an open letter: confirmed co-signers who agreed to be shown, in print order."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Signature, SignatureStatus, Supporter


def co_signer_names(session: Session, campaign: Campaign) -> list[str]:
    """Confirmed co-signers of an open letter who agreed to be named: „Vorname Nachname, Ort“, by surname."""
    rows = session.execute(
        select(Supporter.first_name, Supporter.last_name, Supporter.city)
        .join(Signature, Signature.supporter_id == Supporter.id)
        .where(
            Signature.campaign_id == campaign.id,
            Signature.status == SignatureStatus.CONFIRMED,
            Signature.show_name_publicly.is_(True),
            Supporter.erased_at.is_(None),
        )
        .order_by(Supporter.last_name, Supporter.first_name, Supporter.id)
    )
    names = []
    for first, last, city in rows:
        name = " ".join(part for part in (first.strip(), last.strip()) if part)
        if name:
            names.append(f"{name}, {city.strip()}" if city.strip() else name)
    return names
