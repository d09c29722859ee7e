"""`campaign letters render`: a campaign's letters as PDFs, a ZIP or one print file."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, TextIO

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from campaign.cli.errors import CommandError
from campaign.db import db
from campaign.models import Campaign
from campaign.services.common.dates import today_in_germany
from campaign.services.common.errors import ServiceError
from campaign.services.letters.batch.plan import FORMATS, SORTS
from campaign.services.letters.batch.run import render_campaign_letters


class RenderProgress:
    """How far rendering has got: a progress bar on a terminal, one plain line per chunk otherwise (logs, pipes)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bar: Any = None  # click's ProgressBar, once the total is known
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.stream.isatty():
            click.echo(f"{done}/{total} Briefe", file=self.stream)
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=total, label="Briefe", show_pos=True, show_percent=True, show_eta=True, file=self.stream
            )
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        """End the bar's line (nothing to do for plain lines)."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@click.command("render")
@click.argument("slug")
@click.option("--out", "out_dir", required=True, metavar="DIR", help="Zielverzeichnis (wird bei Bedarf angelegt).")
@click.option(
    "--format",
    "fmt",
    default="pdf",
    show_default=True,
    metavar="pdf|zip|merged",
    help="pdf: ein PDF pro Brief; zip: diese PDFs in einer ZIP-Datei; merged: eine Druckdatei.",
)
@click.option(
    "--sort", default="postcode", show_default=True, metavar="postcode|region", help="Reihenfolge der Briefe."
)
@click.option("--workers", type=int, default=None, help="Prozesse zum Setzen (Standard: alle Kerne).")
@click.option("--pdfa", is_flag=True, help="Archivtaugliche PDF/A-3b-Dateien (langsamer).")
@with_appcontext
def letters_render(slug: str, out_dir: str, fmt: str, sort: str, workers: int | None, pdfa: bool) -> None:
    """Alle Briefe einer Kampagne erzeugen, speichern und als PDF schreiben."""
    if fmt not in FORMATS:
        raise CommandError(f"Unbekanntes Format „{fmt}“; möglich sind {', '.join(FORMATS)}.")
    if sort not in SORTS:
        raise CommandError(f"Unbekannte Sortierung „{sort}“; möglich sind {', '.join(SORTS)}.")
    if workers is not None and workers < 1:
        raise CommandError("--workers muss mindestens 1 sein.")
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        raise CommandError(f"Keine Kampagne mit dem Kürzel „{slug}“.")
    directory = Path(out_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(
            f"Verzeichnis „{directory}“ lässt sich nicht anlegen (ein Teil des Pfads ist keins oder gesperrt)."
        ) from exc
    if not os.access(directory, os.W_OK | os.X_OK):
        raise CommandError(f"Verzeichnis „{directory}“ ist nicht beschreibbar.")
    target = {"zip": directory / f"{slug}-briefe.zip", "merged": directory / f"{slug}-druck.pdf"}.get(fmt, directory)

    shown = RenderProgress()

    def progress(done: int, total: int) -> None:
        db.session.commit()  # each chunk's letters are saved as soon as they are rendered
        shown(done, total)

    try:
        result = render_campaign_letters(
            db.session,
            campaign,
            target=target,
            fmt=fmt,
            sort=sort,
            on=today_in_germany(),
            workers=workers,
            pdf_variant="pdf/a-3b" if pdfa else None,
            progress=progress,
        )
    except ServiceError as exc:
        db.session.rollback()
        raise CommandError(str(exc)) from exc
    finally:
        shown.close()
    db.session.commit()
    for line in result.skipped:
        click.echo(f"Übersprungen: {line}", err=True)
    click.echo(f"{result.letters} Briefe ({result.pages} Seiten) geschrieben: {target}")
