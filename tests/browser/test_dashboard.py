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


# Many Android phones are 360 px wide (as in test_phone_width.py).
PHONE = {"width": 360, "height": 800}
# The smallest chart text a phone should show; the SVG scaled down with its viewBox drew it 6 px high.
MIN_CHART_TEXT = 11
# The dashboard's tables of six columns (segments) and of addresses scroll in their box on a phone; all others fit.
SCROLLING_TABLES = ("segment-", "failing")

CHART_TEXT_SIZES = """() => [...document.querySelectorAll('main svg text')].map(text =>
    [text.textContent, parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a])"""

# Every header, caption and summary of a chart: cut by its own box, or outside the visible part of a box around it
# that hides or scrolls its overflow (after scrolling it into view there, as a reader would).
CUT_TEXTS = """() => {
    const cut = [];
    for (const element of document.querySelectorAll('main th, main caption, main figcaption')) {
        if (element.closest('.visually-hidden')) continue;
        element.scrollIntoView({block: 'nearest', inline: 'nearest'});
        const text = document.createRange();
        text.selectNodeContents(element);
        const lines = [...text.getClientRects()];
        let reason = element.scrollWidth > element.clientWidth ? 'own box' : '';
        for (let box = element.parentElement; box && !reason; box = box.parentElement) {
            if (getComputedStyle(box).overflowX === 'visible') continue;
            const left = box.getBoundingClientRect().left + box.clientLeft;
            if (lines.some(line => line.left < left - 0.5 || line.right > left + box.clientWidth + 0.5)) {
                reason = 'box ' + (box.id || box.className || box.tagName);
            }
        }
        if (reason) cut.push([element.tagName, element.textContent.trim(), reason]);
    }
    return cut;
}"""

WIDE_TABLES = """prefixes => [...document.querySelectorAll('main .overflow-auto')]
    .filter(box => box.scrollWidth > box.clientWidth)
    .map(box => box.querySelector('table').id)
    .filter(id => !prefixes.some(prefix => id.startsWith(prefix)))"""


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_dashboard_reads_on_a_phone(browser, live_server, language):
    """At 360 px the charts' text is as large as the page's small print, and no header or caption is cut: the
    narrow tables fit the screen whole, the wide ones scroll in their box with every header readable in it."""
    with live_server.app.app_context():
        make_counted_campaign(db.session)
        db.session.commit()
    context = browser.new_context(locale="de-DE", base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/auth/login")
        page.get_by_label("E-Mail-Adresse").fill(live_server.email)
        page.get_by_label("Passwort").fill(live_server.password)
        page.get_by_role("button", name="Anmelden").click()
        context.add_cookies([{"name": "locale", "value": language, "url": live_server.url}])
        page.goto("/track/campaigns/gezaehlt")
        assert page.locator("html").get_attribute("lang") == language
        page.locator("main details").evaluate_all("all => all.forEach(details => { details.open = true; })")

        sizes = page.evaluate(CHART_TEXT_SIZES)
        assert len(sizes) > 10
        assert [text for text, size in sizes if size < MIN_CHART_TEXT] == [], sizes
        assert page.evaluate(WIDE_TABLES, list(SCROLLING_TABLES)) == []
        assert page.evaluate(CUT_TEXTS) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
