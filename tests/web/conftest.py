"""Fixtures of the web tests: a client logged in with a role through the real login form, also with CSRF on."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.db import db
from campaign.models import Role, User
from tests.factories import PASSWORD, make_user

Login = Callable[..., User]


@pytest.fixture
def login(app: Flask, client: FlaskClient) -> Login:
    """`login(role)` makes an account with that role and logs `client` (or the `client=` given) in with it.

    Returns the user, detached but with its columns loaded (`.id`, `.email`, `.role`).
    """

    def log_in(role: Role = Role.ORGANISER, *, client: FlaskClient = client) -> User:
        with app.app_context():
            user = make_user(db.session, role)
            db.session.commit()
            db.session.refresh(user)
        response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return log_in


@pytest.fixture
def organiser(login: Login) -> User:
    """The test client, logged in as an organiser."""
    return login(Role.ORGANISER)


@dataclass(frozen=True)
class Protected:
    """An app with CSRF protection on, and a client logged in to it as an organiser."""

    app: Flask
    client: FlaskClient

    def token(self, url: str) -> str:
        """The CSRF token in the form of the page at `url`."""
        return csrf_token(self.client.get(url).get_data(as_text=True))


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


@pytest.fixture
def protected(app_factory: Callable[..., Flask]) -> Protected:
    """Like a browser: the organiser logs in through the form with its token (tests' apps switch CSRF off)."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        email = make_user(db.session, Role.ORGANISER).email
        db.session.commit()
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return Protected(app, client)
