"""Backups of the whole database and their restore: SQLite through its online backup API, PostgreSQL through
pg_dump/pg_restore in their custom format.

A backup is one file. Which kind it is shows in its first bytes ("SQLite format 3" or "PGDMP"), so a restore
refuses a file of the wrong kind, or a file that is no backup of this tool, before it touches the database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from campaign.services.common.errors import ServiceError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# pg_dump and pg_restore of a campaign database take seconds to minutes; an hour means something hangs.
TOOL_TIMEOUT_SECONDS = 3600


@dataclass(frozen=True)
class BackupReport:
    """What a backup or restore wrote: the file, the kind, and the rows per table of the database it holds."""

    path: Path
    kind: str  # "sqlite" or "postgresql"
    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def count_rows(engine: sa.Engine) -> dict[str, int]:
    """Rows per table of the database behind `engine` (Alembic's own table left out)."""
    names = [name for name in sa.inspect(engine).get_table_names() if name != "alembic_version"]
    with engine.connect() as connection:
        return {
            name: connection.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one()
            for name in sorted(names)
        }


def backup_database(engine: sa.Engine, out: Path, *, overwrite: bool = False) -> BackupReport:
    """Write a consistent copy of the whole database to `out` while the tool keeps running."""
    out = out.expanduser()
    if out.exists() and not overwrite:
        raise ServiceError(_("„%(out)s“ gibt es schon; bitte einen neuen Dateinamen wählen (oder --force).", out=out))
    if not out.parent.is_dir():
        raise ServiceError(_("Den Ordner „%(parent)s“ gibt es nicht.", parent=out.parent))
    kind = engine.dialect.name
    # Written next to the target and renamed at the end: a failed backup never leaves a half file behind.
    handle, partial_name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(handle)
    partial = Path(partial_name)
    try:
        if kind == "sqlite":
            _sqlite_backup(_sqlite_path(engine), partial)
        elif kind == "postgresql":
            _run_tool(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial)], engine.url)
        else:
            raise ServiceError(_("Sicherungen gibt es für SQLite und PostgreSQL, nicht für „%(kind)s“.", kind=kind))
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(out, kind, count_rows(engine))


def restore_database(engine: sa.Engine, source: Path) -> BackupReport:
    """Replace the whole database behind `engine` by the backup in `source` (the caller migrates afterwards).

    Stop the web server and the workers first: the restore replaces every table.
    """
    source = source.expanduser()
    if not source.is_file():
        raise ServiceError(_("Die Datei „%(source)s“ gibt es nicht.", source=source))
    kind = engine.dialect.name
    found = backup_kind(source)
    if found is None:
        raise ServiceError(
            _("„%(name)s“ ist keine Sicherung dieses Werkzeugs (weder SQLite noch pg_dump).", name=source.name)
        )
    if found != kind:
        raise ServiceError(
            _(
                "„%(name)s“ ist eine Sicherung einer %(value)s-Datenbank, die Datenbank hier ist %(value2)s. "
                "Bitte mit derselben Datenbank-Art wiederherstellen.",
                name=source.name,
                value=_KIND_NAMES[found],
                value2=_KIND_NAMES.get(kind, kind),
            )
        )
    engine.dispose()  # no pooled connection may hold the old tables open
    if kind == "sqlite":
        _check_sqlite_backup(source)
        _sqlite_backup(source, _sqlite_path(engine))
    else:
        _run_tool(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)],
            engine.url,
            database_flag=True,
        )
    engine.dispose()
    return BackupReport(source, kind, count_rows(engine))


_KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def backup_kind(path: Path) -> str | None:
    """ "sqlite" or "postgresql" by the file's first bytes; None for anything else."""
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


def _sqlite_path(engine: sa.Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise ServiceError(_("Eine Datenbank im Arbeitsspeicher lässt sich nicht sichern."))
    return Path(database)


def _sqlite_backup(source: Path, target: Path) -> None:
    """Copy page by page with SQLite's online backup API: consistent even while others write to `source`."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as reader, sqlite3.connect(target) as writer:
        reader.backup(writer)
    # The context managers end transactions but do not close; close so no handle on the files stays open.
    reader.close()
    writer.close()


def _check_sqlite_backup(source: Path) -> None:
    """Refuse a damaged SQLite file, or one that is not a database of this tool, before the live one is touched."""
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as connection:
            integrity = connection.execute("PRAGMA quick_check").fetchone()[0]
            has_version = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
        connection.close()
    except sqlite3.DatabaseError as error:
        raise ServiceError(_("„%(name)s“ ist beschädigt (%(error)s).", name=source.name, error=error)) from error
    if integrity != "ok":
        raise ServiceError(_("„%(name)s“ ist beschädigt (%(integrity)s).", name=source.name, integrity=integrity))
    if not has_version:
        raise ServiceError(
            _("„%(name)s“ ist eine SQLite-Datei, aber keine Datenbank dieses Werkzeugs.", name=source.name)
        )


def _run_tool(command: list[str], url: sa.URL, *, database_flag: bool = False) -> None:
    """Run pg_dump or pg_restore against `url`; the password goes through the environment, never the command line."""
    program = shutil.which(command[0])
    if program is None:
        raise ServiceError(
            _(
                "„%(value)s“ fehlt. Bitte die PostgreSQL-Client-Programme installieren (Debian/Ubuntu: sudo "
                "apt-get install postgresql-client).",
                value=command[0],
            )
        )
    environment = {**os.environ, "PGDATABASE": url.database or ""}
    for variable, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username)):
        if value:
            environment[variable] = str(value)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    arguments = [program, *command[1:]]
    if database_flag:
        arguments[1:1] = ["--dbname", url.database or ""]
    try:
        finished = subprocess.run(
            arguments, env=environment, capture_output=True, text=True, timeout=TOOL_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise ServiceError(
            _(
                "%(value)s brach nach %(TOOL_TIMEOUT_SECONDS)s Sekunden ab.",
                value=command[0],
                TOOL_TIMEOUT_SECONDS=TOOL_TIMEOUT_SECONDS,
            )
        ) from error
    if finished.returncode != 0:
        reason = (finished.stderr.strip().splitlines() or ["ohne Meldung"])[-1]
        raise ServiceError(_("%(value)s ist fehlgeschlagen: %(reason)s", value=command[0], reason=reason))
