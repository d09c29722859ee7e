"""Migrations upgrade an empty database to exactly the models' schema and back, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from campaign import create_app
from campaign.config import normalise_database_url
from campaign.db import db
from tests.conftest import TEST_DATABASE_URL, XDIST_WORKER, make_config


@pytest.fixture
def empty_database_url(tmp_path) -> Iterator[str]:
    """A database with no tables at all: a new SQLite file, or a scratch PostgreSQL database."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path}/empty.sqlite3"
        return
    server = sa.make_url(normalise_database_url(TEST_DATABASE_URL))
    # Named after the test database (and the xdist worker), so parallel runs never share the scratch database.
    scratch = "_".join(filter(None, [server.database, "migrations", XDIST_WORKER]))
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{scratch}"')
    yield server.set(database=scratch).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    admin.dispose()


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
