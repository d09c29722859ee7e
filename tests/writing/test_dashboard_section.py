"""The dashboard's section on supporters' letters: hand-counted figures, and they never count as the campaign's."""

from __future__ import annotations

from campaign.db import db, utcnow
from campaign.models import (
    Channel,
    LetterStatus,
    QuestionnaireAnswer,
    SupporterLetter,
    SupporterLetterStatus,
)
from campaign.services.dashboard import campaign_dashboard
from tests.factories_writing import make_supporter_letter, make_writing_campaign

_A = QuestionnaireAnswer


def test_hand_counted_supporter_figures(app, login, client):
    """6 sent (4 e-mail, 2 post) + 2 waiting; 5 asked, 4 answered: 1 answer, 1 acknowledgement, 2 no reply."""
    with app.app_context():
        written = make_writing_campaign(db.session)
        session = db.session
        make_supporter_letter(session, written, answer=_A.ANSWERED)
        make_supporter_letter(session, written, answer=_A.ACKNOWLEDGED)
        make_supporter_letter(session, written, answer=_A.NO_REPLY)
        make_supporter_letter(session, written, answer=_A.NO_REPLY, channel=Channel.POST)
        make_supporter_letter(session, written, channel=Channel.POST)
        make_supporter_letter(session, written, asked=False)
        make_supporter_letter(session, written, status=SupporterLetterStatus.PENDING)
        make_supporter_letter(session, written, status=SupporterLetterStatus.HELD)
        session.commit()
        board = campaign_dashboard(session, session.get(SupporterLetter, 1).campaign)
        figures = board.supporter_letters
        assert (figures.sent, figures.by_email, figures.by_post, figures.waiting) == (6, 4, 2, 2)
        assert (figures.questionnaires, figures.answered, figures.reported_replies) == (5, 4, 2)
        assert figures.reported_rate == 50.0
        assert dict(figures.answers)[_A.NO_REPLY] == 2
        # None of them is one of the campaign's letters, and their reports wait for no classification.
        assert board.headline.letters_sent == 0 and board.headline.unclassified == 0
        slug = written.slug
    login()
    page = client.get(f"/track/campaigns/{slug}")
    assert page.status_code == 200
    text = page.text
    assert "6 Briefe von Unterstützer:innen verschickt (4 per E-Mail, 2 per Post)" in text
    assert "Sie zählen nie zu den versandten Briefen der Kampagne" in text
    assert 'id="supporter-answers"' in text


def test_supporter_letters_are_never_follow_ups_of_the_campaign(app):
    from datetime import timedelta

    from campaign.services.replies.followups import due_follow_ups

    with app.app_context():
        written = make_writing_campaign(db.session)
        make_supporter_letter(db.session, written)
        db.session.commit()
        campaign = db.session.get(SupporterLetter, 1).campaign
        assert due_follow_ups(db.session, campaign, now=utcnow() + timedelta(days=100)) == []


def test_the_campaigns_own_counts_and_sending_leave_supporter_letters_out(app):
    from campaign.services.campaigns.records import campaign_figures
    from campaign.services.sending.lifecycle import campaign_letters

    with app.app_context():
        written = make_writing_campaign(db.session)
        make_supporter_letter(db.session, written)
        db.session.commit()
        campaign = db.session.get(SupporterLetter, 1).campaign
        assert campaign_figures(db.session, campaign).letters == 0
        assert campaign_letters(db.session, campaign, list(LetterStatus)) == []


def test_the_supporter_section_reads_well_in_both_languages(app, login, client):
    with app.app_context():
        written = make_writing_campaign(db.session)
        make_supporter_letter(db.session, written, answer=_A.ACKNOWLEDGED)
        make_supporter_letter(db.session, written, answer=_A.NO_REPLY)
        db.session.commit()
        slug = written.slug
    login()
    german = client.get(f"/track/campaigns/{slug}").text
    assert "Nachfragen nach einer Antwort: 2 gestellt, 2 beantwortet, davon 1 mit gemeldeter Antwort (50" in german
    assert '<th scope="row">Nur Eingangsbestätigung</th>' in german
    assert '<th scope="row">Noch keine Antwort</th>' in german
    english = client.get(f"/track/campaigns/{slug}", headers={"Accept-Language": "en"}).text
    assert "Questions about a reply: 2 asked, 2 answered, 1 of them reporting a reply (50%)." in english
    assert '<th scope="row">Acknowledgement only</th>' in english and "answered:" not in english
