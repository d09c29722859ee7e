"""The database layer: SQLite runs in WAL mode with a busy timeout and enforced foreign keys."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from campaign import create_app
from campaign.db import db
from campaign.models import Provision
from tests.conftest import make_config


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path):
    # Always on SQLite (the embedded default), also in the PostgreSQL run.
    app = create_app(make_config(f"sqlite:///{tmp_path}/wal.sqlite3", tmp_path / "instance"))
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()


def test_rows_pointing_at_missing_parents_are_refused(db_session):
    db_session.add(Provision(motion_id=999_999, key="x", title="verwaist"))
    with pytest.raises(sa.exc.IntegrityError):
        db_session.flush()
