"""The database goes away: every page answers with a German 503 page and the error is logged; when the database
comes back, the app works again without a restart."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from campaign.db import PING_AFTER_IDLE_SECONDS, db
from campaign.models import Role
from tests.conftest import TEST_DATABASE_URL, require_service
from tests.factories import PASSWORD, make_user
from tests.support.databases import sqlite_copy
from tests.support.tcpproxy import CuttableProxy


@contextmanager
def sqlite_outage(migrated_database: str, tmp_path) -> Iterator[tuple[str, callable, callable]]:
    """A copy of the test database in a folder that can vanish (SQLite then cannot open the file) and return."""
    if not migrated_database.startswith("sqlite"):
        pytest.skip("SQLite-Ausfall: nur im SQLite-Lauf")
    folder = tmp_path / "daten"
    folder.mkdir()
    url = sqlite_copy(migrated_database, folder / "campaign.sqlite3")
    hidden = tmp_path / "weg"
    yield url, lambda: folder.rename(hidden), lambda: hidden.rename(folder)


@contextmanager
def postgres_outage(migrated_database: str, tmp_path) -> Iterator[tuple[str, callable, callable]]:
    """The PostgreSQL test database reached through a proxy that can cut every connection and come back."""
    require_service(bool(TEST_DATABASE_URL), "PostgreSQL (TEST_DATABASE_URL)")
    url = sa.make_url(migrated_database)
    with CuttableProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        yield through_proxy, proxy.cut, proxy.restore


OUTAGES = {"sqlite": sqlite_outage, "postgresql": postgres_outage}


@pytest.fixture(params=sorted(OUTAGES))
def outage(request, migrated_database, tmp_path):
    """(url, go_away, come_back); set up before `app_factory`, so it ends after the app's rows are cleaned up."""
    with OUTAGES[request.param](migrated_database, tmp_path) as found:
        yield found


def test_pages_answer_503_while_the_database_is_away_and_work_again_after(outage, app_factory, caplog):
    url, go_away, come_back = outage
    app = app_factory(DATABASE_URL=url)
    client = app.test_client()
    with app.app_context():
        email = make_user(db.session, Role.ORGANISER).email
        db.session.commit()
    assert client.post("/auth/login", data={"email": email, "password": PASSWORD}).status_code == 302
    assert client.get("/organise/").status_code == 200

    go_away()
    with app.app_context():
        db.engine.dispose()  # connections already open would outlive a vanished SQLite file
    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        for path in ("/", "/organise/", "/organise/motions", "/organise/recipients"):
            response = client.get(path)
            page = response.get_data(as_text=True)
            assert response.status_code == 503, (path, page[:500])
            assert "Die Datenbank ist gerade nicht erreichbar" in page and 'lang="de"' in page
            assert response.headers["Retry-After"] == "30" and response.headers["Cache-Control"] == "no-store"
            assert "Content-Security-Policy" in response.headers
        api = client.get("/api/v1/campaigns/gibt-es-nicht")
        assert api.status_code == 503 and "nicht erreichbar" in api.get_json()["error"]
        login_form = client.post("/auth/login", data={"email": "x@example.org", "password": "y"})
        assert login_form.status_code == 503
    assert any("Datenbank nicht erreichbar" in record.getMessage() for record in caplog.records)

    come_back()
    response = client.get("/organise/")
    assert response.status_code == 200  # still logged in: the session outlived the outage
    assert client.get("/").status_code == 200


def test_after_a_database_outage_an_idle_app_answers_the_first_request(outage, app_factory):
    # Pooled connections idle for a while are tested before use: the outage costs no later visitor an error page.
    url, go_away, come_back = outage
    app = app_factory(DATABASE_URL=url)
    client = app.test_client()
    assert client.get("/").status_code == 200
    go_away()
    come_back()
    time.sleep(PING_AFTER_IDLE_SECONDS + 0.5)
    assert client.get("/").status_code == 200
