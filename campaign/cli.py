"""The `campaign` command: thin click wrappers over services and jobs."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import click
import waitress
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade

from campaign.db import db
from campaign.jobs import huey
from campaign.services.accounts.users import create_user
from campaign.services.common.errors import ServiceError
from campaign.services.demo import ensure_demo_organiser, is_database_empty, seed_demo


class CommandError(click.ClickException):
    """Bad input: one line on stderr, exit code 1."""

    def show(self, file=None) -> None:
        click.echo(f"Fehler: {self.format_message()}", err=True, file=file)


def _load_app() -> Flask:
    """Build the app for the `campaign` command."""
    # Imported here because campaign/__init__.py imports this module to register the commands.
    from campaign import create_app

    return create_app()


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Lege die Demo-Kampagne an (mehrfach ausführbar, ändert beim zweiten Mal nichts)."""
    report = seed_demo(db.session)
    db.session.commit()
    if report.changed:
        created = ", ".join(f"{name}: {count}" for name, count in sorted(report.created.items()))
        click.echo(f"Demo-Kampagne angelegt ({created}).")
    else:
        click.echo("Demo-Kampagne ist bereits vollständig vorhanden; nichts geändert.")


@click.group("users")
def users_group() -> None:
    """Benutzerkonten verwalten."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", required=True, help="admin, organiser oder coordinator")
@click.option("--name", default="", help="Anzeigename")
@with_appcontext
def users_create(email: str, role: str, name: str) -> None:
    """Konto anlegen. Passwort von der Standardeingabe, sonst wird eines erzeugt und einmal angezeigt."""
    password = _password_from_stdin()
    try:
        new = create_user(db.session, email, role, password=password, name=name)
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    db.session.commit()
    click.echo(f"Konto {new.user.email} ({new.user.role.value}) angelegt.")
    if new.generated_password:
        click.echo(f"Erzeugtes Passwort (wird nur jetzt angezeigt): {new.generated_password}")


def _password_from_stdin() -> str | None:
    """The first line of piped input, or None when stdin is a terminal or empty."""
    if sys.stdin is None or sys.stdin.isatty():
        return None
    line = sys.stdin.readline().rstrip("\r\n")
    return line or None


@click.command("worker")
@click.option("--workers", type=int, default=None, help="Anzahl paralleler Job-Threads")
@with_appcontext
def worker_command(workers: int | None) -> None:
    """Hintergrund-Jobs ausführen, bis Strg+C."""
    count = workers or current_app.config["JOBS_WORKERS"]
    if huey.immediate:
        raise CommandError("JOBS_URL=immediate führt Jobs sofort aus; ein Worker ist dann nicht nötig.")
    click.echo(f"Job-Worker läuft mit {count} Threads ({current_app.config['JOBS_URL'].split('://')[0]}).")
    huey.create_consumer(workers=count, worker_type="thread").run()


@click.command("up")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
@with_appcontext
def up_command(host: str, port: int) -> None:
    """Datenbank migrieren, Demo anlegen (falls leer), Webserver und Job-Worker starten."""

    app = current_app._get_current_object()
    upgrade()
    if is_database_empty(db.session):
        seed_demo(db.session)
        click.echo("Demo-Kampagne angelegt.")
    login_file = Path(app.instance_path) / "demo-login.txt"
    ensure_demo_organiser(db.session, login_file)
    db.session.commit()
    db.session.remove()
    click.echo(f"Zugangsdaten der Demo-Organisator:in stehen in {login_file}")

    # Stop cleanly on Ctrl-C and on `kill`/service stop alike, even if the shell started us with SIGINT ignored.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    worker = subprocess.Popen([sys.executable, "-m", "campaign", "worker"])
    click.echo(f"Kampagnen-Werkzeug läuft auf http://{host}:{port}/  (Strg+C beendet Webserver und Worker)")
    try:
        waitress.serve(app, host=host, port=port, threads=8, _quiet=True)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(worker)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _stop(process: subprocess.Popen) -> None:
    """Ask the worker to finish its current job, then make sure it is gone."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    click.echo("Beendet.")


# ---- campaign recipients … (recipient import) ----


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
    # Imported here so that this section stays self-contained (the letters section shares this module).
    from campaign.services.recipients import importing as importer

    try:
        if file.is_dir() or not file.exists():
            raise CommandError(f"Datei nicht gefunden: {file}")
        if file.stat().st_size > importer.MAX_FILE_BYTES:
            limit = importer.MAX_FILE_BYTES // 1024 // 1024
            raise CommandError(f"{file.name} ist größer als {limit} MB; bitte die Datei aufteilen.")
        data = file.read_bytes()
    except OSError as exc:
        raise CommandError(f"{file} kann nicht gelesen werden: {exc.strerror or exc}") from exc
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
            f"{invalid} fehlerhafte Zeile(n); nichts importiert. Datei korrigieren oder mit --skip-invalid "
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


def _split_column_map(item: str) -> tuple[str, str]:
    """„Spalte=Feld“ from --map, split at the last „=“ (a header may contain one)."""
    header, separator, target = item.rpartition("=")
    if not separator or not header.strip():
        raise ServiceError(f"--map erwartet SPALTE=FELD, nicht „{item}“.")
    return header.strip(), target.strip()


# ---- campaign letters … (letter rendering) ----


@click.group("letters")
def letters_group() -> None:
    """Briefe erzeugen."""


@letters_group.command("render")
@click.argument("slug")
@click.option("--out", "out_dir", required=True, metavar="DIR", help="Zielverzeichnis (wird bei Bedarf angelegt).")
@click.option(
    "--format",
    "fmt",
    default="pdf",
    show_default=True,
    metavar="pdf|zip|merged",
    help="pdf: ein PDF pro Brief; zip: diese PDFs in einer ZIP-Datei; merged: eine Druckdatei.",
)
@click.option(
    "--sort", default="postcode", show_default=True, metavar="postcode|region", help="Reihenfolge der Briefe."
)
@click.option("--workers", type=int, default=None, help="Prozesse zum Setzen (Standard: alle Kerne).")
@click.option("--pdfa", is_flag=True, help="Archivtaugliche PDF/A-3b-Dateien (langsamer).")
@with_appcontext
def letters_render(slug: str, out_dir: str, fmt: str, sort: str, workers: int | None, pdfa: bool) -> None:
    """Alle Briefe einer Kampagne erzeugen, speichern und als PDF schreiben."""
    # Imported here so that this section stays self-contained (the recipients section is edited separately).
    import os

    from sqlalchemy import select

    from campaign.models import Campaign
    from campaign.services.common.dates import today_in_germany
    from campaign.services.letters.batch import FORMATS, SORTS, render_campaign_letters

    if fmt not in FORMATS:
        raise CommandError(f"Unbekanntes Format „{fmt}“; möglich sind {', '.join(FORMATS)}.")
    if sort not in SORTS:
        raise CommandError(f"Unbekannte Sortierung „{sort}“; möglich sind {', '.join(SORTS)}.")
    if workers is not None and workers < 1:
        raise CommandError("--workers muss mindestens 1 sein.")
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        raise CommandError(f"Keine Kampagne mit dem Kürzel „{slug}“.")
    directory = Path(out_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(
            f"Verzeichnis „{directory}“ lässt sich nicht anlegen (ein Teil des Pfads ist keins oder gesperrt)."
        ) from exc
    if not os.access(directory, os.W_OK | os.X_OK):
        raise CommandError(f"Verzeichnis „{directory}“ ist nicht beschreibbar.")
    target = {"zip": directory / f"{slug}-briefe.zip", "merged": directory / f"{slug}-druck.pdf"}.get(fmt, directory)

    def progress(done: int, total: int) -> None:
        db.session.commit()  # each chunk's letters are saved as soon as they are rendered
        click.echo(f"{done}/{total} Briefe", err=True)

    try:
        result = render_campaign_letters(
            db.session,
            campaign,
            target=target,
            fmt=fmt,
            sort=sort,
            on=today_in_germany(),
            workers=workers,
            pdf_variant="pdf/a-3b" if pdfa else None,
            progress=progress,
        )
    except ServiceError as exc:
        db.session.rollback()
        raise CommandError(str(exc)) from exc
    db.session.commit()
    for line in result.skipped:
        click.echo(f"Übersprungen: {line}", err=True)
    click.echo(f"{result.letters} Briefe ({result.pages} Seiten) geschrieben: {target}")


# ---- registration ----

COMMANDS = (seed_demo_command, users_group, worker_command, up_command, recipients_group, letters_group)


def register_commands(app: Flask) -> None:
    """Add the commands to `flask --app campaign` and thereby to `campaign`."""
    for command in COMMANDS:
        app.cli.add_command(command)


cli = FlaskGroup(create_app=_load_app, help="Kampagnen-Werkzeug: Briefkampagnen gegen Parteitagsanträge.")
