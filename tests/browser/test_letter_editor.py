"""In Chromium: the template editor's placeholder buttons insert German merge fields where the cursor is."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaign.db import db
from tests.factories_letters import make_letter_campaign

pytestmark = pytest.mark.browser


def test_placeholder_buttons_insert_at_the_cursor_and_the_letter_saves(page, live_server, console_errors):
    with live_server.app.app_context():
        _, version, _ = make_letter_campaign(db.session, body="{{ anrede }},\n\nText.\n")
        db.session.commit()
        template_id = version.template_id
    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(live_server.email)
    page.get_by_label("Passwort").fill(live_server.password)
    page.get_by_role("button", name="Anmelden").click()

    page.goto(f"/organise/templates/{template_id}")
    body = page.get_by_label("Brieftext")
    body.fill("Liebe  aus Köln")
    body.evaluate("field => field.setSelectionRange(6, 6)")
    page.get_by_role("button", name="{{ empfaenger.vorname }} einfügen").click()
    expect(body).to_have_value("Liebe {{ empfaenger.vorname }} aus Köln")
    # The subject takes a placeholder too, once it was the field last used.
    subject = page.get_by_label("Betreff")
    subject.fill("Antrag ")
    page.get_by_role("button", name="{{ antrag.titel }} einfügen").click()
    expect(subject).to_have_value("Antrag {{ antrag.titel }}")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Vorlage ist gespeichert")).to_be_visible()
    assert console_errors == []
