"""`campaign letters …`: rendering letters (module `letter_render`) and the sending lifecycle (`letter_lifecycle`)."""

from __future__ import annotations

import click

from campaign.cli.lazy import LazyGroup


@click.group(
    "letters",
    cls=LazyGroup,
    lazy_commands={
        "render": "campaign.cli.letter_render:letters_render",
        "generate": "campaign.cli.letter_lifecycle:letters_generate",
        "approve": "campaign.cli.letter_lifecycle:letters_approve",
        "queue": "campaign.cli.letter_lifecycle:letters_queue",
    },
)
def letters_group() -> None:
    """Briefe erzeugen."""
