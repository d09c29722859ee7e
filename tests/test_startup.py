"""Start-up cost: the app, the CLI and the job modules load no PDF, Word or spreadsheet stack until it is needed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import click

from campaign.cli import COMMANDS, cli
from tests.support.campaign_up import environment

# Each needed only by the commands and pages that read or write such a file (or render letters).
HEAVY = ("openpyxl", "docx", "pypdf", "weasyprint")

# Run in a fresh interpreter: this test process has long imported WeasyPrint for other tests.
SCRIPT = textwrap.dedent(
    """
    import json, sys
    from campaign import create_app
    import campaign.cli, campaign.jobs.letters, campaign.services.letters.batch.run

    instance = sys.argv[1]
    create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": instance,
        "DATABASE_URL": "sqlite:///" + instance + "/start.sqlite3",
        "JOBS_URL": "immediate",
    })
    loaded_at_start = sorted(name for name in ("weasyprint", "pydyf") if name in sys.modules)

    from campaign.services.letters.pdf import render_pdf
    pdf = render_pdf("<p>Guten Tag ğ ł ß é</p>")
    print(json.dumps({"at_start": loaded_at_start, "pdf": pdf[:5].decode(), "after": "weasyprint" in sys.modules}))
    """
)

# `campaign ARGS…` in a fresh interpreter, through the command's own entry point; prints which of the modules named
# in argv[1] it imported.
COMMAND_SCRIPT = textwrap.dedent(
    """
    import json, sys
    watched = json.loads(sys.argv[1])
    sys.argv = ["campaign", *sys.argv[2:]]
    from campaign.cli import main

    try:
        main()
    except SystemExit:
        pass
    print(json.dumps(sorted(name for name in watched if name in sys.modules)))
    """
)


def test_building_the_app_does_not_import_weasyprint(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["at_start"] == []
    assert report["pdf"] == "%PDF-" and report["after"] is True


def _loaded(settings: dict[str, str], *args: str, watched: tuple[str, ...] = HEAVY) -> tuple[str, list[str]]:
    """What `campaign ARGS…` printed, and which of the `watched` modules it imported."""
    done = subprocess.run(
        [sys.executable, "-c", COMMAND_SCRIPT, json.dumps(watched), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=settings,
    )
    assert done.returncode == 0, done.stderr
    *output, modules = done.stdout.strip().splitlines()
    return "\n".join(output) + done.stderr, json.loads(modules)


def test_a_command_loads_neither_the_other_commands_nor_their_file_libraries(migrated_database: str, tmp_path: Path):
    settings = environment(INSTANCE_PATH=str(tmp_path), DATABASE_URL=migrated_database, JOBS_URL="immediate")
    assert _loaded(settings, "worker", "--help")[1] == []
    assert _loaded(settings, "letters", "queue", "--help")[1] == []
    # A command that runs: it builds the app and asks the database (which has no such campaign).
    output, modules = _loaded(settings, "stats", "keine-kampagne")
    assert "Keine Kampagne" in output and modules == []
    # The one command here that renders letters does load the PDF tools.
    assert "pypdf" in _loaded(settings, "letters", "render", "--help")[1]


def test_only_the_commands_that_serve_pages_build_the_app_with_them(migrated_database: str, tmp_path: Path):
    settings = environment(INSTANCE_PATH=str(tmp_path), DATABASE_URL=migrated_database, JOBS_URL="immediate")
    watched = ("campaign.web",)
    output, modules = _loaded(settings, "stats", "keine-kampagne", watched=watched)
    assert "Keine Kampagne" in output and "campaign.web" not in modules
    output, modules = _loaded(settings, "routes", watched=watched)
    assert "/c/<slug>/sign" in output and "campaign.web" in modules


def test_the_help_lists_every_command_with_its_one_line_help(runner):
    shown = runner.invoke(args=["--help"])
    assert shown.exit_code == 0, shown.output
    commands = shown.output.split("Commands:\n", 1)[1]
    listed = dict(re.findall(r"^  ([a-z-]+)\s+(\S.*)$", commands, flags=re.MULTILINE))
    for name in COMMANDS:
        command = cli.get_command(click.Context(cli), name)
        assert command.get_short_help_str(limit=200).startswith(listed[name].removesuffix("...")), name
    assert {"run", "shell", "routes", "db"} <= set(listed)  # Flask's own commands and Flask-Migrate's stay
    letters = runner.invoke(args=["letters", "--help"]).output.split("Commands:\n", 1)[1]
    assert set(re.findall(r"^  ([a-z]+) ", letters, flags=re.MULTILINE)) == {"render", "generate", "approve", "queue"}
