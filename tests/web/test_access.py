"""Access control on every management URL, per role; anonymous users are sent to the login page."""

from __future__ import annotations

import pytest

from campaign.db import db
from campaign.models import Role
from tests.factories import PASSWORD, make_motion, make_user
from tests.factories_arguments import make_argument_set
from tests.factories_letters import make_letter_campaign

ALL_STAFF = {Role.ADMIN: 200, Role.ORGANISER: 200, Role.COORDINATOR: 200}
ADMIN_ONLY = {Role.ADMIN: 200, Role.ORGANISER: 403, Role.COORDINATOR: 403}

# (url pattern, expected status per role); {motion}, {set}, {template} are filled from the `ids` fixture.
MANAGEMENT_URLS = [
    ("/organise/", ALL_STAFF),
    ("/organise/motions/{motion}", ALL_STAFF),
    ("/organise/argument-sets/{set}", ALL_STAFF),
    ("/organise/templates/{template}", ALL_STAFF),
    ("/organise/recipients", ALL_STAFF),
    ("/track/", ALL_STAFF),
    ("/auth/users", ADMIN_ONLY),
]


@pytest.fixture
def ids(app):
    """A motion, an argument set and a campaign's letter template: one page of each kind."""
    with app.app_context():
        motion = make_motion(db.session)
        argument_set = make_argument_set(db.session)
        campaign, _version, _people = make_letter_campaign(db.session)
        db.session.commit()
        return {"motion": motion.id, "set": argument_set.id, "template": campaign.templates[0].id}


def post_login(client, email, password=PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password})


def _user(app, role):
    with app.app_context():
        user = make_user(db.session, role)
        db.session.commit()
        return user.email


@pytest.mark.parametrize(("pattern", "expected"), MANAGEMENT_URLS, ids=[url for url, _ in MANAGEMENT_URLS])
def test_anonymous_users_are_redirected_to_login(client, ids, pattern, expected):
    url = pattern.format(**ids)
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
@pytest.mark.parametrize(("pattern", "expected"), MANAGEMENT_URLS, ids=[url for url, _ in MANAGEMENT_URLS])
def test_each_role_gets_what_it_may_see(client, login, ids, pattern, expected, role):
    login(role)
    response = client.get(pattern.format(**ids))
    assert response.status_code == expected[role]
    if expected[role] == 403:
        assert "keine Berechtigung" in response.get_data(as_text=True)


def test_login_sends_the_user_back_to_the_page_they_wanted(app, client):
    email = _user(app, Role.COORDINATOR)
    response = client.post("/auth/login?next=/track/", data={"email": email, "password": PASSWORD})
    assert response.headers["Location"] == "/track/"


def test_login_never_redirects_to_another_host(app, client):
    email = _user(app, Role.ORGANISER)
    response = client.post("/auth/login?next=//evil.example.com/", data={"email": email, "password": PASSWORD})
    assert response.headers["Location"] == "/organise/"


def test_wrong_password_is_refused_with_a_german_message(app, client):
    email = _user(app, Role.ORGANISER)
    response = post_login(client, email, "falsches-passwort-123")
    assert response.status_code == 401
    assert "E-Mail-Adresse oder Passwort ist falsch" in response.get_data(as_text=True)
    assert client.get("/organise/").status_code == 302


def test_deactivated_account_cannot_log_in(app, client):
    with app.app_context():
        user = make_user(db.session, Role.ORGANISER, active=False)
        db.session.commit()
        email = user.email
    assert post_login(client, email).status_code == 401


def test_logout_needs_a_post_and_ends_the_session(client, organiser):
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/organise/").status_code == 302


def test_navigation_shows_management_only_to_staff(client, login):
    anonymous = client.get("/").get_data(as_text=True)
    assert "/organise/" not in anonymous and "Anmelden" in anonymous
    login(Role.COORDINATOR)
    page = client.get("/").get_data(as_text=True)
    assert "/organise/" in page and "/track/" in page and "/auth/users" not in page
