"""Shared fixtures: app, client, runner, a rolled-back db_session, and the real services the suite uses."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from campaign import create_app
from campaign.cli import cli as campaign_cli
from campaign.config import normalise_database_url
from campaign.db import db
from campaign.extensions import limiter

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require_service(available: bool, what: str) -> None:
    """Skip when a service is missing locally; fail when CI promised it (REQUIRE_SERVICES=1)."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1, aber {what} ist nicht verfügbar")
    pytest.skip(f"{what} nicht verfügbar")


def reset_database(url: str) -> None:
    """Empty a server database completely, so migrations start from nothing."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if TEST_DATABASE_URL:
        url = normalise_database_url(TEST_DATABASE_URL)
        reset_database(url)
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def make_config(database_url: str, instance: Path, **overrides: Any) -> dict[str, Any]:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
        "JOBS_URL": "immediate",
        "MAIL_URL": "file://" + str(instance / "outbox"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URL": TEST_REDIS_URL or "memory://",
        # The cheapest argon2id argon2-cffi accepts: tests check who may log in, not how hard hashes are to crack.
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 8,
        "PASSWORD_HASH_PARALLELISM": 1,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def migrated_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test database, upgraded once through the real Alembic migrations."""
    app = create_app(make_config(database_url, tmp_path_factory.mktemp("migrate")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def clean_tables() -> None:
    """Delete every row, children first, so the next test starts from an empty database."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
            connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def app_factory(migrated_database: str, tmp_path: Path) -> Iterator[Any]:
    """Build apps on the migrated test database; their rows are deleted after the test."""
    apps: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        app = create_app(make_config(migrated_database, tmp_path / "instance", **overrides))
        # Counters live in the storage (Redis in CI), not in the app: start every test from zero.
        limiter.reset()
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.session.remove()
            clean_tables()
            db.engine.dispose()


@pytest.fixture
def app(app_factory: Any) -> Flask:
    return app_factory()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class CampaignCliRunner(FlaskCliRunner):
    """Invokes the `campaign` command group (not app.cli) against the test app."""

    def invoke(self, cli: Any = None, args: Any = None, **kwargs: Any) -> Any:
        return super().invoke(cli or campaign_cli, args, **kwargs)


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return CampaignCliRunner(app)


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back: service tests leave nothing behind."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()
            connection.close()
