"""Writing your own letter on a phone, through to the office's inbox and the questionnaire two weeks later.

Mail goes to a loopback SMTP server; the clock moves by running the questionnaire job with an explicit `now`.
axe-core checks every page of the flow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from campaign.db import db, utcnow
from campaign.jobs.outbox import deliver_due
from campaign.jobs.writing import send_due_questionnaires
from campaign.models import QuestionnaireAnswer, Reply, ReplyChannel, SupporterLetter
from tests.browser.conftest import LiveServer, serving
from tests.factories_writing import MAIL_FROM, make_writing_campaign
from tests.services.sending import conftest as sending
from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser

mail_server = sending.mail_server
PHONE = {"width": 360, "height": 800}  # a 360 px Android phone, the narrowest common width
OFFICE = "buero.schaefer@landtag.example.org"
WRITER = "guelsen.cwiklinska@example.org"


@pytest.fixture
def writing_server(app_factory, mail_server) -> Iterator[LiveServer]:
    app = app_factory(WTF_CSRF_ENABLED=True, JOBS_URL="memory://", MAIL_URL=mail_server.url, MAIL_FROM=MAIL_FROM)
    with serving(app, "") as live:
        yield live


def _checked(page) -> None:
    assert axe_violations(page) == [], page.url


def _link(message, kind: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(rf"https?://[^/\s]+(/c/[^\s]+/write/{kind}/[^\s]+)", text)
    assert match, text
    return match.group(1)


def _deliver(app) -> None:
    with app.app_context():
        deliver_due()


def _write_the_letter(page, slug: str) -> None:
    page.goto(f"/c/{slug}")
    page.get_by_role("link", name="eigenen Brief").click()
    _checked(page)
    page.get_by_label("Ihre Postleitzahl").fill("99999")
    page.get_by_role("button", name="Empfänger:innen suchen").click()
    expect(
        page.get_by_text("Für die Postleitzahl 99999 haben wir in dieser Kampagne niemanden gefunden")
    ).to_be_visible()
    _checked(page)
    page.get_by_role("button", name="Zurück").click()
    page.get_by_label("Ihre Postleitzahl").fill("50667")
    page.get_by_role("button", name="Empfänger:innen suchen").click()
    page.get_by_label("Jana Schäfer-Öztürk", exact=False).check()
    _checked(page)
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("group", name="Schutz ist ein Recht").get_by_label("In meinen Brief aufnehmen").check()
    page.get_by_role("group", name="Schutz ist ein Recht").get_by_label("Stelle im Brief").fill("1")
    page.get_by_role("group", name="Die Kommunen brauchen Geld").get_by_label("In meinen Brief aufnehmen").check()
    page.get_by_role("group", name="Die Kommunen brauchen Geld").get_by_label("Stelle im Brief").fill("2")
    _checked(page)
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Ihr eigener Absatz").fill("Ich berate seit zwölf Jahren Geflüchtete in Köln-Nippes.")
    _checked(page)
    page.get_by_role("button", name="Vorschau ansehen").click()
    expect(page.get_by_text("Sehr geehrte Frau Schäfer-Öztürk,")).to_be_visible()
    expect(page.get_by_text("des Briefs sind in Ihren eigenen Worten")).to_be_visible()
    page.get_by_label("Vorname").fill("Ğülşen")
    page.get_by_label("Nachname").fill("Ćwikłińska")
    page.get_by_role("textbox", name="E-Mail-Adresse").fill(WRITER)
    page.get_by_label("Straße und Hausnummer").fill("Neusser Straße 12")
    page.get_by_label("Postleitzahl", exact=True).fill("50670")
    page.get_by_label("Ort", exact=True).fill("Köln")
    page.get_by_role("button", name="Brief abschicken").click()
    refused = "Ohne Ihre Einwilligung können wir den Brief nicht verschicken."
    expect(page.locator("#consent-error")).to_have_text(refused)
    expect(page.get_by_role("alert").get_by_role("link", name="Ohne Ihre Einwilligung")).to_be_in_viewport()
    _checked(page)
    page.get_by_label("Ich möchte diesen Brief in meinem Namen", exact=False).check()
    page.get_by_role("button", name="Brief abschicken").click()
    expect(page.get_by_role("heading", name="Fast geschafft", exact=False)).to_be_visible()
    _checked(page)


def test_write_confirm_send_and_answer_the_questionnaire_on_a_phone(browser, writing_server, mail_server):
    app = writing_server.app
    with app.app_context():
        slug = make_writing_campaign(db.session).slug
        db.session.commit()
    context = browser.new_context(locale="de-DE", base_url=writing_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        _write_the_letter(page, slug)
        _deliver(app)
        assert mail_server.messages_to(OFFICE) == []
        [confirmation] = mail_server.messages_to(WRITER)
        page.goto(_link(confirmation, "confirm"))
        _checked(page)
        page.get_by_role("button", name="Brief bestätigen").click()
        expect(page.get_by_text("Ihr Brief ist unterwegs")).to_be_visible()
        _checked(page)
        page.get_by_role("link", name="Zur Seite Ihres Briefs").click()
        _checked(page)
        _deliver(app)
        [letter] = mail_server.messages_to(OFFICE)
        with app.app_context():
            code = db.session.scalar(select(SupporterLetter.reference_code))
        assert "Ğülşen Ćwikłińska" in str(letter["From"]) and "kampagne@example.org" in str(letter["From"])
        assert WRITER in str(letter["Reply-To"]) and code and f"[{code}]" in str(letter["Subject"])
        body = letter.get_body(preferencelist=("plain",)).get_content()
        assert body.index("Wer Schutz sucht") < body.index("Die Kommunen tragen") < body.index("Köln-Nippes")

        with app.app_context():
            assert send_due_questionnaires(utcnow() + timedelta(days=13)).questionnaires == 0
            assert send_due_questionnaires(utcnow() + timedelta(days=14, minutes=1)).questionnaires == 1
        questionnaire = mail_server.messages_to(WRITER)[-1]
        assert "geantwortet" in str(questionnaire["Subject"])
        page.goto(_link(questionnaire, "answer"))
        _checked(page)
        page.get_by_label("Ja, mit einer Antwort auf mein Anliegen").check()
        page.get_by_label("Text der Antwort").fill("Vielen Dank für Ihren Brief. Ich setze mich für eine Änderung ein.")
        page.get_by_role("button", name="Antwort speichern").click()
        expect(page.get_by_text("Ihre Antwort ist gespeichert")).to_be_visible()
        _checked(page)
        with app.app_context():
            written = db.session.scalar(select(SupporterLetter))
            assert written.answer is QuestionnaireAnswer.ANSWERED
            reply = db.session.scalar(select(Reply))
            assert reply.channel is ReplyChannel.SUPPORTER_REPORT and "Änderung" in reply.body_text
        assert errors == []
    finally:
        context.close()
