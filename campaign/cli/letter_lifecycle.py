"""`campaign letters generate|approve|queue SLUG`: the sending lifecycle for automation, as on the sending screen."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.models import Campaign, User
from campaign.services.accounts.users import find_user
from campaign.services.common.dates import parse_german_datetime, today_in_germany
from campaign.services.common.errors import ServiceError
from campaign.services.sending.letter_mail import MailSettings
from campaign.services.sending.lifecycle import StepResult, approve_letters, generate_letters, queue_letters


def _campaign(slug: str) -> Campaign:
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        raise CommandError(f"Keine Kampagne mit dem Kürzel „{slug}“.")
    return campaign


def _user(email: str | None) -> User | None:
    if not email:
        return None
    user = find_user(db.session, email)
    if user is None or not user.active:
        raise CommandError(f"Kein aktives Benutzerkonto „{email}“.")
    return user


def _finish(result: StepResult, what: str) -> None:
    """Commit, list what was left alone on stderr, and say how many letters the step changed."""
    db.session.commit()
    for line in result.skipped:
        click.echo(f"Übersprungen: {line}", err=True)
    click.echo(f"{len(result.done)} Briefe {what}.")


@click.command("generate")
@click.argument("slug")
@click.option("--as", "as_user", metavar="E-MAIL", help="Benutzerkonto, das als Erzeuger:in eingetragen wird.")
@with_appcontext
def letters_generate(slug: str, as_user: str | None) -> None:
    """Die Texte aller Briefe einer Kampagne als Entwürfe erzeugen (ohne PDF)."""
    campaign, user = _campaign(slug), _user(as_user)
    try:
        result = generate_letters(db.session, campaign, on=today_in_germany(), user=user)
    except ServiceError as exc:
        db.session.rollback()
        raise CommandError(str(exc)) from exc
    _finish(result, "erzeugt oder aktualisiert")


@click.command("approve")
@click.argument("slug")
@click.option("--all", "approve_all", is_flag=True, help="Alle Entwürfe der Kampagne freigeben.")
@click.option("--code", "codes", multiple=True, metavar="ZEICHEN", help="Nur diesen Brief (mehrfach möglich).")
@click.option("--as", "as_user", metavar="E-MAIL", help="Benutzerkonto, das freigibt (nötig beim Vier-Augen-Prinzip).")
@with_appcontext
def letters_approve(slug: str, approve_all: bool, codes: tuple[str, ...], as_user: str | None) -> None:
    """Entwürfe freigeben: alle (--all) oder einzelne (--code)."""
    if approve_all == bool(codes):
        raise CommandError("Bitte entweder --all oder einzelne Briefe mit --code angeben.")
    campaign, user = _campaign(slug), _user(as_user)
    try:
        result = approve_letters(db.session, campaign, user=user, codes=list(codes) if codes else None)
    except ServiceError as exc:
        db.session.rollback()
        raise CommandError(str(exc)) from exc
    _finish(result, "freigegeben")


@click.command("queue")
@click.argument("slug")
@click.option("--at", "at", metavar="'JJJJ-MM-TT HH:MM'", help="Frühester Versandzeitpunkt (deutsche Zeit).")
@click.option("--as", "as_user", metavar="E-MAIL", help="Benutzerkonto, das im Protokoll steht.")
@with_appcontext
def letters_queue(slug: str, at: str | None, as_user: str | None) -> None:
    """Freigegebene E-Mail-Briefe in den Postausgang legen (versendet von `outbox send` oder dem Worker)."""
    when = None
    if at:
        try:
            when = parse_german_datetime(at)
        except ValueError as exc:
            raise CommandError(f"--at „{at}“ ist kein Zeitpunkt der Form 'JJJJ-MM-TT HH:MM'.") from exc
    campaign, user = _campaign(slug), _user(as_user)

    def progress(done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            click.echo(f"{done}/{total} Briefe", err=True)

    try:
        result = queue_letters(
            db.session, campaign, MailSettings.from_config(current_app.config), user=user, at=when, progress=progress
        )
    except ServiceError as exc:
        db.session.rollback()
        raise CommandError(str(exc)) from exc
    _finish(result, "in den Postausgang gelegt" + (f" (Versand ab {at})" if at else ""))
