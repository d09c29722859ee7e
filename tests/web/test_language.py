"""The UI language: German by default, English by the browser's preference or the switch in the header (kept in a
cookie, safe redirect back); dates, numbers and labels follow it; letters and supporters' mails stay German."""

from __future__ import annotations

import email
import logging
import os
import re
from datetime import date, datetime
from email.policy import default

import pytest
from flask import render_template_string
from sqlalchemy import select

from campaign.db import db
from campaign.models import OutboxMessage, Role
from campaign.services.sending.outbox import mime_bytes
from campaign.services.signing.mails import KIND_CONFIRMATION
from campaign.web.language import COOKIE
from tests.factories_letters import make_letter_campaign, pdf_text
from tests.factories_signing import MAIL_FROM, form_data, make_open_letter

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


@pytest.fixture
def app(app_factory):
    return app_factory(JOBS_URL="memory://", MAIL_FROM=MAIL_FROM)


@pytest.fixture
def open_letter(app) -> str:
    with app.app_context():
        campaign = make_open_letter(db.session, deadline=date(2026, 1, 26))
        db.session.commit()
        return campaign.slug


def csrf_token(page: str) -> str:
    """The token of the language switch in the page header."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def _page(client, path: str = "/", **kwargs) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_pages_are_german_by_default_and_for_browsers_that_prefer_neither_language(client, open_letter):
    for headers in ({}, {"Accept-Language": "fr-FR,fr;q=0.9,pl;q=0.5"}):
        page = _page(client, headers=headers)
        assert 'lang="de"' in page and "Aktuelle Kampagnen" in page and "Frist: 26.01.2026" in page
        assert re.search(r'<button[^>]*value="en" lang="en"[^>]*>English</button>', page)


def test_a_browser_that_prefers_english_gets_english_pages(client, open_letter):
    page = _page(client, headers=ENGLISH)
    assert 'lang="en"' in page and "Current campaigns" in page and "Deadline: 26 Jan 2026" in page
    assert "Aktuelle Kampagnen" not in page
    assert re.search(r'<button[^>]*value="de" lang="de"[^>]*>Deutsch</button>', page)
    # Caches keep the languages apart; the same files serve both.
    assert {"Accept-Language", "Cookie"} <= set(client.get("/", headers=ENGLISH).vary)
    with client.get("/static/css/app.css") as stylesheet:
        assert "Accept-Language" not in stylesheet.vary
    campaign = _page(client, f"/c/{open_letter}", headers=ENGLISH)
    assert "Co-sign by 26 January 2026." in campaign and "First name" in campaign
    assert "Privacy" in _page(client, "/privacy", headers=ENGLISH)


def test_the_switch_sets_a_cookie_and_goes_back_to_the_page_it_was_on(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = _page(client, "/privacy?x=1")
    assert 'name="next" value="/privacy?x=1"' in page
    response = client.post("/language", data={"locale": "en", "next": "/privacy?x=1", "csrf_token": csrf_token(page)})
    assert response.status_code == 303 and response.location == "/privacy?x=1"
    cookie = client.get_cookie(COOKIE)
    assert cookie.value == "en" and cookie.http_only and cookie.same_site == "Lax" and cookie.expires
    english = _page(client, "/privacy?x=1")
    assert "Privacy notice" in english and "Datenschutzhinweise" not in english
    # The choice beats the browser's preference, in both directions.
    response = client.post("/language", data={"locale": "de", "next": "/", "csrf_token": csrf_token(english)})
    assert response.status_code == 303
    assert "Aktuelle Kampagnen" in _page(client, headers=ENGLISH)


def test_the_switch_needs_its_csrf_token_and_ignores_unknown_languages(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    forged = client.post("/language", data={"locale": "en", "next": "/"})
    assert forged.status_code == 400 and client.get_cookie(COOKIE) is None
    token = csrf_token(_page(client))
    for value in ("fr", "", "en; Path=/", "ẽn"):
        response = client.post("/language", data={"locale": value, "next": "/", "csrf_token": token})
        assert response.status_code == 303 and client.get_cookie(COOKIE) is None
    client.set_cookie(COOKIE, "xx")  # a cookie set by hand: ignored, German as for everyone
    assert "Aktuelle Kampagnen" in _page(client)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "http:/evil.example",
        "/\tevil",
        "javascript:alert(1)",
        "",
        "Ünterseite",
    ],
)
def test_the_switch_never_redirects_to_another_host(client, target):
    response = client.post("/language", data={"locale": "en", "next": target})
    assert response.status_code == 303 and response.location == "/"


def test_staff_pages_labels_and_error_pages_follow_the_language(app, client, login, open_letter):
    login(Role.ORGANISER)
    client.set_cookie(COOKIE, "en")
    overview = _page(client, "/organise/campaigns")
    assert "Manage campaigns" in overview and "running" in overview  # the status label of the active campaign
    assert "Kampagnen verwalten" not in overview and "läuft" not in overview
    missing = client.get("/organise/campaigns/gibt-es-nicht")
    assert missing.status_code == 404 and "This page does not exist." in missing.get_data(as_text=True)
    client.set_cookie(COOKIE, "de")
    assert "läuft" in _page(client, "/organise/campaigns")


def test_login_message_is_in_the_page_language(client):
    client.set_cookie(COOKIE, "en")
    response = client.get("/organise/", follow_redirects=True)
    assert "Please log in to see this page." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "23.11.2026, 15:05 | 23.11.2026 | 26.01.2026 | 26. Januar 2026 | 1.234,5 | 33,3 | 30 | –"),
        ("en", "23 Nov 2026, 15:05 | 23 Nov 2026 | 26 Jan 2026 | 26 January 2026 | 1,234.5 | 33.3 | 30 | –"),
    ],
)
def test_dates_and_numbers_are_written_as_the_language_writes_them(app, language, expected):
    template = (
        "{{ at | local_time }} | {{ at | local_time('date') }} | {{ day | short_date }} | {{ day | long_date }} | "
        "{{ 1234.5 | number }} | {{ 33.333 | number }} | {{ 30.0 | number }} | {{ none | number }}"
    )
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE}={language}"}):
        # Stored times are UTC: 14:05 UTC is 15:05 in Berlin in November.
        rendered = render_template_string(template, at=datetime(2026, 11, 23, 14, 5), day=date(2026, 1, 26), none=None)
    assert rendered == expected


def test_letters_are_the_same_whatever_the_language_of_the_page(app, client, login):
    with app.app_context():
        campaign, _version, people = make_letter_campaign(db.session, recipients=1)
        db.session.commit()
        base = f"/organise/campaigns/{campaign.slug}"
        recipient = people[0].id
    login(Role.ORGANISER)
    seen = {}
    for language in ("de", "en"):
        client.set_cookie(COOKIE, language)
        preview = client.get(f"{base}/preview.pdf?recipient={recipient}")
        text = client.get(f"{base}/letter.txt?recipient={recipient}")
        html = client.get(f"{base}/letter.html?recipient={recipient}")
        assert preview.status_code == text.status_code == html.status_code == 200
        seen[language] = (pdf_text(preview.data), text.get_data(as_text=True), html.get_data(as_text=True))
    assert seen["en"] == seen["de"]
    pdf, plain, html = seen["en"]
    assert "Sehr geehrte" in plain and "(Vorschau)" in pdf and "Unser Zeichen" in html and "Our reference" not in html


def test_the_open_letter_pdf_stays_german_and_the_confirmation_mail_follows_the_page(app, client, open_letter):
    client.set_cookie(COOKIE, "de")
    german_pdf = pdf_text(client.get(f"/c/{open_letter}/letter.pdf").data)
    client.set_cookie(COOKIE, "en")
    assert pdf_text(client.get(f"/c/{open_letter}/letter.pdf").data) == german_pdf
    response = client.post(f"/c/{open_letter}/sign", data=form_data(first_name="Łucja"))
    assert response.status_code == 302
    assert "Almost done" in _page(client, response.location)
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == KIND_CONFIRMATION))
        message = email.message_from_bytes(mime_bytes(mail), policy=default)
    body = message.get_body(preferencelist=("plain",)).get_content()
    # The person reads the request in the language they signed in; the letter they co-sign stays German.
    assert message["Subject"].startswith("Please confirm") and body.startswith("Hello Łucja,")
    assert "Confirm co-signature" in body


def test_a_missing_or_stale_catalogue_is_a_warning_at_start_with_the_fix(app_factory, tmp_path, caplog):
    folder = tmp_path / "translations" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = folder / "messages.po"
    source.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="campaign.web.language"):
        app_factory(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))
    assert any("nicht kompiliert (en)" in r.getMessage() and "make run" in r.getMessage() for r in caplog.records)
    caplog.clear()
    compiled = folder / "messages.mo"
    compiled.write_bytes(b"")
    os.utime(compiled, (source.stat().st_mtime - 60,) * 2)  # compiled before the last edit of the .po
    with caplog.at_level(logging.WARNING, logger="campaign.web.language"):
        app_factory(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))
    assert any("nicht kompiliert (en)" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="campaign.web.language"):
        app_factory()  # the project's own catalogue, compiled by make
    assert not any("nicht kompiliert" in r.getMessage() for r in caplog.records)
