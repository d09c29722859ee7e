"""Everything held about one person (Art. 15 and 20 DSGVO), as JSON."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import OutboxMessage, Signature, StateChange
from campaign.services.privacy.erasure import find_supporter
from campaign.services.signing.consent import consent_text
from campaign.services.writing.privacy import export_letters


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def export_person(session: Session, email: str) -> dict[str, Any]:
    """The supporter record, each signature with the consent text agreed to and its history, and the mails sent."""
    supporter = find_supporter(session, email)
    if supporter is None:
        return {"email": email.strip(), "found": False}
    signatures = list(session.scalars(select(Signature).where(Signature.supporter_id == supporter.id)))
    ids = [signature.id for signature in signatures]
    history = session.scalars(
        select(StateChange)
        .where(StateChange.object_type == "Signature", StateChange.object_id.in_(ids))
        .order_by(StateChange.id)
    )
    changes: dict[int, list[dict[str, Any]]] = {}
    for change in history:
        changes.setdefault(change.object_id, []).append(
            {"from": change.from_status, "to": change.to_status, "at": _iso(change.created_at)}
        )
    mails = session.scalars(
        select(OutboxMessage)
        .where((OutboxMessage.signature_id.in_(ids)) | (OutboxMessage.to_address == supporter.email))
        .order_by(OutboxMessage.id)
    )
    return {
        "email": supporter.email,
        "found": True,
        "supporter": {
            "email": supporter.email,
            "first_name": supporter.first_name,
            "last_name": supporter.last_name,
            "postcode": supporter.postcode,
            "city": supporter.city,
            "newsletter_consent_at": _iso(supporter.newsletter_consent_at),
            "created_at": _iso(supporter.created_at),
        },
        "signatures": [_signature(session, signature, changes.get(signature.id, [])) for signature in signatures],
        "supporter_letters": export_letters(session, supporter),
        "mails": [
            {
                "subject": mail.subject,
                "status": mail.status.value,
                "created_at": _iso(mail.created_at),
                "sent_at": _iso(mail.sent_at),
            }
            for mail in mails
        ],
    }


def _signature(session: Session, signature: Signature, history: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "campaign": signature.campaign.slug,
        "campaign_title": signature.campaign.title,
        "status": signature.status.value,
        "listing": signature.listing.value,
        "organisation": signature.organisation,
        "function": signature.function,
        "consent_version": signature.consent_version,
        "consent_text": consent_text(session, signature.consent_version),
        "consented_at": _iso(signature.consented_at),
        "created_at": _iso(signature.created_at),
        "confirmed_at": _iso(signature.confirmed_at),
        "withdrawn_at": _iso(signature.withdrawn_at),
        "history": history,
    }
