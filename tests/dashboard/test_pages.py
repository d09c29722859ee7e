"""The dashboard page, the overview and the public response tracker: what a coordinator and the public see."""

from __future__ import annotations

from datetime import timedelta

import pytest

from campaign.db import db
from campaign.models import Campaign, CampaignStatus, FormOfAddress, Role
from tests.factories import make_recipient
from tests.factories_dashboard import (
    SENT_AT,
    make_counted_campaign,
    make_recipient_letter,
    make_reply,
    make_signature,
)


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        make_counted_campaign(db.session)
        db.session.commit()
    return app


def _set(app, **values):
    with app.app_context():
        campaign = db.session.query(Campaign).filter_by(slug="gezaehlt").one()
        for name, value in values.items():
            setattr(campaign, name, value)
        db.session.commit()


def test_the_dashboard_shows_the_hand_counted_figures_and_the_definitions(app, client, login):
    login(Role.COORDINATOR)
    page = client.get("/track/campaigns/gezaehlt").get_data(as_text=True)
    # German percentages have a no-break space before the sign (CLDR's German pattern, through Babel).
    summary = "10 Briefe versandt, 3 beantwortet (30\u00a0%), davon 2 inhaltlich (20\u00a0% der versandten Briefe)."
    assert summary in page
    assert "So wird gezählt" in page and "Automatische Antworten (Abwesenheitsnotizen)" in page
    # Segments, each as a table: function MdL 2 of 5 answered.
    assert '<table id="segment-function">' in page
    assert '<th scope="row">MdL</th><td>5</td><td>2</td><td>40\u00a0%</td><td>2</td><td>40\u00a0%</td>' in page
    # Charts are SVG with a name and a summary; their data is in a table.
    assert page.count('role="img"') >= 4 and "3 bestätigte Mitzeichnungen an 2 Tagen" in page
    assert "Das sind 30\u00a0% des Ziels von 10." in page
    _set(app, goal_signatures=700)  # 3 of 700: a share below one percent is not „0 %“
    assert "Das sind 0,4\u00a0% des Ziels von 700." in client.get("/track/campaigns/gezaehlt").get_data(as_text=True)
    assert '<table id="signature-days">' in page and "2. März 2026" in page
    assert "stimmt auf dem Parteitag für Änderungsantrag 3" in page
    assert "Sabine Weiß" in page and "550 5.1.1 User unknown" in page
    assert "6 Briefe zum Nachfassen fällig." in page
    assert "<script" not in page.split("</nav>", 1)[1]


def test_the_chart_sentences_count_letters_signatures_and_days_each_in_its_own_plural(app, client, login):
    """„1 Briefe an 1 Tag“ and „1 bestätigte Mitzeichnungen“: the sentences' ngettext counted only the days."""
    login(Role.COORDINATOR)
    with app.app_context():
        campaign = Campaign(slug="einzeln", title="Einzeln", status=CampaignStatus.ACTIVE)
        db.session.add(campaign)
        make_recipient_letter(db.session, campaign, make_recipient(db.session))
        make_signature(db.session, campaign, SENT_AT)
        db.session.commit()

    def sentences(slug: str, language: str) -> str:
        client.set_cookie("locale", language)
        return client.get(f"/track/campaigns/{slug}").get_data(as_text=True)

    german, english = sentences("einzeln", "de"), sentences("einzeln", "en")
    assert "1 Brief an 1 Tag versandt, am 2. März 2026." in german
    assert "1 bestätigte Mitzeichnung an 1 Tag, am 2. März 2026." in german
    assert "1 letter sent on 1 day, on 2 March 2026." in english
    assert "1 confirmed co-signature on 1 day, on 2 March 2026." in english
    german, english = sentences("gezaehlt", "de"), sentences("gezaehlt", "en")
    assert "10 Briefe an 1 Tag versandt, am 2. März 2026." in german
    assert "3 bestätigte Mitzeichnungen an 2 Tagen, zuletzt am 2. März 2026; die meisten (2) am 2. März 2026." in german
    assert "10 letters sent on 1 day, on 2 March 2026." in english
    most = "the most (2) on 2 March 2026."
    assert f"3 confirmed co-signatures on 2 days, most recently on 2 March 2026; {most}" in english
    with app.app_context():
        campaign = db.session.query(Campaign).filter_by(slug="einzeln").one()
        make_recipient_letter(db.session, campaign, make_recipient(db.session), sent_at=SENT_AT - timedelta(days=1))
        db.session.commit()
    assert "2 Briefe an 2 Tagen versandt, vom 1. März 2026 bis 2. März 2026." in sentences("einzeln", "de")
    assert "2 letters sent on 2 days, from 1 March 2026 to 2 March 2026." in sentences("einzeln", "en")


def test_the_dashboard_needs_a_staff_login_and_a_known_campaign(client, login):
    assert client.get("/track/campaigns/gezaehlt").status_code == 302
    login(Role.COORDINATOR)
    assert client.get("/track/campaigns/gibt-es-nicht").status_code == 404
    assert client.get("/track/campaigns/%C3%A4%C3%B6%C3%BC").status_code == 404


def test_an_empty_campaign_has_a_dashboard_without_charts(app, client, login):
    login(Role.COORDINATOR)
    with app.app_context():
        db.session.add(Campaign(slug="leer", title="Leere Kampagne – ğ ł ß é"))
        db.session.commit()
    page = client.get("/track/campaigns/leer").get_data(as_text=True)
    assert "0 Briefe versandt, 0 beantwortet (0\u00a0%)" in page
    assert "Noch keine bestätigten Mitzeichnungen." in page and "Leere Kampagne – ğ ł ß é" in page


def test_the_overview_compares_campaigns_with_the_same_counting(client, login):
    login(Role.COORDINATOR)
    page = client.get("/track/").get_data(as_text=True)
    assert 'href="/track/campaigns/gezaehlt">Dashboard</a>' in page
    assert "<td>3 (30\u00a0%)</td>" in page and "<td>2 (20\u00a0%)</td>" in page and "<td>6 Tage</td>" in page
    assert "<td>3 / 10</td>" in page


def test_the_public_tracker_is_off_by_default(client):
    assert client.get("/c/gezaehlt/responses").status_code == 404
    assert client.get("/c/gibt-es-nicht/responses").status_code == 404


def test_the_public_tracker_names_office_holders_and_shows_only_allowed_texts(app, client):
    _set(app, public_responses=True)
    with app.app_context():
        campaign = db.session.query(Campaign).filter_by(slug="gezaehlt").one()
        private = make_recipient(db.session, first_name="Privat", last_name="Person", function="")
        group = make_recipient(
            db.session, form_of_address=FormOfAddress.GRUPPE, group_name="Mitglieder Ortsverein", function="Basis"
        )
        make_reply(db.session, make_recipient_letter(db.session, campaign, private), 1, body_text="privat")
        make_recipient_letter(db.session, campaign, group)
        db.session.commit()
    page = client.get("/c/gezaehlt/responses").get_data(as_text=True)
    assert "Ayşe Yılmaz" in page and "Łukasz Nowak" in page and "Kreisvorsitzende" in page
    assert "Privat Person" not in page and "Mitglieder Ortsverein" not in page
    assert "2 versandte Briefe gingen an Personen, die hier darum nicht genannt werden." in page
    # The text only where publication was allowed.
    assert "Ich unterstütze Ihr Anliegen" in page and "Vertraulich" not in page
    assert "stimmt zu" in page and "lehnt ab" in page
    assert "Zur Methode" in page


def test_the_public_tracker_of_a_draft_campaign_is_not_found(app, client):
    _set(app, public_responses=True, status=CampaignStatus.DRAFT)
    assert client.get("/c/gezaehlt/responses").status_code == 404
