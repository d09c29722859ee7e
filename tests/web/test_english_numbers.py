"""English pages write percentages, decimals, grouped numbers and dates as English does („33.3%“, „1,234.5“,
„5 Mar 2026“), German pages as German does („33,3 %“, „1.234,5“, „05.03.2026“): the dashboard, the tracking
overview, follow-ups and a recipient's history, the public campaign page and response tracker, the supporter-letter
screen and the job page. Letters and exports stay German and are tested elsewhere."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from flask import render_template_string

from campaign.db import db
from campaign.models import (
    Channel,
    LetterStatus,
    QuestionnaireAnswer,
    Role,
)
from campaign.services.common.jobs import create_job
from campaign.services.sending.offline import mark_delivered
from campaign.services.signing import counts
from campaign.web.language import COOKIE
from tests.factories import make_campaign, make_recipient
from tests.factories_dashboard import make_counted_campaign, make_recipient_letter, make_reply
from tests.factories_signing import make_open_letter
from tests.factories_writing import make_supporter_letter, make_writing_campaign

NBSP = "\N{NO-BREAK SPACE}"
SENT = datetime(2026, 3, 10, 9, 0)
# A percent sign after a space of any kind (German notation); on English pages none may be left.
SPACED_PERCENT = re.compile(r"\d[ \N{NO-BREAK SPACE}]%")
# A decimal comma as German writes it („33,3“), not a thousands separator („1,234“).
DECIMAL_COMMA = re.compile(r"\d,\d(?!\d\d)")


def _page(client, path: str, language: str) -> str:
    client.set_cookie(COOKIE, language)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


# A chart's geometry across: the dashboard's SVG places bars and labels in percent of its width, in attributes a
# reader never sees („x="33.333%"“, „x2="100%"“).
SVG_PERCENT = re.compile(r'\s(?:x|x1|x2|width)="[\d.]+%"')


def _text(page: str) -> str:
    """The page without its stylesheet and script links (their URLs hold no figures, but keep the checks honest)
    and without the percentages of chart geometry."""
    return SVG_PERCENT.sub("", page.split("</header>", 1)[-1])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", f"1.234,5{NBSP}% | 33,3{NBSP}% | 30{NBSP}% | 0{NBSP}% | 62{NBSP}% | – | 1.234,5"),
        ("en", "1,234.5% | 33.3% | 30% | 0% | 62% | – | 1,234.5"),
    ],
)
def test_percentages_are_written_as_the_language_writes_them(app, language, expected):
    template = (
        "{{ 1234.5 | percent }} | {{ 33.333 | percent }} | {{ 30.0 | percent }} | {{ 0 | percent }} | "
        "{{ 62 | percent }} | {{ none | percent }} | {{ 1234.5 | number }}"
    )
    with app.test_request_context(headers={"Cookie": f"{COOKIE}={language}"}):
        assert render_template_string(template, none=None) == expected


@pytest.fixture
def counted(app):
    """The hand-counted campaign (30 % answered, 20 % substantive; in the list „Kreise“ 2 of 6 → 33.3 %)."""
    with app.app_context():
        make_counted_campaign(db.session, public_responses=True)
        db.session.commit()
    return "gezaehlt"


def test_the_dashboard_writes_shares_and_days_in_the_page_language(client, login, counted):
    login(Role.COORDINATOR)
    english = _text(_page(client, f"/track/campaigns/{counted}", "en"))
    assert "10 letters sent, 3 answered (30%), of which 2 substantively (20% of the letters sent)." in english
    assert "<dd>30%</dd>" in english and "<dd>20%</dd>" in english and "<dd>6 days</dd>" in english
    assert '<th scope="row">Kreise</th><td>6</td><td>2</td><td>33.3%</td><td>1</td><td>16.7%</td>' in english
    assert "That is 30% of the goal of 10." in english and "2 March 2026" in english
    assert not SPACED_PERCENT.search(english) and not DECIMAL_COMMA.search(english)
    assert "März" not in english

    german = _text(_page(client, f"/track/campaigns/{counted}", "de"))
    summary = f"10 Briefe versandt, 3 beantwortet (30{NBSP}%), davon 2 inhaltlich (20{NBSP}% der versandten Briefe)."
    assert summary in german
    row = f'<th scope="row">Kreise</th><td>6</td><td>2</td><td>33,3{NBSP}%</td><td>1</td><td>16,7{NBSP}%</td>'
    assert row in german
    assert f"Das sind 30{NBSP}% des Ziels von 10." in german and "2. März 2026" in german
    assert "33.3" not in german and not re.search(r"\d%", german)


def test_the_tracking_overview_and_the_public_tracker_write_shares_in_the_page_language(client, login, counted):
    english = _text(_page(client, f"/c/{counted}/responses", "en"))
    assert "3 have been answered (30%), 2 of them substantively (20%)." in english
    assert not SPACED_PERCENT.search(english)
    german = _text(_page(client, f"/c/{counted}/responses", "de"))
    assert f"3 wurden beantwortet (30{NBSP}%), 2 davon inhaltlich (20{NBSP}%)." in german

    login(Role.COORDINATOR)
    english = _text(_page(client, "/track/", "en"))
    assert "<td>3 (30%)</td>" in english and "<td>2 (20%)</td>" in english and "<td>6 days</td>" in english
    german = _text(_page(client, "/track/", "de"))
    assert f"<td>3 (30{NBSP}%)</td>" in german and f"<td>2 (20{NBSP}%)</td>" in german and "<td>6 Tage</td>" in german


def test_the_public_campaign_page_writes_goal_share_and_deadline_in_the_page_language(app, client):
    with app.app_context():
        campaign = make_open_letter(db.session, deadline=date(2026, 12, 24), goal_signatures=2000)
        counts.add(db.session, campaign.id, 1234)  # 61.7 % of the goal
        db.session.commit()
        slug = campaign.slug
    english = _text(_page(client, f"/c/{slug}", "en"))
    assert 'aria-label="62% of the goal reached"' in english and "Co-sign by 24 December 2026." in english
    # Counts are grouped as the language groups them.
    assert "1,234 co-signatures</strong> of the 2,000 aimed for" in english and "1.234" not in english
    assert not SPACED_PERCENT.search(english)
    german = _text(_page(client, f"/c/{slug}", "de"))
    assert f'aria-label="62{NBSP}% des Ziels erreicht"' in german and "Mitzeichnen bis zum 24. Dezember 2026." in german
    assert "1.234 Mitzeichnungen</strong> von 2.000 angestrebten" in german


@pytest.fixture
def posted(app) -> tuple[str, int]:
    """A letter posted on 5 March 2026 (marked through the sending service), long due for a follow-up."""
    with app.app_context():
        campaign = make_campaign(db.session)
        recipient = make_recipient(db.session, first_name="Jürgen", last_name="Groß")
        make_recipient_letter(
            db.session,
            campaign,
            recipient,
            channel=Channel.POST,
            status=LetterStatus.APPROVED,
            sent_at=None,
            created_at=datetime(2026, 3, 2, 9),
        )
        mark_delivered(db.session, campaign, how="post", on=date(2026, 3, 5))
        db.session.commit()
        return campaign.slug, recipient.id


def test_a_posted_letters_day_is_written_in_the_page_language(client, login, posted):
    slug, recipient_id = posted
    login(Role.COORDINATOR)
    english = _text(_page(client, f"/track/campaigns/{slug}/follow-ups", "en"))
    assert "<td>5 Mar 2026</td>" in english and "05.03.2026" not in english
    german = _text(_page(client, f"/track/campaigns/{slug}/follow-ups", "de"))
    assert "<td>05.03.2026</td>" in german

    english = _text(_page(client, f"/track/campaigns/{slug}/recipients/{recipient_id}", "en"))
    # The letter's line, and the note of its state change (stored in German, the day as an ISO date): both write
    # the day as the page does.
    assert english.count("posted on 5 Mar 2026") == 2 and "2026-03-05" not in english
    assert "05.03.2026" not in english and "zur Post gegeben" not in english
    german = _text(_page(client, f"/track/campaigns/{slug}/recipients/{recipient_id}", "de"))
    assert german.count("zur Post gegeben am 05.03.2026") == 2 and "2026-03-05" not in german


def test_the_supporter_letters_write_shares_in_the_page_language(app, client, login):
    """Three sent letters with a third, a twentieth and a half of own words; all three writers asked, one of them
    reported a reply (a third), two reported none (two thirds)."""
    answers = [QuestionnaireAnswer.ANSWERED, QuestionnaireAnswer.NO_REPLY, QuestionnaireAnswer.NO_REPLY]
    with app.app_context():
        written = make_writing_campaign(db.session)
        for number, (share, answer) in enumerate(zip((0.334, 0.05, 0.5), answers, strict=True), start=1):
            make_supporter_letter(
                db.session, written, answer=answer, sent_at=SENT, own_share=share, letter_text=f"Brief Nummer {number}"
            )
        db.session.commit()
        slug = written.slug
    login(Role.ORGANISER)
    english = _text(_page(client, f"/organise/campaigns/{slug}/supporter-letters", "en"))
    assert "<td>33%</td>" in english and "<td>5%</td>" in english and "<td>50%</td>" in english
    assert "in the median, 33% of the text is the writers' own." in english
    assert "<td>0–10%</td>" in english and "<td>60–100%</td>" in english
    assert not SPACED_PERCENT.search(english)
    german = _text(_page(client, f"/organise/campaigns/{slug}/supporter-letters", "de"))
    assert f"<td>33{NBSP}%</td>" in german and f"im Median stammen 33{NBSP}% des Texts" in german
    assert f"<td>0–10{NBSP}%</td>" in german

    login(Role.COORDINATOR)
    english = _text(_page(client, f"/track/campaigns/{slug}", "en"))
    assert "1 of them reporting a reply (33.3%)." in english and "<td>66.7%</td>" in english
    assert not SPACED_PERCENT.search(english) and not DECIMAL_COMMA.search(english)
    german = _text(_page(client, f"/track/campaigns/{slug}", "de"))
    assert f"davon 1 mit gemeldeter Antwort (33,3{NBSP}%)." in german and f"<td>66,7{NBSP}%</td>" in german


def test_the_job_page_writes_its_progress_in_the_page_language(app, client, login):
    with app.app_context():
        job = create_job(db.session, "letters", campaign=make_campaign(db.session))
        job.total, job.done = 3, 1
        db.session.commit()
        job_id = job.id
    login(Role.ORGANISER)
    assert f"33{NBSP}%</progress>" in _page(client, f"/organise/jobs/{job_id}", "de")
    assert "33%</progress>" in _page(client, f"/organise/jobs/{job_id}", "en")
    client.set_cookie(COOKIE, "en")
    assert client.get(f"/organise/jobs/{job_id}.json").get_json()["percent_text"] == "33%"
    client.set_cookie(COOKIE, "de")
    assert client.get(f"/organise/jobs/{job_id}.json").get_json()["percent_text"] == f"33{NBSP}%"


def test_an_agreed_follow_up_day_is_written_in_the_page_language(app, client, login):
    with app.app_context():
        campaign = make_campaign(db.session)
        letter = make_recipient_letter(db.session, campaign, make_recipient(db.session, last_name="Wójcik"))
        make_reply(db.session, letter, 3, follow_up_on=date(2026, 3, 5))
        db.session.commit()
        slug = campaign.slug
    login(Role.COORDINATOR)
    english = _text(_page(client, f"/track/campaigns/{slug}/follow-ups", "en"))
    assert "Follow-up agreed for 5 Mar 2026" in english and "Mar 5, 2026" not in english
    german = _text(_page(client, f"/track/campaigns/{slug}/follow-ups", "de"))
    assert "Nachfassen vereinbart zum 05.03.2026" in german
