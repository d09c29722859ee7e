"""Every cookie the app sets (session, CSRF session, known-browser) is HttpOnly and SameSite=Lax, and Secure
in production (CAMPAIGN_ENV=production) or whenever SESSION_COOKIE_SECURE is set behind HTTPS."""

from __future__ import annotations

import re

import pytest

from campaign.db import db
from campaign.models import Role
from tests.factories import PASSWORD, make_user


def _cookies(app) -> list[str]:
    """The Set-Cookie headers of a visitor's page, the login form, a login and a logout, with CSRF on."""
    with app.app_context():
        email = make_user(db.session, Role.ORGANISER).email
        db.session.commit()
    client = app.test_client()
    found = []
    page = client.get("/auth/login", base_url="https://localhost")
    found += page.headers.getlist("Set-Cookie")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True))[1]
    login = client.post(
        "/auth/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/auth/login"},  # Flask-WTF checks it over HTTPS
    )
    assert login.status_code == 302
    found += login.headers.getlist("Set-Cookie")
    found += client.get("/organise/", base_url="https://localhost").headers.getlist("Set-Cookie")
    return found


def _flags(cookie: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]} | {
        part.strip().lower() for part in cookie.split(";")[1:] if part.strip().lower().startswith("samesite")
    }


@pytest.mark.parametrize(
    ("settings", "secure"),
    [
        ({}, False),
        ({"SESSION_COOKIE_SECURE": True}, True),
        ({"CAMPAIGN_ENV": "production"}, True),
    ],
    ids=["development", "behind-https", "production"],
)
def test_every_cookie_is_http_only_same_site_and_secure_when_configured(app_factory, settings, secure):
    app = app_factory(WTF_CSRF_ENABLED=True, **settings)
    cookies = _cookies(app)
    names = {cookie.split("=", 1)[0] for cookie in cookies}
    assert "session" in names and len(names) >= 2  # the session and the known-browser cookie
    for cookie in cookies:
        flags = _flags(cookie)
        assert "httponly" in flags and "samesite=lax" in flags, cookie
        assert ("secure" in flags) is secure, cookie


def test_production_refuses_to_start_without_a_secret_key(app_factory):
    from campaign.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        app_factory(CAMPAIGN_ENV="production", SECRET_KEY="")
