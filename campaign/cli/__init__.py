"""The `campaign` command: a Flask CLI group over create_app, with one module of thin wrappers per feature."""

from __future__ import annotations

from flask.cli import FlaskGroup

from campaign import create_app
from campaign.cli.backup import backup_command, restore_command
from campaign.cli.export import export_command
from campaign.cli.letter_lifecycle import LIFECYCLE_COMMANDS
from campaign.cli.letters import letters_group
from campaign.cli.outbox import outbox_group
from campaign.cli.privacy import privacy_group
from campaign.cli.recipients import recipients_group
from campaign.cli.replies import replies_group
from campaign.cli.runtime import seed_demo_command, up_command, worker_command
from campaign.cli.signatures import signatures_group
from campaign.cli.stats import stats_command
from campaign.cli.users import users_group

COMMANDS = (
    seed_demo_command,
    users_group,
    worker_command,
    up_command,
    recipients_group,
    letters_group,
    outbox_group,
    replies_group,
    export_command,
    backup_command,
    restore_command,
    signatures_group,
    privacy_group,
    stats_command,
)

cli = FlaskGroup(create_app=create_app, help="Kampagnen-Werkzeug: Briefkampagnen gegen Parteitagsanträge.")
for command in COMMANDS:
    cli.add_command(command)
for command in LIFECYCLE_COMMANDS:
    letters_group.add_command(command)
