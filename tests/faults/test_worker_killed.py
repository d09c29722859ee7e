"""A job worker is SIGKILLed mid-job (as the OOM killer or a pulled plug would): the next worker resumes the job, and
in the end every letter exists once, is in the output once, and is queued and delivered once; nothing the killed run
left half-done stays behind. (The outbox's own crash test, a delivery killed mid-batch, is in tests/jobs.)"""

from __future__ import annotations

import time
import zipfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from campaign.db import db, utcnow
from campaign.jobs.letters import KIND as RENDER
from campaign.jobs.queue import enqueue_job, sweep
from campaign.jobs.sending import CHUNK as QUEUE_CHUNK
from campaign.jobs.sending import KIND as QUEUE
from campaign.models import Campaign, Job, JobStatus, Letter, LetterStatus, OutboxMessage, StateChange
from campaign.services.common.dates import today_in_germany
from campaign.services.common.jobs import claim_job, create_job
from campaign.services.letters.batch.run import CHUNK_SIZE
from campaign.services.sending.lifecycle import approve_letters, generate_letters, queue_letters
from tests.factories_letters import make_letter_campaign
from tests.jobs.conftest import Worker, wait_for
from tests.services.sending.helpers import MAIL, email_campaign
from tests.support.mailserver import MailServer


def _job(app: Flask, job_id: int) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def _codes(app: Flask, slug: str) -> dict[int, str]:
    """Each recipient's reference code (one letter per recipient, or the assertion fails)."""
    with app.app_context():
        rows = db.session.execute(
            select(Letter.recipient_id, Letter.reference_code).join(Campaign).where(Campaign.slug == slug)
        ).all()
    assert len({recipient for recipient, _code in rows}) == len(rows), "a recipient got two letters"
    return dict(rows)


def _kill_mid_job(app: Flask, worker: Worker, job_id: int, committed: int) -> Job:
    """Kill the worker as soon as the job has committed `committed` items, while it still works on the rest."""
    wait_for(lambda: _job(app, job_id).done >= committed, worker, f"{committed} committed", seconds=180)
    worker.kill()
    job = _job(app, job_id)
    assert job.status is JobStatus.RUNNING, "the job ended before the kill: nothing was tested"
    # The job's heartbeat must be older than the next worker's JOBS_RUNNING_TIMEOUT of one second.
    time.sleep(max(0.0, 1.2 - (utcnow() - job.heartbeat_at).total_seconds()))
    return job


def _restart(start_worker, **settings) -> Worker:
    """A new worker; its start-up sweep hands the silent job back to the queue."""
    return start_worker(JOBS_RUNNING_TIMEOUT=1, JOBS_WORKER_TIMEOUT=1, **settings)


def test_a_letters_job_killed_mid_way_is_finished_with_every_letter_once(queue_app, start_worker):
    recipients = 5 * CHUNK_SIZE
    with queue_app.app_context():
        campaign, _version, _people = make_letter_campaign(db.session, recipients=recipients)
        slug = campaign.slug
        job_id = create_job(db.session, RENDER, campaign=campaign, params={"format": "zip"}).id
        db.session.commit()
        enqueue_job(job_id)
    folder = Path(queue_app.instance_path) / "letters" / slug

    first = start_worker()
    before = _kill_mid_job(queue_app, first, job_id, committed=CHUNK_SIZE)
    assert before.done < recipients
    codes_before = _codes(queue_app, slug)
    assert CHUNK_SIZE <= len(codes_before) < recipients + 1
    assert any(path.name.startswith(".briefe-") for path in folder.iterdir())  # the killed run's work folder

    second = _restart(start_worker)
    wait_for(lambda: _job(queue_app, job_id).status is JobStatus.DONE, second, "job done", seconds=180)
    job = _job(queue_app, job_id)
    assert job.result["letters"] == recipients and job.done == job.total == recipients

    codes = _codes(queue_app, slug)
    assert len(codes) == recipients and len(set(codes.values())) == recipients
    assert {recipient: codes[recipient] for recipient in codes_before} == codes_before  # kept their codes
    archive = folder / job.result["filename"]
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        assert opened.testzip() is None
    assert len(names) == recipients
    per_code = Counter(next(code for code in codes.values() if name.startswith(f"{code}-")) for name in names)
    assert set(per_code) == set(codes.values()) and set(per_code.values()) == {1}
    assert sorted(path.name for path in folder.iterdir()) == [archive.name]  # no work folder, no unfinished file
    assert second.stop() == 0


def test_a_queue_job_killed_mid_way_queues_and_delivers_every_letter_once(queue_app, start_worker):
    letters = 2 * QUEUE_CHUNK
    server = MailServer().start()
    try:
        with queue_app.app_context():
            campaign, _people = email_campaign(letters, attach_pdf=True)  # a PDF per letter: the job takes a while
            generate_letters(db.session, campaign, on=today_in_germany())
            approve_letters(db.session, campaign, user=None)
            slug = campaign.slug
            job_id = create_job(db.session, QUEUE, campaign=campaign).id
            db.session.commit()
            enqueue_job(job_id)
        mail = {"MAIL_URL": server.url, "MAIL_FROM": "Kampagne <kampagne@example.org>"}

        first = start_worker(**mail)
        _kill_mid_job(queue_app, first, job_id, committed=QUEUE_CHUNK)
        with queue_app.app_context():
            queued = db.session.scalar(select(func.count()).where(Letter.status == LetterStatus.QUEUED))
            assert QUEUE_CHUNK <= queued < letters
            assert db.session.scalar(select(func.count(OutboxMessage.id))) == queued  # each with its mail, no more

        second = _restart(start_worker, **mail)
        wait_for(lambda: _job(queue_app, job_id).status is JobStatus.DONE, second, "job done", seconds=180)
        assert "Nach dem Ausfall eines Job-Workers fortgesetzt" in _job(queue_app, job_id).message
        wait_for(lambda: len(server.received) >= letters, second, "every letter delivered", seconds=120)
        time.sleep(1)  # anything sent twice would arrive now
        with queue_app.app_context():
            per_letter = db.session.execute(
                select(OutboxMessage.letter_id, func.count()).group_by(OutboxMessage.letter_id)
            ).all()
            statuses = set(db.session.scalars(select(Letter.status).where(Letter.campaign.has(slug=slug))))
        assert len(per_letter) == letters and {count for _letter, count in per_letter} == {1}
        arrived = Counter(item.recipients[0] for item in server.received)
        assert len(arrived) == letters and set(arrived.values()) == {1}
        assert statuses == {LetterStatus.SENT}
        assert second.stop() == 0
    finally:
        server.stop()


def test_a_queue_job_whose_worker_died_after_queueing_everything_finishes_when_resumed(app_factory):
    """The killed worker had committed every letter, but not the job's end: the resumed job finds nothing approved
    and finishes instead of failing with „keine freigegebenen E-Mail-Briefe“."""
    app = app_factory(JOBS_RUNNING_TIMEOUT=60, MAIL_URL="file:///dev/null/nirgends")
    with app.app_context():
        campaign, _people = email_campaign(3)
        generate_letters(db.session, campaign, on=today_in_germany())
        approve_letters(db.session, campaign, user=None)
        job = create_job(db.session, QUEUE, campaign=campaign)
        db.session.commit()
        claim_job(db.session, job.id)  # the worker that took it …
        queue_letters(db.session, campaign, MAIL, user=None)  # … queued all letters and committed them …
        job.heartbeat_at = utcnow() - timedelta(minutes=5)  # … and was killed before it could finish the job
        db.session.commit()

        assert sweep().requeued == [job.id]  # JOBS_URL=immediate: the requeued job runs right here
        db.session.expire_all()
        assert job.status is JobStatus.DONE, job.message
        assert job.message.startswith("Briefe im Postausgang: 0.") and "fortgesetzt" in job.message
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 3
        log = db.session.scalars(
            select(StateChange.to_status)
            .where(StateChange.object_type == "Job", StateChange.object_id == job.id)
            .order_by(StateChange.id)
        ).all()
        assert log == ["running", "queued", "running", "done"]
