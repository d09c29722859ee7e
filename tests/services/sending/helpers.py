"""Campaigns whose letters go by e-mail, for the sending tests (committed, as the delivery job needs)."""

from __future__ import annotations

import email
from email.header import decode_header, make_header
from typing import Any

from sqlalchemy import select

from campaign.db import db
from campaign.models import Campaign, Channel, Letter, LetterStatus, Target
from campaign.services.common.dates import today_in_germany
from campaign.services.common.emails import canonical_email
from campaign.services.sending.letter_mail import MailSettings
from campaign.services.sending.lifecycle import (
    approve_letters,
    generate_letters,
    queue_letters,
    sending_settings,
)
from tests.factories_letters import make_letter_campaign, make_organisation

MAIL = MailSettings(mail_from="Kampagne <kampagne@example.org>", reply_address="antworten+{code}@example.org")


def email_campaign(recipients: int = 2, *, attach_pdf: bool = False, organisation: Any = None, **values: Any):
    """A committed campaign with `recipients` targets reached by e-mail (person0@example.org, …)."""
    session = db.session
    values.setdefault("organisation", organisation or make_organisation(session))
    campaign, _version, people = make_letter_campaign(session, recipients=recipients, **values)
    for index, person in enumerate(people):
        person.email = f"person{index}@example.org"
        person.email_canonical = canonical_email(person.email)
    for target in session.scalars(select(Target).where(Target.campaign_id == campaign.id)):
        target.channel = Channel.EMAIL
    sending_settings(session, campaign).attach_pdf = attach_pdf
    session.commit()
    return campaign, people


def queued_campaign(recipients: int = 2, **values: Any) -> Campaign:
    """A campaign whose letters are generated, approved and queued (not yet delivered)."""
    campaign, _people = email_campaign(recipients, **values)
    generate_letters(db.session, campaign, on=today_in_germany())
    approve_letters(db.session, campaign, user=None)
    queue_letters(db.session, campaign, MAIL, user=None)
    db.session.commit()
    return campaign


def statuses(campaign: Campaign) -> list[LetterStatus]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Letter.status).where(Letter.campaign_id == campaign.id).order_by(Letter.reference_code)
        )
    )


def decoded_header(raw: bytes, name: str) -> str:
    """A header as a mail program shows it: RFC 2047 words decoded strictly (adjacent words joined)."""
    return str(make_header(decode_header(email.message_from_bytes(raw)[name])))
