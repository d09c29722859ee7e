"""`campaign users …`: staff accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.services.accounts.users import create_user
from campaign.services.common.errors import ServiceError


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
