"""Configuration layers: defaults, then instance/config.py, then the environment, then the test mapping."""

from __future__ import annotations

import pytest

from campaign import create_app
from campaign.config import ConfigurationError


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
