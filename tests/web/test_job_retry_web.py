"""A job that waits without a worker says so; a failed job, or one that lost its worker, can be started again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign.db import db, utcnow
from campaign.jobs.letters import KIND
from campaign.models import AuditEvent, Campaign, Job, JobStatus, Role
from campaign.services.common.jobs import claim_job, create_job, fail_job
from campaign.services.common.workers import START_HINT, beat
from tests.web.factories import make_print_campaign

LETTERS = 2


@pytest.fixture
def app(app_factory):
    return app_factory(LETTER_RENDER_WORKERS=1)


def _job(app, status: JobStatus = JobStatus.QUEUED, *, silent_for: timedelta = timedelta(0)) -> int:
    """A letters job of a printable campaign, queued, running or failed, last heard of `silent_for` ago."""
    with app.app_context():
        campaign = make_print_campaign(db.session, LETTERS)
        job = create_job(db.session, KIND, campaign=campaign, message="Wartet …", params={"format": "zip"})
        if status is not JobStatus.QUEUED:
            db.session.commit()
            job = claim_job(db.session, job.id)
        if status is JobStatus.FAILED:
            fail_job(db.session, job, "Abgebrochen: Der Job-Worker ist ausgefallen.")
        job.heartbeat_at = utcnow() - silent_for
        db.session.commit()
        return job.id


def test_a_waiting_job_says_that_no_worker_runs_and_how_to_start_one(app_factory, tmp_path, login):
    app = app_factory(JOBS_URL=f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    client = app.test_client()
    login(client=client)
    job_id = _job(app)

    page = client.get(f"/organise/jobs/{job_id}").get_data(as_text=True)
    assert "Es läuft kein Job-Worker" in page and "campaign worker" in page and "make run" in page
    assert client.get(f"/organise/jobs/{job_id}.json").get_json()["warning"] == START_HINT

    with app.app_context():
        beat(db.session, "laptop:4242")
        db.session.commit()
    assert "Es läuft kein Job-Worker" not in client.get(f"/organise/jobs/{job_id}").get_data(as_text=True)
    assert client.get(f"/organise/jobs/{job_id}.json").get_json()["warning"] is None


def test_a_failed_job_is_started_again_and_finishes(app, client, login):
    job_id = _job(app, JobStatus.FAILED)
    login()
    page = client.get(f"/organise/jobs/{job_id}").get_data(as_text=True)
    assert "Erneut starten" in page and "ausgefallen" in page

    response = client.post(f"/organise/jobs/{job_id}/retry")
    assert response.status_code == 302 and response.headers["Location"] == f"/organise/jobs/{job_id}"
    # JOBS_URL=immediate in tests: the requeued job ran right after the commit.
    state = client.get(f"/organise/jobs/{job_id}.json").get_json()
    assert state["status"] == "done" and state["done"] == LETTERS and state["download_url"]
    assert "erneut gestartet" in client.get(f"/organise/jobs/{job_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job.retry")) is not None


def test_a_running_job_whose_worker_went_silent_can_be_started_again(app, client, login):
    job_id = _job(app, JobStatus.RUNNING, silent_for=timedelta(hours=2))
    login()
    page = client.get(f"/organise/jobs/{job_id}").get_data(as_text=True)
    assert "Erneut starten" in page and "vermutlich ausgefallen" in page
    client.post(f"/organise/jobs/{job_id}/retry")
    assert client.get(f"/organise/jobs/{job_id}.json").get_json()["status"] == "done"


def test_a_job_that_is_working_normally_is_not_started_twice(app, client, login):
    job_id = _job(app, JobStatus.RUNNING)
    login()
    assert "Erneut starten" not in client.get(f"/organise/jobs/{job_id}").get_data(as_text=True)
    response = client.post(f"/organise/jobs/{job_id}/retry", follow_redirects=True)
    assert "Dieser Auftrag läuft noch." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Job, job_id).status is JobStatus.RUNNING


def test_coordinators_see_the_failure_but_cannot_restart(app, client, login):
    job_id = _job(app, JobStatus.FAILED)
    login(Role.COORDINATOR)
    assert "Erneut starten" not in client.get(f"/organise/jobs/{job_id}").get_data(as_text=True)
    assert client.post(f"/organise/jobs/{job_id}/retry").status_code == 403
    with app.app_context():
        assert db.session.get(Job, job_id).status is JobStatus.FAILED
        assert db.session.scalar(select(Campaign)) is not None
