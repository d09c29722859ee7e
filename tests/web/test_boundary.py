"""The request boundary: a request keeps its changes only if it succeeds; a refused action keeps nothing."""

from __future__ import annotations

import pytest
from flask import abort, redirect
from sqlalchemy import func, select

from campaign.db import db
from campaign.models import AuditEvent, LetterTemplate, Role, Source, User
from campaign.services.common.errors import ServiceError
from campaign.services.evidence.sources import SourceData, create_source
from campaign.web.boundary import after_commit, on_error_back_to
from tests.factories_letters import make_letter_campaign

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
