"""The `campaign` command: a Flask CLI group over create_app, with one module of thin wrappers per feature."""

from __future__ import annotations

from flask.cli import FlaskGroup

from campaign import create_app
from campaign.cli.lazy import LazyGroup

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


class CampaignGroup(LazyGroup, FlaskGroup):
    """Flask's group (`run`, `shell`, `routes`, plugin commands such as `db`) plus our commands, loaded lazily."""


cli = CampaignGroup(
    create_app=create_app,
    lazy_commands=COMMANDS,
    help="Kampagnen-Werkzeug: Briefkampagnen gegen Parteitagsanträge.",
)
