"""A hand-counted campaign for the dashboard: 10 sent letters, 4 replies (1 standard, 1 auto-reply), signatures.

Counted by hand (see tests/dashboard/test_figures.py): 3 letters answered → 30 %, 2 substantive → 20 %,
1 auto-reply, 1 bounce, reply times 2, 6 and 10 days → median 6; per segment in EXPECTED_SEGMENTS.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from campaign.models import (
    Campaign,
    Channel,
    FormOfAddress,
    Letter,
    LetterStatus,
    Recipient,
    Reply,
    ReplyChannel,
    ReplyKind,
    ReplyQuality,
    ReplyStance,
    Signature,
    SignatureStatus,
    Supporter,
    Target,
)
from tests.factories import make_campaign
from tests.factories_recipients import make_list

SENT_AT = datetime(2026, 3, 2, 9, 0)
_numbers = count(1)

# (first name, last name, function, unterbezirk, tags, channel)
PEOPLE = [
    ("Ayşe", "Yılmaz", "MdL", "Köln", ["spd", "landtag"], Channel.EMAIL),
    ("Łukasz", "Nowak", "MdL", "Köln", ["spd", "landtag"], Channel.EMAIL),
    ("Jürgen", "Groß", "MdL", "Köln", ["spd"], Channel.EMAIL),
    ("Renée", "Dupré", "MdL", "Köln", ["spd"], Channel.EMAIL),
    ("Erika", "Mustermann", "MdL", "Dortmund", ["spd"], Channel.EMAIL),
    ("Petra", "Schröder", "Kreisvorsitzende", "Dortmund", ["spd"], Channel.EMAIL),
    ("Hans", "Becker", "Kreisvorsitzender", "Dortmund", ["spd"], Channel.POST),
    ("Gül", "Demir", "Kreisvorsitzende", "Dortmund", ["spd"], Channel.POST),
    ("Sabine", "Weiß", "Kreisvorsitzende", "Dortmund", ["spd"], Channel.POST),
    ("Thomas", "Klein", "Kreisvorsitzender", "Dortmund", ["spd"], Channel.POST),
]

# The campaign's headline figures, counted by hand from PEOPLE and the replies below.
HAND_COUNTED = {
    "letters_sent": 10,
    "letters_replied": 3,
    "letters_substantive": 2,
    "response_rate": 30.0,
    "substantive_rate": 20.0,
    "auto_replies": 1,
    "bounces": 1,
    "unclassified": 0,
    "signatures_confirmed": 3,
    "median_days_to_reply": 6.0,
}
# The moment the dashboard tests look at the campaign from, four weeks after SENT_AT.
NOW = datetime(2026, 3, 30, 12, 0)

# segment → key → (sent, answered, substantive), counted by hand from PEOPLE and the replies below.
EXPECTED_SEGMENTS = {
    "function": {"MdL": (5, 2, 2), "Kreisvorsitzende": (3, 1, 0), "Kreisvorsitzender": (2, 0, 0)},
    "unterbezirk": {"Köln": (4, 2, 2), "Dortmund": (6, 1, 0)},
    "list": {"Landtag": (5, 2, 2), "Kreise": (6, 2, 1)},
    "tag": {"spd": (10, 3, 2), "landtag": (2, 2, 2)},
    "channel": {"email": (6, 3, 2), "post": (4, 0, 0)},
}


def make_recipient_letter(
    session: Session,
    campaign: Campaign,
    recipient: Recipient,
    *,
    channel: Channel = Channel.EMAIL,
    target: bool = True,
    **values: Any,
) -> Letter:
    values.setdefault("status", LetterStatus.SENT)
    values.setdefault("sent_at", SENT_AT)
    letter = Letter(
        campaign=campaign,
        recipient=recipient,
        reference_code=f"DASH-{next(_numbers):05d}",
        channel=channel,
        recipient_name=recipient.full_name,
        recipient_email=recipient.email,
        **values,
    )
    session.add(letter)
    if target:
        session.add(Target(campaign=campaign, recipient=recipient, channel=channel))
    session.flush()
    return letter


def make_reply(session: Session, letter: Letter, days: float, **values: Any) -> Reply:
    values.setdefault("kind", ReplyKind.REPLY)
    reply = Reply(
        campaign_id=letter.campaign_id,
        letter_id=letter.id,
        recipient_id=letter.recipient_id,
        channel=ReplyChannel.EMAIL,
        received_at=letter.sent_at + timedelta(days=days),
        **values,
    )
    session.add(reply)
    session.flush()
    return reply


def make_signature(session: Session, campaign: Campaign, confirmed_at: datetime | None, **values: Any) -> Signature:
    number = next(_numbers)
    supporter = Supporter(
        email=f"unterstuetzer{number}@example.org",
        email_canonical=f"unterstuetzer{number}@example.org",
        first_name=values.pop("first_name", "Zoë"),
        last_name=values.pop("last_name", f"Ğüneş {number}"),
        city="Köln",
        postcode="50667",
    )
    values.setdefault("status", SignatureStatus.CONFIRMED if confirmed_at else SignatureStatus.PENDING)
    signature = Signature(
        campaign=campaign,
        supporter=supporter,
        consent_version="2026-01",
        confirm_token_hash=hashlib.sha256(f"c{number}".encode()).hexdigest(),
        withdraw_token_hash=hashlib.sha256(f"w{number}".encode()).hexdigest(),
        confirmed_at=confirmed_at,
        **values,
    )
    session.add(signature)
    session.flush()
    return signature


def make_counted_campaign(session: Session, **values: Any) -> Campaign:
    """The hand-counted campaign (see the module's docstring); slug „gezaehlt“ unless given."""
    values.setdefault("goal_signatures", 10)
    campaign = make_campaign(session, **values)
    if "slug" not in values:
        campaign.slug, campaign.title = "gezaehlt", "Gezählt: Brief an den Landesvorstand"
    recipients, letters = [], []
    for first, last, function, region, tags, channel in PEOPLE:
        recipient = Recipient(
            form_of_address=FormOfAddress.FRAU,
            first_name=first,
            last_name=last,
            function=function,
            unterbezirk=region,
            tags=tags,
            email=f"{len(recipients) + 1}@landtag.example.org",
        )
        session.add(recipient)
        session.flush()
        recipients.append(recipient)
        letters.append(make_recipient_letter(session, campaign, recipient, channel=channel))
    make_list(session, "Landtag", recipients[:5])
    make_list(session, "Kreise", [recipients[0], *recipients[5:]])
    # Not counted: a draft, and nobody's reply to it.
    make_recipient_letter(session, campaign, recipients[2], target=False, status=LetterStatus.DRAFT, sent_at=None)
    letters[8].status = LetterStatus.BOUNCED
    recipients[8].email_failed_at = SENT_AT + timedelta(hours=1)
    recipients[8].email_failure = "550 5.1.1 User unknown"
    make_reply(
        session,
        letters[0],
        2,
        quality=ReplyQuality.SUBSTANTIVE,
        stance=ReplyStance.SUPPORTIVE,
        commitments="stimmt auf dem Parteitag für Änderungsantrag 3",
        publication_allowed=True,
        body_text="Ich unterstütze Ihr Anliegen und stimme für Änderungsantrag 3.",
    )
    make_reply(
        session,
        letters[1],
        6,
        quality=ReplyQuality.SUBSTANTIVE,
        stance=ReplyStance.OPPOSED,
        body_text="Vertraulich: Ich halte den Leitantrag für richtig.",
    )
    make_reply(session, letters[5], 10, quality=ReplyQuality.STANDARD, stance=ReplyStance.NEUTRAL)
    make_reply(session, letters[6], 0.1, kind=ReplyKind.AUTO_REPLY, body_text="Ich bin nicht im Büro.")
    # Signatures: 3 count (one confirmed late on 1 March UTC, which is 2 March in Germany), 1 pending, 1 withdrawn.
    make_signature(session, campaign, datetime(2026, 3, 1, 10, 0))
    make_signature(session, campaign, datetime(2026, 3, 1, 23, 30))
    make_signature(session, campaign, datetime(2026, 3, 2, 8, 0))
    make_signature(session, campaign, None)
    make_signature(
        session,
        campaign,
        datetime(2026, 3, 1, 11, 0),
        status=SignatureStatus.WITHDRAWN,
        withdrawn_at=datetime(2026, 3, 3, 9, 0),
    )
    session.flush()
    return campaign
