"""In Chromium (CSRF on): a coordinator writes the follow-up template, makes follow-ups from the due list, approves
and sends them, and the follow-up arrives at a real SMTP server in the first letter's thread; axe on each step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from campaign.db import db, utcnow
from campaign.jobs.outbox import deliver_due
from campaign.models import Letter, OutboxMessage, Role
from campaign.services.common.dates import today_in_germany
from campaign.services.sending.lifecycle import approve_letters, generate_letters, queue_letters
from tests.browser.conftest import LiveServer, serving
from tests.factories import make_user
from tests.services.sending.helpers import MAIL, email_campaign
from tests.support.axe import axe_violations
from tests.support.mailserver import MailServer

pytestmark = pytest.mark.browser


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def live_server(app_factory, mail_server) -> Iterator[LiveServer]:
    """A campaign whose three letters went out by e-mail 30 days ago, and a coordinator to log in."""
    app = app_factory(WTF_CSRF_ENABLED=True, MAIL_URL=mail_server.url, MAIL_FROM="Kampagne <kampagne@example.org>")
    with app.app_context():
        email = make_user(db.session, Role.COORDINATOR).email
        campaign, _people = email_campaign(3)
        campaign.title = "Gerechtes NRW"
        generate_letters(db.session, campaign, on=today_in_germany())
        approve_letters(db.session, campaign, user=None)
        queue_letters(db.session, campaign, MAIL, user=None)
        db.session.commit()
        assert deliver_due().sent == 3
        db.session.execute(update(Letter).values(sent_at=utcnow() - timedelta(days=30)))
        db.session.commit()
    with serving(app, email) as live:
        yield live


def test_a_coordinator_writes_makes_approves_and_sends_a_follow_up(page, live_server, mail_server, console_errors):
    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(live_server.email)
    page.get_by_label("Passwort").fill(live_server.password)
    page.get_by_role("button", name="Anmelden").click()

    page.goto("/track/")
    page.get_by_role("link", name="Gerechtes NRW: 3 Nachfragen fällig.").click()
    expect(page.get_by_role("heading", name="Fällig")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Vorlage für Nachfragen schreiben").first.click()

    expect(page.get_by_role("heading", name="Vorlage für Nachfragen", level=1)).to_be_visible()
    page.get_by_role("textbox", name="Betreff").fill("Nachfrage: {{ erster_brief.betreff }}")
    page.get_by_role("textbox", name="Brieftext").fill(
        "{{ anrede }},\n\nam {{ erster_brief.versandt_am }} schrieben wir Ihnen (Zeichen {{ erster_brief.zeichen }}). "
        "Dürfen wir mit einer Antwort rechnen?"
    )
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Vorlage für Nachfragen ist gespeichert (Version 1).")).to_be_visible()
    expect(page.locator("article.letter-preview")).to_contain_text("Dürfen wir mit einer Antwort rechnen?")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Zurück zum Nachfassen").click()
    page.get_by_label("Nachfrage an Erika Muster0").check()
    page.get_by_role("button", name="Nachfragen an Ausgewählte erzeugen").click()
    expect(page.get_by_text("1 Nachfrage als Entwurf erzeugt.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="1 Entwurf freigeben").click()
    expect(page.get_by_text("1 Nachfrage freigegeben.")).to_be_visible()
    page.get_by_role("button", name="Freigegebene Nachfragen per E-Mail versenden").click()
    expect(page.get_by_text("Briefe im Postausgang: 1.")).to_be_visible()

    page.goto(page.url.split("/organise/")[0] + "/track/")
    expect(page.get_by_role("link", name="Gerechtes NRW: 2 Nachfragen fällig.")).to_be_visible()
    with live_server.app.app_context():
        first = db.session.scalar(
            select(Letter).where(Letter.recipient_name.like("%Muster0"), Letter.follow_up_of_id.is_(None))
        )
        first_id = db.session.scalar(select(OutboxMessage.message_id).where(OutboxMessage.letter_id == first.id))
        code = first.reference_code
    [follow_up] = [item.message for item in mail_server.received[3:]]
    assert follow_up["In-Reply-To"] == first_id and follow_up["Subject"].startswith("Nachfrage: ")
    assert f"(Zeichen {code})" in follow_up.get_body(("plain",)).get_content()
    assert console_errors == []
