"""`campaign backup OUT` and `campaign restore IN`: what was saved comes back, row for row; bad files change nothing."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from sqlalchemy import select

from campaign.db import db
from campaign.models import Campaign, Recipient
from campaign.services.backups import count_rows
from tests.conftest import require_service
from tests.factories import make_campaign, make_recipient
from tests.support.databases import sqlite_copy

NAMES = [("Ayşe", "Doğan"), ("Łukasz", "Wąsowski"), ("Jürgen", "Groß"), ("Élodie", "Müller-Lüdenscheidt")]


@pytest.fixture
def app(app_factory, migrated_database, tmp_path):
    """On SQLite an app on a private copy of the test database: a restore rewrites the file under the connections
    of every other app of this test process, which SQLite does not allow (hence: stop the server first)."""
    if migrated_database.startswith("sqlite"):
        return app_factory(DATABASE_URL=sqlite_copy(migrated_database, tmp_path / "eigene.sqlite3"))
    return app_factory()


@pytest.fixture
def filled(app):
    """A campaign and recipients with names from several alphabets; returns the rows per table and the names."""
    if db_kind(app) == "postgresql":
        require_service(bool(shutil.which("pg_dump")), "pg_dump (postgresql-client)")
    with app.app_context():
        make_campaign(db.session).summary = "Gerechtigkeit für NRW – „jetzt“, ğ ł ß é"
        for first, last in NAMES:
            make_recipient(db.session, first_name=first, last_name=last, street="Königsallee 1\nc/o Büro, 2. OG")
        db.session.commit()
        return count_rows(db.engine), _sample()


def db_kind(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def _sample() -> list[tuple]:
    """A sample of whole records: every recipient's name and address lines, the campaign's title."""
    recipients = db.session.scalars(select(Recipient).order_by(Recipient.id)).all()
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.id)).all()
    return [(r.id, r.first_name, r.last_name, r.street) for r in recipients] + [
        (c.id, c.title, c.summary) for c in campaigns
    ]


def _damage(app) -> None:
    """What the backup should undo: one recipient deleted, another renamed, a campaign added."""
    with app.app_context():
        recipients = db.session.scalars(select(Recipient).order_by(Recipient.id)).all()
        db.session.delete(recipients[0])
        recipients[1].last_name = "Überschrieben"
        make_campaign(db.session)
        db.session.commit()


def test_a_restore_brings_back_every_row_as_it_was_saved(app, runner, filled, tmp_path):
    rows, sample = filled
    out = tmp_path / "sicherung.backup"
    result = runner.invoke(args=["backup", str(out)])
    assert result.exit_code == 0, result.output
    assert "Gesichert" in result.output and str(out) in result.output and out.is_file()

    _damage(app)
    with app.app_context():
        assert count_rows(db.engine) != rows

    result = runner.invoke(args=["restore", str(out), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Wiederhergestellt" in result.output
    with app.app_context():
        assert count_rows(db.engine) == rows
        assert _sample() == sample
        # The restored database is usable: new rows get new ids after the restored ones.
        recipient = make_recipient(db.session, first_name="Neu")
        db.session.commit()
        assert recipient.id > max(row[0] for row in sample[: len(NAMES)])


def test_a_restore_asks_first_and_stops_on_no(app, runner, filled, tmp_path):
    out = tmp_path / "sicherung.backup"
    assert runner.invoke(args=["backup", str(out)]).exit_code == 0
    _damage(app)
    with app.app_context():
        damaged = count_rows(db.engine)
    result = runner.invoke(args=["restore", str(out)], input="n\n")
    assert result.exit_code != 0 and "ersetzt" in result.output
    with app.app_context():
        assert count_rows(db.engine) == damaged


def test_a_backup_never_overwrites_or_writes_into_nowhere(app, runner, filled, tmp_path):
    folder = tmp_path / "sicherungen"
    folder.mkdir()
    existing = folder / "alt.backup"
    existing.write_bytes(b"meine alte Sicherung")
    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code == 1 and "gibt es schon" in result.output
    assert existing.read_bytes() == b"meine alte Sicherung"

    result = runner.invoke(args=["backup", str(folder / "fehlt" / "x.backup")])
    assert result.exit_code == 1 and "Den Ordner" in result.output
    assert not (folder / "fehlt").exists()

    assert runner.invoke(args=["backup", str(existing), "--force"]).exit_code == 0
    assert existing.read_bytes() != b"meine alte Sicherung"
    assert [path.name for path in folder.iterdir()] == ["alt.backup"]  # no partial file left behind


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Name;E-Mail\nAyse;a@example.org\n", "keine Sicherung dieses Werkzeugs"),
        (b"", "keine Sicherung dieses Werkzeugs"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "keine Sicherung dieses Werkzeugs"),
    ],
    ids=["csv", "empty", "png"],
)
def test_a_file_that_is_no_backup_is_refused_and_nothing_changes(app, runner, filled, tmp_path, content, message):
    rows, sample = filled
    bad = tmp_path / "datei.backup"
    bad.write_bytes(content)
    result = runner.invoke(args=["restore", str(bad), "--yes"])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    with app.app_context():
        assert count_rows(db.engine) == rows and _sample() == sample


def test_a_backup_of_the_other_database_kind_is_refused(app, runner, filled, tmp_path):
    rows, _ = filled
    other = tmp_path / "andere.backup"
    other_kind = b"PGDMP\x01\x0e\x00" if db_kind(app) == "sqlite" else b"SQLite format 3\x00" + bytes(100)
    other.write_bytes(other_kind)
    result = runner.invoke(args=["restore", str(other), "--yes"])
    assert result.exit_code == 1 and "Bitte mit derselben Datenbank-Art" in result.output
    with app.app_context():
        assert count_rows(db.engine) == rows


def test_a_sqlite_file_of_another_program_or_a_damaged_one_is_refused(app, runner, filled, tmp_path):
    if db_kind(app) != "sqlite":
        pytest.skip("SQLite-Dateien stellt nur eine SQLite-Installation wieder her (Test für PostgreSQL: oben)")
    rows, _ = filled
    foreign = tmp_path / "fremd.sqlite3"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE notizen (text TEXT)")
    connection.commit()
    connection.close()
    result = runner.invoke(args=["restore", str(foreign), "--yes"])
    assert result.exit_code == 1 and "keine Datenbank dieses Werkzeugs" in result.output

    good = tmp_path / "gut.backup"
    assert runner.invoke(args=["backup", str(good)]).exit_code == 0
    damaged = tmp_path / "kaputt.backup"
    data = bytearray(good.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a whole page of the file overwritten
    damaged.write_bytes(bytes(data))
    result = runner.invoke(args=["restore", str(damaged), "--yes"])
    assert result.exit_code == 1 and "beschädigt" in result.output
    with app.app_context():
        assert count_rows(db.engine) == rows
    assert runner.invoke(args=["restore", str(tmp_path / "gibtsnicht.backup"), "--yes"]).exit_code == 1
