"""Configuration layers: defaults, then instance/config.py, then the environment, then the test mapping."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from campaign import create_app
from campaign.config import ConfigurationError
from campaign.db import db


@pytest.fixture
def instance(tmp_path):
    path = tmp_path / "instance"
    path.mkdir()
    return path


def test_defaults_put_database_jobs_and_mail_into_the_instance_folder(instance, monkeypatch):
    for name in ("DATABASE_URL", "JOBS_URL", "MAIL_URL", "SECRET_KEY", "CAMPAIGN_ENV"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({"INSTANCE_PATH": str(instance)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance}/campaign.sqlite3"
    assert app.config["JOBS_URL"] == f"sqlite:///{instance}/jobs.sqlite3"
    assert app.config["MAIL_URL"] == f"file://{instance}/outbox"
    assert app.instance_path == str(instance)


def test_each_layer_overrides_the_one_before(instance, monkeypatch):
    (instance / "config.py").write_text(
        'MAIL_FROM = "Aus instance <a@example.org>"\nLOGIN_RATE_LIMIT = "3 per minute"\nJOBS_WORKERS = 3\n'
    )
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "5 per minute")
    monkeypatch.setenv("JOBS_WORKERS", "5")
    app = create_app({"INSTANCE_PATH": str(instance), "JOBS_WORKERS": 7})
    assert app.config["MAIL_FROM"] == "Aus instance <a@example.org>"  # instance beats default
    assert app.config["LOGIN_RATE_LIMIT"] == "5 per minute"  # environment beats instance
    assert app.config["JOBS_WORKERS"] == 7  # test mapping beats environment


def test_environment_values_take_the_type_of_the_default(instance, monkeypatch):
    monkeypatch.setenv("JOBS_WORKERS", "4")
    assert create_app({"INSTANCE_PATH": str(instance)}).config["JOBS_WORKERS"] == 4
    monkeypatch.setenv("JOBS_WORKERS", "viele")
    with pytest.raises(ValueError, match="ganze Zahl"):
        create_app({"INSTANCE_PATH": str(instance)})


def test_postgres_urls_use_the_psycopg_driver(instance):
    app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": "postgres://u@db.example.org/kampagne"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example.org/kampagne"


def test_local_secret_key_is_generated_once_and_kept_private(instance, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(instance)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(instance)}).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (instance / "secret_key").stat().st_mode & 0o077 == 0


def test_production_without_secret_key_refuses_to_start(instance, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("CAMPAIGN_ENV", "production")
    with pytest.raises(ConfigurationError, match="SECRET_KEY fehlt"):
        create_app({"INSTANCE_PATH": str(instance)})
    assert not (instance / "secret_key").exists()


def test_production_sets_secure_cookies(instance, monkeypatch):
    monkeypatch.setenv("CAMPAIGN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app({"INSTANCE_PATH": str(instance)})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]


def test_secrets_can_come_from_files_named_by_the_environment(instance, tmp_path, monkeypatch):
    """systemd credentials and compose secrets: SECRET_KEY_FILE and the *_URL_FILE of services with passwords."""
    key_file = tmp_path / "secret_key"
    key_file.write_text("s" * 48 + "\n")
    mail_file = tmp_path / "mail_url"
    mail_file.write_text("smtp://kampagne:Pässwort@mail.example.org:587?starttls=1\n", encoding="utf-8")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("MAIL_URL", raising=False)
    monkeypatch.setenv("CAMPAIGN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY_FILE", str(key_file))
    monkeypatch.setenv("MAIL_URL_FILE", str(mail_file))
    app = create_app({"INSTANCE_PATH": str(instance)})
    assert app.config["SECRET_KEY"] == "s" * 48
    assert app.config["MAIL_URL"] == "smtp://kampagne:Pässwort@mail.example.org:587?starttls=1"
    # Both the variable and its file: which one was meant is unclear, so the start stops and says so.
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    with pytest.raises(ConfigurationError, match="SECRET_KEY und SECRET_KEY_FILE sind beide gesetzt"):
        create_app({"INSTANCE_PATH": str(instance)})


def test_a_missing_or_empty_secret_file_stops_the_start_with_its_name(instance, tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "fehlt"))
    with pytest.raises(ConfigurationError, match=r"SECRET_KEY_FILE: Die Datei .*fehlt ist nicht lesbar"):
        create_app({"INSTANCE_PATH": str(instance)})
    empty = tmp_path / "leer"
    empty.write_text("\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(empty))
    with pytest.raises(ConfigurationError, match="ist leer"):
        create_app({"INSTANCE_PATH": str(instance)})


def test_proxy_settings_are_off_by_default_and_read_as_numbers(instance, monkeypatch):
    for name in ("PROXY_FIX_X_FOR", "PROXY_FIX_X_PROTO"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({"INSTANCE_PATH": str(instance)})
    assert app.config["PROXY_FIX_X_FOR"] == 0 and app.config["PROXY_FIX_X_PROTO"] == 0
    monkeypatch.setenv("PROXY_FIX_X_FOR", "1")
    monkeypatch.setenv("PROXY_FIX_X_PROTO", "eins")
    with pytest.raises(ValueError, match="ganze Zahl"):
        create_app({"INSTANCE_PATH": str(instance)})
    monkeypatch.setenv("PROXY_FIX_X_PROTO", "-1")
    with pytest.raises(ConfigurationError, match="PROXY_FIX_X_PROTO ist die Zahl der Proxys"):
        create_app({"INSTANCE_PATH": str(instance)})
    monkeypatch.setenv("PROXY_FIX_X_PROTO", "1")
    app = create_app({"INSTANCE_PATH": str(instance)})
    assert app.config["PROXY_FIX_X_FOR"] == 1 and app.config["PROXY_FIX_X_PROTO"] == 1


def test_a_new_instance_folder_is_created_at_the_first_start_also_with_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "gesetzt")
    for name in ("DATABASE_URL", "JOBS_URL", "MAIL_URL", "CAMPAIGN_ENV"):
        monkeypatch.delenv(name, raising=False)
    fresh = tmp_path / "neu" / "instance"
    app = create_app({"INSTANCE_PATH": str(fresh)})
    with app.app_context():
        assert db.session.execute(sa.text("SELECT 1")).scalar() == 1  # the local database opens
        db.engine.dispose()
    assert fresh.is_dir() and not (fresh / "secret_key").exists()


def test_an_instance_folder_that_cannot_be_made_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "gesetzt")
    (tmp_path / "datei").write_text("kein Ordner")
    refused = r"INSTANCE_PATH: Der Ordner .*datei/instance lässt sich nicht anlegen"
    with pytest.raises(ConfigurationError, match=refused):
        create_app({"INSTANCE_PATH": str(tmp_path / "datei" / "instance")})


def test_the_command_names_a_wrong_setting_in_one_line(tmp_path):
    settings = {**os.environ, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY_FILE": str(tmp_path / "fehlt")}
    settings.pop("SECRET_KEY", None)
    done = subprocess.run(
        [sys.executable, "-m", "campaign", "stats", "x"], env=settings, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Fehler in der Konfiguration: SECRET_KEY_FILE: Die Datei {tmp_path / 'fehlt'} ist nicht lesbar "
        "(No such file or directory)."
    ]
