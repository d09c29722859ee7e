"""`campaign recipients import`: the recipient import of the upload screen, for files on disk."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.services.common.errors import ServiceError
from campaign.services.recipients import importing as importer


@click.group("recipients")
def recipients_group() -> None:
    """Empfänger:innen importieren und verwalten."""


@recipients_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--list",
    "list_name",
    metavar="NAME",
    help="Neue und bereits vorhandene Personen der Datei auf diese Liste setzen (wird bei Bedarf angelegt).",
)
@click.option("--dry-run", is_flag=True, help="Nur prüfen und den Bericht ausgeben; nichts wird gespeichert.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Fehlerhafte Zeilen überspringen und die gültigen importieren. Ohne diese Option wird nichts importiert, "
    "sobald eine Zeile fehlerhaft ist.",
)
@click.option(
    "--map",
    "column_map",
    multiple=True,
    metavar="SPALTE=FELD",
    help="Eine Spalte einem Feld zuordnen oder sie ignorieren, z. B. --map 'Mobil=ignorieren' --map 'Zuname=Nachname'. "
    "Nicht erkannte Spalten ohne Zuordnung werden ignoriert.",
)
@with_appcontext
def recipients_import(
    file: Path, list_name: str | None, dry_run: bool, skip_invalid: bool, column_map: tuple[str, ...]
) -> None:
    """Empfänger:innen aus einer CSV- oder XLSX-Datei importieren.

    \b
    CSV: Trennzeichen ; , oder Tab; UTF-8 (mit oder ohne BOM) oder Windows-1252.
    XLSX: das erste Tabellenblatt. Die erste Zeile nennt die Spalten (deutsch oder englisch).
    Höchstens 5 MB und 20.000 Zeilen.

    Zuerst wird jede Zeile geprüft (E-Mail, PLZ, Name, Dubletten in der Datei und in der Datenbank);
    der Bericht nennt jedes Problem mit seiner Zeilennummer (Kopfzeile = Zeile 1). Bereits vorhandene
    Personen werden übersprungen, ein zweiter Lauf derselben Datei ändert also nichts. Sind Zeilen
    fehlerhaft, wird ohne --skip-invalid nichts importiert (Exit-Code 1).
    """
    data = _read_file(file)
    try:
        overrides = dict(_split_column_map(item) for item in column_map)
        table = importer.read_table(data, file.name)
        chosen = importer.mapping_by_header(importer.detect_columns(table), overrides)
        plan = importer.plan_import(db.session, table, chosen)
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    for line in importer.report_lines(plan):
        click.echo(line)
    if dry_run:
        db.session.rollback()
        click.echo("Probelauf: nichts gespeichert.")
        return
    if plan.has_errors and not skip_invalid:
        db.session.rollback()
        invalid = plan.count(importer.RowStatus.INVALID)
        raise CommandError(
            f"Fehlerhafte Zeilen: {invalid}; nichts importiert. Datei korrigieren oder mit --skip-invalid "
            "nur die gültigen Zeilen importieren."
        )
    try:
        result = importer.run_import(
            db.session, plan, filename=file.name, list_name=list_name, skip_invalid=skip_invalid
        )
    except ServiceError as exc:
        db.session.rollback()
        raise CommandError(str(exc)) from exc
    db.session.commit()
    click.echo(importer.result_line(result))


def _read_file(file: Path) -> bytes:
    """The file's bytes, with the upload screen's size check and message (its real size and the limit)."""
    try:
        if file.is_dir() or not file.exists():
            raise CommandError(f"Datei nicht gefunden: {file}")
        importer.check_file_size(file.stat().st_size, file.name)
        with file.open("rb") as stream:
            return importer.read_upload(stream, file.name)
    except OSError as exc:
        raise CommandError(f"{file} kann nicht gelesen werden: {exc.strerror or exc}") from exc
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc


def _split_column_map(item: str) -> tuple[str, str]:
    """„Spalte=Feld“ from --map, split at the last „=“ (a header may contain one)."""
    header, separator, target = item.rpartition("=")
    if not separator or not header.strip():
        raise ServiceError(f"--map erwartet SPALTE=FELD, nicht „{item}“.")
    return header.strip(), target.strip()
