"""A click group that imports a sub-command's module only when that command runs or its help is shown."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

import click


class LazyGroup(click.Group):
    """Sub-commands given as {name: "module:attribute"}, imported on first lookup (click's documented pattern).

    Every `campaign …` process (the worker, `up`, each CLI call) would otherwise import every feature's
    services at start: the spreadsheet, Word and PDF libraries included.
    """

    def __init__(self, *args: Any, lazy_commands: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy_commands:
            if name not in self.commands:
                module, _, attribute = self.lazy_commands[name].partition(":")
                self.add_command(getattr(import_module(module), attribute), name)
            return self.commands[name]
        return super().get_command(ctx, name)
