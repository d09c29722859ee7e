"""Generating a campaign's letters as a background job: start, progress page and JSON, download, access control."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from sqlalchemy import func, select

from campaign.db import db
from campaign.jobs.letters import KIND, letters_root
from campaign.models import AuditEvent, Campaign, Job, JobStatus, Letter, Role
from campaign.services.common.jobs import create_job, finish_job
from tests.conftest import TEST_REDIS_URL, require_service
from tests.factories import make_campaign, make_recipient
from tests.factories_letters import make_organisation, make_template, pdf_text
from tests.web.factories import make_print_campaign

# Letters of the campaign the `slug` fixture makes: enough to see order and counts, few enough to render fast.
LETTERS = 3


@pytest.fixture
def app(app_factory):
    # One render process keeps these tests quick; the process pool is covered by the CLI and consumer tests.
    return app_factory(LETTER_RENDER_WORKERS=1)


@pytest.fixture
def slug(app) -> str:
    """The slug of a campaign ready to print: sender, template and LETTERS targets."""
    with app.app_context():
        campaign = make_print_campaign(db.session, LETTERS)
        db.session.commit()
        return campaign.slug


def _job_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert location.startswith("/organise/jobs/")
    return int(location.rsplit("/", 1)[1])


def test_organiser_generates_all_letters_and_downloads_the_zip(app, client, slug, login):
    login()
    job_id = _job_id(client.post(f"/organise/campaigns/{slug}/letters/generate", data={"format": "zip"}))

    state = client.get(f"/organise/jobs/{job_id}.json").get_json()
    assert state["status"] == "done" and state["done"] == state["total"] == LETTERS and state["percent"] == 100
    assert state["download_url"] == f"/organise/jobs/{job_id}/download"
    assert f"Briefe erzeugt: {LETTERS}" in state["message"]

    page = client.get(f"/organise/jobs/{job_id}").get_data(as_text=True)
    assert "<progress" in page and f'value="{LETTERS}"' in page and "fertig" in page
    assert f"/organise/jobs/{job_id}/download" in page and "/static/js/jobs.js" in page
    assert f'<a href="/organise/campaigns/{slug}/sending">Briefe prüfen, freigeben und versenden</a>' in page

    download = client.get(state["download_url"])
    data = download.get_data()
    download.close()  # send_file streams from the file; closing the response closes it
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert f"{slug}-briefe-{job_id}.zip" in download.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert len(names) == LETTERS
        assert "Mit freundlichen Grüßen" in pdf_text(archive.read(names[0]))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Letter)) == LETTERS
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "job.create"))
        path = letters_root() / slug / f"{slug}-briefe-{job_id}.zip"
        assert path.is_file() and path.is_relative_to(app.instance_path)


def test_print_file_is_a_pdf_sorted_by_region(app, client, slug, login):
    login()
    job_id = _job_id(
        client.post(f"/organise/campaigns/{slug}/letters/generate", data={"format": "merged", "sort": "region"})
    )
    download = client.get(f"/organise/jobs/{job_id}/download")
    data = download.get_data()
    download.close()
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert pdf_text(data).count("Unser Zeichen") == LETTERS


def test_the_bare_button_of_the_letters_page_works(app, client, slug, login):
    login()
    job_id = _job_id(client.post(f"/organise/campaigns/{slug}/letters/generate"))
    assert client.get(f"/organise/jobs/{job_id}.json").get_json()["filename"] == f"{slug}-briefe-{job_id}.zip"


def test_coordinators_watch_and_download_but_do_not_start(app, client, slug, login):
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        job = create_job(db.session, KIND, campaign=campaign, params={"format": "zip"})
        db.session.commit()
        job_id = job.id
    login(Role.COORDINATOR)
    assert client.post(f"/organise/campaigns/{slug}/letters/generate").status_code == 403
    assert client.get(f"/organise/jobs/{job_id}").status_code == 200
    assert client.get(f"/organise/jobs/{job_id}.json").get_json()["status"] == "queued"


@pytest.mark.parametrize("path", ["/organise/jobs/{id}", "/organise/jobs/{id}.json", "/organise/jobs/{id}/download"])
def test_anonymous_visitors_are_sent_to_the_login(app, client, slug, path):
    with app.app_context():
        job = create_job(db.session, KIND, campaign=db.session.scalar(select(Campaign)))
        db.session.commit()
        job_id = job.id
    response = client.get(path.format(id=job_id))
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert client.post(f"/organise/campaigns/{slug}/letters/generate").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 1


def test_a_queued_job_shows_progress_without_javascript(app, client, slug, login):
    with app.app_context():
        job = create_job(db.session, KIND, campaign=db.session.scalar(select(Campaign)), message="Wartet …")
        db.session.commit()
        job_id = job.id
    login()
    page = client.get(f"/organise/jobs/{job_id}").get_data(as_text=True)
    assert "<progress" in page and "wartet" in page and f'href="/organise/jobs/{job_id}"' in page
    assert "Seite aktualisieren" in page and "http-equiv" not in page
    assert client.get(f"/organise/jobs/{job_id}/download").status_code == 404
    assert client.get("/organise/jobs/999999").status_code == 404
    assert client.get("/organise/jobs/999999.json").status_code == 404


def test_a_second_start_leads_to_the_running_job(app, client, slug, login):
    with app.app_context():
        job = create_job(db.session, KIND, campaign=db.session.scalar(select(Campaign)))
        db.session.commit()
        job_id = job.id
    login()
    assert _job_id(client.post(f"/organise/campaigns/{slug}/letters/generate")) == job_id
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 1


@pytest.mark.parametrize("stored", ["../secret_key", "../../../../../../etc/passwd", "/etc/passwd", "link.zip", ""])
def test_downloads_never_leave_the_letters_folder(app, client, slug, stored, login):
    with app.app_context():
        root = letters_root()
        root.mkdir(parents=True, exist_ok=True)
        (root.parent / "secret_key").write_text("geheim")
        if stored == "link.zip":
            (root / "link.zip").symlink_to("/etc/passwd")
        job = create_job(db.session, KIND, campaign=db.session.scalar(select(Campaign)))
        job.status = JobStatus.RUNNING
        finish_job(db.session, job, result={"path": stored, "filename": "x.zip"}, message="fertig")
        db.session.commit()
        job_id = job.id
    login()
    assert client.get(f"/organise/jobs/{job_id}/download").status_code == 404
    assert client.get(f"/organise/jobs/{job_id}.json").get_json()["download_url"] is None


def test_a_campaign_without_template_is_refused_before_any_job(app, client, login):
    with app.app_context():
        campaign = make_campaign(db.session, organisation=make_organisation(db.session))
        db.session.commit()
        slug = campaign.slug
    login()
    response = client.post(f"/organise/campaigns/{slug}/letters/generate", follow_redirects=True)
    assert "keine Briefvorlage" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_failing_job_says_why(app, client, login):
    with app.app_context():
        campaign = make_campaign(db.session, organisation=make_organisation(db.session))
        make_template(db.session, campaign)
        make_recipient(db.session)  # not a target of the campaign
        db.session.commit()
        slug = campaign.slug
    login()
    job_id = _job_id(client.post(f"/organise/campaigns/{slug}/letters/generate"))
    state = client.get(f"/organise/jobs/{job_id}.json").get_json()
    assert state["status"] == "failed" and "keine Empfänger:innen" in state["message"]
    page = client.get(f"/organise/jobs/{job_id}").get_data(as_text=True)
    assert "fehlgeschlagen" in page and "keine Empfänger:innen" in page


def test_starting_needs_a_csrf_token(protected):
    app, client = protected.app, protected.client
    with app.app_context():
        slug = make_print_campaign(db.session, LETTERS).slug
        db.session.commit()
    assert client.post(f"/organise/campaigns/{slug}/letters/generate").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_real_consumer_runs_the_letters_job(app_factory, tmp_path, migrated_database, backend, login):
    if backend == "redis":
        require_service(bool(TEST_REDIS_URL), "Redis (TEST_REDIS_URL)")
        jobs_url = TEST_REDIS_URL
    else:
        jobs_url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    app = app_factory(JOBS_URL=jobs_url)
    with app.app_context():
        slug = make_print_campaign(db.session, LETTERS).slug
        db.session.commit()
    client = app.test_client()
    login(client=client)
    job_id = _job_id(client.post(f"/organise/campaigns/{slug}/letters/generate", data={"format": "merged"}))
    assert client.get(f"/organise/jobs/{job_id}.json").get_json()["status"] == "queued"  # nothing ran inline

    environment = {
        **os.environ,
        "INSTANCE_PATH": app.instance_path,
        "DATABASE_URL": migrated_database,
        "JOBS_URL": jobs_url,
        "SECRET_KEY": "test-secret-key",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "campaign", "worker", "--workers", "1"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            state = client.get(f"/organise/jobs/{job_id}.json").get_json()
            if state["finished"]:
                break
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            _, errors = worker.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            _, errors = worker.communicate()
    assert state["status"] == "done", (state, errors.decode()[-2000:])
    assert state["done"] == LETTERS
    download = client.get(state["download_url"])
    data = download.get_data()
    download.close()
    assert download.status_code == 200 and pdf_text(data).count("Mit freundlichen Grüßen") == LETTERS


def test_the_start_form_offers_format_and_order(app, client, slug):
    from flask import render_template_string

    from campaign.web.organise.jobs.forms import GenerateLettersForm

    with app.test_request_context():
        campaign = db.session.scalar(select(Campaign))
        html = render_template_string(
            '{% from "organise/jobs/_generate_form.html" import generate_letters_form %}'
            "{{ generate_letters_form(campaign, form) }}",
            campaign=campaign,
            form=GenerateLettersForm(),
        )
    assert f'action="/organise/campaigns/{slug}/letters/generate"' in html
    assert 'value="merged"' in html and 'value="region"' in html and "<label" in html
