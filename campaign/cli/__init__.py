"""The `campaign` command: a Flask CLI group over create_app, with one module of thin wrappers per feature."""

from __future__ import annotations

import gc

import click
from flask import Flask
from flask.cli import FlaskGroup

from campaign import create_app
from campaign.cli.lazy import LazyGroup
from campaign.config import ConfigurationError
from campaign.db import writing_transactions

# Each command's module is imported only when the command runs (or its help is shown): a command loads the
# services it uses, not those of every other command.
COMMANDS = {
    "seed-demo": "campaign.cli.runtime:seed_demo_command",
    "users": "campaign.cli.users:users_group",
    "worker": "campaign.cli.runtime:worker_command",
    "up": "campaign.cli.runtime:up_command",
    "recipients": "campaign.cli.recipients:recipients_group",
    "letters": "campaign.cli.letters:letters_group",
    "outbox": "campaign.cli.outbox:outbox_group",
    "replies": "campaign.cli.replies:replies_group",
    "export": "campaign.cli.export:export_command",
    "backup": "campaign.cli.backup:backup_command",
    "restore": "campaign.cli.backup:restore_command",
    "signatures": "campaign.cli.signatures:signatures_group",
    "privacy": "campaign.cli.privacy:privacy_group",
    "stats": "campaign.cli.stats:stats_command",
}


# Of our commands, the one that serves the web pages; Flask's own (`run`, `shell`, `routes`) and other plugins'
# commands get them too. The rest (the worker, every other command) build the app without them.
WEB_COMMANDS = frozenset({"up"})
WEB_META = "campaign.web"


class CampaignGroup(LazyGroup, FlaskGroup):
    """Flask's group (`run`, `shell`, `routes`, plugin commands such as `db`) plus our commands, loaded lazily."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command to run; its transactions will begin with the write lock (campaign.db.writing_transactions):
        a command that reads and then writes would otherwise fail on SQLite when the worker commits in between.

        Not `shell`, where a transaction may stay open while someone reads. The web servers of `run` and `up`
        answer requests in threads of their own, where the request boundary decides.
        """
        name, command, rest = super().resolve_command(ctx, args)
        if name != "shell":
            ctx.with_resource(writing_transactions())
        ctx.meta[WEB_META] = name not in COMMANDS or name in WEB_COMMANDS
        return name, command, rest


# Starting a command imports about 1,200 modules and builds the app. With the collector's usual thresholds that
# meant several full collections over the growing heap, a fifth of the start (0.3-0.4 s of CPU per command).
START_GC_THRESHOLDS = (100_000, 50, 50)
USUAL_GC_THRESHOLDS = gc.get_threshold()


def main() -> None:
    """The `campaign` command (also `python -m campaign`): collect rarely until the app is built; a wrong setting
    is one line naming it, not a traceback."""
    gc.set_threshold(*START_GC_THRESHOLDS)
    try:
        cli()
    except ConfigurationError as error:
        raise SystemExit(f"Fehler in der Konfiguration: {error}") from None


def create_command_app() -> Flask:
    """The app of a command, with the web pages only where it serves them (or may: `run`, `up`, `shell`, `routes`,
    any command not ours); what it holds lives as long as the process, so the collector need not walk it again."""
    context = click.get_current_context(silent=True)
    app = create_app(web=context is None or context.meta.get(WEB_META, True))
    gc.freeze()
    gc.set_threshold(*USUAL_GC_THRESHOLDS)
    return app


cli = CampaignGroup(
    create_app=create_command_app,
    lazy_commands=COMMANDS,
    help="Kampagnen-Werkzeug: Briefkampagnen gegen Parteitagsanträge.",
)
