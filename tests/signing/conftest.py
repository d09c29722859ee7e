"""Fixtures of the co-signing tests: an open-letter campaign in a test app, and the confirmation mails it queued."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.db import db
from campaign.models import OutboxMessage
from campaign.services.sending.outbox import mime_bytes
from campaign.services.signing.mails import KIND_CONFIRMATION
from tests.factories_signing import MAIL_FROM, links_in, make_open_letter
from tests.web.conftest import login  # noqa: F401  (the logged-in client of the team screens)


@dataclass(frozen=True)
class OpenLetter:
    app: Flask
    slug: str
    id: int

    def mails(self) -> list[OutboxMessage]:
        with self.app.app_context():
            return list(
                db.session.scalars(
                    select(OutboxMessage).where(OutboxMessage.kind == KIND_CONFIRMATION).order_by(OutboxMessage.id)
                )
            )

    def links(self, index: int = -1) -> dict[str, str]:
        """The links in a queued confirmation mail (the newest by default)."""
        import email
        from email.policy import default

        message = email.message_from_bytes(mime_bytes(self.mails()[index]), policy=default)
        return links_in(message.get_body(preferencelist=("plain",)).get_content())


@pytest.fixture
def app(app_factory) -> Flask:
    # Mail stays in the outbox: the tests read it there, or deliver it themselves.
    return app_factory(JOBS_URL="memory://", MAIL_FROM=MAIL_FROM)


@pytest.fixture
def letter(app) -> OpenLetter:
    with app.app_context():
        campaign = make_open_letter(db.session)
        db.session.commit()
        return OpenLetter(app, campaign.slug, campaign.id)
