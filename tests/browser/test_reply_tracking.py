"""In Chromium: an unmatched reply assigned by hand, classified, and shown on the tracking board; axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaign.db import db
from campaign.services.replies.ingest import import_message
from tests.factories_replies import make_reply_campaign, read_mail
from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser


def test_assign_an_unmatched_reply_classify_it_and_see_it_on_the_board(page, live_server, console_errors):
    with live_server.app.app_context():
        make_reply_campaign(db.session)
        import_message(db.session, read_mail("unmatched_de.eml"))
        import_message(db.session, read_mail("outlook_de.eml"))
        db.session.commit()
    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(live_server.email)
    page.get_by_label("Passwort").fill(live_server.password)
    page.get_by_role("button", name="Anmelden").click()

    page.goto("/track/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="1 Antwort wartet im Eingang auf Zuordnung.").click()
    expect(page.get_by_role("heading", name="Eingang", level=1)).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Bürgerbüro Karin Vogel").click()
    page.get_by_label("Brief suchen").fill("Vogel")
    page.get_by_role("button", name="Suchen").click()
    page.get_by_label("Karin Vogel – NRW-2026-0013").check()
    page.get_by_label("Absenderadresse dieser Person zuordnen").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Zuordnen").click()
    expect(page.get_by_text("Zugeordnet zu NRW-2026-0013 (Karin Vogel).")).to_be_visible()
    expect(page.get_by_text("gehören ab jetzt zu Karin Vogel")).to_be_visible()

    # The reply page: the rule's suggestion, confirmed or changed by the coordinator.
    expect(page.get_by_text("Vorschlag der Regel:")).to_be_hidden()  # too short a text for a suggestion
    assert axe_violations(page) == []
    page.get_by_label("Qualität").select_option("substantive")
    page.get_by_label("Haltung zu unserem Anliegen").select_option("supportive")
    page.get_by_label("Zusagen").fill("stimmt auf dem Parteitag für den Erhalt der Beratung")
    page.get_by_label("Veröffentlichung erlaubt").check()
    page.get_by_role("button", name="Einordnung speichern").click()
    expect(page.get_by_text("Einordnung gespeichert.")).to_be_visible()

    page.get_by_role("link", name="NRW, jetzt erst gerecht").click()
    board = page.locator("#board")
    row = board.get_by_role("row").filter(has_text="Karin Vogel")
    expect(row).to_contain_text("beantwortet")
    expect(row).to_contain_text("inhaltlich")
    expect(row).to_contain_text("stimmt zu")
    expect(board.get_by_role("row").filter(has_text="Erika Mustermann")).to_contain_text("Vorschlag: inhaltlich")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Karin Vogel").click()
    expect(page.get_by_text("Antwortet auch von: kontakt@buergerbuero-vogel.example.de")).to_be_visible()
    assert axe_violations(page) == []
    assert console_errors == []
