"""In a real browser (Chromium), the key pages over the hostile world run no injected script.

The URL-map crawl checks the HTML text; this checks what a browser does with it: no alert() dialog opens, no
script error or CSP violation is reported, and nothing is requested from the loopback server the payloads name.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import chromium, serving
from tests.factories import PASSWORD
from tests.security.world import build_world
from tests.support.recording_server import recording_server

KEY_PAGES = [
    "/",
    "/c/{slug}",
    "/c/{slug}/responses",
    "/c/{slug}/confirm/{confirm_token}",
    "/organise/",
    "/organise/campaigns/{slug}",
    "/organise/campaigns/{slug}/preview",
    "/organise/campaigns/{slug}/signatures",
    "/organise/campaigns/{slug}/targets?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/organise/recipients",
    "/organise/recipients/{recipient_id}",
    "/organise/recipients/import/{import_token}",
    "/organise/recipients/lists/{list_id}",
    "/organise/motions/{motion_id}",
    "/organise/argument-sets/{set_id}",
    "/organise/sources/{source_id}",
    "/organise/organisations/{organisation_id}",
    "/organise/organisations/{organisation_id}/logo",
    "/auth/users",
    "/track/",
    "/track/campaigns/{slug}",
    "/track/campaigns/{slug}/letters",
    "/track/campaigns/{slug}/recipients/{recipient_id}",
    "/track/inbox",
    "/track/replies/{reply_id}",
]


@pytest.fixture(scope="module")
def browser():
    """Not the browser tests' fixture: that one lives as long as their package, and this module is outside it."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def hostile_site(app_factory):
    with recording_server() as (port, fetched):
        app = app_factory()
        world = build_world(app, app.test_client(), port, letters=False)
        with serving(app, world.admin_email) as live:
            yield live, world, fetched


def test_key_pages_over_hostile_records_run_no_injected_script(browser, hostile_site):
    live, world, fetched = hostile_site
    context = browser.new_context(locale="de-DE", base_url=live.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append((page.url, dialog.message)), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append((page.url, str(error))))
    page.on("console", lambda message: message.type == "error" and errors.append((page.url, message.text)))
    try:
        page.goto("/auth/login")
        page.fill("input[name=email]", live.email)
        page.fill("input[name=password]", PASSWORD)
        page.press("input[name=password]", "Enter")  # the header has other forms (the language switch)
        page.wait_for_url("**/organise/")
        for pattern in KEY_PAGES:
            response = page.goto(pattern.format(**world.ids))
            assert response.status < 400, (pattern, response.status)
            page.wait_for_load_state("load")
    finally:
        context.close()
    assert dialogs == []
    assert [error for error in errors if "Failed to load resource" not in error[1]] == []
    assert fetched == []
