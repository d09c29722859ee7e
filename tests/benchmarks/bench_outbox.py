"""Outbox benchmark: 2,000 messages to a loopback aiosmtpd server, batched against one connection each; prints JSON.

Both runs use the real delivery (`deliver_due`, as `campaign outbox send` and the worker do), each on its own fresh
SQLite database: the batched run with the default batch of 100 messages per SMTP connection, the naive run with a
batch of one, so that every message opens, greets and closes its own connection. Each message is committed as
sent on its own in both runs (that is what keeps a crash from losing or repeating more than one message).
"lost" counts stored messages the server never received, "duplicates" those it received more than once.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

MESSAGES = 2_000


def _app(folder: Path, mail_url: str, batch_size: int):
    from campaign import create_app

    return create_app(
        {
            "INSTANCE_PATH": str(folder / "instance"),
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "JOBS_URL": "immediate",
            "SECRET_KEY": "bench",
            "MAIL_URL": mail_url,
            "MAIL_FROM": "Initiative <kampagne@example.org>",
            "OUTBOX_BATCH_SIZE": batch_size,
        }
    )


def _queue(app) -> set[str]:
    """MESSAGES letters' mails in the outbox, with text, HTML and a non-ASCII sender name; their Message-IDs."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from campaign.db import db
    from campaign.models import OutboxMessage
    from campaign.services.sending.messages import OutgoingMail
    from campaign.services.sending.outbox import queue_mail

    with app.app_context():
        upgrade()
        for n in range(MESSAGES):
            mail = OutgoingMail(
                to_address=f"person{n}@example.org",
                to_name=f"Ayşe Łukasiewicz {n}",
                subject=f"Ihr Leitantrag [NRW-2026-{n:04d}]",
                text="Sehr geehrte Frau Łukasiewicz,\n\nwir schreiben Ihnen wegen des Leitantrags.\n" * 20,
                html="<p>Sehr geehrte Frau Łukasiewicz,</p><p>wir schreiben Ihnen wegen des Leitantrags.</p>" * 20,
                from_address="kampagne@example.org",
                from_name="Initiative für Geflüchtete NRW e. V.",
            )
            queue_mail(db.session, mail, kind="bench")
        db.session.commit()
        ids = set(db.session.scalars(select(OutboxMessage.message_id)))
        db.session.remove()
        return ids


def _run(batch_size: int) -> dict[str, float | int]:
    """Queue MESSAGES in a fresh database, deliver them all, and count what the server saw."""
    from campaign.jobs.outbox import deliver_due
    from tests.support.mailserver import MailServer

    server = MailServer().start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            app = _app(Path(folder), server.url, batch_size)
            stored = _queue(app)
            with app.app_context():
                started = time.perf_counter()
                report = deliver_due()
                elapsed = time.perf_counter() - started
            arrived = Counter(item.message["Message-ID"] for item in server.received)
    finally:
        server.stop()
    return {
        "per_s": report.sent / elapsed,
        "lost": len(stored - set(arrived)),
        "duplicates": sum(count - 1 for count in arrived.values()),
    }


def main() -> None:
    batched = _run(batch_size=100)
    naive = _run(batch_size=1)
    print(
        json.dumps(
            {
                "bench": "outbox",
                "messages": MESSAGES,
                "batched_per_s": round(batched["per_s"], 1),
                "naive_per_s": round(naive["per_s"], 1),
                "ratio": round(batched["per_s"] / naive["per_s"], 2),
                "lost": batched["lost"] + naive["lost"],
                "duplicates": batched["duplicates"] + naive["duplicates"],
                "cores": os.cpu_count(),
            }
        )
    )


if __name__ == "__main__":
    main()
