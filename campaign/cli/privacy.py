"""`campaign privacy export|erase|purge`: a person's data as JSON, their erasure, and the retention purge."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.services.common.errors import ServiceError
from campaign.services.privacy.erasure import erase_person
from campaign.services.privacy.export import export_person
from campaign.services.privacy.purge import purge


@click.group("privacy")
def privacy_group() -> None:
    """Datenschutz: Auskunft, Löschung und Löschfristen."""


@privacy_group.command("export")
@click.argument("email")
@with_appcontext
def privacy_export(email: str) -> None:
    """Alle Daten zur Adresse EMAIL als JSON ausgeben (Auskunft nach Art. 15 DSGVO)."""
    try:
        data = export_person(db.session, email)
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    if not data["found"]:
        click.echo("Zu dieser Adresse sind keine Daten gespeichert.", err=True)


@privacy_group.command("erase")
@click.argument("email")
@with_appcontext
def privacy_erase(email: str) -> None:
    """Alle personenbezogenen Daten zur Adresse EMAIL löschen; Mitzeichnungen bleiben anonym gezählt."""
    try:
        erased = erase_person(db.session, email)
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    if erased is None:
        raise CommandError("Zu dieser Adresse sind keine Daten gespeichert.")
    db.session.commit()
    click.echo(f"Gelöscht: die Person und ihre Mitzeichnungen ({erased}); die Zählung bleibt unverändert.")


@privacy_group.command("purge")
@with_appcontext
def privacy_purge() -> None:
    """Abgelaufene Daten löschen (läuft auch täglich in den Workern)."""
    report = purge(db.session)
    db.session.commit()
    click.echo(
        f"Unbestätigte gelöscht: {report.unconfirmed_deleted}, nach Widerruf anonymisiert: {report.ended_erased}, "
        f"nach Kampagnenende anonymisiert: {report.expired_erased}, Personen gelöscht: {report.supporters_deleted}, "
        f"unbestätigte eigene Briefe gelöscht: {report.letters_deleted}, "
        f"Absender:innen eigener Briefe anonymisiert: {report.letters_anonymised}."
    )
