"""Outbox delivery: claim due messages, send each batch over one connection, commit every result at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import current_app
from huey import crontab

from campaign.db import db
from campaign.jobs import huey
from campaign.models import OutboxStatus
from campaign.services.common.servers import SMTP, record_reached, record_unreachable
from campaign.services.sending.messages import parse_mailbox
from campaign.services.sending.outbox import (
    DeliveryPolicy,
    claim_due,
    record_failure,
    record_sent,
    release_expired_claims,
)
from campaign.services.sending.transport import ConnectionFailed, DeliveryError, server_address, transport_for


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    released: int = 0
    errors: list[str] = field(default_factory=list)


def delivery_policy(config: Any) -> DeliveryPolicy:
    return DeliveryPolicy(
        batch_size=max(1, int(config["OUTBOX_BATCH_SIZE"])),
        max_attempts=max(1, int(config["OUTBOX_MAX_ATTEMPTS"])),
        lease=timedelta(seconds=max(1, int(config["OUTBOX_LEASE_SECONDS"]))),
        per_minute=max(0, int(config["MAIL_RATE_PER_MINUTE"])),
    )


def deliver_due(*, max_batches: int | None = None) -> DeliveryReport:
    """Send everything that is due now, batch by batch, within the rate limit; return what happened.

    The rate limit (MAIL_RATE_PER_MINUTE) is a budget: no claim takes more than what is left of it over the
    last 60 seconds, counted across all workers; the rest waits for the next run (every minute).

    Every claim and every result is committed on its own, so a worker killed at any point loses nothing:
    a message the server accepted but that was not yet marked sent is sent once more after the lease.
    """
    config = current_app.config
    policy = delivery_policy(config)
    envelope_from = parse_mailbox(config["MAIL_FROM"])[1]
    report = DeliveryReport(released=release_expired_claims(db.session))
    db.session.commit()
    batches = 0
    session = db.session()
    # Claimed messages are this worker's (its claim holds them), so what it holds in memory stays true after each
    # commit. Not expiring them saves reloading every message (and its MIME bytes) once per commit, and no reload
    # opens a transaction (on SQLite: takes the write lock) that would stay open while the mail server answers.
    session.expire_on_commit = False
    try:
        while max_batches is None or batches < max_batches:
            batch = claim_due(db.session, policy)
            db.session.commit()
            if not batch:
                break
            batches += 1
            _send_batch(batch, config["MAIL_URL"], envelope_from, policy, report)
    finally:
        session.expire_on_commit = True
    return report


def _send_batch(batch: list, mail_url: str, envelope_from: str, policy: DeliveryPolicy, report: DeliveryReport) -> None:
    """One connection for the batch; messages left unsent when the connection fails are retried later."""
    _send_each(list(batch), mail_url, envelope_from, policy, report)


def _send_each(
    pending: list, mail_url: str, envelope_from: str, policy: DeliveryPolicy, report: DeliveryReport
) -> None:
    address = server_address(mail_url)
    try:
        with transport_for(mail_url) as transport:
            reached = False
            while pending:
                message = pending[0]
                # Nothing is written before the server has answered: a transaction (on SQLite, the write lock)
                # opened now would stay open while the server takes its time.
                try:
                    transport.send(envelope_from, message.to_address, message.raw)
                except DeliveryError as exc:
                    _count(report, record_failure(db.session, message, exc, policy), str(exc))
                else:
                    record_sent(db.session, message)
                    report.sent += 1
                if not reached:  # with the first answer, in its transaction: the status pages say it answers again
                    record_reached(db.session, SMTP, address)
                    reached = True
                # One commit per message: a worker killed now repeats at most the message in flight.
                db.session.commit()
                pending.pop(0)
    except ConnectionFailed as exc:
        # Nothing is lost: each message waits for its next attempt (record_failure's backoff), and the pages say
        # since when the server has been unreachable.
        current_app.logger.warning("Mailserver nicht erreichbar, %s E-Mails warten: %s", len(pending), exc)
        record_unreachable(db.session, SMTP, address, str(exc))
        for message in pending:
            error = DeliveryError(str(exc), permanent=False)
            _count(report, record_failure(db.session, message, error, policy), str(exc))
        db.session.commit()


def _count(report: DeliveryReport, status: OutboxStatus, error: str) -> None:
    if status is OutboxStatus.DEAD:
        report.dead += 1
    else:
        report.failed += 1
    if error not in report.errors:
        report.errors.append(error)


@huey.app_task()
def deliver_outbox() -> None:
    """A delivery run started right after mail was queued (after the commit that queued it)."""
    deliver_due()


@huey.app_periodic_task(crontab(minute="*"))
def deliver_outbox_every_minute() -> None:
    """The scheduled delivery run: retries, scheduled mail, and whatever a stopped process left behind."""
    deliver_due()
