"""In Chromium, on an empty database: a new organiser runs a campaign from nothing to letters that arrive at a real
SMTP server (aiosmtpd on loopback) with the right headers, the per-letter Reply-To and the PDF attached.

The steps up to generating the letters are those of test_new_organiser; then the organiser approves the drafts
on the sending screen and sends them; the outbox delivers them (here at once, as JOBS_URL=immediate runs the
delivery task in place), and a later `campaign outbox send` sends nothing twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from campaign.db import db
from campaign.models import Letter, Role
from tests.browser.conftest import LiveServer, serving
from tests.browser.test_new_organiser import (
    choose_arguments,
    choose_targets,
    create_account,
    create_argument,
    create_campaign,
    create_motion,
    create_organisation,
    generate_letters,
    import_recipients,
    log_in,
    log_out,
    write_template,
)
from tests.conftest import CampaignCliRunner
from tests.factories import make_user
from tests.support.axe import axe_violations
from tests.support.mailserver import MailServer

pytestmark = pytest.mark.browser

ORGANISATION = "Flüchtlingsrat Köln e. V."
MAIL_FROM = "versand@kampagne.example.org"
REPLY_ADDRESS = "antworten+{code}@kampagne.example.org"
# The CSV of test_new_organiser: two recipients with an e-mail address, one (Paweł Gąsiorowski) by post only.
BY_EMAIL = {"ayse.dogan@example.org": "Ayşe Doğan", "kim.weiss@example.org": "Kim Weiß"}


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def live_server(app_factory, mail_server) -> Iterator[LiveServer]:
    """An empty app with one admin, sending to the loopback SMTP server."""
    app = app_factory(
        WTF_CSRF_ENABLED=True,
        LETTER_RENDER_WORKERS=1,
        MAIL_URL=mail_server.url,
        MAIL_FROM=MAIL_FROM,
        REPLY_ADDRESS=REPLY_ADDRESS,
    )
    with app.app_context():
        email = make_user(db.session, Role.ADMIN, email="admin@example.org").email
        db.session.commit()
    with serving(app, email) as live:
        yield live


def approve_and_send(page: Page, slug: str) -> None:
    page.goto(f"/organise/campaigns/{slug}/sending")
    expect(page.get_by_role("heading", name="Versand", exact=True)).to_be_visible()
    page.get_by_label("Den Brief als PDF an die E-Mail anhängen").check()
    page.get_by_role("button", name="Einstellungen speichern").click()
    page.get_by_role("button", name="Alle Entwürfe freigeben").click()
    expect(page.get_by_text("3 Briefe freigegeben.")).to_be_visible()
    expect(page.get_by_text("2 freigegebene E-Mail-Briefe sind bereit.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Freigegebene E-Mail-Briefe versenden").click()
    expect(page.locator(".job-status-label")).to_have_text("fertig", timeout=60_000)


def test_a_new_organiser_sends_the_letters_and_they_arrive(page, live_server, mail_server, console_errors):
    # Generating and queueing render PDFs inside the request (JOBS_URL=immediate): give a busy machine time.
    page.set_default_timeout(90_000)
    log_in(page, live_server.email, live_server.password)
    create_organisation(page, ORGANISATION)
    password = create_account(page, "guel.oeztuerk@example.org")
    log_out(page)

    log_in(page, "guel.oeztuerk@example.org", password)
    create_motion(page, "NRW, jetzt erst gerecht")
    create_argument(page, "Kommunen stärken", "Kommunen brauchen verlässliches Geld")
    slug = create_campaign(
        page,
        "Gerechtigkeit für alle",
        motion="NRW, jetzt erst gerecht",
        argument_set="Kommunen stärken",
        organisation=ORGANISATION,
    )
    choose_arguments(page, slug, "Kommunen brauchen verlässliches Geld")
    import_recipients(page, "Delegierte 2026")
    choose_targets(page, slug, "Delegierte 2026")
    write_template(page, slug)
    generate_letters(page, slug)
    approve_and_send(page, slug)
    # With JOBS_URL=immediate the delivery task ran right after queueing; what cron runs finds nothing left,
    # so every letter arrives exactly once.
    result = CampaignCliRunner(live_server.app).invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output

    with live_server.app.app_context():
        codes = {letter.recipient_email: letter.reference_code for letter in db.session.query(Letter).all()}
    assert sorted(address for item in mail_server.received for address in item.recipients) == sorted(BY_EMAIL)
    for address, name in BY_EMAIL.items():
        (message,) = mail_server.messages_to(address)
        code = codes[address]
        assert f"[{code}]" in message["Subject"] and "NRW, jetzt erst gerecht" in message["Subject"]
        assert message["From"].addresses[0].display_name == ORGANISATION
        assert message["Reply-To"].addresses[0].addr_spec == REPLY_ADDRESS.format(code=code)
        assert message["To"].addresses[0].addr_spec == address and name in str(message["To"])
        assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", message["Message-ID"])
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "Kommunen brauchen verlässliches Geld" in text and "Kommunen brauchen verlässliches Geld" in html
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf" and attachment.get_filename().endswith(".pdf")
        assert attachment.get_content().startswith(b"%PDF")
    assert {item.envelope_from for item in mail_server.received} == {MAIL_FROM}

    page.goto(f"/organise/campaigns/{slug}/sending")
    expect(page.locator("td[data-status='sent']")).to_have_text("2")
    assert console_errors == []
