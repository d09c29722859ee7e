"""The campaign the test mails in tests/data/replies answer: letters NRW-2026-0001…0017, e-mailed on 2 March 2026."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from campaign.models import (
    Campaign,
    Channel,
    Letter,
    LetterStatus,
    OutboxMessage,
    OutboxStatus,
    Recipient,
    Reply,
    ReplyKind,
    Target,
)
from campaign.services.common.emails import canonical_email
from tests.factories import make_campaign, make_recipient

MAILS = Path(__file__).resolve().parent / "data" / "replies"
REPLY_ADDRESS = "antworten+{code}@kampagne.example.org"
MAIL_FROM = "Initiative Gerechtes NRW <kampagne@kampagne.example.org>"
SENT_AT = datetime(2026, 3, 2, 9, 15)

# Reference number → (first name, last name, e-mail), as the letters went out.
PEOPLE = {
    1: ("Erika", "Mustermann", "erika.mustermann@landtag.example.org"),
    2: ("John", "Smith", "john.smith@europarl.example.eu"),
    3: ("Jan", "Müller", "jan.mueller@spd-koeln.example.de"),
    4: ("Ayşe", "Yılmaz", "ayse.yilmaz@example.de"),
    5: ("Łukasz", "Nowak", "lukasz.nowak@example.org"),
    6: ("Petra", "Schröder", "petra.schroeder@landtag.example.org"),
    7: ("Hans", "Becker", "hans.becker@landtag.example.org"),
    8: ("Gül", "Demir", "guel.demir@landtag.example.org"),
    9: ("Sabine", "Weiß", "sabine.weiss@spd-bonn.example.de"),
    10: ("Thomas", "Klein", "thomas.klein@spd-essen.example.de"),
    11: ("Frank", "Wolf", "frank.wolf@kreis-unna.example.de"),
    12: ("Maria", "Schulz", "maria.schulz@spd-dortmund.example.de"),
    13: ("Karin", "Vogel", "karin.vogel@example.org"),
    14: ("Uwe", "Franke", "uwe.franke@example.net"),
    15: ("Stefan", "Braun", "stefan.braun@gmail.com"),
    16: ("Emily", "Clarke", "emily.clarke@example.co.uk"),
    17: ("Oliver", "Bennett", "o.bennett@example.org"),
}


@dataclass(frozen=True)
class Expected:
    """What importing one test mail must give: its kind, its letter (None: the inbox), and how it was matched."""

    kind: ReplyKind
    letter: int | None
    method: str
    says: str = ""
    not_says: str = ""


# The client formats the issue names, and what each must become.
EXPECTED = {
    "outlook_de.eml": Expected(ReplyKind.REPLY, 1, "message_id", "Änderungsantrag 3", "Ursprüngliche Nachricht"),
    "outlook_en.eml": Expected(ReplyKind.REPLY, 5, "reply_address", "does not comment", "Sent: Monday"),
    "gmail_en.eml": Expected(ReplyKind.REPLY, 2, "message_id", "I will vote for it", "Our reference"),
    "gmail_de.eml": Expected(ReplyKind.REPLY, 15, "message_id", "nicht unterstützen", "schrieb Initiative"),
    "apple_mail_de.eml": Expected(ReplyKind.REPLY, 3, "reference", "teilweise zu", "Sehr geehrter Herr Müller"),
    "apple_mail_en.eml": Expected(ReplyKind.REPLY, 16, "message_id", "core funding", "Dear Ms Clarke"),
    "thunderbird_de.eml": Expected(ReplyKind.REPLY, 4, "reference", "Änderungsantrag 3 mittragen", "Kreisvorsitzende"),
    "thunderbird_en.eml": Expected(ReplyKind.REPLY, 17, "message_id", "not convinced", "Councillor"),
    "html_only_de.eml": Expected(ReplyKind.REPLY, 6, "sender", "Grundfinanzierung", "document.location"),
    "pdf_attachment_de.eml": Expected(ReplyKind.REPLY, 7, "message_id", "ungekürzt zu erhalten", "Gesendet:"),
    "office_address_de.eml": Expected(ReplyKind.REPLY, 8, "message_id", "Fraktionssitzung", "Betreff: Ihr"),
    "auto_reply_headers.eml": Expected(ReplyKind.AUTO_REPLY, 9, "message_id", "nicht im Büro"),
    "auto_reply_subject.eml": Expected(ReplyKind.AUTO_REPLY, 10, "sender", "nicht im Büro"),
    "bounce_dsn.eml": Expected(ReplyKind.BOUNCE, 11, "message_id", "User unknown"),
    "bounce_plain.eml": Expected(ReplyKind.BOUNCE, 14, "message_id", "mailbox is full"),
    "forwarded_de.eml": Expected(ReplyKind.REPLY, 12, "sender", "Unterbezirksparteitag", "bitte eintragen"),
    "unmatched_de.eml": Expected(ReplyKind.REPLY, None, "", "Erhalt der unabhängigen Beratung"),
}


def code(number: int) -> str:
    return f"NRW-2026-{number:04d}"


def message_id(number: int) -> str:
    return f"<brief.{number:04d}.20260302101500@kampagne.example.org>"


def read_mail(name: str) -> bytes:
    return (MAILS / name).read_bytes()


def make_sent_letter(
    session: Session, campaign: Campaign, recipient: Recipient, reference: str, **values: Any
) -> Letter:
    """A letter that went out by e-mail, with the outbox row that holds its Message-ID."""
    outbox_id = values.pop("message_id", f"<brief.{reference}@kampagne.example.org>")
    values.setdefault("status", LetterStatus.SENT)
    values.setdefault("sent_at", SENT_AT)
    letter = Letter(
        campaign=campaign,
        recipient=recipient,
        reference_code=reference,
        channel=Channel.EMAIL,
        recipient_name=recipient.full_name,
        recipient_email=recipient.email,
        subject="Ihr Leitantrag „NRW, jetzt erst gerecht“",
        **values,
    )
    session.add(letter)
    session.add(Target(campaign=campaign, recipient=recipient, channel=Channel.EMAIL))
    session.flush()
    session.add(
        OutboxMessage(
            kind="letter",
            letter_id=letter.id,
            message_id=outbox_id,
            to_address=recipient.email,
            raw=b"",
            status=OutboxStatus.SENT,
            sent_at=letter.sent_at,
        )
    )
    session.flush()
    return letter


def make_reply_campaign(session: Session, **values: Any) -> dict[int, Letter]:
    """The NRW campaign with one sent letter per person above, keyed by reference number."""
    slug, title = values.pop("slug", "nrw-gerecht"), values.pop("title", "NRW, jetzt erst gerecht")
    campaign = make_campaign(session, **values)
    campaign.slug, campaign.title = slug, title
    letters = {}
    for number, (first, last, email) in PEOPLE.items():
        person = make_recipient(
            session, first_name=first, last_name=last, email=email, email_canonical=canonical_email(email)
        )
        letters[number] = make_sent_letter(session, campaign, person, code(number), message_id=message_id(number))
    return letters


def make_reply(session: Session, letter: Letter | None = None, **values: Any) -> Reply:
    """A reply (by default an e-mail answer to `letter`, or an unmatched one without a letter)."""
    values.setdefault("received_at", datetime(2026, 3, 4, 12, 0))
    values.setdefault("body_text", "Vielen Dank, ich unterstütze Ihr Anliegen.")
    values.setdefault("from_address", letter.recipient_email if letter else "unbekannt@example.org")
    reply = Reply(
        letter=letter,
        recipient=letter.recipient if letter else None,
        campaign_id=letter.campaign_id if letter else None,
        **values,
    )
    session.add(reply)
    session.flush()
    return reply
