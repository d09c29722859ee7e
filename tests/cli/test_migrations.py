"""Migrations upgrade an empty database to exactly the models' schema and back, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from campaign import create_app
from campaign.config import normalise_database_url
from campaign.db import db
from campaign.models import Letter, LetterStatus
from tests.conftest import TEST_DATABASE_URL, XDIST_WORKER, make_config, reset_database, server_database
from tests.factories import make_campaign, make_recipient
from tests.factories_dashboard import make_recipient_letter


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


def test_0017_gives_letters_on_paper_noon_of_their_day_as_sending_time(empty_database_url, tmp_path):
    """Letters marked as posted or handed over before 0017 had only their day; other letters are left as they are."""
    app = create_app(make_config(empty_database_url, tmp_path / "instance"))
    with app.app_context():
        upgrade(revision="0016")  # the models' schema: 0017 changes only data
        campaign = make_campaign(db.session)
        by_email = datetime(2025, 3, 1, 8, 30)
        rows = {
            "winter": {"delivery": "post", "delivered_on": date(2025, 1, 15), "sent_at": None},
            "summer": {"delivery": "in_person", "delivered_on": date(2025, 7, 15), "sent_at": None},
            "email": {"delivery": "email", "sent_at": by_email},
            "approved": {"status": LetterStatus.APPROVED, "sent_at": None},
        }
        for name, values in rows.items():
            make_recipient_letter(db.session, campaign, make_recipient(db.session, last_name=name), **values)
        db.session.commit()

        def sent_at() -> list[datetime | None]:
            db.session.expire_all()
            found = dict(db.session.execute(sa.select(Letter.recipient_name, Letter.sent_at)).all())
            return [found[f"Erika {name}"] for name in rows]

        upgrade()
        # Noon in Berlin: 11:00 UTC in winter, 10:00 UTC in summer.
        expected = [datetime(2025, 1, 15, 11), datetime(2025, 7, 15, 10), by_email, None]
        assert sent_at() == expected
        downgrade(revision="0016")  # keeps them: the older code reads them right too
        assert sent_at() == expected
        db.session.remove()
        db.engine.dispose()
