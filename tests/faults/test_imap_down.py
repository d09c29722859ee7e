"""The replies mailbox goes away: `campaign replies fetch` fails with a German reason, the scheduled poll logs the
error and tries again at its next run, the inbox and track pages show since when the mailbox fails and when it was
last fetched; once it is back, the mail that arrived meanwhile is imported, each message once."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from campaign.db import db
from campaign.jobs.replies import poll_replies_mailbox
from campaign.models import MailboxState, Reply, Role, ServerState
from tests.conftest import require_service
from tests.factories_replies import MAIL_FROM, REPLY_ADDRESS, make_reply_campaign, read_mail
from tests.support import imapserver
from tests.support.imapserver import PASSWORD, USER, ImapServer
from tests.support.tcpproxy import CuttableProxy


@pytest.fixture
def imap_server() -> Iterator[ImapServer]:
    require_service(imapserver.available(), "Dovecot")
    with ImapServer() as server:
        yield server


@pytest.fixture
def proxy(imap_server) -> Iterator[CuttableProxy]:
    with CuttableProxy("127.0.0.1", imap_server.port) as through:
        yield through


@pytest.fixture
def app(app_factory, proxy):
    app = app_factory(
        REPLY_ADDRESS=REPLY_ADDRESS,
        MAIL_FROM=MAIL_FROM,
        IMAP_URL=f"imap://{USER}:{PASSWORD}@127.0.0.1:{proxy.port}/INBOX",
        IMAP_POLL_INTERVAL=300,
    )
    with app.app_context():
        make_reply_campaign(db.session)
        db.session.commit()
    return app


def _replies(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Reply.id)))


def _poll_due(app) -> None:
    """IMAP_POLL_INTERVAL has passed since the last poll (as at the scheduled run five minutes later)."""
    earlier = timedelta(minutes=6)
    with app.app_context():
        mailbox, state = db.session.scalars(select(MailboxState)).one(), db.session.get(ServerState, "imap")
        mailbox.last_polled_at -= earlier
        for moment in ("last_success_at", "last_failure_at"):
            if getattr(state, moment):
                setattr(state, moment, getattr(state, moment) - earlier)
        db.session.commit()


def _notice(page: str) -> str:
    found = re.search(r'<(div|p) class="[^"]*server-status[^"]*"[^>]*data-server="imap".*?</\1>', page, re.S)
    assert found, page[:3000]
    return found[0]


def test_mailbox_down_is_retried_shown_and_logged_and_nothing_is_imported_twice(
    app, client, login, runner, imap_server, proxy, caplog
):
    login(Role.COORDINATOR)
    imap_server.append(read_mail("outlook_de.eml"))
    fetched = runner.invoke(args=["replies", "fetch"])
    assert fetched.exit_code == 0, fetched.output
    assert _replies(app) == 1
    fine = _notice(client.get("/track/inbox").get_data(as_text=True))
    assert 'data-failing="false"' in fine and "letzter erfolgreicher Abruf" in fine and "Nächster Abruf" in fine

    proxy.cut()
    imap_server.append(read_mail("gmail_en.eml"))  # mail keeps arriving at the server itself
    imap_server.append(read_mail("thunderbird_de.eml"))
    failed = runner.invoke(args=["replies", "fetch"])
    assert failed.exit_code == 1 and f"Das Postfach 127.0.0.1:{proxy.port} ist nicht erreichbar" in failed.output
    _poll_due(app)
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        poll_replies_mailbox()  # the workers' scheduled poll: the error goes to the log
    assert any("nicht erreichbar" in record.getMessage() for record in caplog.records)
    assert _replies(app) == 1

    for page in ("/track/inbox", "/track/"):
        notice = _notice(client.get(page).get_data(as_text=True))
        assert 'data-failing="true"' in notice, page
        assert "Das Postfach für Antworten ist nicht erreichbar seit" in notice
        assert "Letzter erfolgreicher Abruf" in notice and "Nächster Versuch" in notice
        assert f"127.0.0.1:{proxy.port} ist nicht erreichbar" in notice
    with app.app_context():
        state = db.session.get(ServerState, "imap")
        assert state.failing_since is not None and state.last_success_at < state.failing_since

    proxy.restore()
    with app.app_context():
        poll_replies_mailbox()  # within the interval after the failed poll: it waits, nothing changes
    assert _replies(app) == 1
    _poll_due(app)
    with app.app_context():
        poll_replies_mailbox()
    assert _replies(app) == 3
    imap_server.append(read_mail("gmail_en_duplicate.eml"))  # the same Message-ID once more
    assert runner.invoke(args=["replies", "fetch"]).exit_code == 0
    assert _replies(app) == 3
    with app.app_context():
        per_message = db.session.execute(select(Reply.message_id, func.count()).group_by(Reply.message_id)).all()
    assert all(count == 1 for _message_id, count in per_message)

    for page in ("/track/inbox", "/track/"):
        notice = _notice(client.get(page).get_data(as_text=True))
        assert 'data-failing="false"' in notice and "nicht erreichbar" not in notice, page


def test_without_imap_url_the_pages_say_nothing_about_a_mailbox(app_factory, client, login):
    login(Role.COORDINATOR)
    for page in ("/track/inbox", "/track/"):
        assert 'data-server="imap"' not in client.get(page).get_data(as_text=True)
