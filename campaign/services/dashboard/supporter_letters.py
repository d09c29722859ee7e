"""The dashboard's figures on supporters' own letters and what the questionnaire found out about them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Channel, Letter, QuestionnaireAnswer, SupporterLetter, SupporterLetterStatus
from campaign.services.dashboard.definitions import REPORTED_REPLY, SENT_STATES, SUPPORTER_LETTER, rate

_W = SupporterLetterStatus


@dataclass(frozen=True)
class SupporterLetterFigures:
    sent: int
    by_email: int
    by_post: int
    waiting: int
    questionnaires: int
    answered: int
    answers: tuple[tuple[QuestionnaireAnswer, int], ...]
    reported_replies: int

    @property
    def reported_rate(self) -> float:
        """Reported replies as a percentage of the answered questionnaires."""
        return rate(self.reported_replies, self.answered)


def supporter_letter_figures(session: Session, campaign: Campaign) -> SupporterLetterFigures:
    """Sent supporter letters (by e-mail, by post), those still waiting, and the questionnaire's answers."""
    sent = session.execute(
        select(Letter.channel, SupporterLetter.questionnaire_sent_at, SupporterLetter.answer)
        .outerjoin(SupporterLetter, SupporterLetter.letter_id == Letter.id)
        .where(Letter.campaign_id == campaign.id, SUPPORTER_LETTER, Letter.status.in_(SENT_STATES))
    ).all()
    waiting = session.scalars(
        select(SupporterLetter.id).where(
            SupporterLetter.campaign_id == campaign.id,
            SupporterLetter.status.in_((_W.PENDING, _W.HELD, _W.TO_POST)),
        )
    ).all()
    answers = Counter(row.answer for row in sent if row.answer is not None)
    return SupporterLetterFigures(
        sent=len(sent),
        by_email=sum(1 for row in sent if row.channel is Channel.EMAIL),
        by_post=sum(1 for row in sent if row.channel is Channel.POST),
        waiting=len(waiting),
        questionnaires=sum(1 for row in sent if row.questionnaire_sent_at is not None),
        answered=sum(answers.values()),
        answers=tuple((answer, answers.get(answer, 0)) for answer in QuestionnaireAnswer),
        reported_replies=sum(answers.get(answer, 0) for answer in REPORTED_REPLY),
    )
