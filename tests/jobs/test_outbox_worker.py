"""Outbox delivery in real processes: through the Huey queue (SQLite and Redis), and a worker killed mid-batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, insert, select

from campaign.db import db, utcnow
from campaign.jobs.outbox import deliver_outbox
from campaign.models import OutboxMessage, OutboxStatus
from campaign.services.sending.messages import OutgoingMail, build_message, new_message_id
from campaign.services.sending.outbox import queue_mail
from tests.jobs.conftest import wait_for
from tests.support.mailserver import MailServer


def _queue(app: Flask, count: int) -> None:
    """`count` messages in the outbox, written in one go (as many letters queued at once would be)."""
    with app.app_context():
        now = utcnow()
        rows = []
        for n in range(count):
            mail = OutgoingMail(
                to_address=f"person{n}@example.org",
                subject=f"Brief {n}",
                text=f"Text {n}",
                from_address="k@example.org",
            )
            message_id = new_message_id("example.org")
            rows.append(
                {
                    "kind": "test",
                    "message_id": message_id,
                    "to_address": mail.to_address,
                    "subject": mail.subject,
                    "raw": build_message(mail, message_id),
                    "status": OutboxStatus.PENDING,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "last_error": "",
                    "held": False,
                    "created_at": now,
                }
            )
        db.session.execute(insert(OutboxMessage), rows)
        db.session.commit()


def _sent(app: Flask) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.SENT))
        db.session.remove()
        return count


def test_the_delivery_task_runs_on_a_worker_of_either_backend(queue_app, start_worker, tmp_path):
    server = MailServer().start()
    try:
        with queue_app.app_context():
            for n in range(3):
                mail = OutgoingMail(to_address=f"p{n}@example.org", subject="s", text="t", from_address="k@example.org")
                queue_mail(db.session, mail, kind="test")
            db.session.commit()
            deliver_outbox()  # into the queue (SQLite file or Redis); nothing runs here
        assert server.received == []
        worker = start_worker(MAIL_URL=server.url)
        wait_for(lambda: len(server.received) == 3, worker, "three messages delivered", seconds=60)
        assert worker.stop() == 0
        assert "Mailversand über smtp://127.0.0.1" in worker.output()
        assert sorted(item.recipients[0] for item in server.received) == [
            "p0@example.org",
            "p1@example.org",
            "p2@example.org",
        ]
    finally:
        server.stop()


@pytest.mark.parametrize("jobs_url", ["sqlite"], indirect=True)  # the check is the same on either backend
def test_a_worker_reports_an_unreachable_mail_server_at_start_and_keeps_running(queue_app, start_worker):
    worker = start_worker(MAIL_URL="smtp://127.0.0.1:9")
    wait_for(lambda: "Job-Worker läuft" in worker.output(), worker, "worker started")
    assert "Warnung: Mailserver 127.0.0.1:9 ist nicht erreichbar" in worker.output()
    assert worker.stop() == 0


@pytest.mark.parametrize("jobs_url", ["sqlite"], indirect=True)
def test_a_wrong_mail_url_stops_the_worker_with_one_line(queue_app, start_worker):
    worker = start_worker(MAIL_URL="ftp://example.org")
    assert worker.process.wait(timeout=60) == 1
    assert "MAIL_URL „ftp://example.org“ wird nicht unterstützt" in worker.output()


def _delivery(app: Flask, migrated_database: str, mail_url: str, log: Path) -> subprocess.Popen:
    """`campaign outbox send` in its own process, with small batches and a short lease."""
    environment = {
        **os.environ,
        "INSTANCE_PATH": app.instance_path,
        "DATABASE_URL": migrated_database,
        "JOBS_URL": "immediate",
        "SECRET_KEY": "test-secret-key",
        "MAIL_URL": mail_url,
        "MAIL_FROM": "k@example.org",
        "OUTBOX_BATCH_SIZE": "50",
        "OUTBOX_LEASE_SECONDS": "1",
    }
    with log.open("ab") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "campaign", "outbox", "send"],
            env=environment,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )


MESSAGES = 200


def test_crash_a_delivery_worker_killed_mid_batch_loses_nothing(app_factory, migrated_database, tmp_path):
    """200 queued; the delivering process is SIGKILLed twice mid-batch; new ones finish: all arrive, few twice."""
    app = app_factory()
    server = MailServer().start()
    log = tmp_path / "delivery.log"
    kills = 0
    try:
        _queue(app, MESSAGES)
        for kill_at in (50, 110):
            process = _delivery(app, migrated_database, server.url, log)
            deadline = time.monotonic() + 60
            while len(server.received) < kill_at and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.005)
            assert process.poll() is None, log.read_text()
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            kills += 1
            assert _sent(app) < MESSAGES
            time.sleep(1.2)  # the dead worker's lease runs out
        last = _delivery(app, migrated_database, server.url, log)
        assert last.wait(timeout=120) == 0, log.read_text()
        assert _sent(app) == MESSAGES
        arrived = Counter(item.message["Message-ID"] for item in server.received)
        with app.app_context():
            stored = set(db.session.scalars(select(OutboxMessage.message_id)))
        assert set(arrived) == stored
        duplicates = sum(count - 1 for count in arrived.values())
        assert duplicates <= kills
    finally:
        server.stop()
