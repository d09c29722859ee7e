"""`campaign replies import FILE…` and `campaign replies fetch`: replies from .eml/.mbox files and the IMAP mailbox."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.jobs.replies import fetch_replies
from campaign.services.common.errors import ServiceError
from campaign.services.replies.ingest import ImportReport, import_messages, iter_mbox, split_mail_file

# Committed every this many messages, so a large mbox neither holds one huge transaction nor loses all on a crash.
COMMIT_EVERY = 200


@click.group("replies")
def replies_group() -> None:
    """Antworten importieren und abrufen."""


@replies_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@with_appcontext
def replies_import(files: tuple[Path, ...]) -> None:
    """Antworten aus .eml-Dateien und mbox-Postfächern importieren.

    Jede Nachricht wird ihrem Brief zugeordnet (Message-ID, Zeichen, Antwortadresse, Absender); was nicht
    passt, wartet im Eingang unter /track/inbox. Dieselbe Message-ID wird nur einmal gespeichert: ein zweiter
    Lauf derselben Dateien ändert nichts. Exit-Code 1, wenn eine Datei oder Nachricht nicht lesbar war.
    """
    total = ImportReport()
    for path in files:
        report = _import_file(path)
        click.echo(f"{path.name}: {_summary(report)}")
        for error in report.errors:
            click.echo(f"Fehler: {error}", err=True)
        _add(total, report)
    if len(files) > 1:
        click.echo(f"Zusammen: {_summary(total)}")
    if total.errors:
        raise SystemExit(1)


@replies_group.command("fetch")
@with_appcontext
def replies_fetch() -> None:
    """Neue Nachrichten aus dem Postfach IMAP_URL abrufen und importieren (einmal, für cron geeignet)."""
    if not current_app.config.get("IMAP_URL"):
        raise CommandError("IMAP_URL ist nicht gesetzt (z. B. imaps://benutzer:passwort@host/INBOX).")
    try:
        report = fetch_replies(force=True)
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    if report.busy:
        raise CommandError(f"Das Postfach {report.mailbox} wird gerade von einem anderen Prozess abgerufen.")
    click.echo(f"{report.mailbox}: {_summary(report)}")
    for error in report.errors:
        click.echo(f"Fehler: {error}", err=True)
    if report.errors:
        raise SystemExit(1)


def _import_file(path: Path) -> ImportReport:
    if not path.is_file():
        raise CommandError(f"Datei nicht gefunden: {path}")
    try:
        with path.open("rb") as handle:
            if handle.read(5) == b"From ":
                handle.seek(0)
                return _import_in_batches(iter_mbox(handle), path.name)
            handle.seek(0)
            messages = split_mail_file(handle.read())
    except OSError as exc:
        raise CommandError(f"{path} lässt sich nicht lesen: {exc.strerror}") from exc
    except ServiceError as exc:
        raise CommandError(f"{path.name}: {exc}") from exc
    return _import_in_batches(iter(messages), path.name)


def _import_in_batches(messages, label: str) -> ImportReport:
    total = ImportReport()
    done = 0
    while True:
        batch = [raw for _, raw in zip(range(COMMIT_EVERY), messages, strict=False)]
        if not batch:
            return total
        report = import_messages(db.session, batch, source="file", label=label, start=done + 1)
        db.session.commit()
        done += len(batch)
        _add(total, report)


def _add(total: ImportReport, report: ImportReport) -> None:
    for name in ("imported", "duplicates", "replies", "auto_replies", "bounces", "matched", "unmatched"):
        setattr(total, name, getattr(total, name) + getattr(report, name))
    total.errors += report.errors


def _summary(report: ImportReport) -> str:
    return (
        f"{report.imported} importiert ({report.replies} Antworten, {report.auto_replies} automatische, "
        f"{report.bounces} unzustellbar; {report.matched} zugeordnet, {report.unmatched} im Eingang), "
        f"{report.duplicates} schon vorhanden."
    )
