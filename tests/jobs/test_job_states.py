"""Job records through their state machine: claim, progress with heartbeat, finish, fail, sweep and retry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign.db import utcnow
from campaign.models import Job, JobStatus, StateChange
from campaign.services.common.errors import ServiceError
from campaign.services.common.jobs import (
    JobLost,
    claim_job,
    create_job,
    fail_job,
    finish_job,
    is_stale,
    report_progress,
    retry_job,
    sweep_jobs,
)
from campaign.services.common.states import TransitionError
from tests.factories import make_campaign, make_user

KIND = "letters.render"


@pytest.fixture
def app(app_factory):
    # Short limits, so that "silent too long" is a matter of seconds in these tests.
    return app_factory(JOBS_QUEUED_TIMEOUT=60, JOBS_RUNNING_TIMEOUT=120, JOBS_MAX_ATTEMPTS=3)


def _log(session, job) -> list[tuple[str, str, str]]:
    changes = session.scalars(
        select(StateChange)
        .where(StateChange.object_type == "Job", StateChange.object_id == job.id)
        .order_by(StateChange.id)
    )
    return [(change.from_status, change.to_status, change.note) for change in changes]


def _aged(job, seconds: int) -> None:
    """Pretend the job's last sign of life was `seconds` ago."""
    job.heartbeat_at = utcnow() - timedelta(seconds=seconds)
    if job.status is JobStatus.QUEUED:
        job.created_at = job.heartbeat_at


def test_a_job_runs_through_its_states_and_each_change_is_logged(app, db_session):
    job = create_job(db_session, KIND, campaign=make_campaign(db_session), params={"format": "zip"})
    assert job.status is JobStatus.QUEUED and job.message.startswith("Wartet auf einen freien Job-Worker")

    assert claim_job(db_session, job.id, message="Briefe werden erzeugt …") is job
    assert job.status is JobStatus.RUNNING and job.started_at and job.heartbeat_at
    before = job.heartbeat_at
    report_progress(db_session, job, 5, total=10, message="5 von 10")
    assert (job.done, job.total, job.percent) == (5, 10, 50) and job.heartbeat_at >= before
    finish_job(db_session, job, result={"path": "x.zip"}, message="fertig")
    assert job.status is JobStatus.DONE and job.done == 10 and job.result["params"] == {"format": "zip"}
    assert _log(db_session, job) == [("queued", "running", ""), ("running", "done", "")]


def test_a_job_is_claimed_only_once(app, db_session):
    job = create_job(db_session, KIND)
    assert claim_job(db_session, job.id) is job
    assert claim_job(db_session, job.id) is None  # a second task for the same job does nothing
    finish_job(db_session, job, result={}, message="fertig")
    assert claim_job(db_session, job.id) is None
    assert claim_job(db_session, 999_999) is None


def test_changes_the_table_does_not_allow_are_refused(app, db_session):
    job = create_job(db_session, KIND)
    with pytest.raises(TransitionError, match="von „queued“ nach „done“ ist nicht erlaubt"):
        finish_job(db_session, job, result={}, message="fertig")
    claim_job(db_session, job.id)
    finish_job(db_session, job, result={}, message="fertig")
    with pytest.raises(TransitionError, match="von „done“ nach „failed“"):
        fail_job(db_session, job, "zu spät")


def test_a_job_taken_over_by_another_worker_stops_the_first_one(app, db_session):
    job = create_job(db_session, KIND)
    claim_job(db_session, job.id)
    _aged(job, 600)
    db_session.flush()
    assert sweep_jobs(db_session).requeued == [job.id]
    first_claim = job.started_at
    assert claim_job(db_session, job.id) is job and job.started_at != first_claim
    stale_view = Job(id=job.id, status=JobStatus.RUNNING, started_at=first_claim)  # what the first worker holds
    with pytest.raises(JobLost):
        report_progress(db_session, stale_view, 3, total=10)
    with pytest.raises(JobLost):
        finish_job(db_session, stale_view, result={}, message="fertig")


def test_the_sweep_requeues_a_silent_running_job_and_fails_it_after_three_lost_workers(app, db_session):
    job = create_job(db_session, KIND)
    for attempt in (1, 2):
        claim_job(db_session, job.id)
        _aged(job, 121)
        result = sweep_jobs(db_session)
        assert (result.requeued, result.to_enqueue, result.failed) == ([job.id], [job.id], []), attempt
        assert job.status is JobStatus.QUEUED and job.done == 0 and job.started_at is None
    claim_job(db_session, job.id)
    _aged(job, 121)
    result = sweep_jobs(db_session)
    assert (result.requeued, result.failed) == ([], [job.id])
    assert job.status is JobStatus.FAILED
    assert job.message.startswith("Abgebrochen: Der Job-Worker ist 3-mal während dieses Auftrags ausgefallen")
    assert [to for _from, to, _note in _log(db_session, job)] == [
        *["running", "queued"] * 2,
        "running",
        "failed",
    ]
    assert _log(db_session, job)[1][2] == "Job-Worker ausgefallen; neu eingereiht"


def test_the_sweep_leaves_jobs_alone_that_are_alive_or_waiting_in_the_queue(app, db_session):
    running = create_job(db_session, KIND)
    claim_job(db_session, running.id)
    _aged(running, 100)  # within JOBS_RUNNING_TIMEOUT
    fresh = create_job(db_session, "other.kind")
    in_queue = create_job(db_session, "third.kind")
    _aged(in_queue, 3600)
    result = sweep_jobs(db_session, pending={in_queue.id})
    assert (result.requeued, result.failed, result.to_enqueue) == ([], [], [])
    assert running.status is JobStatus.RUNNING and fresh.status is in_queue.status is JobStatus.QUEUED


def test_a_queued_job_whose_task_never_reached_the_queue_is_enqueued_again_once(app, db_session):
    lost = create_job(db_session, KIND)
    _aged(lost, 61)
    db_session.flush()
    assert sweep_jobs(db_session).to_enqueue == [lost.id]
    assert lost.status is JobStatus.QUEUED and not is_stale(lost)
    assert sweep_jobs(db_session).to_enqueue == []  # its new task is on the way: not again right away


def test_staleness_follows_the_settings(app, db_session):
    job = create_job(db_session, KIND)
    assert not is_stale(job)
    _aged(job, 61)
    assert is_stale(job)
    claim_job(db_session, job.id)
    _aged(job, 61)
    assert not is_stale(job)  # running jobs may be silent for JOBS_RUNNING_TIMEOUT
    _aged(job, 121)
    assert is_stale(job)
    finish_job(db_session, job, result={}, message="fertig")
    assert not is_stale(job)


def test_a_failed_job_is_retried_by_a_user(app, db_session):
    user = make_user(db_session)
    job = create_job(db_session, KIND, campaign=make_campaign(db_session))
    claim_job(db_session, job.id)
    report_progress(db_session, job, 4, total=10)
    fail_job(db_session, job, "Keine Empfänger:innen.")
    assert retry_job(db_session, job, user=user) is job
    assert job.status is JobStatus.QUEUED and job.done == 0 and job.finished_at is None
    assert job.message.startswith("Wartet auf einen freien Job-Worker")
    change = db_session.scalars(select(StateChange).where(StateChange.to_status == "queued")).one()
    assert change.user_id == user.id and change.note == "erneut gestartet"


def test_a_stale_job_is_retried_and_a_live_or_finished_one_is_refused(app, db_session):
    job = create_job(db_session, KIND)
    with pytest.raises(ServiceError, match="wartet bereits"):
        retry_job(db_session, job)
    claim_job(db_session, job.id)
    with pytest.raises(ServiceError, match="läuft noch"):
        retry_job(db_session, job)
    _aged(job, 121)
    retry_job(db_session, job)
    assert job.status is JobStatus.QUEUED
    _aged(job, 61)
    retry_job(db_session, job)  # lost on its way to the queue: counts as enqueued afresh
    assert job.status is JobStatus.QUEUED and not is_stale(job)
    claim_job(db_session, job.id)
    finish_job(db_session, job, result={}, message="fertig")
    with pytest.raises(ServiceError, match="bereits fertig"):
        retry_job(db_session, job)


def test_a_failed_job_is_not_retried_while_a_new_one_runs_for_the_campaign(app, db_session):
    campaign = make_campaign(db_session)
    old = create_job(db_session, KIND, campaign=campaign)
    fail_job(db_session, old, "Fehler")
    create_job(db_session, KIND, campaign=campaign)
    with pytest.raises(ServiceError, match="läuft bereits ein solcher Auftrag"):
        retry_job(db_session, old)
    assert old.status is JobStatus.FAILED
