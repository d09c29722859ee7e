"""Coordinators read the organiser screens: every form and link they are shown works for them (none ends in 403)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask

from campaign.db import db
from campaign.models import Role
from tests.factories import make_campaign
from tests.security.world import build_world

START = ("/organise/", "/track/")
# Pages enough for every kind of screen; filter and paging links would go on without end.
MAX_PAGES = 400
# Forms every page has that are not about organiser things (logging out, the language).
NOT_AUDITED = ("/auth/", "/language")


class _Controls(HTMLParser):
    """The links and the POST forms (action and default values) of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._form: tuple[str, dict[str, str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        elif tag == "form" and found.get("method", "get").lower() == "post":
            self._form = (found.get("action", ""), {})
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea") and found.get("name"):
            kind = found.get("type", "text")
            if kind not in ("checkbox", "radio") or "checked" in found:
                self._form[1].setdefault(found["name"], found.get("value", ""))
        elif self._form is not None and tag == "select":
            self._select = found.get("name")
        elif tag == "option" and self._select and self._form is not None:
            self._form[1].setdefault(self._select, found.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _staff_path(base: str, href: str) -> str | None:
    url = urlsplit(urljoin(base, href))
    if url.netloc not in ("", "localhost") or not url.path.startswith(START):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


@pytest.fixture
def world_app(app: Flask) -> Flask:
    build_world(app, app.test_client(), 9, letters=True)
    return app


def test_a_coordinator_is_shown_no_form_or_link_that_ends_in_403(world_app, client, login):
    login(Role.COORDINATOR)
    queue, seen, refused = [(path, "") for path in START], set(START), []
    while queue and len(seen) < MAX_PAGES:
        page, origin = queue.pop(0)
        response = client.get(page)
        if response.status_code == 403:
            refused.append(f"GET {page} (link on {origin})")
        if "text/html" not in response.content_type:
            continue
        controls = _Controls()
        controls.feed(response.get_data(as_text=True))
        for href in controls.links:
            target = _staff_path(page, href)
            if target and target not in seen:
                seen.add(target)
                queue.append((target, page))
        for action, values in controls.forms:
            target = urljoin(page, action or page)
            if any(part in target for part in NOT_AUDITED):
                continue
            if client.post(target, data=values).status_code == 403:
                refused.append(f"POST {target} (form on {page})")
    assert len(seen) > 100  # the crawl reached the campaign's screens, not only the start pages
    assert refused == [], "\n".join(refused)


def test_a_coordinator_reads_consent_postcodes_and_the_hub_without_the_organisers_controls(app, client, login):
    with app.app_context():
        campaign = make_campaign(db.session, summary="Łódź für Jürgen Weiß")
        db.session.commit()
        hub_url = f"/organise/campaigns/{campaign.slug}"
    login(Role.COORDINATOR)
    consent = client.get("/organise/consent").get_data(as_text=True)
    assert "Einwilligungstexte" in consent and "Neue Version" not in consent and "Version speichern" not in consent
    postcodes = client.get("/organise/postcodes").get_data(as_text=True)
    assert "Postleitzahl-Tabelle" in postcodes and "Hochladen" not in postcodes
    hub = client.get(hub_url).get_data(as_text=True)
    assert "Antrag in den Einstellungen wählen." in hub and f"{hub_url}/edit" not in hub
    assert "Einstellungen bearbeiten" not in hub


def test_an_organiser_keeps_them(app, client, organiser):
    with app.app_context():
        campaign = make_campaign(db.session, summary="Łódź für Jürgen Weiß")
        db.session.commit()
        hub_url = f"/organise/campaigns/{campaign.slug}"
    assert "Version speichern" in client.get("/organise/consent").get_data(as_text=True)
    assert "Hochladen" in client.get("/organise/postcodes").get_data(as_text=True)
    hub = client.get(hub_url).get_data(as_text=True)
    assert f'href="{hub_url}/edit"' in hub and "Einstellungen bearbeiten" in hub
