"""The mail server goes away (connection refused, or a server that refuses every session): the e-mails stay in the
outbox with their attempts and the wait before the next one, the pages say since when the server is unreachable and
when it is tried next, the error is logged, and once the server is back every e-mail arrives exactly once."""

from __future__ import annotations

import logging
import re
import socket
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from campaign.db import db, utcnow
from campaign.jobs.outbox import deliver_due
from campaign.models import Campaign, LetterStatus, OutboxMessage, OutboxStatus, ServerState
from campaign.services.common.dates import today_in_germany
from campaign.services.sending.lifecycle import approve_letters, generate_letters
from tests.services.sending.helpers import email_campaign, statuses
from tests.support.mailserver import MailServer
from tests.support.tcpproxy import CuttableProxy

LETTERS = 3


@pytest.fixture
def mail_server():
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def proxy(mail_server):
    with CuttableProxy("127.0.0.1", mail_server.port) as through:
        yield through


@pytest.fixture
def app(app_factory, proxy):
    return app_factory(MAIL_URL=f"smtp://127.0.0.1:{proxy.port}", MAIL_FROM="Kampagne <kampagne@example.org>")


@pytest.fixture
def slug(app):
    """A campaign with three e-mail letters, generated and approved (ready for „versenden“)."""
    with app.app_context():
        campaign, _people = email_campaign(LETTERS)
        generate_letters(db.session, campaign, on=today_in_germany())
        approve_letters(db.session, campaign, user=None)
        db.session.commit()
        return campaign.slug


def _outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def _make_due(app) -> None:
    """The wait before the next attempt has passed (as if a worker's next scheduled run came)."""
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()


def _letter_statuses(app, slug: str) -> list[LetterStatus]:
    with app.app_context():
        return statuses(db.session.scalar(select(Campaign).where(Campaign.slug == slug)))


def _status_block(page: str) -> str:
    """The mail server's status on a page (a warning box while it fails, a line otherwise)."""
    found = re.search(r'<(div|p) class="[^"]*server-status[^"]*"[^>]*data-server="smtp".*?</\1>', page, re.S)
    assert found, page[:3000]
    return found[0]


def test_unreachable_mail_server_keeps_mail_queued_shows_status_and_delivers_once_it_is_back(
    app, client, runner, organiser, slug, proxy, mail_server, caplog
):
    sending_page = f"/organise/campaigns/{slug}/sending"
    proxy.cut()
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        # JOBS_URL=immediate: the queue job and the delivery it starts run right after the request's commit.
        assert client.post(f"{sending_page}/queue").status_code == 302
    assert any("Mailserver nicht erreichbar" in record.getMessage() for record in caplog.records)

    first = _outbox(app)
    assert len(first) == LETTERS and mail_server.received == []
    assert {(m.status, m.attempts) for m in first} == {(OutboxStatus.FAILED, 1)}
    assert all(timedelta(seconds=50) < m.next_attempt_at - utcnow() <= timedelta(minutes=1) for m in first)
    assert "nicht erreichbar" in first[0].last_error
    assert _letter_statuses(app, slug) == [LetterStatus.QUEUED] * LETTERS  # nothing lost, nothing given up

    page = client.get(sending_page).get_data(as_text=True)
    block = _status_block(page)
    assert 'data-failing="true"' in block and "Mailserver nicht erreichbar seit" in block
    assert "Nächster Versuch" in block and "3 E-Mails warten im Postausgang" in block
    assert f"127.0.0.1:{proxy.port}" in block  # the error names the server
    assert "Mailserver nicht erreichbar seit" in client.get("/organise/").get_data(as_text=True)
    status = runner.invoke(args=["outbox", "status"]).output
    assert "Mailserver nicht erreichbar seit" in status and "Nächster Versuch" in status

    with app.app_context():
        assert deliver_due().sent == 0  # not due yet: no attempt before the wait is over
        since = db.session.get(ServerState, "smtp").failing_since
    _make_due(app)
    with app.app_context():
        report = deliver_due()
    assert (report.sent, report.failed) == (0, LETTERS)
    second = _outbox(app)
    assert {(m.status, m.attempts) for m in second} == {(OutboxStatus.FAILED, 2)}
    assert all(timedelta(minutes=4) < m.next_attempt_at - utcnow() <= timedelta(minutes=5) for m in second)
    with app.app_context():
        state = db.session.get(ServerState, "smtp")
        assert state.failing_since == since and state.last_failure_at > since  # "since" is the first failure

    proxy.restore()
    _make_due(app)
    with app.app_context():
        assert deliver_due().sent == LETTERS
        assert deliver_due().sent == 0  # a further run sends nothing again
    delivered = Counter(item.message["Message-ID"] for item in mail_server.received)
    assert len(delivered) == LETTERS and set(delivered.values()) == {1}
    assert set(delivered) == {m.message_id for m in first}  # the same messages, not new copies
    assert {m.status for m in _outbox(app)} == {OutboxStatus.SENT}
    assert _letter_statuses(app, slug) == [LetterStatus.SENT] * LETTERS

    page = client.get(sending_page).get_data(as_text=True)
    assert "Mailserver nicht erreichbar" not in page
    assert 'data-failing="false"' in _status_block(page) and "Mailserver erreichbar" in page
    assert "Mailserver nicht erreichbar" not in client.get("/organise/").get_data(as_text=True)
    assert "Mailserver erreichbar (zuletzt" in runner.invoke(args=["outbox", "status"]).output


@pytest.fixture
def refusing_server():
    """A server that answers every connection with „421 … not available“ and hangs up (overloaded, maintenance)."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.sendall(b"421 4.3.2 mail.example.org Wartungsarbeiten, bitte spaeter\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


def test_a_server_refusing_every_session_counts_as_unreachable_until_the_real_one_answers(
    app, client, organiser, slug, mail_server, refusing_server
):
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{refusing_server}"
    client.post(f"/organise/campaigns/{slug}/sending/queue")
    assert {(m.status, m.attempts) for m in _outbox(app)} == {(OutboxStatus.FAILED, 1)}
    block = _status_block(client.get("/organise/").get_data(as_text=True))
    assert "Mailserver nicht erreichbar seit" in block and "Wartungsarbeiten" in block

    app.config["MAIL_URL"] = mail_server.url  # the administrator points MAIL_URL at a working server
    _make_due(app)
    # The sending screen's retry button is for given-up letters; waiting ones go out with the next scheduled run.
    with app.app_context():
        assert deliver_due().sent == LETTERS
    assert sorted(r.recipients[0] for r in mail_server.received) == [f"person{n}@example.org" for n in range(3)]
    assert "Mailserver nicht erreichbar" not in client.get("/organise/").get_data(as_text=True)
