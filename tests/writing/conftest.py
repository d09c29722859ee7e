"""Fixtures of the supporter-letter tests: an app whose mail stays in the outbox, and a campaign open for writing."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.db import db
from campaign.models import OutboxMessage
from tests.factories_writing import MAIL_FROM, WritingCampaign, make_writing_campaign
from tests.web.conftest import login  # noqa: F401  (the logged-in client of the team screens)


@pytest.fixture
def app(app_factory) -> Flask:
    return app_factory(JOBS_URL="memory://", MAIL_FROM=MAIL_FROM, REPLY_ADDRESS="antworten+{code}@example.org")


@pytest.fixture
def written(app) -> WritingCampaign:
    with app.app_context():
        found = make_writing_campaign(db.session)
        db.session.commit()
        return found


def outbox(app: Flask, kind: str) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id))
        result = list(rows)
        db.session.expunge_all()
        return result
