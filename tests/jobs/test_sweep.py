"""The scheduled sweep: a Huey periodic task every minute that puts lost jobs back into the queue."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from campaign.db import db, utcnow
from campaign.jobs import huey
from campaign.jobs.letters import KIND, render_letters_job
from campaign.jobs.queue import enqueue_job, sweep_jobs_task
from campaign.models import Job, JobStatus
from campaign.services.common.jobs import claim_job, create_job
from tests.factories_letters import make_letter_campaign
from tests.support.transactions import another_process_committing


def test_the_sweep_is_due_every_minute():
    for minute in (datetime(2026, 3, 2, 9, 0), datetime(2026, 3, 2, 9, 1), datetime(2026, 3, 2, 23, 59)):
        assert any(isinstance(task, sweep_jobs_task.task_class) for task in huey.read_periodic(minute))


def test_the_scheduled_sweep_requeues_a_job_whose_worker_died_and_it_runs_again(app_factory):
    app = app_factory(JOBS_URL="immediate", JOBS_RUNNING_TIMEOUT=60, LETTER_RENDER_WORKERS=1)
    with app.app_context():
        campaign, _version, _people = make_letter_campaign(db.session, recipients=2)
        job = create_job(db.session, KIND, campaign=campaign, params={"format": "merged"})
        claim_job(db.session, job.id)
        job.heartbeat_at = utcnow() - timedelta(seconds=61)  # its worker died a minute ago
        db.session.commit()

        outcome = sweep_jobs_task.call_local()  # what the consumer's scheduler runs each minute

        assert outcome == {"requeued": [job.id], "failed": [], "enqueued": [job.id]}
        db.session.refresh(job)
        assert job.status is JobStatus.DONE and job.result["letters"] == 2  # with JOBS_URL=immediate it ran inline


def test_a_job_of_an_unknown_kind_cannot_be_enqueued(app):
    with app.app_context():
        job = create_job(db.session, "unbekannt")
        db.session.commit()
        with pytest.raises(LookupError, match="„unbekannt“ gibt es keinen Hintergrund-Task"):
            enqueue_job(job.id)
        assert enqueue_job(999_999) is None


def test_a_job_keeps_going_while_another_worker_commits_between_its_chunks(app_factory):
    """On SQLite a transaction that read before another process committed cannot write any more: the job failed
    with „database is locked“ when a second worker's heartbeat landed between its reading its row after a
    progress commit and touching its heartbeat (seen under load). Its transactions now begin with the lock."""
    app = app_factory(JOBS_URL="immediate", LETTER_RENDER_WORKERS=1)
    with app.app_context():
        campaign, _version, _people = make_letter_campaign(db.session, recipients=3)
        job = create_job(db.session, KIND, campaign=campaign, params={"format": "zip"})
        other = create_job(db.session, KIND, campaign=make_letter_campaign(db.session)[0])
        db.session.flush()
        job_id, other_id = job.id, other.id  # read before the commit: the job's task starts a fresh transaction
        db.session.commit()

        def beat(_statement: str):
            return update(Job).where(Job.id == other_id).values(heartbeat_at=utcnow())

        with another_process_committing(db.engine, beat) as beats:
            render_letters_job.call_local(job_id)

        db.session.expire_all()
        done = db.session.get(Job, job_id)
        assert len(beats) >= 3  # the other worker did commit between the job's transactions
        assert (done.status, done.result.get("letters")) == (JobStatus.DONE, 3), done.message
