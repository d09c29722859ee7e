"""What the sending screen shows for a campaign: counts, settings, letters to post, addresses to correct."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import (
    Campaign,
    CampaignSending,
    Channel,
    Letter,
    LetterStatus,
    OutboxMessage,
    OutboxStatus,
)
from campaign.services.sending.lifecycle import current_settings, letter_counts
from campaign.services.sending.status import MailServerStatus, mail_server_status


@dataclass
class BouncedLetter:
    """A letter that could not be delivered, with the address the recipient record holds now."""

    letter: Letter
    recipient_id: int | None
    current_email: str
    failure: str


@dataclass
class SendingOverview:
    settings: CampaignSending
    letters: dict[LetterStatus, int]
    email_approved: int = 0
    printed: list[Letter] = field(default_factory=list)  # approved letters that go on paper
    bounced: list[BouncedLetter] = field(default_factory=list)
    next_due: datetime | None = None
    last_error: str = ""
    mail_server: MailServerStatus | None = None  # unreachable since when, and what waits for it

    @property
    def total(self) -> int:
        return sum(self.letters.values())


def sending_overview(session: Session, campaign: Campaign) -> SendingOverview:
    """The campaign's sending state, ready for the page (no queries in the template)."""
    overview = SendingOverview(
        settings=current_settings(session, campaign),
        letters=letter_counts(session, campaign),
        mail_server=mail_server_status(session),
    )
    approved = session.scalars(
        select(Letter)
        .where(Letter.campaign_id == campaign.id, Letter.status == LetterStatus.APPROVED)
        .order_by(Letter.reference_code)
    ).all()
    overview.email_approved = sum(1 for letter in approved if letter.channel is Channel.EMAIL)
    overview.printed = [letter for letter in approved if letter.channel is Channel.POST]
    for letter in session.scalars(
        select(Letter)
        .where(Letter.campaign_id == campaign.id, Letter.status == LetterStatus.BOUNCED)
        .order_by(Letter.reference_code)
    ):
        person = letter.recipient
        overview.bounced.append(
            BouncedLetter(
                letter=letter,
                recipient_id=person.id if person else None,
                current_email=person.email if person else "",
                failure=person.email_failure if person else "",
            )
        )
    in_campaign = select(Letter.id).where(Letter.campaign_id == campaign.id).scalar_subquery()
    waiting = (
        OutboxMessage.letter_id.in_(in_campaign),
        OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)),
    )
    overview.next_due = session.scalar(select(func.min(OutboxMessage.next_attempt_at)).where(*waiting))
    overview.last_error = (
        session.scalar(
            select(OutboxMessage.last_error)
            .where(OutboxMessage.letter_id.in_(in_campaign), OutboxMessage.last_error != "")
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )
        or ""
    )
    return overview
