"""`campaign export SLUG --what … --format … --out FILE`: a campaign's table as CSV (German Excel), XLSX or JSON."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.models import Campaign
from campaign.services.common.errors import ServiceError
from campaign.services.common.files import write_atomically, write_error_message
from campaign.services.common.tabular import FORMATS
from campaign.services.exports import TABLES, export_campaign_table


@click.command("export")
@click.argument("slug")
@click.option("--what", required=True, type=click.Choice(sorted(TABLES)), help="Welche Tabelle.")
@click.option("--format", "fmt", default="csv", show_default=True, type=click.Choice(FORMATS), help="Dateiformat.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Zieldatei.")
@with_appcontext
def export_command(slug: str, what: str, fmt: str, out: Path) -> None:
    """Eine Tabelle der Kampagne SLUG exportieren.

    \b
    CSV: UTF-8 mit BOM, Semikolon, für Excel in deutscher Einstellung; Zellen, die Excel als Formel
    lesen würde, beginnen mit einem Apostroph. JSON: Schlüssel auf Englisch (replies: reference, recipient,
    channel, kind, quality, stance, received_at, text).
    """
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        raise CommandError(f"Keine Kampagne mit dem Kurznamen „{slug}“.")
    try:
        data = export_campaign_table(db.session, campaign, what, fmt)
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    try:
        if out.exists() and not out.is_file():  # /dev/stdout, a pipe: written as they are
            out.write_bytes(data)
        else:  # a full disk leaves the old file or none, never half a table
            write_atomically(out, data)
    except OSError as exc:
        raise CommandError(write_error_message(exc, out)) from exc
    click.echo(f"{what} von „{campaign.title}“ als {fmt.upper()} nach {out} geschrieben.")
