"""Bounces: a letter that could not be delivered, and the recipient address that failed, from any source.

The SMTP delivery (a 5xx at RCPT) and the reply import (delivery status reports) both call record_bounce.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Letter, LetterStatus, Recipient, User
from campaign.services.common.audit import record
from campaign.services.common.emails import canonical_email
from campaign.services.common.states import transition

BOUNCEABLE = (LetterStatus.QUEUED, LetterStatus.SENT)
MAX_REASON = 500


@dataclass
class BounceResult:
    letter_bounced: bool = False
    failing_recipients: list[Recipient] = field(default_factory=list)


def record_bounce(
    session: Session,
    *,
    address: str,
    reason: str,
    letter: Letter | None = None,
    source: str = "smtp",
    user: User | None = None,
) -> BounceResult:
    """Mark the letter bounced (if it was on its way) and every recipient with this address as failing."""
    result = BounceResult()
    reason = " ".join((reason or "").split())[:MAX_REASON] or "unzustellbar"
    if letter is not None and letter.status in BOUNCEABLE:
        transition(session, letter, LetterStatus.BOUNCED, user=user, note=f"{source}: {reason}"[:500])
        result.letter_bounced = True
    canonical = canonical_email(address) if address and "@" in address else ""
    if canonical:
        for recipient in session.scalars(select(Recipient).where(Recipient.email_canonical == canonical)):
            if recipient.email_failed_at is None:
                recipient.email_failed_at = utcnow()
            recipient.email_failure = reason
            result.failing_recipients.append(recipient)
            record(session, "recipient.email_failed", recipient, user=user, source=source, reason=reason)
    session.flush()
    return result


def failing_recipients(session: Session) -> list[Recipient]:
    """Recipients whose address bounced, newest failure first: the list to correct."""
    return list(
        session.scalars(
            select(Recipient).where(Recipient.email_failed_at.is_not(None)).order_by(Recipient.email_failed_at.desc())
        )
    )


def clear_failure(session: Session, recipient: Recipient, *, user: User | None = None) -> None:
    """The address was corrected (or confirmed): mail may go to it again."""
    recipient.email_failed_at = None
    recipient.email_failure = ""
    record(session, "recipient.email_failure_cleared", recipient, user=user)
    session.flush()
