"""A supporter's letter after writing: confirmed by its link, then sent, held for approval, or posted by them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.db import utcnow
from campaign.models import Campaign, Channel, Letter, LetterStatus, SupporterLetter, SupporterLetterStatus, User
from campaign.services.common.audit import record
from campaign.services.common.dates import today_in_germany
from campaign.services.common.errors import ServiceError
from campaign.services.common.states import transition
from campaign.services.signing import tokens
from campaign.services.signing.lifecycle import LinkState
from campaign.services.writing import mails
from campaign.services.writing.letters import reference_code, writer_of, written
from campaign.services.writing.settings import settings_for

_W = SupporterLetterStatus


@dataclass(frozen=True)
class Found:
    """What a link found: its state, and the letter when the token is genuine."""

    state: LinkState
    letter: SupporterLetter | None = None


def _find(session: Session, campaign: Campaign, purpose: str, token: str) -> Found:
    max_age = None
    if purpose == tokens.LETTER_CONFIRM:
        max_age = int(timedelta(days=int(setting("UNCONFIRMED_SIGNATURE_DAYS"))).total_seconds())
    try:
        digest = tokens.read(setting("SECRET_KEY"), purpose, token, max_age)
    except tokens.TokenError as error:
        return Found(LinkState.EXPIRED if error.expired else LinkState.INVALID)
    column = (
        SupporterLetter.confirm_token_hash if purpose == tokens.LETTER_CONFIRM else SupporterLetter.access_token_hash
    )
    letter = session.scalar(select(SupporterLetter).where(column == digest, SupporterLetter.campaign_id == campaign.id))
    if letter is None:
        return Found(LinkState.INVALID)
    return Found(LinkState.READY, letter)


def check_confirm(session: Session, campaign: Campaign, token: str) -> Found:
    """What the confirm link stands for (a GET changes nothing: mail scanners fetch links)."""
    found = _find(session, campaign, tokens.LETTER_CONFIRM, token)
    if found.letter is not None and found.letter.status is not _W.PENDING:
        return Found(LinkState.DONE, found.letter)
    return found


def confirm(session: Session, campaign: Campaign, token: str) -> Found:
    """Confirm the letter: post it yourself, hold it for the team, or send it now (in this transaction's outbox)."""
    found = check_confirm(session, campaign, token)
    letter = found.letter
    if found.state is not LinkState.READY or letter is None:
        return found
    letter.confirmed_at = utcnow()
    if letter.delivery == "post":
        reference_code(session, letter)
        transition(session, letter, _W.TO_POST, note="bestätigt, wird selbst verschickt")
    elif settings_for(session, campaign).moderated:
        transition(session, letter, _W.HELD, note="bestätigt, wartet auf Freigabe")
    else:
        send(session, letter, note="bestätigt")
    return Found(LinkState.DONE, letter)


def _record_letter(session: Session, letter: SupporterLetter, channel: Channel) -> Letter:
    """The Letter row: what went to the office, frozen as sent (it stays when the writer is erased)."""
    composed = written(letter)
    writer = writer_of(letter)
    code = reference_code(session, letter)
    record_row = Letter(
        campaign=letter.campaign,
        recipient=letter.recipient,
        supporter_id=letter.supporter_id,
        reference_code=code,
        channel=channel,
        status=LetterStatus.APPROVED,
        recipient_name=composed.recipient_name,
        recipient_email=letter.recipient.email if channel is Channel.EMAIL else "",
        address_block="\n".join(composed.address_lines),
        subject=composed.subject,
        body_text=composed.full_text(writer),
        body_html=str(composed.full_html(writer)),
        rendered_at=utcnow(),
    )
    session.add(record_row)
    session.flush()
    letter.letter = record_row
    return record_row


def send(session: Session, letter: SupporterLetter, *, note: str, user: User | None = None) -> Letter:
    """Hand the letter to the outbox: From the tool's address in the writer's name, Reply-To the writer."""
    record_row = _record_letter(session, letter, Channel.EMAIL)
    transition(session, record_row, LetterStatus.QUEUED, user=user, note="Brief von Unterstützer:in")
    mails.queue_office_mail(session, letter, record_row)
    letter.sent_at = utcnow()
    transition(session, letter, _W.SENT, user=user, note=note)
    return record_row


def approve(session: Session, letter: SupporterLetter, *, user: User) -> None:
    """A held letter is approved by the team and goes out now."""
    if letter.status is not _W.HELD:
        raise ServiceError(_("Dieser Brief wartet nicht auf Freigabe."))
    send(session, letter, note="freigegeben", user=user)
    record(session, "supporter_letter.approve", letter, user=user)


def reject(session: Session, letter: SupporterLetter, reason: str, *, user: User) -> None:
    """A held letter is not sent (abuse, insults); the reason goes to the log."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_("Bitte einen Grund angeben; er wird im Protokoll festgehalten."), "reason")
    if len(reason) > 300:
        raise ServiceError(_("Der Grund darf höchstens %(max)s Zeichen lang sein.", max=300), "reason")
    if letter.status is not _W.HELD:
        raise ServiceError(_("Dieser Brief wartet nicht auf Freigabe."))
    transition(session, letter, _W.REJECTED, user=user, note=reason)
    record(session, "supporter_letter.reject", letter, user=user, reason=reason)


def find_by_access(session: Session, campaign: Campaign, token: str) -> Found:
    """The letter whose page the token opens (PDF, "posted", questionnaire); links of erased writers open nothing."""
    found = _find(session, campaign, tokens.LETTER_ACCESS, token)
    if found.letter is not None and found.letter.supporter_id is None:
        return Found(LinkState.INVALID)
    return found


def mark_posted(session: Session, letter: SupporterLetter) -> None:
    """The writer says they posted the letter: it counts as sent today, and the questionnaire will follow."""
    if letter.status is _W.SENT:
        return
    if letter.status is not _W.TO_POST:
        raise ServiceError(_("Dieser Brief wird nicht per Post verschickt."))
    record_row = _record_letter(session, letter, Channel.POST)
    record_row.delivery, record_row.delivered_on = "post", today_in_germany()
    transition(session, record_row, LetterStatus.SENT, note="von der Unterstützer:in abgeschickt")
    record_row.sent_at = letter.sent_at = utcnow()
    transition(session, letter, _W.SENT, note="selbst per Post verschickt")


def letter_pdf(letter: SupporterLetter) -> bytes:
    """The letter as a PDF to print and post (with its reference code once it has one)."""
    return written(letter).pdf(writer_of(letter), letter.reference_code)
