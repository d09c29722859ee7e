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
from campaign.services.demo import ensure_demo_organiser, is_database_empty, seed_demo
from campaign.services.errors import ServiceError
from campaign.services.users import create_user


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


# ---- campaign letters … (letter rendering) ----


@click.group("letters")
def letters_group() -> None:
    """Briefe erzeugen."""


# ---- registration ----

COMMANDS = (seed_demo_command, users_group, worker_command, up_command, recipients_group, letters_group)


def register_commands(app: Flask) -> None:
    """Add the commands to `flask --app campaign` and thereby to `campaign`."""
    for command in COMMANDS:
        app.cli.add_command(command)


cli = FlaskGroup(create_app=_load_app, help="Kampagnen-Werkzeug: Briefkampagnen gegen Parteitagsanträge.")
