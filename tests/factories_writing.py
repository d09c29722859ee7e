"""Factories of the supporter-letter tests: a campaign open for writing, its postcode table, written letters."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from datetime import datetime
from email.policy import default
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import (
    AreaKind,
    Channel,
    FormOfAddress,
    Letter,
    LetterStatus,
    OpenRecipient,
    PostcodeArea,
    QuestionnaireAnswer,
    Reply,
    ReplyChannel,
    Supporter,
    SupporterLetter,
    SupporterLetterStatus,
    Target,
    WritingSettings,
)
from tests.factories import make_recipient
from tests.factories_letters import choose, make_argument, make_argument_set, make_letter_campaign

MAIL_FROM = "Kampagnen-Werkzeug <kampagne@example.org>"
ARGUMENTS = (
    ("Die Kommunen brauchen Geld", "Die Kommunen tragen die Kosten der Unterbringung und bleiben darauf sitzen."),
    ("Gute Arbeit braucht Zeit", "Beratung braucht verlässliche Stellen statt befristeter Projekte von Jahr zu Jahr."),
    ("Schutz ist ein Recht", "Wer Schutz sucht, hat Anspruch auf ein faires Verfahren und eine Unterkunft."),
)


@dataclass
class WritingCampaign:
    slug: str
    campaign_id: int
    argument_ids: list[int]
    local_id: int
    open_id: int
    postal_id: int


def make_writing_campaign(session: Session, **settings: Any) -> WritingCampaign:
    """An active campaign open for writing: three arguments, a local MP (Wahlkreis Köln I, with e-mail), an MP open
    to all, one reachable only by post (Köln II), and the postcode table for 50667 → Köln I and 50733 → Köln II."""
    campaign, _version, _people = make_letter_campaign(session)
    argument_set = make_argument_set(session)
    arguments = [make_argument(session, argument_set, claim=claim, paragraph=text) for claim, text in ARGUMENTS]
    campaign.argument_set = argument_set
    choose(session, campaign, arguments)
    local = make_recipient(
        session, first_name="Jana", last_name="Schäfer-Öztürk", email="buero.schaefer@landtag.example.org",
        wahlkreis="Köln I", street="Platz des Landtags 1", postcode="40221", city="Düsseldorf",
    )  # fmt: skip
    open_to_all = make_recipient(
        session, form_of_address=FormOfAddress.HERR, first_name="Łukasz", last_name="Brandt",
        email="brandt@landtag.example.org", function="Fraktionsvorsitzender", wahlkreis="Bonn",
        street="Platz des Landtags 1", postcode="40221", city="Düsseldorf",
    )  # fmt: skip
    postal = make_recipient(
        session, first_name="Renée", last_name="Weiß", wahlkreis="Köln II",
        street="Platz des Landtags 1", postcode="40221", city="Düsseldorf",
    )  # fmt: skip
    for person in (local, open_to_all, postal):
        session.add(Target(campaign=campaign, recipient=person))
    session.add(OpenRecipient(campaign_id=campaign.id, recipient_id=open_to_all.id))
    values = {"enabled": True, "questionnaire_days": 14, "similar_limit": 1, **settings}
    session.add(WritingSettings(campaign_id=campaign.id, **values))
    for code, area in (("50667", "Köln I"), ("50733", "Köln II")):
        if session.query(PostcodeArea).filter_by(postcode=code, area=area).first() is None:
            session.add(PostcodeArea(postcode=code, kind=AreaKind.WAHLKREIS, area=area))
    session.flush()
    return WritingCampaign(campaign.slug, campaign.id, [a.id for a in arguments], local.id, open_to_all.id, postal.id)


def details(**values: Any) -> dict[str, Any]:
    """The writer's details on the preview page."""
    data = {
        "first_name": "Ğülşen",
        "last_name": "Ćwikłińska",
        "email": "guelsen@example.org",
        "street": "Fliederweg 3",
        "writer_postcode": "50667",
        "city": "Köln",
        "delivery": "email",
        "consent": "y",
        "consent_version": "brief-2026-12-01",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def write_form(written: WritingCampaign, *, recipient: int | None = None, own_text: str = "", chosen=None, **values):
    """The fields the preview page carries, plus the writer's details: what the final POST sends."""
    chosen = written.argument_ids[:2] if chosen is None else chosen
    return {
        "step": "submit",
        "postcode": "50667",
        "recipient": str(recipient or written.local_id),
        "chosen": ",".join(str(i) for i in chosen),
        "own_text": own_text,
        **details(**values),
    }


def link_in(raw: bytes, kind: str) -> str:
    """The path of the first /write/<kind>/… link in a mail."""
    message = email.message_from_bytes(raw, policy=default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(rf"https?://[^/\s]+(/c/[^\s]+/write/{kind}/[^\s]+)", text)
    assert match, text
    return match.group(1)


_supporter_numbers = count(1)


def make_supporter_letter(
    session: Session,
    written: WritingCampaign,
    *,
    status: SupporterLetterStatus = SupporterLetterStatus.SENT,
    channel: Channel = Channel.EMAIL,
    answer: QuestionnaireAnswer | None = None,
    asked: bool = True,
    sent_at: datetime | None = None,
    **values: Any,
) -> SupporterLetter:
    """A supporter's letter to the campaign's local recipient; once sent, with its Letter, the questionnaire (if
    `asked`) and, for an answer that says so, the reply the writer reported. `values` go to the SupporterLetter."""
    number = next(_supporter_numbers)
    sent_at = sent_at or utcnow()
    supporter = Supporter(email=f"w{number}@example.org", email_canonical=f"w{number}@example.org")
    session.add(supporter)
    session.flush()
    record = None
    if status is SupporterLetterStatus.SENT:
        record = Letter(
            campaign_id=written.campaign_id,
            recipient_id=written.local_id,
            supporter_id=supporter.id,
            reference_code=f"U-{number}",
            channel=channel,
            status=LetterStatus.SENT,
            sent_at=sent_at,
        )
        session.add(record)
        session.flush()
    letter = SupporterLetter(
        campaign_id=written.campaign_id,
        supporter_id=supporter.id,
        recipient_id=written.local_id,
        letter_id=record.id if record else None,
        status=status,
        delivery=channel.value,
        confirm_token_hash=f"c{number}",
        access_token_hash=f"a{number}",
        answer=answer,
        questionnaire_sent_at=sent_at if asked and record else None,
        **values,
    )
    session.add(letter)
    if answer in (QuestionnaireAnswer.ANSWERED, QuestionnaireAnswer.ACKNOWLEDGED) and record is not None:
        session.add(
            Reply(
                campaign_id=written.campaign_id,
                letter_id=record.id,
                channel=ReplyChannel.SUPPORTER_REPORT,
                received_at=sent_at,
            )
        )
    session.flush()
    return letter
