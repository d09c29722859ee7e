"""What every `campaign` sub-command shares: the one-line error for bad input."""

from __future__ import annotations

import click


class CommandError(click.ClickException):
    """Bad input: one line on stderr, exit code 1."""

    def show(self, file=None) -> None:
        click.echo(f"Fehler: {self.format_message()}", err=True, file=file)
