"""Fetching replies from a real IMAP server (Dovecot on loopback): every mail once, flagged or moved afterwards."""

from __future__ import annotations

import imaplib
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from campaign.db import db
from campaign.jobs.replies import fetch_replies
from campaign.models import MailboxState, Reply
from campaign.services.common.errors import ServiceError
from campaign.services.replies.imap import imap_settings
from campaign.services.replies.mail import parse_mail
from tests.conftest import require_service
from tests.factories_replies import EXPECTED, MAIL_FROM, REPLY_ADDRESS, code, make_reply_campaign, read_mail
from tests.support import imapserver
from tests.support.imapserver import PASSWORD, USER, ImapServer
from tests.support.transactions import watching_transactions

ALL_MAILS = [*sorted(EXPECTED), "gmail_en_duplicate.eml"]


@pytest.fixture(scope="module")
def dovecot() -> Iterator[ImapServer]:
    """One Dovecot for the module: stopping one takes a second, more than most tests here."""
    require_service(imapserver.available(), "Dovecot")
    with ImapServer() as server:
        yield server


@pytest.fixture
def imap_server(dovecot: ImapServer) -> Iterator[ImapServer]:
    """The module's Dovecot, with an empty mailbox for each test."""
    yield dovecot
    dovecot.empty()


@pytest.fixture
def lone_imap_server() -> Iterator[ImapServer]:
    """A Dovecot of its own, for a refused login: Dovecot then slows down every later login from the address."""
    require_service(imapserver.available(), "Dovecot")
    with ImapServer() as server:
        yield server


def _app(app_factory, url: str, **settings):
    app = app_factory(REPLY_ADDRESS=REPLY_ADDRESS, MAIL_FROM=MAIL_FROM, IMAP_URL=url, **settings)
    with app.app_context():
        make_reply_campaign(db.session)
        db.session.commit()
    return app


def _folder(server: ImapServer, folder: str) -> list[bytes]:
    """The flags of every message in `folder`, as the server reports them."""
    with imaplib.IMAP4("127.0.0.1", server.port) as client:
        client.login(USER, PASSWORD)
        _status, count = client.select(f'"{folder}"', readonly=True)
        data = client.fetch("1:*", "(FLAGS)")[1] if int(count[0]) else []
        client.logout()
    return [item for item in data if item]


def test_fetch_imports_every_mail_once_matched_and_flags_it(app_factory, imap_server):
    app = _app(app_factory, imap_server.url)
    for name in ALL_MAILS:
        imap_server.append(read_mail(name))
    with app.app_context():
        report = fetch_replies()
        assert report.errors == [] and report.imported == len(EXPECTED) and report.duplicates == 1
        for name, expected in EXPECTED.items():
            reply = db.session.scalar(select(Reply).where(Reply.message_id == parse_mail(read_mail(name)).message_id))
            assert reply.kind is expected.kind and reply.source == "imap", name
            assert (reply.letter.reference_code if reply.letter else None) == (
                code(expected.letter) if expected.letter else None
            ), name
        again = fetch_replies()
        assert (again.imported, again.duplicates, again.errors) == (0, 0, [])
        state = db.session.scalar(select(MailboxState))
        assert state.last_uid == len(ALL_MAILS) and state.leased_until is None and state.last_error == ""
    flags = _folder(imap_server, "INBOX")
    assert len(flags) == len(ALL_MAILS) and all(b"\\Seen" in item and b"$Imported" in item for item in flags)


def test_new_mail_after_a_fetch_is_fetched_next_time(app_factory, imap_server):
    app = _app(app_factory, imap_server.url)
    imap_server.append(read_mail("outlook_de.eml"))
    with app.app_context():
        assert fetch_replies().imported == 1
        imap_server.append(read_mail("gmail_en.eml"))
        assert fetch_replies().imported == 1
        assert db.session.scalar(select(func.count(Reply.id))) == 2


def test_messages_can_be_moved_to_a_folder_after_import(app_factory, imap_server):
    app = _app(app_factory, imap_server.url, IMAP_AFTER_IMPORT="move", IMAP_MOVE_TO="Importiert")
    for name in ("outlook_de.eml", "bounce_dsn.eml"):
        imap_server.append(read_mail(name))
    with app.app_context():
        assert fetch_replies().imported == 2
    assert _folder(imap_server, "INBOX") == [] and len(_folder(imap_server, "Importiert")) == 2


def test_the_scheduled_poll_waits_for_the_interval(app_factory, imap_server):
    app = _app(app_factory, imap_server.url, IMAP_POLL_INTERVAL=3600)
    with app.app_context():
        assert not fetch_replies(force=False).skipped
        imap_server.append(read_mail("outlook_de.eml"))
        assert fetch_replies(force=False).skipped
        assert fetch_replies(force=True).imported == 1


def _fails_and_is_remembered(app, message: str) -> None:
    with app.app_context():
        report = fetch_replies()
        assert report.imported == 0 and message in report.errors[0]
        assert message in db.session.scalar(select(MailboxState.last_error))


@pytest.mark.parametrize(
    ("url_of", "message"),
    [
        (lambda server: f"imap://{USER}:x@127.0.0.1:1/INBOX", "ist nicht erreichbar"),
        (lambda server: server.url.replace("/INBOX", "/Gibtsnicht"), "Den Ordner „Gibtsnicht“ gibt es"),
    ],
)
def test_a_mailbox_that_fails_is_reported_in_german_and_remembered(app_factory, imap_server, url_of, message):
    _fails_and_is_remembered(_app(app_factory, url_of(imap_server)), message)


def test_a_refused_login_is_reported_in_german_and_remembered(app_factory, lone_imap_server):
    url = lone_imap_server.url.replace(PASSWORD, "falsch")
    _fails_and_is_remembered(_app(app_factory, url), "hat die Anmeldung abgelehnt")


@pytest.mark.parametrize(
    "url", ["https://example.org/INBOX", "imaps://example.org/INBOX", "imaps://u:p@host:99999/INBOX", "imaps://u@h/Ä"]
)
def test_a_malformed_imap_url_is_refused(url):
    with pytest.raises(ServiceError, match="IMAP"):
        imap_settings(url)


def test_imaps_is_tls_on_993_and_imap_plain_on_143():
    secure = imap_settings("imaps://antworten%40example.org:geh%C3%A9im@mail.example.org/INBOX")
    assert (secure.port, secure.implicit_tls, secure.username, secure.password) == (
        993,
        True,
        "antworten@example.org",
        "gehéim",
    )
    plain = imap_settings("imap://a:b@127.0.0.1/Antworten?starttls=1")
    assert (plain.port, plain.implicit_tls, plain.starttls, plain.folder) == (143, False, True, "Antworten")


def test_no_transaction_is_open_while_the_mail_server_answers(app_factory, imap_server, monkeypatch):
    """On SQLite the worker's transactions hold the write lock: one left open while the server is asked (or does
    not answer, up to the timeout) would keep every page from saving meanwhile."""
    app = _app(app_factory, imap_server.url)
    for name in ("outlook_de.eml", "gmail_en.eml"):
        imap_server.append(read_mail(name))
    commands, send = [], imaplib.IMAP4._command
    with app.app_context(), watching_transactions(db.engine) as transaction_open:

        def noting_the_transaction(client, name, *args):
            command = f"{name} {args[0]}" if name == "UID" else name  # UID SEARCH, UID FETCH, UID STORE
            commands.append((command, transaction_open()))
            return send(client, name, *args)

        monkeypatch.setattr(imaplib.IMAP4, "_command", noting_the_transaction)
        assert fetch_replies().imported == 2
    assert {"UID SEARCH", "UID FETCH", "UID STORE"} <= {name for name, _open in commands}
    assert [name for name, open_transaction in commands if open_transaction] == []
