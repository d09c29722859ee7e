"""Co-signing on a phone: sign, read the confirmation mail from a loopback SMTP server, open the link (nothing
changes), confirm, see the count rise on the page and in the JSON, withdraw and see it fall; axe on every page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from campaign.db import db
from campaign.jobs.outbox import deliver_due
from tests.browser.conftest import LiveServer, serving
from tests.factories_signing import MAIL_FROM, links_in, make_open_letter
from tests.services.sending import conftest as sending
from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser

# The loopback SMTP server of the sending tests.
mail_server = sending.mail_server

PHONE = {"width": 360, "height": 800}  # a 360 px Android phone, the narrowest common width


@pytest.fixture
def signing_server(app_factory, mail_server) -> Iterator[LiveServer]:
    """The app with CSRF on and mail to the loopback SMTP server; mail stays queued until the test delivers it."""
    app = app_factory(WTF_CSRF_ENABLED=True, JOBS_URL="memory://", MAIL_URL=mail_server.url, MAIL_FROM=MAIL_FROM)
    with serving(app, "") as live:
        yield live


def _no_serious_violations(page) -> None:
    assert axe_violations(page) == [], page.url


def _json_count(page, slug: str) -> int:
    return page.request.get(f"/api/v1/campaigns/{slug}").json()["confirmed_signatures"]


def _sign_on_the_form(page) -> None:
    """Sent without consent first: the form says why and keeps what was typed; then with consent."""
    page.get_by_label("Vorname", exact=True).fill("Ğülşen")
    page.get_by_label("Nachname", exact=True).fill("Ćwikłińska")
    page.get_by_role("textbox", name="E-Mail-Adresse").fill("Guelsen.Cwiklinska@example.org")
    page.get_by_label("Postleitzahl", exact=True).fill("50667")
    page.get_by_label("Ort", exact=True).fill("Köln")
    page.get_by_role("button", name="Mitzeichnen", exact=True).click()
    expect(page.locator("#consent-error")).to_have_text("Ohne Ihre Einwilligung können wir nicht mitzählen.")
    # The summary above the form names the mistake too and leads to the box.
    summary = page.get_by_role("alert").get_by_role("link", name="Ohne Ihre Einwilligung können wir nicht mitzählen.")
    expect(summary).to_have_attribute("href", "#consent")
    expect(page.get_by_label("Vorname", exact=True)).to_have_value("Ğülşen")
    _no_serious_violations(page)
    page.get_by_label("Ich unterzeichne diesen offenen Brief mit", exact=False).check()
    page.get_by_role("button", name="Mitzeichnen", exact=True).click()
    expect(page.get_by_role("heading", name="Fast geschafft", exact=False)).to_be_visible()
    _no_serious_violations(page)


def test_sign_confirm_and_withdraw_on_a_phone(browser, signing_server, mail_server, console_errors):
    app = signing_server.app
    with app.app_context():
        campaign = make_open_letter(db.session)
        campaign.title = "Offener Brief: Gerechtigkeit für alle"
        slug = campaign.slug
        db.session.commit()
    context = browser.new_context(locale="de-DE", base_url=signing_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(request.url.split("/")[2]))
    try:
        page.goto("/")
        _no_serious_violations(page)
        page.goto(f"/c/{slug}")
        expect(page.get_by_text("0 Mitzeichnungen")).to_be_visible()
        _no_serious_violations(page)
        _sign_on_the_form(page)
        with app.app_context():
            assert deliver_due().sent == 1
        [mail] = mail_server.messages_to("Guelsen.Cwiklinska@example.org")
        links = links_in(mail.get_body(preferencelist=("plain",)).get_content())

        page.goto(links["confirm"])
        expect(page.get_by_role("button", name="Mitzeichnung bestätigen")).to_be_visible()
        _no_serious_violations(page)
        assert _json_count(page, slug) == 0
        page.goto(f"/c/{slug}")
        expect(page.get_by_text("0 Mitzeichnungen")).to_be_visible()

        page.goto(links["confirm"])
        page.get_by_role("button", name="Mitzeichnung bestätigen").click()
        expect(page.get_by_text("Ihre Mitzeichnung ist bestätigt")).to_be_visible()
        _no_serious_violations(page)
        page.goto(f"/c/{slug}")
        expect(page.get_by_text("1 Mitzeichnung", exact=False).first).to_be_visible()
        expect(page.get_by_text("Ğülşen Ćwikłińska, Köln")).to_be_visible()
        assert _json_count(page, slug) == 1

        page.goto(links["withdraw"])
        _no_serious_violations(page)
        page.get_by_role("button", name="Mitzeichnung widerrufen").click()
        expect(page.get_by_text("Ihre Mitzeichnung ist widerrufen")).to_be_visible()
        _no_serious_violations(page)
        page.goto(f"/c/{slug}")
        expect(page.get_by_text("0 Mitzeichnungen")).to_be_visible()
        expect(page.get_by_text("Ğülşen Ćwikłińska")).to_have_count(0)
        assert _json_count(page, slug) == 0

        page.goto(f"/c/{slug}/confirm/gefaelscht")
        _no_serious_violations(page)
        page.goto("/privacy")
        _no_serious_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
    assert requested_hosts == {signing_server.url.split("/")[2]}
    assert console_errors == []
