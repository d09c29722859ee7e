"""In Chromium at phone width: the language switch in the header turns a public page and, after logging in, the
staff pages into English and back, without JavaScript tricks; axe finds nothing serious on the English pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaign.db import db
from tests.factories_signing import make_open_letter
from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}  # a 360 px Android phone, the narrowest common width


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_switching_to_english_and_back_at_phone_width(page, live_server, console_errors):
    with live_server.app.app_context():
        slug = make_open_letter(db.session).slug
        db.session.commit()
    page.set_viewport_size(PHONE)
    page.goto(f"/c/{slug}")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("button", name="Mitzeichnen", exact=True)).to_be_visible()
    _fits_the_phone(page)

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/c/{slug}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Co-sign", exact=True)).to_be_visible()
    expect(page.get_by_label("First name", exact=True)).to_be_visible()
    _fits_the_phone(page)
    assert axe_violations(page) == [], page.url

    # The choice is remembered: the login form and the staff pages are English too.
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail address").fill(live_server.email)
    page.get_by_label("Password").fill(live_server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Organise", exact=True)).to_be_visible()
    _fits_the_phone(page)
    assert axe_violations(page) == [], page.url

    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", name="Organisieren", exact=True)).to_be_visible()
    # The stylesheets came from the browser's cache, without asking the server (a transfer of 0 bytes).
    files = page.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/static/'))"
        ".map(e => [e.name, e.transferSize])"
    )
    assert files and all(size == 0 for _name, size in files), files
    assert console_errors == []
