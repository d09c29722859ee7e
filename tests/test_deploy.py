"""The production examples in deploy/: the settings they name exist; deploy/campaign-env reads them as documented."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from campaign.config import ENV_SETTINGS, SECRET_FILE_SETTINGS

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
CAMPAIGN_ENV = DEPLOY / "campaign-env"
# Variables of the examples that are not the app's settings: create_app's instance folder, gunicorn's (read by
# deploy/gunicorn.conf.py and gunicorn itself), fontconfig's cache, Python's output buffering.
OTHERS = {"INSTANCE_PATH", "GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "FORWARDED_ALLOW_IPS"} | {
    "XDG_CACHE_HOME",
    "PYTHONUNBUFFERED",
}
KNOWN = set(ENV_SETTINGS) | {f"{name}_FILE" for name in SECRET_FILE_SETTINGS} | OTHERS


def _named_settings() -> dict[str, set[str]]:
    """The variables each example sets: the settings file, the systemd units, the compose file."""
    settings_file = (DEPLOY / "campaign.env.example").read_text()
    compose = (DEPLOY / "compose.yaml").read_text()
    found = {
        "campaign.env.example": set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", settings_file, re.MULTILINE)),
        # The app's environment block, indented by four spaces (the database's own variables are indented by six).
        "compose.yaml": set(re.findall(r"^    ([A-Z][A-Z0-9_]+): ", compose, re.MULTILINE)),
    }
    for unit in (DEPLOY / "systemd").glob("*.service"):
        found[unit.name] = set(re.findall(r"^#?Environment=([A-Z][A-Z0-9_]+)=", unit.read_text(), re.MULTILINE))
    return found


def test_every_variable_the_examples_set_is_a_setting_the_app_or_gunicorn_reads():
    named = _named_settings()
    assert named["campaign.env.example"] and named["compose.yaml"] and named["campaign-web.service"]
    unknown = {source: sorted(names - KNOWN) for source, names in named.items() if names - KNOWN}
    assert unknown == {}


def test_the_examples_trust_exactly_one_proxy_and_run_in_production_mode():
    text = (DEPLOY / "campaign.env.example").read_text()
    assert "\nCAMPAIGN_ENV=production\n" in text
    assert "\nPROXY_FIX_X_FOR=1\n" in text and "\nPROXY_FIX_X_PROTO=1\n" in text
    compose = (DEPLOY / "compose.yaml").read_text()
    assert "PROXY_FIX_X_FOR: 1" in compose and "CAMPAIGN_ENV: production" in compose
    nginx = (DEPLOY / "nginx" / "campaign.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx


def _run(config_dir: Path, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CAMPAIGN_ENV), *command],
        env={"PATH": "/usr/bin:/bin", "CAMPAIGN_CONFIG_DIR": str(config_dir), "CAMPAIGN_HOME": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_campaign_env_exports_the_settings_file_and_the_secret_files_that_exist(tmp_path):
    (tmp_path / "campaign.env").write_text(
        "# Kommentar\n\nMAIL_FROM=Kampagne Łódź <kampagne@example.org>\nREPLY_ADDRESS=antworten+{code}@example.org\n"
        "PRIVACY_CONTROLLER=Verein e. V., Straße 1, 50667 Köln",  # the last line without a line break
        encoding="utf-8",
    )
    (tmp_path / "secret_key").write_text("geheim\n")
    (tmp_path / "mail_url").write_text("smtp://u:p@mail.example.org\n")
    result = _run(tmp_path, "env")
    assert result.returncode == 0, result.stderr
    env = dict(line.split("=", 1) for line in result.stdout.splitlines())
    assert env["MAIL_FROM"] == "Kampagne Łódź <kampagne@example.org>"
    assert env["REPLY_ADDRESS"] == "antworten+{code}@example.org"
    assert env["PRIVACY_CONTROLLER"] == "Verein e. V., Straße 1, 50667 Köln"
    assert env["SECRET_KEY_FILE"] == f"{tmp_path}/secret_key" and env["MAIL_URL_FILE"] == f"{tmp_path}/mail_url"
    assert "DATABASE_URL_FILE" not in env and "IMAP_URL_FILE" not in env
    assert env["PATH"].startswith(f"{ROOT}/.venv/bin:")


@pytest.mark.parametrize(
    ("content", "message", "code"),
    [
        (None, "campaign.env fehlt oder ist nicht lesbar", 1),
        ("MAIL_FROM=a@example.org\nrm -rf /\n", "Zeile ohne NAME=Wert: rm -rf /", 1),
    ],
    ids=["missing", "not-an-assignment"],
)
def test_campaign_env_refuses_a_missing_or_malformed_settings_file(tmp_path, content, message, code):
    if content is not None:
        (tmp_path / "campaign.env").write_text(content)
    result = _run(tmp_path, "env")
    assert result.returncode == code
    assert message in result.stderr and result.stdout == ""


def test_campaign_env_without_a_command_says_how_to_call_it(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 2 and "Aufruf:" in result.stderr
