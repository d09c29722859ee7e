"""Erasing a supporter: nothing personal left in any table, the signature counts unchanged, the erasure logged
without the data."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import AuditEvent, OutboxMessage, Signature, SignatureStatus, StateChange, Supporter, User
from campaign.services.common.emails import canonical_email, normalise_email
from campaign.services.common.translation import N_
from campaign.services.signing import tokens
from campaign.services.signing.lifecycle import move
from campaign.services.writing.privacy import anonymise_supporter, erase_letters, has_letters


def find_supporter(session: Session, email: str) -> Supporter | None:
    """The supporter an address belongs to (any variant of it); ServiceError for an address that is no address."""
    return session.scalar(select(Supporter).where(Supporter.email_canonical == canonical_email(normalise_email(email))))


def erase_signatures(session: Session, signature_ids: Sequence[int], *, note: str, user: User | None = None) -> int:
    """Anonymise these signatures: status ERASED (a confirmed one stays counted), no person, no organisation, no
    links that open anything, and their mails (which hold the address and name) deleted."""
    if not signature_ids:
        return 0
    moved = move(
        session, Signature.id.in_(signature_ids), SignatureStatus.ERASED, user=user, note=note, keep_count=True
    )
    for signature_id in signature_ids:
        session.execute(
            update(Signature)
            .where(Signature.id == signature_id)
            .values(
                supporter_id=None,
                organisation="",
                function="",
                confirm_token_hash=tokens.void_digest(),
                withdraw_token_hash=tokens.void_digest(),
            )
            .execution_options(synchronize_session=False)
        )
    session.execute(delete(OutboxMessage).where(OutboxMessage.signature_id.in_(signature_ids)))
    # The team's reason for removing a signature as spam may name the person: it goes too, the fact stays.
    session.execute(
        update(StateChange)
        .where(StateChange.object_type == "Signature", StateChange.object_id.in_(signature_ids))
        .where(StateChange.to_status == SignatureStatus.REMOVED.value)
        .values(note="")
    )
    session.execute(
        update(AuditEvent)
        .where(AuditEvent.object_type == "Signature", AuditEvent.object_id.in_(signature_ids))
        .values(details={})
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return len(moved)


def delete_orphaned_supporters(session: Session) -> int:
    """Supporters left without any signature are deleted (nothing else needs them)."""
    orphaned = ~exists().where(Signature.supporter_id == Supporter.id) & ~has_letters()
    result = session.execute(delete(Supporter).where(orphaned).execution_options(synchronize_session=False))
    return result.rowcount or 0


def erase_person(session: Session, email: str, *, user: User | None = None) -> int | None:
    """Erase everything held about the person with this address; the number of signatures, None if unknown."""
    supporter = find_supporter(session, email)
    if supporter is None:
        return None
    address = supporter.email
    ids = list(session.scalars(select(Signature.id).where(Signature.supporter_id == supporter.id)))
    erased = erase_signatures(session, ids, note=N_("auf Antrag gelöscht"), user=user)
    letters, keep_row = erase_letters(session, supporter)
    # Mail that went to the address without belonging to a signature (a letter's confirmation and questionnaire).
    session.execute(delete(OutboxMessage).where(OutboxMessage.to_address == address))
    if keep_row:
        anonymise_supporter(session, supporter)
    else:
        session.execute(
            delete(Supporter).where(Supporter.id == supporter.id).execution_options(synchronize_session=False)
        )
        session.expunge(supporter)
    # The log says that an erasure happened and how much it touched, never whom.
    session.add(
        AuditEvent(
            action="privacy.erase",
            object_type="Supporter",
            object_id=None,
            user_id=user.id if user else None,
            details={"signatures": len(ids), "letters": letters, "at": utcnow().isoformat(timespec="seconds")},
        )
    )
    session.flush()
    return erased
