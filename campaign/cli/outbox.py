"""`campaign outbox send|status`: deliver what is due once (for cron), and the counts per state."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.jobs.outbox import deliver_due
from campaign.services.common.dates import utc_to_german_time
from campaign.services.common.errors import ServiceError
from campaign.services.common.labels import label
from campaign.services.sending.outbox import counts_by_status
from campaign.services.sending.status import mail_server_status
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
    """Anzahl der E-Mails je Zustand, und ob der Mailserver zuletzt erreichbar war."""
    for status, count in counts_by_status(db.session).items():
        click.echo(f"{label(status)}: {count}")
    server = mail_server_status(db.session)
    if server.failing:
        state = server.state
        click.echo(f"Mailserver nicht erreichbar seit {_german(state.failing_since)}: {state.last_error}")
        if server.next_attempt_at:
            click.echo(f"Nächster Versuch: {_german(server.next_attempt_at)}")
    elif server.state is not None:
        click.echo(f"Mailserver erreichbar (zuletzt {_german(server.state.last_success_at)}).")


def _german(moment: datetime) -> str:
    return utc_to_german_time(moment).strftime("%d.%m.%Y, %H:%M")
