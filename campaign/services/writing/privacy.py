"""Supporters' letters under data protection: export, erasure and the purge of the writer's data.

What stays after an erasure is the letter as the office received it (the Letter row, which the office has anyway)
and, without name or address, the letter's text for the variation measure and the questionnaire's answer. The
writer's details, tokens and mails go. A writer whose sent letter stays keeps an anonymous Supporter row (no name,
no address), so the letter still counts as a supporter's letter and never as one of the campaign's own.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.db import utcnow
from campaign.models import (
    Letter,
    LetterStatus,
    OutboxMessage,
    Signature,
    Supporter,
    SupporterLetter,
    SupporterLetterStatus,
)
from campaign.services.common.states import transition
from campaign.services.signing import tokens
from campaign.services.writing.letters import CONSENT_VERSIONS
from campaign.services.writing.mails import KIND_CONFIRMATION

_W = SupporterLetterStatus
PERSONAL = {"first_name": "", "last_name": "", "email": "", "street": "", "postcode": "", "city": "", "own_text": ""}


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def export_letters(session: Session, supporter: Supporter) -> list[dict[str, Any]]:
    """Every letter the person wrote, with the consent they gave and what they answered later."""
    letters = session.scalars(
        select(SupporterLetter).where(SupporterLetter.supporter_id == supporter.id).order_by(SupporterLetter.id)
    )
    return [
        {
            "campaign": letter.campaign.slug,
            "recipient": letter.recipient.full_name if letter.recipient else "",
            "status": letter.status.value,
            "delivery": letter.delivery,
            "reference_code": letter.reference_code,
            "writer": {name: getattr(letter, name) for name in PERSONAL if name != "own_text"},
            "own_text": letter.own_text,
            "letter_as_sent": letter.letter.body_text if letter.letter else "",
            "consent_version": letter.consent_version,
            "consent_text": CONSENT_VERSIONS.get(letter.consent_version, ""),
            "consented_at": _iso(letter.consented_at),
            "confirmed_at": _iso(letter.confirmed_at),
            "sent_at": _iso(letter.sent_at),
            "questionnaire_answer": letter.answer.value if letter.answer else None,
            "answered_at": _iso(letter.answered_at),
        }
        for letter in letters
    ]


def _anonymise_letters(session: Session, letters: list[SupporterLetter]) -> None:
    """Sent letters lose the writer's details and links; unsent ones go entirely (nothing reached an office)."""
    for letter in letters:
        record = letter.letter
        if letter.status is not _W.SENT or record is None:
            session.delete(letter)
            continue
        if record.status is LetterStatus.QUEUED:
            # Not yet accepted by the mail server: it will not go out now that its writer is gone.
            transition(session, record, LetterStatus.FAILED, note="Absender:in gelöscht, nicht verschickt")
        session.execute(delete(OutboxMessage).where(OutboxMessage.letter_id == record.id))
        for name, value in PERSONAL.items():
            setattr(letter, name, value)
        letter.supporter_id = None
        letter.confirm_token_hash, letter.access_token_hash = tokens.void_digest(), tokens.void_digest()
        letter.token_seed = ""
    session.flush()


def withdraw_letter(session: Session, letter: SupporterLetter) -> None:
    """The writer withdraws their consent for this letter: an unsent one is deleted, a sent one loses their details
    (the office keeps what it received) and gets no more mail."""
    supporter = letter.supporter
    _anonymise_letters(session, [letter])
    if supporter is not None:
        _anonymise_if_done(session, supporter.id)


def anonymise_supporter(session: Session, supporter: Supporter) -> None:
    """Keep the row (a sent letter points to it), with nothing left that names the person."""
    supporter.email, supporter.email_canonical = "", f"geloescht-{supporter.id}"
    supporter.first_name = supporter.last_name = supporter.postcode = supporter.city = ""
    supporter.newsletter_consent_at = None
    supporter.erased_at = utcnow()
    session.flush()


def erase_letters(session: Session, supporter: Supporter) -> tuple[int, bool]:
    """Erase the person's letters; (how many, whether their anonymous row must stay for a sent letter)."""
    letters = list(session.scalars(select(SupporterLetter).where(SupporterLetter.supporter_id == supporter.id)))
    _anonymise_letters(session, letters)
    keeps = session.scalar(select(exists().where(Letter.supporter_id == supporter.id))) or False
    return len(letters), bool(keeps)


def has_letters() -> Any:
    """Supporters some letter or written letter still points to (they are not orphans)."""
    return exists().where(Letter.supporter_id == Supporter.id) | exists().where(
        SupporterLetter.supporter_id == Supporter.id
    )


def purge_letters(session: Session, now: datetime | None = None) -> tuple[int, int]:
    """Unconfirmed letters past the confirmation period deleted; writers' details of letters sent more than
    SIGNATURE_RETENTION_DAYS ago erased. (deleted, anonymised)."""
    now = now or utcnow()
    unconfirmed_before = now - timedelta(days=int(setting("UNCONFIRMED_SIGNATURE_DAYS")))
    stale = list(
        session.scalars(
            select(SupporterLetter).where(
                SupporterLetter.status == _W.PENDING, SupporterLetter.created_at < unconfirmed_before
            )
        )
    )
    for letter in stale:
        session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.kind == KIND_CONFIRMATION,
                OutboxMessage.to_address == letter.email,
                OutboxMessage.created_at < unconfirmed_before,
            )
        )
        session.delete(letter)
    retention_before = now - timedelta(days=int(setting("SIGNATURE_RETENTION_DAYS")))
    expired = list(
        session.scalars(
            select(SupporterLetter).where(
                SupporterLetter.status.in_((_W.SENT, _W.REJECTED)),
                SupporterLetter.supporter_id.is_not(None),
                func.coalesce(SupporterLetter.sent_at, SupporterLetter.updated_at) < retention_before,
            )
        )
    )
    writers = {letter.supporter_id for letter in expired}
    _anonymise_letters(session, expired)
    for supporter_id in writers:
        _anonymise_if_done(session, supporter_id)
    session.flush()
    return len(stale), len(expired)


def _anonymise_if_done(session: Session, supporter_id: int | None) -> None:
    """A writer with nothing personal left to keep (no signature, no letter of theirs still held) is anonymised."""
    supporter = session.get(Supporter, supporter_id) if supporter_id else None
    if supporter is None or supporter.erased_at is not None:
        return
    busy = session.scalar(
        select(
            exists().where(Signature.supporter_id == supporter.id)
            | exists().where(SupporterLetter.supporter_id == supporter.id)
        )
    )
    if not busy:
        anonymise_supporter(session, supporter)
