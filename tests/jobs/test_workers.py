"""Worker heartbeats: a worker signs on, beats, signs off; the status says whether one is alive and how to start one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign.db import db, utcnow
from campaign.models import WorkerHeartbeat
from campaign.services.common.workers import START_HINT, beat, sign_off, worker_status


@pytest.fixture
def app(app_factory, tmp_path):
    return app_factory(JOBS_URL=f"sqlite:///{tmp_path / 'jobs.sqlite3'}", JOBS_WORKER_TIMEOUT=60)


def test_without_a_worker_the_status_says_how_to_start_one(app, db_session):
    status = worker_status(db_session)
    assert not status.alive and status.warning == START_HINT
    assert "campaign worker" in status.warning and "make run" in status.warning


def test_a_beating_worker_is_alive_until_it_signs_off(app, db_session):
    beat(db_session, "rechner:101")
    beat(db_session, "rechner:102")
    status = worker_status(db_session)
    assert status.alive and status.warning is None
    assert [worker.name for worker in status.workers] == ["rechner:101", "rechner:102"]
    sign_off(db_session, "rechner:101")
    sign_off(db_session, "rechner:102")
    assert not worker_status(db_session).alive


def test_a_killed_worker_goes_silent_and_counts_as_gone(app, db_session):
    started = utcnow() - timedelta(minutes=5)
    beat(db_session, "rechner:7", now=started)
    beat(db_session, "rechner:7", now=started + timedelta(seconds=15))  # later beats keep the start time
    assert not worker_status(db_session).alive  # last seen four and a half minutes ago
    assert worker_status(db_session, now=started + timedelta(seconds=60)).alive
    heartbeat = db_session.get(WorkerHeartbeat, "rechner:7")
    assert heartbeat.started_at == started and heartbeat.seen_at == started + timedelta(seconds=15)


def test_a_starting_worker_clears_away_the_rows_of_killed_ones(app, db_session):
    beat(db_session, "rechner:7", now=utcnow() - timedelta(minutes=5))
    beat(db_session, "rechner:8", now=utcnow() - timedelta(seconds=10))
    beat(db_session, "rechner:9")
    names = db_session.scalars(select(WorkerHeartbeat.name).order_by(WorkerHeartbeat.name)).all()
    assert names == ["rechner:8", "rechner:9"]


def test_jobs_that_run_inline_need_no_worker(app_factory):
    inline = app_factory(JOBS_URL="immediate")
    with inline.app_context():
        status = worker_status(db.session)
        assert not status.alive and status.warning is None
