"""Follow-ups („Nachfragen“) on the hand-counted campaign: they change no figure; an answer to one counts once,
for the first letter; the exports say which row is a follow-up and which reply came to one."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from campaign.models import Channel, Letter, LetterStatus, Reply, ReplyChannel, ReplyKind, ReplyQuality, ReplyStance
from campaign.services.dashboard import campaign_dashboard
from campaign.services.dashboard.figures import headline
from campaign.services.dashboard.segments import segment
from campaign.services.exports import export_campaign_table
from campaign.services.replies.filing import file_under
from campaign.services.replies.records import Classification, LoggedReply, log_reply
from tests.factories_dashboard import EXPECTED_SEGMENTS, HAND_COUNTED, NOW, SENT_AT


def _letter(session, campaign, last_name: str) -> Letter:
    return session.scalar(
        select(Letter).where(
            Letter.campaign_id == campaign.id,
            Letter.recipient_name.endswith(last_name),
            Letter.status != LetterStatus.DRAFT,
        )
    )


def _follow_up(session, first: Letter) -> Letter:
    """A follow-up to `first`, sent 22 days after it (on paper: posted that day)."""
    left = SENT_AT + timedelta(days=22)
    on_paper = first.channel is Channel.POST
    letter = Letter(
        campaign_id=first.campaign_id,
        recipient_id=first.recipient_id,
        reference_code=f"{first.reference_code}-N",
        channel=first.channel,
        status=LetterStatus.SENT,
        sent_at=None if on_paper else left,
        delivery="post" if on_paper else "email",
        delivered_on=left.date() if on_paper else None,
        recipient_name=first.recipient_name,
        subject="Nachfrage: Ihr Antrag",
    )
    session.add(letter)
    letter.follow_up_of = first
    session.flush()
    return letter


@pytest.fixture
def followed_up(db_session, counted):
    """The hand-counted campaign, with follow-ups to Groß, Dupré (e-mail) and Demir (post), and an auto-reply to
    Dupré's follow-up."""
    campaign = counted
    follow_ups = {
        name: _follow_up(db_session, _letter(db_session, campaign, name)) for name in ("Groß", "Dupré", "Demir")
    }
    auto = Reply(kind=ReplyKind.AUTO_REPLY, quality=ReplyQuality.AUTO_REPLY, received_at=NOW, body_text="Urlaub")
    file_under(auto, follow_ups["Dupré"])
    db_session.add(auto)
    db_session.flush()
    return campaign, follow_ups


def test_follow_ups_change_no_figure_of_the_hand_count(db_session, followed_up):
    campaign, _follow_ups = followed_up
    assert headline(db_session, campaign).as_dict() == {**HAND_COUNTED, "auto_replies": 2}
    for name, expected in EXPECTED_SEGMENTS.items():
        rows = {row.key: (row.sent, row.answered, row.substantive) for row in segment(db_session, campaign, name).rows}
        assert rows == expected, name
    board = campaign_dashboard(db_session, campaign, now=NOW)
    assert [(day.day, day.count) for day in board.letters_sent] == [(date(2026, 3, 2), 10)]
    # Six letters were due (see test_figures); three of them have had their follow-up.
    assert board.attention.follow_ups_due == 3


def test_an_answer_to_a_follow_up_counts_once_for_the_first_letter(db_session, followed_up):
    campaign, follow_ups = followed_up
    answer = LoggedReply(
        channel=ReplyChannel.EMAIL,
        received_on=NOW.date(),
        text="Ich stimme Änderungsantrag 3 zu.",
        classification=Classification(quality=ReplyQuality.SUBSTANTIVE, stance=ReplyStance.SUPPORTIVE),
    )
    reply = log_reply(db_session, follow_ups["Groß"], answer)
    first = follow_ups["Groß"].follow_up_of
    assert (reply.letter, reply.follow_up) == (first, follow_ups["Groß"])
    assert first.status is LetterStatus.REPLIED and follow_ups["Groß"].status is LetterStatus.REPLIED
    figures = headline(db_session, campaign)
    # Counted by hand: 4 of 10 letters answered, 3 substantive; reply times 2, 6, 10 and 28.125 days (from the
    # first letter, 2 March 9:00, to 30 March 12:00) → median 8.
    assert (figures.letters_sent, figures.letters_replied, figures.letters_substantive) == (10, 4, 3)
    assert (figures.response_rate, figures.substantive_rate, figures.median_days_to_reply) == (40.0, 30.0, 8.0)
    channel = {
        row.key: (row.sent, row.answered, row.substantive) for row in segment(db_session, campaign, "channel").rows
    }
    assert channel == {"email": (6, 4, 3), "post": (4, 0, 0)}


def test_the_exports_name_follow_ups_and_the_follow_up_a_reply_came_to(db_session, followed_up):
    campaign, follow_ups = followed_up
    letters = {
        row["reference"]: row for row in json.loads(export_campaign_table(db_session, campaign, "letters", "json"))
    }
    follow_up = letters[follow_ups["Demir"].reference_code]
    first = follow_ups["Demir"].follow_up_of.reference_code
    assert (follow_up["kind"], follow_up["follow_up_of"], follow_up["sent"]) == ("follow_up", first, False)
    assert letters[first]["kind"] == "letter" and letters[first]["sent"] is True
    assert sum(row["sent"] for row in letters.values()) == 10
    csv = export_campaign_table(db_session, campaign, "letters", "csv").decode("utf-8-sig")
    assert csv.splitlines()[0].endswith(";Art;Nachfrage zu") and f";Nachfrage;{first}\r\n" in csv
    [auto] = [
        row
        for row in json.loads(export_campaign_table(db_session, campaign, "replies", "json"))
        if row["kind"] == "auto_reply" and row["follow_up"]
    ]
    assert auto["follow_up"] == follow_ups["Dupré"].reference_code
    assert auto["reference"] == follow_ups["Dupré"].follow_up_of.reference_code and auto["counts_as_reply"] is False
