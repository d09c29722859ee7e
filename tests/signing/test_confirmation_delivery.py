"""The confirmation mail is queued as a draft and becomes MIME when the worker first claims it: what arrives at
the SMTP server is complete (sender, recipient, subject, links, its queued Message-ID), a retry sends the same
bytes, and a sender that became invalid gives the mail up with a reason instead of blocking the queue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from campaign.db import db
from campaign.jobs.outbox import deliver_due
from campaign.models import OutboxMessage, OutboxStatus
from tests.factories_signing import MAIL_FROM, form_data, links_in, make_open_letter
from tests.support.mailserver import MailServer


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


def _sign(app_factory, mail_server: MailServer, **settings) -> tuple:
    app = app_factory(JOBS_URL="memory://", MAIL_FROM=MAIL_FROM, MAIL_URL=mail_server.url, **settings)
    with app.app_context():
        slug = make_open_letter(db.session).slug
        db.session.commit()
    data = form_data(first_name="Łukasz", email="Guel.Lukasz+brief@example.org")
    assert app.test_client().post(f"/c/{slug}/sign", data=data).status_code == 302
    return app, slug


def _only_message() -> OutboxMessage:
    (message,) = db.session.scalars(select(OutboxMessage)).all()
    return message


def test_the_confirmation_mail_arrives_complete_with_the_message_id_it_was_queued_with(app_factory, mail_server):
    app, slug = _sign(app_factory, mail_server)
    with app.app_context():
        queued_id = _only_message().message_id
        assert deliver_due().sent == 1
        message = _only_message()
        assert message.status is OutboxStatus.SENT and message.draft is None and message.raw
    (received,) = mail_server.received
    mail = received.message
    assert received.recipients == ["Guel.Lukasz+brief@example.org"]
    assert mail["Message-ID"] == queued_id and mail["Auto-Submitted"] == "auto-generated"
    assert mail["From"].addresses[0].addr_spec == "kampagne@example.org"
    assert mail["To"].addresses[0].display_name == "Łukasz"
    assert "Bitte bestätigen" in mail["Subject"] and mail["Date"]
    links = links_in(mail.get_body(preferencelist=("plain",)).get_content())
    assert f"/c/{slug}/confirm/" in links["confirm"] and f"/c/{slug}/withdraw/" in links["withdraw"]
    assert received.raw.replace(b"\r\n", b"\n").strip() == message.raw.replace(b"\r\n", b"\n").strip()


def test_a_retry_sends_the_bytes_built_at_the_first_attempt(app_factory, mail_server):
    app, _slug = _sign(app_factory, mail_server)
    mail_server.handler.refuse_data = "451 Bitte später noch einmal"
    with app.app_context():
        assert deliver_due().failed == 1
        first = _only_message().raw
        message = _only_message()
        message.next_attempt_at = message.created_at
        db.session.commit()
        mail_server.handler.refuse_data = ""
        assert deliver_due().sent == 1
    (received,) = mail_server.received
    assert first and received.raw.replace(b"\r\n", b"\n").strip() == first.replace(b"\r\n", b"\n").strip()


def test_a_queued_draft_whose_sender_became_invalid_is_given_up_with_a_reason(app_factory, mail_server):
    app, _slug = _sign(app_factory, mail_server)
    with app.app_context():
        message = _only_message()
        # The sender is stored with the draft: an installation that broke it later shows why the mail was not sent.
        message.draft = {**message.draft, "from_address": "kampagne@localhost"}
        db.session.commit()
        report = deliver_due()
        message = _only_message()
        assert report.sent == 0 and message.status is OutboxStatus.DEAD and message.raw is None
        assert "Ungültige Absender- oder Empfängeradresse" in message.last_error
    assert mail_server.received == []


def test_signing_is_refused_with_a_message_while_the_sender_setting_is_invalid(app_factory, mail_server):
    app = app_factory(JOBS_URL="memory://", MAIL_FROM="Kampagne <kampagne@localhost>", MAIL_URL=mail_server.url)
    with app.app_context():
        slug = make_open_letter(db.session).slug
        db.session.commit()
    response = app.test_client().post(f"/c/{slug}/sign", data=form_data())
    assert response.status_code == 400
    assert "Ungültige Absender- oder Empfängeradresse" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []
