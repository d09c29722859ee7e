"""The privacy page is generated from the instance settings and names the legal basis, periods and rights."""

from __future__ import annotations

import html


def test_the_privacy_page_shows_the_controller_contact_and_periods_from_the_settings(app_factory):
    app = app_factory(
        PRIVACY_CONTROLLER="Flüchtlingsrat Köln e.V.\nPostfach 1\n50667 Köln",
        PRIVACY_CONTACT="datenschutz@example.org",
        UNCONFIRMED_SIGNATURE_DAYS=5,
        SIGNATURE_RETENTION_DAYS=90,
    )
    page = app.test_client().get("/privacy").get_data(as_text=True)
    assert "Flüchtlingsrat Köln e.V." in page and "datenschutz@example.org" in page
    assert "Art. 9 Abs. 2 lit. a" in page
    assert "nach 5 Tagen" in page and "90 Tage nach der Frist" in page
    assert "keine Schriften, Skripte, Zähler oder Knöpfe Dritter" in page
    for right in ("Auskunft", "Löschung", "Widerruf", "Art. 77"):
        assert right in page


def test_the_privacy_page_names_the_access_log_and_the_rate_limit_counters_in_both_languages(app_factory):
    app = app_factory(ACCESS_LOG_DAYS=7, SIGN_RATE_LIMIT="10 per minute; 100 per day")
    client = app.test_client()
    german = html.unescape(client.get("/privacy", headers={"Accept-Language": "de"}).get_data(as_text=True))
    assert "im Zugriffsprotokoll fest: Ihre IP-Adresse" in german and "Art. 6 Abs. 1 lit. f" in german
    assert "Das Zugriffsprotokoll des Webservers löschen wir nach 7 Tagen." in german
    assert "zählen wir Anfragen je IP-Adresse (bei der Anmeldung auch je eingegebener E-Mail-Adresse)" in german
    assert "verfallen am Ende ihres Zeitfensters, spätestens nach 24 Stunden." in german
    english = html.unescape(client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "access log: your IP address" in english and "We delete the web server’s access log after 7 days." in english
    assert "we count requests per IP address (at the login also per e-mail address entered)" in english
    assert "expire at the end of their time window, after 24 hours at the latest." in english


def test_without_an_access_log_the_privacy_page_says_so(app_factory):
    app = app_factory(ACCESS_LOG_DAYS=0)
    client = app.test_client()
    german = html.unescape(client.get("/privacy", headers={"Accept-Language": "de"}).get_data(as_text=True))
    assert "führt kein Zugriffsprotokoll mit Ihrer IP-Adresse" in german and "löschen wir nach 0" not in german
    # The defaults: the longest rate limit is „per hour“.
    assert "spätestens nach 1 Stunde." in german
    english = html.unescape(client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "keeps no access log with your IP address" in english


def test_without_a_controller_setting_the_page_names_the_organisations_of_the_public_campaigns(app, client):
    """Art. 13 GDPR asks for the controller's name and address: the organisations on the campaigns stand in."""
    from campaign.db import db
    from campaign.models import CampaignStatus
    from tests.factories import make_campaign
    from tests.factories_letters import make_organisation

    assert "Die Organisation, die diese Kampagne führt." in client.get("/privacy").get_data(as_text=True)
    with app.app_context():
        running = make_organisation(db.session, name="Flüchtlingsrat Łódź-Köln e. V.", street="Weißer Weg 1")
        closed = make_organisation(db.session, name="Aktion Gerechtigkeit e. V.", postcode="40210", city="Düsseldorf")
        drafting = make_organisation(db.session, name="Noch Geheim e. V.")
        make_campaign(db.session, organisation=running)
        make_campaign(db.session, organisation=closed, status=CampaignStatus.CLOSED)
        make_campaign(db.session, organisation=drafting, status=CampaignStatus.DRAFT)
        db.session.commit()
    page = html.unescape(client.get("/privacy").get_data(as_text=True))
    assert "Die Organisation, die die jeweilige Kampagne führt:" in page
    assert "Aktion Gerechtigkeit e. V.\nAm Weidenbogen 12\n40210 Düsseldorf" in page
    assert "Flüchtlingsrat Łódź-Köln e. V.\nWeißer Weg 1\n50823 Köln" in page
    assert page.index("Aktion Gerechtigkeit") < page.index("Flüchtlingsrat") and "Noch Geheim" not in page


def test_production_without_a_controller_setting_warns_at_start_up(app_factory, caplog):
    app_factory(CAMPAIGN_ENV="production", SECRET_KEY="x" * 40)
    assert "PRIVACY_CONTROLLER ist nicht gesetzt" in caplog.text
    caplog.clear()
    app_factory(CAMPAIGN_ENV="production", SECRET_KEY="x" * 40, PRIVACY_CONTROLLER="Verein e. V.\nWeg 1\n50667 Köln")
    assert "PRIVACY_CONTROLLER" not in caplog.text
