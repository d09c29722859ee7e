"""Real workers on Huey (SQLite storage and Redis): lost jobs reach the queue again, a killed worker's job is redone."""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.db import db, utcnow
from campaign.jobs.letters import KIND
from campaign.jobs.queue import enqueue_job, pending_job_ids, sweep
from campaign.jobs.worker import run_worker
from campaign.models import Job, JobStatus, StateChange, WorkerHeartbeat
from campaign.services.common.jobs import create_job
from campaign.services.common.workers import worker_status
from tests.factories_letters import make_letter_campaign
from tests.jobs.conftest import wait_for


def _new_job(app: Flask, recipients: int) -> int:
    """A letters job for a campaign with `recipients` targets, committed but not enqueued."""
    with app.app_context():
        campaign, _version, _people = make_letter_campaign(db.session, recipients=recipients)
        job = create_job(db.session, KIND, campaign=campaign, params={"format": "zip"})
        db.session.commit()
        return job.id


def _job(app: Flask, job_id: int) -> Job:
    """The job as the database has it now (detached, fully loaded)."""
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def _log(app: Flask, job_id: int) -> list[tuple[str, str, str]]:
    with app.app_context():
        changes = db.session.scalars(
            select(StateChange)
            .where(StateChange.object_type == "Job", StateChange.object_id == job_id)
            .order_by(StateChange.id)
        )
        return [(change.from_status, change.to_status, change.note) for change in changes]


def _workers(app: Flask, **later: float) -> list[str]:
    """The names of the live workers (now, or `seconds` later)."""
    with app.app_context():
        status = worker_status(db.session, now=utcnow() + timedelta(**later))
        return [worker.name for worker in status.workers]


def _last_beat(app: Flask):
    with app.app_context():
        return db.session.scalar(select(WorkerHeartbeat.seen_at))


def test_a_task_waiting_in_the_queue_is_not_enqueued_twice_but_a_lost_one_is(queue_app):
    job_id = _new_job(queue_app, recipients=1)
    with queue_app.app_context():
        enqueue_job(job_id)
        assert pending_job_ids() == {job_id}
        db.session.get(Job, job_id).created_at -= timedelta(hours=1)
        db.session.commit()
        assert sweep().to_enqueue == []  # a worker will come for it
        queue_app.extensions["huey"].flush()  # the storage lost it (a Redis restart without persistence)
        assert sweep().to_enqueue == [job_id]
        assert pending_job_ids() == {job_id}


def test_a_job_that_never_reached_the_queue_runs_when_a_worker_starts(queue_app, start_worker):
    job_id = _new_job(queue_app, recipients=2)  # its creator died between the commit and the enqueue
    worker = start_worker(JOBS_QUEUED_TIMEOUT=0, JOBS_HEARTBEAT_INTERVAL=1)
    wait_for(lambda: _job(queue_app, job_id).status is JobStatus.DONE, worker, "job done")
    assert _job(queue_app, job_id).result["letters"] == 2
    assert [(old, new) for old, new, _ in _log(queue_app, job_id)] == [("queued", "running"), ("running", "done")]

    first_seen = wait_for(lambda: _last_beat(queue_app), worker, "worker signed on")
    wait_for(lambda: _last_beat(queue_app) > first_seen, worker, "the next heartbeat")  # every second here
    assert worker.stop() == 0
    assert _workers(queue_app) == []  # signed off on Ctrl-C
    with queue_app.app_context():
        assert db.session.scalar(select(WorkerHeartbeat)) is None


def test_the_job_of_a_killed_worker_is_done_by_the_next_worker(queue_app, start_worker):
    job_id = _new_job(queue_app, recipients=30)
    first = start_worker()
    with queue_app.app_context():
        enqueue_job(job_id)
    wait_for(lambda: _job(queue_app, job_id).status is JobStatus.RUNNING, first, "job running")
    first.kill()

    job = _job(queue_app, job_id)
    assert job.status is JobStatus.RUNNING and job.done < 30  # stuck: nobody works on it any more
    silent_for = queue_app.config["JOBS_WORKER_TIMEOUT"] + 1
    assert len(_workers(queue_app)) == 1 and _workers(queue_app, seconds=silent_for) == []  # the dead one is silent
    time.sleep(max(0.0, 1.2 - (utcnow() - job.heartbeat_at).total_seconds()))

    second = start_worker(JOBS_RUNNING_TIMEOUT=1, JOBS_WORKER_TIMEOUT=1)  # its start-up sweep finds the job
    wait_for(lambda: _job(queue_app, job_id).status is JobStatus.DONE, second, "job done")
    assert _job(queue_app, job_id).result["letters"] == 30
    assert _log(queue_app, job_id) == [
        ("queued", "running", ""),
        ("running", "queued", "Job-Worker ausgefallen; neu eingereiht"),
        ("queued", "running", ""),
        ("running", "done", ""),
    ]
    assert _workers(queue_app) == [f"{socket.gethostname()}:{second.process.pid}"]  # the killed one's row is gone
    assert second.stop() == 0


@pytest.mark.parametrize("jobs_url", ["sqlite"], indirect=True)
def test_ctrl_c_as_the_worker_says_it_runs_is_a_clean_stop(queue_app):
    """Ctrl-C pressed before the consumer takes over the signals: the worker signs off and returns, no „Aborted!“."""

    def interrupted() -> None:
        raise KeyboardInterrupt  # what SIGINT raises in that moment

    with queue_app.app_context():
        try:
            run_worker(1, ready=interrupted)
        except KeyboardInterrupt:
            pytest.fail("Ctrl-C escaped the worker: click says „Aborted!“ and the exit status is 1")
        assert db.session.scalars(select(WorkerHeartbeat.name)).all() == []
