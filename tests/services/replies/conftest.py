"""Fixtures of the reply tests: an app that knows the campaign's reply address and sender, and its letters."""

from __future__ import annotations

import pytest

from tests.factories_replies import MAIL_FROM, REPLY_ADDRESS, make_reply_campaign


@pytest.fixture
def app(app_factory):
    """The test app with REPLY_ADDRESS and MAIL_FROM of the campaign the test mails answer."""
    return app_factory(REPLY_ADDRESS=REPLY_ADDRESS, MAIL_FROM=MAIL_FROM)


@pytest.fixture
def letters(app, db_session):
    """Letters NRW-2026-0001…0017, sent by e-mail; keyed by their number."""
    return make_reply_campaign(db_session)
