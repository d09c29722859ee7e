"""Dashboard figures against the hand-counted campaign (tests/factories_dashboard.py), overall and per segment."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from campaign.models import LetterStatus, Reply, ReplyKind, ReplyQuality, SignatureStatus
from campaign.services.dashboard import campaign_dashboard
from campaign.services.dashboard.answers import reply_time_buckets
from campaign.services.dashboard.figures import headline
from campaign.services.dashboard.segments import segment
from campaign.services.dashboard.signatures import confirmed_total, refresh_signature_days, signature_days
from tests.factories import make_campaign, make_recipient
from tests.factories_dashboard import EXPECTED_SEGMENTS, HAND_COUNTED, NOW, make_recipient_letter, make_signature


def test_headline_figures_match_the_hand_count(db_session, counted):
    assert headline(db_session, counted).as_dict() == HAND_COUNTED


@pytest.mark.parametrize("name", sorted(EXPECTED_SEGMENTS))
def test_each_segment_matches_the_hand_count(db_session, counted, name):
    rows = {row.key: (row.sent, row.answered, row.substantive) for row in segment(db_session, counted, name).rows}
    assert rows == EXPECTED_SEGMENTS[name]


def test_segment_rates_are_per_segment(db_session, counted):
    rows = {row.key: row for row in segment(db_session, counted, "unterbezirk").rows}
    assert (rows["Köln"].response_rate, rows["Köln"].substantive_rate) == (50.0, 50.0)
    assert (rows["Dortmund"].response_rate, rows["Dortmund"].substantive_rate) == (16.7, 0.0)


def test_a_reply_classified_as_auto_reply_stops_counting(db_session, counted):
    standard = db_session.scalar(select(Reply).where(Reply.quality == ReplyQuality.STANDARD))
    standard.quality = ReplyQuality.AUTO_REPLY
    db_session.flush()
    figures = headline(db_session, counted)
    assert (figures.letters_replied, figures.response_rate, figures.auto_replies) == (2, 20.0, 2)


def test_an_unclassified_reply_counts_as_answer_but_not_as_substantive(db_session, counted):
    letter = make_recipient_letter(db_session, counted, make_recipient(db_session, function="MdB"))
    db_session.add(
        Reply(campaign_id=counted.id, letter_id=letter.id, received_at=NOW, kind=ReplyKind.REPLY, body_text="Danke")
    )
    db_session.flush()
    figures = headline(db_session, counted)
    assert (figures.letters_sent, figures.letters_replied, figures.letters_substantive) == (11, 4, 2)
    assert (figures.response_rate, figures.substantive_rate, figures.unclassified) == (36.4, 18.2, 1)


def test_the_dashboard_shows_stances_commitments_reply_times_and_what_needs_doing(db_session, counted):
    board = campaign_dashboard(db_session, counted, now=NOW)
    assert {bucket.label.value: bucket.count for bucket in board.stances} == {
        "supportive": 1,
        "partly": 0,
        "neutral": 1,
        "opposed": 1,
        "unclear": 0,
    }
    assert [item.text for item in board.commitments] == ["stimmt auf dem Parteitag für Änderungsantrag 3"]
    assert [(bucket.label, bucket.count) for bucket in board.reply_times] == [
        ("0–3", 1),
        ("4–7", 1),
        ("8–14", 1),
        ("15–28", 0),
        ("> 28", 0),
    ]
    assert [(day.day, day.count, day.total) for day in board.letters_sent] == [(date(2026, 3, 2), 10, 10)]
    assert [item.name for item in board.attention.failing] == ["Sabine Weiß"]
    # Sent on 2 March, 21 days' period: the 6 sent, unanswered, not bounced letters are due (auto-replies don't answer).
    assert board.attention.follow_ups_due == 6
    assert board.attention.bounce_reports == 0


def test_reply_time_buckets_have_whole_day_bounds():
    assert [bucket.count for bucket in reply_time_buckets([0, 3.9, 4, 7, 7.5, 8, 14, 15, 28, 29, 400])] == [
        2,
        3,
        2,
        2,
        2,
    ]


def test_signatures_are_counted_per_german_day(db_session, counted):
    days = signature_days(db_session, counted)
    # 23:30 UTC on 1 March is 00:30 on 2 March in Germany; the withdrawn one does not count.
    assert [(day.day, day.count, day.total) for day in days] == [(date(2026, 3, 1), 1, 1), (date(2026, 3, 2), 2, 3)]


def test_the_refresh_recounts_only_what_changed_and_catches_withdrawals(db_session):
    campaign = make_campaign(db_session)
    first = make_signature(db_session, campaign, datetime(2026, 3, 1, 10, 0))
    make_signature(db_session, campaign, datetime(2026, 3, 1, 11, 0))
    refresh_signature_days(db_session, campaign, now=datetime(2026, 3, 2, 12, 0))
    assert confirmed_total(db_session, campaign, refresh=False) == 2
    # Later: one more confirmed, a pending one confirmed, and the first withdrawn.
    make_signature(db_session, campaign, datetime(2026, 3, 5, 9, 0))
    pending = make_signature(db_session, campaign, None)
    pending.status, pending.confirmed_at = SignatureStatus.CONFIRMED, datetime(2026, 3, 5, 10, 0)
    first.status, first.withdrawn_at = SignatureStatus.WITHDRAWN, datetime(2026, 3, 5, 11, 0)
    db_session.flush()
    refresh_signature_days(db_session, campaign, now=datetime(2026, 3, 5, 12, 0))
    days = signature_days(db_session, campaign, refresh=False)
    assert [(day.day, day.count) for day in days] == [(date(2026, 3, 1), 1), (date(2026, 3, 5), 2)]
    assert confirmed_total(db_session, campaign, refresh=False) == 3


def test_an_erasure_keeps_the_signature_in_the_count(db_session):
    campaign = make_campaign(db_session)
    signature = make_signature(db_session, campaign, datetime(2026, 3, 1, 10, 0))
    signature.status = SignatureStatus.ERASED
    db_session.flush()
    assert confirmed_total(db_session, campaign) == 1


def test_letters_of_other_campaigns_and_unsent_letters_do_not_count(db_session, counted):
    other = make_campaign(db_session)
    make_recipient_letter(db_session, other, make_recipient(db_session, function="MdL"))
    make_recipient_letter(db_session, counted, make_recipient(db_session), status=LetterStatus.APPROVED, sent_at=None)
    assert headline(db_session, counted).letters_sent == 10
    assert headline(db_session, other).as_dict() | {"letters_sent": 1} == headline(db_session, other).as_dict()
