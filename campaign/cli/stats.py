"""`campaign stats SLUG [--json]`: the dashboard's headline figures, for scripts and cron mails."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.models import Campaign
from campaign.services.dashboard.figures import headline

# The keys the issue fixes, in this order; the text output has one line per key.
KEYS = (
    "letters_sent",
    "letters_replied",
    "response_rate",
    "substantive_rate",
    "auto_replies",
    "bounces",
    "signatures_confirmed",
    "median_days_to_reply",
)
LABELS = {
    "letters_sent": "Briefe versandt",
    "letters_replied": "Briefe beantwortet",
    "response_rate": "Antwortquote (%)",
    "substantive_rate": "Quote inhaltlicher Antworten (%)",
    "auto_replies": "Automatische Antworten",
    "bounces": "Unzustellbar",
    "signatures_confirmed": "Mitzeichnungen (bestätigt)",
    "median_days_to_reply": "Antwortzeit, Median (Tage)",
}


@click.command("stats")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Als JSON-Objekt ausgeben (Schlüssel auf Englisch).")
@with_appcontext
def stats_command(slug: str, as_json: bool) -> None:
    """Die Kennzahlen der Kampagne SLUG ausgeben, gezählt wie im Dashboard."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        raise CommandError(f"Keine Kampagne mit dem Kurznamen „{slug}“.")
    figures = headline(db.session, campaign).as_dict()
    # The refresh of the pre-aggregated signature counts is worth keeping.
    db.session.commit()
    values = {key: figures[key] for key in KEYS}
    if as_json:
        click.echo(json.dumps(values, ensure_ascii=False))
        return
    click.echo(campaign.title)
    for key in KEYS:
        value = values[key]
        shown = "–" if value is None else str(value).replace(".", ",")
        click.echo(f"{LABELS[key]}: {shown}")
