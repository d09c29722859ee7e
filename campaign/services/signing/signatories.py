"""Who is named under an open letter: organisations first (Erstunterzeichnende), then people as they chose."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Listing, Signature, SignatureStatus, Supporter


@dataclass(frozen=True)
class PublicSignatories:
    """Organisations („Name (Person, Funktion)“) and people („Vorname Nachname, Ort“ or „Vorname N., Ort“)."""

    organisations: list[str]
    people: list[str]

    @property
    def all(self) -> list[str]:
        return [*self.organisations, *self.people]


def display_name(first: str, last: str, listing: Listing) -> str:
    """The name as the co-signer chose to be shown: in full, or first name and the initial of the last name."""
    first, last = first.strip(), last.strip()
    if listing is Listing.INITIAL and last:
        last = f"{last[0]}."
    return " ".join(part for part in (first, last) if part)


def public_signatories(session: Session, campaign: Campaign) -> PublicSignatories:
    """The confirmed co-signers who agreed to be named, organisations first, each group in alphabetical order."""
    rows = session.execute(
        select(
            Supporter.first_name,
            Supporter.last_name,
            Supporter.city,
            Signature.listing,
            Signature.organisation,
            Signature.function,
        )
        .join(Signature, Signature.supporter_id == Supporter.id)
        .where(
            Signature.campaign_id == campaign.id,
            Signature.status == SignatureStatus.CONFIRMED,
            Signature.listing != Listing.HIDDEN,
            Supporter.erased_at.is_(None),
        )
        .order_by(Supporter.last_name, Supporter.first_name, Supporter.id)
    )
    organisations: list[tuple[str, str]] = []
    people: list[str] = []
    for first, last, city, listing, organisation, function in rows:
        name = display_name(first, last, listing)
        if organisation.strip():
            person = ", ".join(part for part in (name, function.strip()) if part)
            organisations.append(
                (organisation.strip(), f"{organisation.strip()} ({person})" if person else organisation)
            )
        elif name:
            people.append(f"{name}, {city.strip()}" if city.strip() else name)
    organisations.sort(key=lambda item: item[0].casefold())
    return PublicSignatories([text for _key, text in organisations], people)


def co_signer_names(session: Session, campaign: Campaign) -> list[str]:
    """The names printed in the annex of the letters: organisations first, then people."""
    return public_signatories(session, campaign).all
