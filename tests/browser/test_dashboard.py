"""In Chromium: a coordinator opens the dashboard, the public opens the response tracker; axe finds nothing serious."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaign.db import db
from tests.factories_dashboard import make_counted_campaign
from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser


def test_dashboard_and_public_tracker(page, live_server, console_errors, tmp_path):
    with live_server.app.app_context():
        make_counted_campaign(db.session, public_responses=True)
        db.session.commit()
    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(live_server.email)
    page.get_by_label("Passwort").fill(live_server.password)
    page.get_by_role("button", name="Anmelden").click()

    page.goto("/track/")
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.get_by_role("heading", name="Kennzahlen")).to_be_visible()
    expect(page.locator("#figures-summary")).to_contain_text("3 beantwortet (30 %), davon 2 inhaltlich (20 %")
    expect(page.get_by_role("img", name="Bestätigte Mitzeichnungen insgesamt, je Tag")).to_be_visible()
    # The chart's data as a table, one click away.
    page.get_by_text("Daten als Tabelle").first.click()
    expect(page.locator("#signature-days")).to_contain_text("2. März 2026")
    page.get_by_text("nach Versandweg", exact=True).click()
    expect(page.locator("#segment-channel")).to_contain_text("E-Mail")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Öffentliche Antwortübersicht").click()
    expect(page.get_by_role("heading", name="Wer hat geantwortet?", level=1)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Ayşe Yılmaz")).to_contain_text("stimmt zu")
    expect(page.get_by_text("Ich unterstütze Ihr Anliegen")).to_be_visible()
    assert axe_violations(page) == []
    assert console_errors == []
