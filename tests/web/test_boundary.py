"""The request boundary: a request keeps its changes only if it succeeds; a refused action keeps nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import abort, has_request_context, redirect
from sqlalchemy import func, select, update

from campaign.db import db
from campaign.models import AuditEvent, LetterTemplate, Role, Source, User
from campaign.services.common.errors import ServiceError
from campaign.services.evidence.sources import SourceData, create_source
from campaign.web.boundary import after_commit, on_error_back_to
from tests.factories import PASSWORD
from tests.factories_letters import make_letter_campaign
from tests.support.transactions import another_process_committing
from tests.web.test_sources_web import GOOD_SOURCE

TITLE = "Studie über Łódź, Görlitz und Çeşme"


def _stored(app) -> tuple[int, int]:
    """How many sources and audit records the database holds, seen from a fresh session."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Source.id))),
            db.session.scalar(select(func.count(AuditEvent.id))),
        )


def _add_source() -> None:
    """A real service call: the source and its audit record are flushed, not committed."""
    create_source(db.session, SourceData(title=TITLE))


@pytest.fixture
def probes(app):
    """Routes that change data and then end in different ways (added before the app serves its first request)."""
    done: list[str] = []

    def refused():
        _add_source()
        after_commit(done.append, "refused")
        raise ServiceError("Das geht so nicht.")

    @on_error_back_to("public.privacy")
    def refused_with_a_way_back():
        _add_source()
        raise ServiceError("Das geht auch nicht.")

    def bad_request():
        _add_source()
        abort(400)

    def succeeded():
        _add_source()
        after_commit(done.append, "succeeded")
        return redirect("/")

    for view in (refused, refused_with_a_way_back, bad_request, succeeded):
        app.add_url_rule(f"/probe/{view.__name__}", view_func=view, methods=["POST"])
    return done


def test_a_refused_action_keeps_nothing_it_flushed_and_says_why(app, client, probes):
    before = _stored(app)
    response = client.post("/probe/refused")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Das geht so nicht." in client.get("/").get_data(as_text=True)
    assert _stored(app) == before
    assert probes == []  # what waited for the commit never ran


def test_a_refused_action_goes_back_where_the_view_says(client, probes):
    response = client.post("/probe/refused_with_a_way_back", headers={"Referer": "http://localhost/c/anders"})
    assert response.headers["Location"] == "/privacy"
    assert "Das geht auch nicht." in client.get("/privacy").get_data(as_text=True)


def test_without_a_declared_way_back_only_a_same_site_referrer_is_followed(client, probes):
    own = client.post("/probe/refused", headers={"Referer": "http://localhost/privacy?x=1"})
    assert own.headers["Location"] == "/privacy?x=1"
    foreign = client.post("/probe/refused", headers={"Referer": "https://evil.example.org/privacy"})
    assert foreign.headers["Location"] == "/"


def test_a_client_error_keeps_nothing_it_flushed(app, client, probes):
    before = _stored(app)
    response = client.post("/probe/bad_request")
    assert response.status_code == 400 and "fehlerhaft" in response.get_data(as_text=True)
    assert _stored(app) == before


def test_a_server_error_keeps_nothing_it_flushed(app_factory):
    app = app_factory(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def broken():
        _add_source()
        raise RuntimeError("kaputt")

    app.add_url_rule("/probe/broken", view_func=broken, methods=["POST"])
    before = _stored(app)
    response = app.test_client().post("/probe/broken")
    assert response.status_code == 500 and "Ein interner Fehler ist aufgetreten" in response.get_data(as_text=True)
    assert _stored(app) == before


def test_a_successful_request_commits_once_and_then_runs_what_waited(app, client, probes):
    sources, events = _stored(app)
    assert client.post("/probe/succeeded").status_code == 302
    assert _stored(app) == (sources + 1, events + 1)
    assert probes == ["succeeded"]


def test_a_form_keeps_nothing_of_a_save_that_failed_halfway(app, client, login):
    """Renaming is flushed before the text is checked; a bad text undoes the rename too, and the form keeps both."""
    with app.app_context():
        campaign, _version, _people = make_letter_campaign(db.session)
        db.session.commit()
        template = campaign.templates[0]
        template_id, old_name = template.id, template.name
    login()
    before = _stored(app)
    response = client.post(
        f"/organise/templates/{template_id}",
        data={"name": "Neuer Name für Köln", "subject": "Betreff", "body": "{{ salutation }\n"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="Neuer Name für Köln"' in page and 'id="body-error"' in page
    with app.app_context():
        assert db.session.get(LetterTemplate, template_id).name == old_name
    assert _stored(app) == before


def test_commands_outside_a_request_still_commit_themselves(app, runner):
    result = runner.invoke(
        args=["users", "create", "sule@example.org", "--role", "coordinator", "--name", "Şule Çetin"], input=""
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "sule@example.org"))
        assert (user.name, user.role) == ("Şule Çetin", Role.COORDINATOR)


@contextmanager
def a_worker_committing_between_statements(app, during=has_request_context) -> Iterator[list[str]]:
    """Another process commits before each statement of a request (or whatever `during` says), whenever the request
    lets it (on SQLite: while it does not hold the write lock). Yields the statements it committed before."""
    with app.app_context():
        other_source = create_source(db.session, SourceData(title="Quelle des Workers")).id
        db.session.commit()
        engine = db.engine

    def change(statement: str):
        return update(Source).where(Source.id == other_source).values(notes=statement[:40])

    with another_process_committing(engine, change, during) as committed:
        yield committed


def test_requests_that_read_and_then_write_succeed_while_a_worker_commits(app, client, login):
    """On SQLite a transaction that has read cannot write once another process committed since („database is
    locked“ at once, whatever the busy timeout). Logging in, saving a source and opening the tracking overview
    (which refreshes the stored signature days) each read first; a worker's heartbeat in between made them fail."""
    user = login(Role.ORGANISER)
    client.post("/auth/logout")
    with app.app_context():
        make_letter_campaign(db.session)  # a campaign whose figures the overview brings up to date
        db.session.commit()
    with a_worker_committing_between_statements(app) as committed:
        logged_in = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        saved = client.post("/organise/sources/new", data={**GOOD_SOURCE, "title": "Haushaltsplan Łódź–Köln"})
        overview = client.get("/track/")
    assert committed  # the worker did commit during the requests
    assert logged_in.status_code == 302 and logged_in.location.endswith("/organise/")
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    assert overview.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Source.id).where(Source.title == "Haushaltsplan Łódź–Köln"))


def test_a_command_that_reads_and_then_writes_succeeds_while_a_worker_commits(app, runner):
    with a_worker_committing_between_statements(app, during=lambda: True) as committed:
        result = runner.invoke(
            args=["users", "create", "lukasz@example.org", "--role", "organiser", "--name", "Łukasz Ślęzak"], input=""
        )
    assert committed
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.name).where(User.email == "lukasz@example.org")) == "Łukasz Ślęzak"
