"""Source pages: list, create, edit, delete (refused while cited), quoted passages, access per role."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.db import db
from campaign.models import AuditEvent, Role, Source, SourceQuote
from tests.factories_arguments import make_argument, make_source

GOOD_SOURCE = {
    "kind": "policy_brief",
    "title": "Resiliente Kommunen 3.0",
    "authors": "Ratzmann, Nora\r\nZeković, Denis",
    "publisher": "Technische Universität Chemnitz",
    "published_on": "2025-11-01",
    "date_precision": "month",
    "url": "https://example.org/brief",
    "doi": "https://doi.org/10.59350/abc-123",
    "notes": "",
}


def _source_id(app, title):
    with app.app_context():
        return db.session.scalar(select(Source.id).where(Source.title == title))


def test_organiser_creates_a_source_and_sees_its_citation_with_doi_link(app, client, organiser):
    response = client.post("/organise/sources/new", data=GOOD_SOURCE)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ratzmann, Nora; Zeković, Denis (November 2025): „Resiliente Kommunen 3.0“. Technische Universität" in page
    assert '<a href="https://doi.org/10.59350/abc-123" rel="noopener noreferrer">' in page
    with app.app_context():
        source = db.session.scalar(select(Source))
        assert source.doi == "10.59350/abc-123"
        assert source.authors == ["Ratzmann, Nora", "Zeković, Denis"]
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "source.create"))
        assert event.user_id == organiser.id and event.object_id == source.id
    assert "Resiliente Kommunen 3.0" in client.get("/organise/sources").get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("doi", "11.1/xyz", "Die DOI ist ungültig"),
        ("url", "javascript:alert(1)", "http:// oder https://"),
        ("authors", "Ratzmann, Nora\nRißler, Felicitas, Dr.", "Zeile 2"),
        ("title", "  ", "Bitte einen Titel angeben"),
        ("published_on", "2025-13-45", "Kein gültiges Datum"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(app, client, organiser, field, value, message):
    response = client.post("/organise/sources/new", data={**GOOD_SOURCE, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page and message in page
    assert 'aria-invalid="true"' in page
    assert _source_id(app, GOOD_SOURCE["title"]) is None


def test_precision_without_date_is_refused(app, client, organiser):
    response = client.post("/organise/sources/new", data={**GOOD_SOURCE, "published_on": ""})
    assert response.status_code == 400
    assert "Bitte ein Datum angeben" in response.get_data(as_text=True)


def test_edit_prefills_and_saves(app, client, organiser):
    with app.app_context():
        source = make_source(db.session, title="Alt", authors=["Doğan, Ali"], doi="10.1000/x")
        db.session.commit()
        source_id = source.id
    form = client.get(f"/organise/sources/{source_id}/edit").get_data(as_text=True)
    assert "Doğan, Ali</textarea>" in form and 'value="10.1000/x"' in form
    data = {**GOOD_SOURCE, "title": "Neu", "doi": "", "url": ""}
    assert client.post(f"/organise/sources/{source_id}/edit", data=data).status_code == 302
    with app.app_context():
        source = db.session.get(Source, source_id)
        assert (source.title, source.doi) == ("Neu", "")
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "source.update"))
        assert event.details["changes"]["title"] == ["Alt", "Neu"]


def test_quotes_are_added_edited_and_deleted(app, client, organiser):
    with app.app_context():
        source_id = make_source(db.session).id
        db.session.commit()
    assert (
        client.post(f"/organise/sources/{source_id}/quotes", data={"text": "Ein Satz.", "page": "12"}).status_code
        == 302
    )
    with app.app_context():
        quote_id = db.session.scalar(select(SourceQuote.id))
    page = client.get(f"/organise/sources/{source_id}").get_data(as_text=True)
    assert "Ein Satz." in page and "S. 12" in page
    response = client.post(f"/organise/sources/{source_id}/quotes", data={"text": " ", "page": ""})
    assert response.status_code == 400 and "Bitte den Wortlaut" in response.get_data(as_text=True)
    edit = f"/organise/sources/{source_id}/quotes/{quote_id}/edit"
    assert "Ein Satz.</textarea>" in client.get(edit).get_data(as_text=True)
    assert client.post(edit, data={"text": "Ein anderer Satz.", "page": "13"}).status_code == 302
    assert client.post(f"/organise/sources/{source_id}/quotes/{quote_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SourceQuote.id)) is None
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"source_quote.create", "source_quote.update", "source_quote.delete"} <= actions


def test_quote_of_another_source_is_not_found(app, client, organiser):
    with app.app_context():
        first = make_source(db.session, quotes=("A",))
        second = make_source(db.session)
        db.session.commit()
        url = f"/organise/sources/{second.id}/quotes/{first.quotes[0].id}/edit"
    assert client.get(url).status_code == 404


def test_deleting_a_cited_source_is_refused_with_a_clear_message(app, client, organiser):
    with app.app_context():
        cited = make_source(db.session, title="Wann kommt endlich die echte Migrationswende?")
        make_argument(db.session, sources=[cited])
        db.session.commit()
    source_id = _source_id(app, "Wann kommt endlich die echte Migrationswende?")
    response = client.post(f"/organise/sources/{source_id}/delete", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "wird noch von" in page and "Argument(en) zitiert" in page and "Entfernen Sie zuerst diese Belege" in page
    assert _source_id(app, "Wann kommt endlich die echte Migrationswende?") == source_id


def test_unused_source_is_deleted(app, client, organiser):
    with app.app_context():
        source_id = make_source(db.session, title="Überflüssig", quotes=("x",)).id
        db.session.commit()
    response = client.post(f"/organise/sources/{source_id}/delete", follow_redirects=True)
    assert "Quelle „Überflüssig“ gelöscht." in response.get_data(as_text=True)
    assert _source_id(app, "Überflüssig") is None


def test_hostile_source_text_is_escaped(app, client, organiser):
    with app.app_context():
        source = make_source(db.session, title="<script>alert(1)</script>", quotes=('<img src=x onerror="alert(1)">',))
        db.session.commit()
        source_id = source.id
    for url in ("/organise/sources", f"/organise/sources/{source_id}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Access ---------------------------------------------------------------------------------------------------------

WRITE_POSTS = [
    ("/organise/sources/new", GOOD_SOURCE),
    ("/organise/sources/{source}/edit", GOOD_SOURCE),
    ("/organise/sources/{source}/delete", {}),
    ("/organise/sources/{source}/quotes", {"text": "Satz", "page": ""}),
    ("/organise/sources/{source}/quotes/{quote}/edit", {"text": "Satz", "page": ""}),
    ("/organise/sources/{source}/quotes/{quote}/delete", {}),
]


@pytest.fixture
def ids(app):
    with app.app_context():
        source = make_source(db.session, quotes=("Satz",))
        db.session.commit()
        return {"source": source.id, "quote": source.quotes[0].id}


@pytest.mark.parametrize(("pattern", "data"), WRITE_POSTS, ids=[url for url, _ in WRITE_POSTS])
def test_coordinators_may_not_write(app, client, ids, pattern, data, login):
    login(Role.COORDINATOR)
    assert client.post(pattern.format(**ids), data=data).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action.like("source%"))) is None
        assert db.session.scalar(select(Source.title)).startswith("Quelle")
        assert db.session.scalar(select(SourceQuote.text)) == "Satz"


@pytest.mark.parametrize("pattern", ["/organise/sources/new", "/organise/sources/{source}/edit"])
def test_coordinators_get_no_edit_forms(app, client, ids, pattern, login):
    login(Role.COORDINATOR)
    assert client.get(pattern.format(**ids)).status_code == 403


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ORGANISER, Role.ADMIN], ids=lambda role: role.value)
def test_staff_read_sources_and_only_writers_see_edit_controls(app, client, ids, role, login):
    login(role)
    listing = client.get("/organise/sources")
    detail = client.get("/organise/sources/{source}".format(**ids))
    assert listing.status_code == detail.status_code == 200
    writer = role is not Role.COORDINATOR
    assert ("Neue Quelle" in listing.get_data(as_text=True)) is writer
    assert ("Textstelle hinzufügen" in detail.get_data(as_text=True)) is writer


def test_anonymous_users_are_sent_to_login(client, ids):
    response = client.get("/organise/sources")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert client.post("/organise/sources/{source}/delete".format(**ids)).status_code == 302
