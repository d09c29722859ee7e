"""`campaign outbox send|status`: deliver what is due once (for cron), and the counts per state."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.jobs.outbox import deliver_due
from campaign.services.common.errors import ServiceError
from campaign.services.common.labels import label
from campaign.services.sending.outbox import counts_by_status
from campaign.services.sending.transport import check_connection


@click.group("outbox")
def outbox_group() -> None:
    """Ausgehende E-Mails versenden und ihren Stand zeigen."""


@outbox_group.command("send")
@with_appcontext
def outbox_send() -> None:
    """Alle fälligen E-Mails einmal versenden und beenden (für cron geeignet)."""
    try:
        target = check_connection(current_app.config["MAIL_URL"])
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    report = deliver_due()
    click.echo(
        f"Versendet: {report.sent}, erneuter Versuch später: {report.failed}, aufgegeben: {report.dead} ({target})."
    )
    for error in report.errors:
        click.echo(f"Fehler: {error}", err=True)
    if report.failed or report.dead:
        raise SystemExit(1)


@outbox_group.command("status")
@with_appcontext
def outbox_status() -> None:
    """Anzahl der E-Mails je Zustand."""
    for status, count in counts_by_status(db.session).items():
        click.echo(f"{label(status)}: {count}")
