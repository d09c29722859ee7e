"""Fixtures of the web tests: a test client logged in with a role, through the real login form."""

from __future__ import annotations

from collections.abc import Callable

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
