"""Migrations upgrade an empty database to exactly the models' schema and back, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from campaign import create_app
from campaign.config import normalise_database_url
from campaign.db import db
from tests.conftest import TEST_DATABASE_URL, XDIST_WORKER, make_config, reset_database, server_database


@pytest.fixture
def empty_database_url(tmp_path) -> str:
    """A database with no tables at all: a new SQLite file, or an emptied scratch PostgreSQL database.

    The scratch database is kept between runs (creating and dropping one costs a checkpoint each) and is
    named after the test database and the xdist worker, so parallel runs never share it.
    """
    if not TEST_DATABASE_URL:
        return f"sqlite:///{tmp_path}/empty.sqlite3"
    url = normalise_database_url(TEST_DATABASE_URL)
    scratch = server_database(url, "_".join(filter(None, [sa.make_url(url).database, "migrations", XDIST_WORKER])))
    reset_database(scratch)
    return scratch


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(empty_database_url, tmp_path):
    app = create_app(make_config(empty_database_url, tmp_path / "instance"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
            tables = set(sa.inspect(connection).get_table_names())
        assert differences == []
        assert set(db.metadata.tables) <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
