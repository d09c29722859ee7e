"""Fixtures of the sending tests: a loopback SMTP server and an app whose MAIL_URL points at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.mailserver import MailServer


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_app(app_factory, mail_server):
    app = app_factory(MAIL_URL=mail_server.url, MAIL_FROM="Kampagne <kampagne@example.org>")
    with app.app_context():
        yield app
