"""CSRF, login throttling, security headers and German error pages."""

from __future__ import annotations

import re

from campaign.db import db
from campaign.models import Role
from tests.factories import PASSWORD, make_user


def _organiser(app) -> str:
    with app.app_context():
        email = make_user(db.session, Role.ORGANISER).email
        db.session.commit()
    return email


def test_login_without_csrf_token_is_rejected(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    email = _organiser(app)
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert "fehlerhaft" in response.get_data(as_text=True)
    assert client.get("/organise/").status_code == 302  # not logged in


def test_login_with_csrf_token_from_the_form_succeeds(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    email = _organiser(app)
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert client.get("/organise/").status_code == 200


def test_logout_without_csrf_token_keeps_the_user_logged_in(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    email = _organiser(app)
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/organise/").status_code == 200


def test_repeated_failed_logins_from_one_address_are_throttled(app_factory):
    app = app_factory(LOGIN_RATE_LIMIT="3 per minute")
    email = _organiser(app)
    client = app.test_client()
    for _ in range(3):
        assert client.post("/auth/login", data={"email": email, "password": "falsch-falsch-falsch"}).status_code == 401
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Zu viele Versuche" in response.get_data(as_text=True)


def test_every_page_sends_security_headers_without_inline_script(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script" not in response.get_data(as_text=True)


def test_pages_load_nothing_from_other_hosts(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_unknown_page_gives_german_404(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert "Diese Seite gibt es nicht" in response.get_data(as_text=True)


def test_session_cookie_is_http_only_and_same_site(app, client):
    email = _organiser(app)
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_internal_error_gives_german_500_page_and_loses_nothing(app_factory):
    app = app_factory(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def broken():
        raise RuntimeError("kaputt")

    app.add_url_rule("/kaputt", view_func=broken)
    response = app.test_client().get("/kaputt")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Ein interner Fehler ist aufgetreten" in page and "kaputt" not in page


def test_forbidden_page_is_german(app, client):
    email = _organiser(app)
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    response = client.get("/auth/users")
    assert response.status_code == 403
    assert "Sie haben keine Berechtigung" in response.get_data(as_text=True)
