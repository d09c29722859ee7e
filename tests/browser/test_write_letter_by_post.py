"""Writing a letter to post yourself, the organisers' screens for it, and withdrawing consent; axe on every page."""

from __future__ import annotations

import email
import re
from email.policy import default

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from campaign.db import db
from campaign.models import Letter, LetterStatus, OutboxMessage, SupporterLetter
from campaign.services.writing.letters import access_token
from campaign.services.writing.mails import KIND_CONFIRMATION
from tests.factories_writing import make_writing_campaign
from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser


def _checked(page) -> None:
    assert axe_violations(page) == [], page.url


def _confirm_path(app) -> str:
    with app.app_context():
        raw = db.session.scalar(select(OutboxMessage.raw).where(OutboxMessage.kind == KIND_CONFIRMATION))
    text = email.message_from_bytes(raw, policy=default).get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/c/[^\s]+/write/confirm/[^\s]+)", text).group(1)


def _write_for_post(page, slug: str) -> None:
    page.goto(f"/c/{slug}/write")
    page.get_by_label("Ihre Postleitzahl").fill("50733")
    page.get_by_role("button", name="Empfänger:innen suchen").click()
    page.get_by_label("Renée Weiß", exact=False).check()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("button", name="Weiter").click()
    # No argument chosen: the own paragraph needs twenty words at least.
    page.get_by_label("Ihr eigener Absatz").fill(
        "Ich schreibe Ihnen als Nachbarin aus Köln-Nippes, ganz persönlich. Seit Jahren begleite ich Familien zu "
        "Ämtern und sehe, wie sehr sie auf Beratung vor Ort angewiesen sind."
    )
    page.get_by_role("button", name="Vorschau ansehen").click()
    expect(page.get_by_text("Sie drucken den Brief aus und schicken ihn per Post")).to_be_visible()
    _checked(page)
    page.get_by_label("Vorname").fill("Zoë")
    page.get_by_label("Nachname").fill("Łukasiewicz")
    page.get_by_role("textbox", name="E-Mail-Adresse").fill("zoe@example.org")
    page.get_by_label("Straße und Hausnummer").fill("Gocher Straße 5")
    page.get_by_label("Postleitzahl", exact=True).fill("50733")
    page.get_by_label("Ort", exact=True).fill("Köln")
    page.get_by_label("Ich möchte diesen Brief in meinem Namen", exact=False).check()
    page.get_by_role("button", name="Brief abschicken").click()
    expect(page.get_by_role("heading", name="Fast geschafft", exact=False)).to_be_visible()


def test_post_it_yourself_then_withdraw_and_the_team_screens(page, live_server, console_errors):
    app = live_server.app
    with app.app_context():
        slug = make_writing_campaign(db.session).slug
        db.session.commit()
    _write_for_post(page, slug)
    page.goto(_confirm_path(app))
    page.get_by_role("button", name="Brief bestätigen").click()
    expect(page.get_by_text("Drucken Sie ihn jetzt aus")).to_be_visible()
    page.get_by_role("link", name="Zur Seite Ihres Briefs").click()
    expect(page.get_by_role("link", name="Brief als PDF zum Ausdrucken")).to_be_visible()
    _checked(page)
    page.get_by_role("button", name="Ich habe den Brief abgeschickt").click()
    expect(page.get_by_text("Wir fragen Sie in einiger Zeit")).to_be_visible()
    _checked(page)
    with app.app_context():
        assert db.session.scalar(select(Letter.status)) is LetterStatus.SENT

    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(live_server.email)
    page.get_by_label("Passwort").fill(live_server.password)
    page.get_by_role("button", name="Anmelden").click()
    page.goto(f"/organise/campaigns/{slug}/supporter-letters")
    expect(page.get_by_role("cell", name="Renée Weiß")).to_be_visible()
    _checked(page)
    page.get_by_role("link", name="Postleitzahl-Tabelle").click()
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(
        files=[{"name": "plz.csv", "mimeType": "text/csv", "buffer": b"plz;ebene;gebiet\n01067;Kreis;Dresden\n"}]
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_text("1 Zeilen gelesen, 1 in Ordnung. Nichts gespeichert.")).to_be_visible()
    _checked(page)
    page.goto(f"/track/campaigns/{slug}")
    expect(page.locator("#supporter-summary")).to_contain_text("1 Briefe von Unterstützer:innen verschickt")
    _checked(page)

    page.goto(_letter_page(app, slug))
    page.get_by_role("button", name="Widerrufen und Angaben löschen").click()
    expect(page.get_by_text("Ihre Angaben zu diesem Brief sind gelöscht")).to_be_visible()
    _checked(page)
    page.goto(f"/c/{slug}/write/confirm/gefaelscht")
    expect(page.get_by_text("Dieser Link ist ungültig")).to_be_visible()
    _checked(page)
    with app.app_context():
        assert db.session.scalar(select(SupporterLetter.email)) == ""
    assert console_errors == []


def _letter_page(app, slug: str) -> str:
    with app.app_context():
        return f"/c/{slug}/write/letter/{access_token(db.session.scalar(select(SupporterLetter)))}"
