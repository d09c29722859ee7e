"""Filing a reply under its letter: an answer to a follow-up („Nachfrage“) counts for the first letter.

A follow-up is not a letter sent of its own (campaign.services.dashboard.definitions): whoever answers it answers
the campaign's letter. So the reply is filed under the first letter, where every count looks, and keeps the
follow-up it came to in `follow_up`. A bounce stays with the mail that bounced, so only that letter is marked.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from campaign.models import Letter, LetterStatus, Reply, ReplyKind, User
from campaign.services.common.states import transition


def file_under(reply: Reply, letter: Letter | None) -> None:
    """Tie the reply to `letter`, or to the first letter when `letter` is a follow-up (bounces excepted)."""
    reply.follow_up = None
    if letter is not None and letter.follow_up_of is not None and reply.kind is not ReplyKind.BOUNCE:
        reply.follow_up, letter = letter, letter.follow_up_of
    reply.letter = letter
    reply.recipient = letter.recipient if letter is not None else reply.recipient
    reply.campaign_id = letter.campaign_id if letter is not None else reply.campaign_id


def mark_answered(session: Session, reply: Reply, *, user: User | None, note: str) -> None:
    """An answer by a person marks its letter (and the follow-up it came to) as replied."""
    if reply.kind is not ReplyKind.REPLY:
        return
    for letter in (reply.letter, reply.follow_up):
        if letter is not None and letter.status is LetterStatus.SENT:
            transition(session, letter, LetterStatus.REPLIED, user=user, note=note)
