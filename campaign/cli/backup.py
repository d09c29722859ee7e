"""`campaign backup OUT` and `campaign restore IN`: the whole database into one file and back."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.services.backups import BackupReport, backup_database, restore_database
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import format_thousands


def _summary(report: BackupReport) -> str:
    tables = sum(1 for count in report.rows.values() if count)
    return f"{format_thousands(report.total_rows)} Zeilen in {tables} Tabellen"


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Eine vorhandene Datei überschreiben.")
@with_appcontext
def backup_command(out: Path, force: bool) -> None:
    """Die ganze Datenbank in die Datei OUT sichern (im laufenden Betrieb).

    \b
    SQLite: eine Kopie über SQLites Online-Backup; PostgreSQL: pg_dump im Custom-Format.
    Die Sicherung enthält personenbezogene Daten: verschlüsselt und getrennt aufbewahren.
    Den geheimen Schlüssel (SECRET_KEY bzw. instance/secret_key) gesondert sichern: ohne ihn
    gelten Bestätigungs- und Widerrufslinks in bereits versandten Mails nicht mehr.
    """
    try:
        report = backup_database(db.engine, out, overwrite=force)
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"Gesichert ({report.kind}): {_summary(report)} → {report.path}")


@click.command("restore")
@click.argument("source", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Nicht nachfragen.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Die Datenbank aus der Sicherung IN wiederherstellen (ersetzt alle Daten; danach migriert).

    Vorher Webserver und Job-Worker anhalten.
    """
    if not yes:
        click.confirm("Alle Daten der Datenbank werden durch die Sicherung ersetzt. Fortfahren?", abort=True)
    try:
        report = restore_database(db.engine, source)
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    upgrade()  # a backup of an older version gets the newer tables
    click.echo(f"Wiederhergestellt ({report.kind}): {_summary(report)} aus {report.path}")
