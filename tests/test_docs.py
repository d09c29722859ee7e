"""The README documents exactly the settings the code reads, the commands and options that exist, and the layout."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from campaign.cli import cli
from campaign.config import ENV_SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_settings_table_lists_exactly_the_settings_read_from_the_environment():
    documented = set(re.findall(r"^\| `([A-Z_]+)`", _section("Configuration"), flags=re.MULTILINE))
    assert documented == set(ENV_SETTINGS)


def test_every_setting_is_read_somewhere():
    # Flask reads SECRET_KEY and MAX_CONTENT_LENGTH itself; config.py derives the rest of its own.
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "campaign").rglob("*.py")
        if path.name != "config.py" and "migrations" not in path.parts
    )
    read_by_config = {"CAMPAIGN_ENV", "SECRET_KEY", "DATABASE_URL", "RATELIMIT_STORAGE_URL", "MAX_CONTENT_LENGTH"}
    unread = [name for name in ENV_SETTINGS if name not in read_by_config and name not in sources]
    assert unread == []


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    context = click.Context(group)
    # The lazy groups import a command's module in get_command (list_commands would build the app for Flask's).
    for name in sorted({*group.commands, *getattr(group, "lazy_commands", {})}):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
        else:
            found.append((f"{prefix}{name}", command))
    return found


OURS = [(name, command) for name, command in _commands(cli) if command.callback.__module__.startswith("campaign.")]


@pytest.mark.parametrize(("name", "command"), OURS, ids=[name.replace(" ", "-") for name, _ in OURS])
def test_every_command_and_option_is_in_the_readme(name, command):
    commands = _section("Commands")
    assert f"campaign {name}" in commands
    for option in command.params:
        if isinstance(option, click.Option) and option.name != "help":
            assert any(flag in commands for flag in option.opts), f"campaign {name} {option.opts[0]}"


def test_the_layout_map_names_only_folders_and_files_that_exist():
    stack: list[tuple[int, Path]] = []
    named, missing = [], []
    for line in _section("Layout").split("```")[1].splitlines():
        match = re.match(r"^( *)([\w.]+/|\w+\.\w+) ", line)  # a folder/ or a file.ext
        if not match:
            continue
        indent, name = len(match.group(1)), match.group(2)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = (stack[-1][1] if stack else ROOT) / name.rstrip("/")
        named.append(path)
        if not path.exists():
            missing.append(str(path.relative_to(ROOT)))
        if name.endswith("/"):
            stack.append((indent, path))
    assert len(named) > 20 and missing == []


def test_the_services_map_names_every_feature_package():
    packages = {path.parent.name for path in (ROOT / "campaign" / "services").glob("*/__init__.py")}
    listed = set(re.findall(r"^    (\w+)/ ", _section("Layout"), flags=re.MULTILINE))
    assert packages <= listed
