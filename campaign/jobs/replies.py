"""Fetching replies from the IMAP mailbox: one commit per message, then the message is flagged or moved.

The scheduled poll runs on every worker every minute and fetches when IMAP_POLL_INTERVAL has passed since the
last poll; a lease on the mailbox's state row keeps two workers from fetching at once. A worker killed between
the commit and the flag leaves that message unflagged, but its UID is remembered, so it is not imported again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from huey import crontab

from campaign.db import db, utcnow
from campaign.jobs import huey
from campaign.services.common.errors import ServiceError
from campaign.services.common.servers import IMAP, record_reached, record_unreachable
from campaign.services.replies.imap import (
    AFTER_IMPORT,
    ImapError,
    ImapMailbox,
    claim_mailbox,
    imap_settings,
    release_mailbox,
)
from campaign.services.replies.ingest import ImportReport, import_message

# How long one fetch run may hold the mailbox before another worker may take over.
LEASE = timedelta(minutes=15)


@dataclass
class FetchReport(ImportReport):
    mailbox: str = ""
    busy: bool = False
    skipped: bool = False


def fetch_replies(*, force: bool = True) -> FetchReport:
    """Import the mailbox's new messages (IMAP_BATCH_SIZE at most); `force=False` waits for IMAP_POLL_INTERVAL."""
    config = current_app.config
    settings = imap_settings(config.get("IMAP_URL") or "")
    how = config["IMAP_AFTER_IMPORT"]
    if how not in AFTER_IMPORT:
        raise ServiceError(f"IMAP_AFTER_IMPORT muss {', '.join(AFTER_IMPORT)} sein, nicht „{how}“.")
    report = FetchReport(mailbox=settings.mailbox)
    state = claim_mailbox(db.session, settings.mailbox, lease=LEASE)
    # Read before the commit: reading the state after it would open a transaction (on SQLite: take the write lock)
    # that stays open while the mail server answers.
    last_polled_at, uid_validity, last_uid = (
        (state.last_polled_at, state.uid_validity, state.last_uid) if state else (None, None, 0)
    )
    db.session.commit()
    if state is None:
        report.busy = True
        return report
    interval = timedelta(seconds=int(config["IMAP_POLL_INTERVAL"]))
    if not force and last_polled_at is not None and utcnow() - last_polled_at < interval:
        release_mailbox(db.session, state, error=state.last_error, polled=False)
        db.session.commit()
        report.skipped = True
        return report
    error = ""
    try:
        with ImapMailbox(settings) as mailbox:
            if mailbox.uid_validity != uid_validity:  # the server renumbered the folder: read it again
                state.uid_validity, state.last_uid = mailbox.uid_validity, 0
                last_uid = 0
            for uid in mailbox.new_uids(last_uid, max(1, int(config["IMAP_BATCH_SIZE"]))):
                _import_one(mailbox, uid, report)
                state.last_uid = uid
                db.session.commit()
                mailbox.mark_imported(uid, how, config["IMAP_MOVE_TO"])
    except (ImapError, ServiceError) as exc:
        db.session.rollback()
        error = str(exc)
        report.errors.append(error)
    # The pages show the last successful fetch, or since when the mailbox fails; the next poll tries again.
    if error:
        record_unreachable(db.session, IMAP, settings.mailbox, error)
    else:
        record_reached(db.session, IMAP, settings.mailbox)
    release_mailbox(db.session, state, error=error)
    db.session.commit()
    return report


def _import_one(mailbox: ImapMailbox, uid: int, report: FetchReport) -> None:
    raw = mailbox.fetch(uid)
    try:
        report.count(import_message(db.session, raw, source="imap"))
    except ServiceError as exc:  # an unreadable message is reported and skipped; the next ones still come
        report.errors.append(f"UID {uid}: {exc}")


@huey.app_periodic_task(crontab(minute="*"))
def poll_replies_mailbox() -> None:
    """The scheduled poll (only when IMAP_URL is set)."""
    if not current_app.config.get("IMAP_URL"):
        return
    try:
        report = fetch_replies(force=False)
    except ServiceError as exc:  # a wrong setting: said once a minute in the worker's log, until it is fixed
        current_app.logger.warning("Antworten abrufen: %s", exc)
        return
    for error in report.errors:
        current_app.logger.warning("Antworten abrufen: %s", error)
