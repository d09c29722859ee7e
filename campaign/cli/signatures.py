"""`campaign signatures verify FILE`: check a handover list against its fingerprint."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.services.common.errors import ServiceError
from campaign.services.signing.handover import verify_file


@click.group("signatures")
def signatures_group() -> None:
    """Mitzeichnungen: Übergabelisten prüfen."""


@signatures_group.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def signatures_verify(file: Path) -> None:
    """Den SHA-256-Fingerabdruck einer Übergabeliste (CSV oder XLSX) nachrechnen und vergleichen."""
    try:
        result = verify_file(db.session, file)
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    if result.intact:
        click.echo(f"Unverändert: Zeilen {result.rows}, Fingerabdruck {result.computed} (gespeichert).")
        return
    if not result.printed:
        raise CommandError("In der Datei steht kein Fingerabdruck.")
    if result.computed != result.printed:
        raise CommandError(
            f"Verändert: Die Zeilen ({result.rows}) ergeben {result.computed}, aufgedruckt ist {result.printed}."
        )
    raise CommandError(f"Der Fingerabdruck {result.computed} passt zur Datei, wurde aber nie von uns gespeichert.")
