"""The transactional outbox: every e-mail is a row first, written with the change that caused it, sent later."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Letter, LetterStatus, OutboxMessage, OutboxStatus, Signature, StateChange, User
from campaign.services.common.errors import ServiceError
from campaign.services.common.states import transition
from campaign.services.common.translation import N_
from campaign.services.sending.bounces import record_bounce
from campaign.services.sending.messages import (
    OutgoingMail,
    build_message,
    check_addresses,
    draft_of,
    mail_from_draft,
    message_domain,
    new_message_id,
)
from campaign.services.sending.transport import DeliveryError

# Waits after the 1st, 2nd … failed attempt; the last entry repeats until MAX attempts are used up.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
)
CLAIMABLE = (OutboxStatus.PENDING, OutboxStatus.FAILED)


@dataclass(frozen=True)
class DeliveryPolicy:
    """How delivery behaves: batch size, attempts, the claim's lease and the rate limit (0 = none)."""

    batch_size: int = 100
    max_attempts: int = 8
    lease: timedelta = timedelta(minutes=10)
    per_minute: int = 0


def queue_mail(
    session: Session,
    mail: OutgoingMail,
    *,
    kind: str,
    letter: Letter | None = None,
    signature: Signature | None = None,
    send_after: datetime | None = None,
    held: bool = False,
) -> OutboxMessage:
    """Add the mail to the outbox in the caller's transaction; its MIME bytes and Message-ID are fixed now."""
    message = OutboxMessage(
        letter=letter, signature=signature, **_outbox_row(mail, kind=kind, send_after=send_after, held=held)
    )
    session.add(message)
    session.flush()
    return message


def insert_mail(session: Session, mail: OutgoingMail, *, kind: str, signature_id: int) -> None:
    """queue_mail for a signature's mail by its id, as one INSERT without an ORM object (the signing hot path).

    A mail without attachments is stored as a draft (see draft_row); one with attachments is built now.
    """
    if mail.attachments:
        row = _outbox_row(mail, kind=kind)
    else:
        check_addresses(mail)  # the recipient too, which draft_row takes as checked
        row = draft_row(mail, kind=kind)
    session.connection().execute(insert(OutboxMessage.__table__), {"signature_id": signature_id, **row})


def draft_row(mail: OutgoingMail, *, kind: str) -> dict:
    """The outbox columns of a new message held as a draft: its MIME bytes are built when a worker first claims
    it (building them cost more than all the rest of a signing request). Its Message-ID is fixed now, and its
    sender is checked now, as queue_mail does; its recipient must be an address normalise_email returned."""
    check_addresses(mail, recipient=False)
    return {**_outbox_row(mail, kind=kind, build=False), "draft": draft_of(mail)}


def _outbox_row(
    mail: OutgoingMail, *, kind: str, send_after: datetime | None = None, held: bool = False, build: bool = True
) -> dict:
    """The outbox columns of a new message: the Message-ID is made here, once, and the MIME bytes too unless
    `build` is false (then they are built at the first claim, with the same Message-ID)."""
    message_id = new_message_id(message_domain(mail.from_address))
    return {
        "kind": kind,
        "message_id": message_id,
        "to_address": mail.to_address.strip(),
        "subject": mail.subject[:300],
        "raw": build_message(mail, message_id) if build else None,
        "next_attempt_at": send_after or utcnow(),
        "held": held,
    }


def mime_bytes(message: OutboxMessage) -> bytes:
    """The message as it is (or will be) sent: its stored MIME bytes, or those its draft makes."""
    if message.raw is not None:
        return message.raw
    return build_message(mail_from_draft(message.draft), message.message_id)


def _build_drafts(session: Session, messages: list[OutboxMessage]) -> list[OutboxMessage]:
    """Give the claimed drafts their MIME bytes, fixed from now on (a retry sends the same bytes); a draft
    whose address became invalid (a changed MAIL_FROM) is given up, the others are returned for sending."""
    ready = []
    for message in messages:
        if message.raw is None:
            try:
                message.raw = mime_bytes(message)
            except ServiceError as error:
                message.last_error = str(error)[:2000]
                transition(session, message, OutboxStatus.DEAD, note=N_("Adresse ungültig"))
                continue
            message.draft = None
        ready.append(message)
    session.flush()
    return ready


def claim_due(session: Session, policy: DeliveryPolicy, now: datetime | None = None) -> list[OutboxMessage]:
    """Mark up to one batch of due messages SENDING for this worker, and return them (oldest first).

    The claim is a conditional UPDATE: of two workers claiming at once, each row goes to one of them
    (SQLite serialises writers; PostgreSQL re-checks the status after the other's row locks are released).
    """
    now = now or utcnow()
    limit = min(policy.batch_size, _rate_budget(session, policy, now))
    if limit <= 0:
        return []
    candidates = dict(
        session.execute(
            select(OutboxMessage.id, OutboxMessage.status)
            .where(
                OutboxMessage.status.in_(CLAIMABLE),
                OutboxMessage.next_attempt_at <= now,
                OutboxMessage.held.is_(False),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        ).all()
    )
    if not candidates:
        return []
    claimed = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(candidates),
            OutboxMessage.status.in_(CLAIMABLE),
            OutboxMessage.held.is_(False),
        )
        .values(
            status=OutboxStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=now + policy.lease,
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    ids = sorted(row[0] for row in claimed)
    if not ids:
        return []
    _log_claims(session, {message_id: candidates[message_id] for message_id in ids})
    session.expire_all()
    claimed = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id))
    return _build_drafts(session, list(claimed))


def record_sent(session: Session, message: OutboxMessage, now: datetime | None = None) -> None:
    """The server accepted the message."""
    transition(session, message, OutboxStatus.SENT)
    message.sent_at = now or utcnow()
    message.last_error = ""
    letter = message.letter
    if letter is not None and letter.status is LetterStatus.QUEUED:
        transition(session, letter, LetterStatus.SENT, note=N_("vom Mailserver angenommen"))
        letter.sent_at, letter.delivery = message.sent_at, "email"
    session.flush()


def record_failure(
    session: Session, message: OutboxMessage, error: DeliveryError, policy: DeliveryPolicy, now: datetime | None = None
) -> OutboxStatus:
    """A refused or failed attempt: wait and retry (FAILED), or give up (DEAD) when permanent or out of attempts."""
    now = now or utcnow()
    message.last_error = str(error)[:2000]
    if error.permanent:
        transition(session, message, OutboxStatus.DEAD, note=N_("dauerhaft abgelehnt"))
        # The server refused the address itself: the letter bounced and the address needs correcting.
        record_bounce(session, address=message.to_address, reason=str(error), letter=message.letter, source="smtp")
    elif message.attempts >= policy.max_attempts:
        note = f"nach {message.attempts} Versuchen aufgegeben"
        transition(session, message, OutboxStatus.DEAD, note=note)
        if message.letter is not None and message.letter.status is LetterStatus.QUEUED:
            transition(session, message.letter, LetterStatus.FAILED, note=f"{note}: {error}"[:500])
    else:
        transition(
            session, message, OutboxStatus.FAILED, note=N_("Versuch %(attempt)d") % {"attempt": message.attempts}
        )
        message.next_attempt_at = now + BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
    session.flush()
    return message.status


def release_expired_claims(session: Session, now: datetime | None = None) -> int:
    """Hand back SENDING messages whose worker's lease ran out (the worker died): they are sent again."""
    now = now or utcnow()
    stale = list(
        session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.next_attempt_at < now
            )
        )
    )
    for message in stale:
        transition(session, message, OutboxStatus.PENDING, note=N_("Versand unterbrochen (Worker ausgefallen)"))
        message.next_attempt_at = now
    session.flush()
    return len(stale)


def retry(session: Session, message: OutboxMessage, *, user: User | None = None) -> None:
    """Send a FAILED or DEAD message again now (after a user corrected what was wrong)."""
    transition(session, message, OutboxStatus.PENDING, user=user, note=N_("erneut versenden"))
    message.attempts = 0
    message.next_attempt_at = utcnow()
    session.flush()


def cancel(session: Session, message: OutboxMessage, *, user: User | None = None, note: str = "abgebrochen") -> None:
    """Take a message that has not been sent out of the queue (it stays visible as DEAD)."""
    transition(session, message, OutboxStatus.DEAD, user=user, note=note)
    session.flush()


def counts_by_status(session: Session) -> dict[OutboxStatus, int]:
    """How many messages are in each state (every state listed, zeros included)."""
    rows = session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    counts = dict.fromkeys(OutboxStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts


def _rate_budget(session: Session, policy: DeliveryPolicy, now: datetime) -> int:
    """How many messages may still be claimed in the current minute (the limit is shared by all workers)."""
    if policy.per_minute <= 0:
        return policy.batch_size
    recent = session.scalar(
        select(func.count()).where(
            (OutboxMessage.status == OutboxStatus.SENDING)
            | ((OutboxMessage.status == OutboxStatus.SENT) & (OutboxMessage.sent_at > now - timedelta(minutes=1)))
        )
    )
    return policy.per_minute - (recent or 0)


def _log_claims(session: Session, previous: Mapping[int, OutboxStatus]) -> None:
    """State-change records for a bulk claim (the conditional UPDATE bypasses the per-object transition)."""
    session.execute(
        insert(StateChange),
        [
            {
                "object_type": OutboxMessage.__name__,
                "object_id": message_id,
                "from_status": status.value,
                "to_status": OutboxStatus.SENDING.value,
                "note": "vom Versand übernommen",
            }
            for message_id, status in previous.items()
        ],
    )
