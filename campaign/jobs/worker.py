"""A job worker process: its heartbeat row, the sweep at start, the Huey consumer, and a clean sign-off."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from campaign.db import db, writing_transactions
from campaign.jobs import huey
from campaign.jobs.queue import sweep
from campaign.services.common.workers import beat, sign_off

# Seconds. A consumer on SQLite polls its queue, waiting 15 % longer after each empty look, by default up to 10 s:
# a job started after a quiet spell would then wait up to 10 s before its first step. One look per second per
# thread costs SQLite nothing. (On Redis the consumer blocks on the queue and starts a job at once anyway.)
IDLE_POLL_MAX_DELAY = 1.0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Heartbeat(threading.Thread):
    """Writes the worker's heartbeat every JOBS_HEARTBEAT_INTERVAL seconds, in its own app context, until stopped."""

    def __init__(self, app: Flask, name: str) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.app, self.worker = app, name
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.app.config["JOBS_HEARTBEAT_INTERVAL"]):
            with self.app.app_context():
                try:
                    beat(db.session, self.worker)
                    db.session.commit()
                except SQLAlchemyError:
                    # The database may be back at the next beat; until then the worker only looks silent.
                    self.app.logger.exception("Lebenszeichen des Job-Workers %s nicht gespeichert", self.worker)
                    db.session.rollback()


def run_worker(threads: int, ready: Callable[[], None] = lambda: None) -> None:
    """Sign on, sweep lost jobs into the queue, call `ready`, consume until Ctrl-C or SIGTERM, then sign off."""
    app = current_app._get_current_object()
    name = worker_name()
    with writing_transactions():
        beat(db.session, name)
        db.session.commit()
        sweep()  # jobs of a killed worker, and jobs that never reached the queue, are queued again
    db.session.remove()
    heartbeat = Heartbeat(app, name)
    heartbeat.start()
    try:
        ready()
        huey.create_consumer(workers=threads, worker_type="thread", max_delay=IDLE_POLL_MAX_DELAY).run()
    except KeyboardInterrupt:
        # Ctrl-C before the consumer has taken over the signals (it was pressed as "läuft" appeared): the same
        # clean stop as later, not click's "Aborted!" with exit status 1.
        pass
    finally:
        heartbeat.stopped.set()
        heartbeat.join(timeout=10)
        sign_off(db.session, name)
        db.session.commit()
