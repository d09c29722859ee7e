"""The outbox against a real SMTP server: each message once, retries with backoff, nothing lost."""

from __future__ import annotations

import smtplib
from datetime import timedelta

from sqlalchemy import func, select

from campaign.db import db, utcnow
from campaign.jobs.outbox import deliver_due
from campaign.models import OutboxMessage, OutboxStatus, StateChange
from campaign.services.sending.messages import OutgoingMail
from campaign.services.sending.outbox import counts_by_status, queue_mail, release_expired_claims
from tests.support.transactions import watching_transactions


def _queue(count: int, to: str = "person{n}@example.org", **values) -> list[int]:
    ids = []
    for n in range(count):
        mail = OutgoingMail(
            to_address=to.format(n=n),
            subject=f"Brief {n}",
            text=f"Hallo {n}",
            from_address="kampagne@example.org",
            from_name="Initiative Ğüłé",
            **values,
        )
        ids.append(queue_mail(db.session, mail, kind="test").id)
    db.session.commit()
    return ids


def test_a_batch_arrives_once_each_with_its_stored_message_id(smtp_app, mail_server):
    ids = _queue(5)
    report = deliver_due()
    assert report.sent == 5
    stored = {m.to_address: m.message_id for m in db.session.scalars(select(OutboxMessage))}
    arrived = {item.recipients[0]: item.message["Message-ID"] for item in mail_server.received}
    assert arrived == stored
    assert [m.envelope_from for m in mail_server.received] == ["kampagne@example.org"] * 5
    assert deliver_due().sent == 0  # nothing is sent twice
    assert len(mail_server.received) == 5
    assert counts_by_status(db.session)[OutboxStatus.SENT] == 5
    assert db.session.scalar(select(func.count()).where(StateChange.object_id.in_(ids))) == 10


def test_a_name_with_line_breaks_cannot_inject_headers(smtp_app, mail_server):
    mail = OutgoingMail(
        to_address="ziel@example.org",
        to_name="Eve\r\nBcc: opfer@example.org",
        subject="Hallo\r\nBcc: opfer@example.org",
        text="Text",
        from_address="kampagne@example.org",
        from_name="Ayşe\nX-Evil: 1",
    )
    queue_mail(db.session, mail, kind="test")
    db.session.commit()
    deliver_due()
    [item] = mail_server.received
    assert item.recipients == ["ziel@example.org"]
    message = item.message
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert message["From"].addresses[0].display_name == "Ayşe X-Evil: 1"
    assert message["Subject"] == "Hallo Bcc: opfer@example.org"


def test_a_temporary_refusal_is_retried_later_and_finally_given_up(smtp_app, mail_server):
    mail_server.handler.refuse_rcpt["voll@example.org"] = "451 4.2.2 Mailbox full"
    [message_id] = _queue(1, to="voll@example.org")
    deliver_due()
    message = db.session.get(OutboxMessage, message_id)
    assert message.status is OutboxStatus.FAILED and "451" in message.last_error
    assert message.next_attempt_at > utcnow() + timedelta(seconds=30)
    for _ in range(10):
        message.next_attempt_at = utcnow()
        db.session.commit()
        deliver_due()
        db.session.refresh(message)
    assert message.status is OutboxStatus.DEAD and message.attempts == 8
    assert mail_server.received == []


def test_a_permanent_refusal_at_rcpt_is_not_retried(smtp_app, mail_server):
    mail_server.handler.refuse_rcpt["weg@example.org"] = "550 5.1.1 User unknown"
    [message_id] = _queue(1, to="weg@example.org")
    report = deliver_due()
    message = db.session.get(OutboxMessage, message_id)
    assert (report.dead, message.status, message.attempts) == (1, OutboxStatus.DEAD, 1)
    assert "550" in message.last_error


def test_a_server_that_is_down_loses_nothing(smtp_app, mail_server):
    ids = _queue(3)
    mail_server.stop()
    report = deliver_due()
    assert report.failed == 3 and report.sent == 0
    assert "nicht erreichbar" in report.errors[0]
    mail_server.start()
    db.session.execute(OutboxMessage.__table__.update().values(next_attempt_at=utcnow()))
    db.session.commit()
    assert deliver_due().sent == 3
    assert sorted(m.recipients[0] for m in mail_server.received) == [f"person{n}@example.org" for n in range(3)]
    assert {db.session.get(OutboxMessage, i).status for i in ids} == {OutboxStatus.SENT}


def test_a_claim_whose_worker_died_is_handed_back_after_its_lease(smtp_app, mail_server):
    [message_id] = _queue(1)
    message = db.session.get(OutboxMessage, message_id)
    message.status = OutboxStatus.SENDING
    message.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert release_expired_claims(db.session) == 1
    db.session.commit()
    assert deliver_due().sent == 1


def test_messages_due_later_wait(smtp_app, mail_server):
    mail = OutgoingMail(to_address="a@example.org", subject="s", text="t", from_address="kampagne@example.org")
    queue_mail(db.session, mail, kind="test", send_after=utcnow() + timedelta(hours=1))
    db.session.commit()
    assert deliver_due().sent == 0 and mail_server.received == []


def test_cli_sends_what_is_due_and_prints_counts(smtp_app, mail_server):
    _queue(2)
    runner = smtp_app.test_cli_runner()
    from campaign.cli import cli

    sent = runner.invoke(cli, ["outbox", "send"])
    assert sent.exit_code == 0, sent.output
    assert "Versendet: 2" in sent.output
    status = runner.invoke(cli, ["outbox", "status"])
    assert "gesendet: 2" in status.output and "wartet: 0" in status.output


def test_cli_send_with_an_unreachable_server_says_so_in_one_line(app_factory):
    app = app_factory(MAIL_URL="smtp://127.0.0.1:9")
    with app.app_context():
        from campaign.cli import cli

        result = app.test_cli_runner().invoke(cli, ["outbox", "send"])
    assert result.exit_code == 1
    assert "nicht erreichbar" in result.output


def test_a_permanent_refusal_marks_the_address_failing(smtp_app, mail_server):
    from campaign.services.common.emails import canonical_email
    from tests.factories import make_recipient

    person = make_recipient(db.session, email="weg@example.org", email_canonical=canonical_email("weg@example.org"))
    db.session.commit()
    mail_server.handler.refuse_rcpt["weg@example.org"] = "550 5.1.1 User unknown"
    _queue(1, to="weg@example.org")
    deliver_due()
    db.session.refresh(person)
    assert person.email_failed_at is not None and "550" in person.email_failure


def test_one_smtp_connection_per_batch(app_factory, mail_server):
    app = app_factory(MAIL_URL=mail_server.url, MAIL_FROM="k@example.org", OUTBOX_BATCH_SIZE=4)
    with app.app_context():
        _queue(10)
        assert deliver_due().sent == 10
    peers = [item.peer for item in mail_server.received]
    assert len(set(peers)) == 3  # batches of 4, 4 and 2
    assert peers[0] == peers[3] != peers[4] == peers[7] != peers[8] == peers[9]


def test_no_transaction_is_open_while_the_mail_server_answers(smtp_app, mail_server, monkeypatch):
    """On SQLite the worker's transactions hold the write lock: one left open while the server is asked (or does
    not answer, up to the timeout) would keep every page from saving meanwhile."""
    _queue(3)
    commands, put = [], smtplib.SMTP.putcmd
    with watching_transactions(db.engine) as transaction_open:

        def noting_the_transaction(client, command, args=""):
            commands.append((command.upper(), transaction_open()))
            return put(client, command, args)

        monkeypatch.setattr(smtplib.SMTP, "putcmd", noting_the_transaction)
        assert deliver_due().sent == 3
    assert [name for name, _open in commands].count("DATA") == 3
    assert [name for name, open_transaction in commands if open_transaction] == []
