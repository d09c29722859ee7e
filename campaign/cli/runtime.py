"""`campaign up`, `worker` and `seed-demo`: running the app and its job worker, and the demo campaign."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import click
import waitress
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.jobs import huey
from campaign.jobs.worker import run_worker
from campaign.services.common.errors import ServiceError
from campaign.services.demo import ensure_demo_organiser, is_database_empty, seed_demo
from campaign.services.sending.transport import ConnectionFailed, redacted, transport_for


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


@click.command("worker")
@click.option("--workers", type=int, default=None, help="Anzahl paralleler Job-Threads")
@with_appcontext
def worker_command(workers: int | None) -> None:
    """Hintergrund-Jobs ausführen, bis Strg+C (liegengebliebene Aufträge werden beim Start neu eingereiht)."""
    count = workers or current_app.config["JOBS_WORKERS"]
    if huey.immediate:
        raise CommandError("JOBS_URL=immediate führt Jobs sofort aus; ein Worker ist dann nicht nötig.")
    storage = current_app.config["JOBS_URL"].split("://")[0]
    _check_mail_connection()
    # Said once the worker has signed on and swept: from then on it only takes jobs from the queue.
    run_worker(count, ready=lambda: click.echo(f"Job-Worker läuft mit {count} Threads ({storage})."))


def _check_mail_connection() -> None:
    """Say at start whether mail can go out: a wrong MAIL_URL stops the worker, an unreachable server is a warning.

    The worker runs other jobs too, and mail waits safely in the outbox until the server is back.
    """
    mail_url = current_app.config["MAIL_URL"]
    try:
        transport = transport_for(mail_url)
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    try:
        with transport:
            pass
    except ConnectionFailed as exc:
        click.echo(f"Warnung: {exc} E-Mails bleiben im Postausgang, bis der Mailserver erreichbar ist.", err=True)
        return
    click.echo(f"Mailversand über {redacted(mail_url)} geprüft.")


@click.command("up")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True, help="0: einen freien Port wählen")
@with_appcontext
def up_command(host: str, port: int) -> None:
    """Datenbank migrieren, Demo anlegen (falls leer), Webserver und Job-Worker starten."""

    app = current_app._get_current_object()
    try:  # first, so that a port in use is reported before anything else happens
        server = waitress.create_server(app, host=host, port=port, threads=8)
    except OSError as exc:
        raise CommandError(
            f"Der Webserver kann {host}:{port} nicht öffnen ({exc.strerror}); --port wählt einen anderen."
        ) from exc
    port = getattr(server, "effective_port", port)  # with --port 0, the free port the system chose
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
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
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
