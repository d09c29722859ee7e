"""Which letter a mail answers, tried in a fixed order; what no rule ties to a letter waits for a coordinator.

1. In-Reply-To / References against the Message-IDs our letters went out with (the outbox keeps them);
2. a reference code („NRW-2026-0001“) in the subject, then in the text (an answer often quotes our letter);
3. the per-letter reply address (REPLY_ADDRESS, e.g. antworten+NRW-2026-0001@example.org) it was sent to;
4. the sender's address against the recipients' addresses and the addresses learned from earlier assignments:
   the newest letter that went out to that person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from campaign.models import Letter, LetterStatus, OutboxMessage, Recipient, RecipientAddress
from campaign.services.common.emails import canonical_email

# Letters that went out, and so can be answered.
SENT_STATES = (LetterStatus.SENT, LetterStatus.REPLIED, LetterStatus.BOUNCED)
REFERENCE_CODE = re.compile(r"\b([A-Za-z0-9]{1,8}-\d{4}-\d{4,6})\b")
BY_MESSAGE_ID = "message_id"
BY_REFERENCE = "reference"
BY_REPLY_ADDRESS = "reply_address"
BY_SENDER = "sender"
BY_HAND = "manual"


@dataclass(frozen=True)
class Clues:
    """What a mail offers for matching, each list in the order it is tried."""

    message_ids: Sequence[str] = ()
    texts: Sequence[str] = ()
    delivered_to: Sequence[str] = ()
    senders: Sequence[str] = ()


@dataclass(frozen=True)
class Match:
    letter: Letter | None = None
    # Set with the letter; without one, the person the sender's address belongs to (a hint for the coordinator).
    recipient: Recipient | None = None
    method: str = ""

    @property
    def found(self) -> bool:
        return self.letter is not None


def match_mail(session: Session, clues: Clues, *, reply_address: str = "") -> Match:
    """The first rule that finds a letter wins; Match() with at most a recipient hint when none does."""
    pattern = reply_address_pattern(reply_address)
    codes_in_addresses = _codes_in_addresses(clues.delivered_to, pattern) if pattern else []
    for method, letter in (
        (BY_MESSAGE_ID, lambda: _by_message_id(session, clues.message_ids)),
        (BY_REFERENCE, lambda: _by_codes(session, reference_codes(clues.texts))),
        (BY_REPLY_ADDRESS, lambda: _by_codes(session, codes_in_addresses)),
    ):
        found = letter()
        if found is not None:
            return Match(found, found.recipient, method)
    for sender in clues.senders:
        match = match_sender(session, sender)
        if match.found or match.recipient is not None:
            return match
    return Match()


def match_sender(session: Session, address: str) -> Match:
    """The newest sent letter to the person this address belongs to (their own or a learned one)."""
    if "@" not in (address or ""):
        return Match()
    canonical = canonical_email(address)
    people = union(
        select(Recipient.id).where(Recipient.email_canonical == canonical),
        select(RecipientAddress.recipient_id).where(RecipientAddress.email_canonical == canonical),
    ).subquery()
    letter = session.scalar(
        select(Letter)
        .where(Letter.recipient_id.in_(select(people.c[0])), Letter.status.in_(SENT_STATES))
        .order_by(Letter.sent_at.desc().nulls_last(), Letter.id.desc())
        .limit(1)
    )
    if letter is not None:
        return Match(letter, letter.recipient, BY_SENDER)
    recipient = session.scalar(select(Recipient).where(Recipient.id.in_(select(people.c[0]))).limit(1))
    return Match(recipient=recipient)


def reply_address_pattern(template: str) -> re.Pattern[str] | None:
    """A pattern for REPLY_ADDRESS with the reference code as group `code` (None when no such address is set)."""
    if "{code}" not in (template or ""):
        return None
    before, _, after = template.strip().partition("{code}")
    return re.compile(re.escape(before) + r"(?P<code>[A-Za-z0-9-]{3,40})" + re.escape(after), re.IGNORECASE)


def reply_address_for(template: str, code: str) -> str:
    """The reply address of one letter (for the Reply-To of outgoing letters); "" when REPLY_ADDRESS is not set."""
    return template.strip().replace("{code}", code) if "{code}" in (template or "") else ""


def _by_message_id(session: Session, message_ids: Sequence[str]) -> Letter | None:
    wanted = [value for value in dict.fromkeys(message_ids) if value][:50]
    if not wanted:
        return None
    rows = session.execute(
        select(OutboxMessage.message_id, Letter)
        .join(Letter, Letter.id == OutboxMessage.letter_id)
        .where(OutboxMessage.message_id.in_(wanted))
    ).all()
    by_id = {message_id: letter for message_id, letter in rows}
    return next((by_id[value] for value in wanted if value in by_id), None)


def _by_codes(session: Session, codes: Sequence[str]) -> Letter | None:
    if not codes:
        return None
    letters = {
        letter.reference_code: letter
        for letter in session.scalars(select(Letter).where(Letter.reference_code.in_(codes)))
    }
    return next((letters[code] for code in codes if code in letters), None)


def reference_codes(texts: Iterable[str]) -> list[str]:
    """Reference codes found in the texts, upper-cased, in order of appearance."""
    found = [code.upper() for text in texts for code in REFERENCE_CODE.findall(text or "")]
    return list(dict.fromkeys(found))[:50]


def _codes_in_addresses(addresses: Sequence[str], pattern: re.Pattern[str]) -> list[str]:
    found = [match.group("code").upper() for address in addresses if (match := pattern.fullmatch(address.strip()))]
    return list(dict.fromkeys(found))
