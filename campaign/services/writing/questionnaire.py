"""The questionnaire after a supporter's letter: did the office answer? Mails when due, answers into reply tracking.

A letter gets the questionnaire `questionnaire_days` (campaign setting, 14 by default) after it was sent, and once
more as many days later while the answer is missing or "no reply yet". An answer that the office replied becomes a
Reply of channel "supporter_report" on the letter (its quality only suggested; the team confirms it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import (
    LetterStatus,
    QuestionnaireAnswer,
    Reply,
    ReplyChannel,
    ReplyKind,
    ReplyQuality,
    SupporterLetter,
    SupporterLetterStatus,
    WritingSettings,
)
from campaign.services.common.errors import ServiceError
from campaign.services.common.states import transition
from campaign.services.common.text import format_thousands
from campaign.services.writing import mails
from campaign.services.writing.letters import access_token

_Q = QuestionnaireAnswer
MAX_REPLY_TEXT = 20_000
SUGGESTED = {
    _Q.ANSWERED: ReplyQuality.SUBSTANTIVE,
    _Q.NOT_ANSWERED: ReplyQuality.STANDARD,
    _Q.ACKNOWLEDGED: ReplyQuality.ACKNOWLEDGEMENT,
}


@dataclass(frozen=True)
class QuestionnaireRun:
    questionnaires: int
    reminders: int


def _due(session: Session, now: datetime, *, reminder: bool) -> list[SupporterLetter]:
    days = WritingSettings.questionnaire_days
    query = (
        select(SupporterLetter, days)
        .join(WritingSettings, WritingSettings.campaign_id == SupporterLetter.campaign_id)
        .where(
            SupporterLetter.status == SupporterLetterStatus.SENT,
            SupporterLetter.supporter_id.is_not(None),
            SupporterLetter.email != "",
        )
    )
    if reminder:
        query = query.where(
            SupporterLetter.questionnaire_sent_at.is_not(None),
            SupporterLetter.reminder_sent_at.is_(None),
            or_(SupporterLetter.answer.is_(None), SupporterLetter.answer == _Q.NO_REPLY),
        )
    else:
        query = query.where(SupporterLetter.questionnaire_sent_at.is_(None), SupporterLetter.sent_at.is_not(None))
    due = []
    for letter, wait in session.execute(query.order_by(SupporterLetter.id)):
        since = letter.questionnaire_sent_at if reminder else letter.sent_at
        if since is not None and since + timedelta(days=wait) <= now:
            due.append(letter)
    return due


def send_questionnaires(session: Session, now: datetime | None = None) -> QuestionnaireRun:
    """Queue every questionnaire and reminder due at `now`; running it again at once queues nothing."""
    now = now or utcnow()
    first = _due(session, now, reminder=False)
    for letter in first:
        mails.queue_questionnaire(session, letter, access_token(letter), reminder=False)
        letter.questionnaire_sent_at = now
    second = _due(session, now, reminder=True)
    for letter in second:
        mails.queue_questionnaire(session, letter, access_token(letter), reminder=True)
        letter.reminder_sent_at = now
    session.flush()
    return QuestionnaireRun(len(first), len(second))


def record_answer(
    session: Session, letter: SupporterLetter, answer: QuestionnaireAnswer, text: str = ""
) -> Reply | None:
    """Store the writer's answer; a reported reply joins the letter's replies (and the letter counts as answered)."""
    if letter.status is not SupporterLetterStatus.SENT:
        raise ServiceError(_("Dieser Brief ist noch nicht verschickt."))
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_REPLY_TEXT:
        raise ServiceError(
            _("Der Text ist zu lang (höchstens %(max)s Zeichen).", max=format_thousands(MAX_REPLY_TEXT)), "text"
        )
    if answer is _Q.NO_REPLY and text:
        raise ServiceError(_("Sie haben „Noch keine Antwort“ gewählt, aber einen Antworttext eingefügt."), "text")
    letter.answer, letter.answered_at = answer, utcnow()
    if answer is _Q.NO_REPLY:
        session.flush()
        return None
    reply = letter.reply or Reply(kind=ReplyKind.REPLY, channel=ReplyChannel.SUPPORTER_REPORT, source="supporter")
    record = letter.letter
    reply.campaign_id = letter.campaign_id
    reply.letter = record
    reply.recipient_id = letter.recipient_id
    reply.received_at = letter.answered_at
    reply.from_name = (letter.recipient.full_name if letter.recipient else "")[:200]
    reply.subject = f"Auskunft der Unterstützer:in zu {letter.reference_code}"[:300]
    reply.body_text = reply.original_text = text
    reply.match_method = "supporter"
    reply.suggested_quality = SUGGESTED[answer]
    session.add(reply)
    letter.reply = reply
    session.flush()
    if record is not None and record.status is LetterStatus.SENT:
        transition(session, record, LetterStatus.REPLIED, note="laut Unterstützer:in beantwortet")
    return reply
