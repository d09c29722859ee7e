"""Shared fixtures: app, client, runner, a rolled-back db_session, and the real services the suite uses."""

from __future__ import annotations

import functools
import gc
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from campaign import create_app
from campaign.cli import cli as campaign_cli
from campaign.config import normalise_database_url
from campaign.db import db
from campaign.extensions import limiter

# Python's cyclic garbage collector ran about 6,400 times in a test process and took an eighth of its CPU, mostly in
# full collections that walked every module, compiled template and cached statement again. The suite builds a lot
# of short-lived objects (an app per test) and little cyclic garbage: collect less often, and move what exists after
# collection (modules, test items) out of the collector's sight (gc.freeze in pytest_collection_finish).
gc.set_threshold(20_000, 20, 20)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()


@sa.event.listens_for(Engine, "connect")
def _reverse_unordered_selects(dbapi_connection: Any, _record: Any) -> None:
    """On SQLite, tests get the rows of a query without ORDER BY in reverse order.

    PostgreSQL returns them in no promised order either, and in CI its order changed with the way tables are
    emptied: a test or a page that relied on insertion order passed on SQLite and failed there now and then. The
    reversed order makes such a reliance fail at once, on every run (PostgreSQL mostly keeps the order of
    insertion, so the two suites see opposite orders).
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA reverse_unordered_selects=ON")


# "gw0", "gw1", … in the processes of pytest-xdist (`make test` runs the suite with -n auto); "" otherwise.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def per_worker_redis_url(url: str, worker: str = XDIST_WORKER) -> str:
    """The Redis URL of this test process: worker gwN uses database number (given number + N).

    A database per worker keeps the rate-limit counters and Huey queues of parallel tests apart, also in
    subprocesses (workers, `campaign up`) that get the URL through their environment.
    """
    if not url or not worker:
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + int(worker.removeprefix('gw'))}"))


TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = per_worker_redis_url(os.environ.get("TEST_REDIS_URL", ""))
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require_service(available: bool, what: str) -> None:
    """Skip when a service is missing locally; fail when CI promised it (REQUIRE_SERVICES=1)."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1, aber {what} ist nicht verfügbar")
    pytest.skip(f"{what} nicht verfügbar")


def server_database(url: str, name: str) -> str:
    """The URL of database `name` on the server of `url`, created there if it does not exist yet."""
    server = sa.make_url(url)
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
        if exists.scalar() is None:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


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
        if XDIST_WORKER:  # each parallel test process gets its own database: test_gw0, test_gw1, …
            url = server_database(url, f"{sa.make_url(url).database}_{XDIST_WORKER}")
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


@functools.cache
def _filled_tables_query() -> sa.CompoundSelect:
    """The indexes (in `sorted_tables`) of the tables that hold rows."""
    return sa.union_all(
        *(
            sa.select(sa.literal(index)).where(sa.exists().select_from(table))
            for index, table in enumerate(db.metadata.sorted_tables)
        )
    )


_ID_SEQUENCES = sa.text(
    "SELECT table_name, pg_get_serial_sequence(quote_ident(table_name), 'id') FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND column_name = 'id'"
)
_id_sequences: dict[str, str] = {}  # PostgreSQL: the sequence behind each table's `id` column, by table name


def clean_tables() -> None:
    """Delete every row, children first, so the next test starts from an empty database, ids counting from 1.

    One query finds the tables that have rows; most tests leave none or a few, and emptying only those is
    much cheaper than a statement per table. On PostgreSQL, DELETE and a reset of the id sequences are also
    far cheaper than TRUNCATE, which replaces each table's files: 2 ms instead of 280 ms for eight tables.
    """
    tables = db.metadata.sorted_tables
    with db.engine.begin() as connection:
        filled = [tables[index] for index in sorted(connection.execute(_filled_tables_query()).scalars())]
        for table in reversed(filled):
            connection.execute(table.delete())
        if filled and connection.dialect.name == "postgresql":
            if not _id_sequences:
                _id_sequences.update(
                    (table, sequence) for table, sequence in connection.execute(_ID_SEQUENCES) if sequence
                )
            for table in filled:
                if table.name in _id_sequences:
                    connection.execute(sa.select(sa.func.setval(_id_sequences[table.name], 1, False)))


class SharedBytecodeCache(BytecodeCache):
    """Compiled page templates, shared by the apps of one test process.

    Every test builds its own app, and each app would otherwise compile every template it renders again.
    The apps of the suite share their Jinja settings, so the compiled code is the same for all of them.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)  # ignored by Jinja when the template's source has changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = SharedBytecodeCache()


def _share_url_builders() -> None:
    """Compile each URL rule's builder once per test process instead of once per app.

    Werkzeug generates and compiles Python code for every rule of every new app: with about 150 rules that was
    0.16 s of each test's set-up. The code depends only on the rule's text, defaults and flags (converters are
    looked up on the rule when it runs), and the apps of the suite share their rules, so one copy serves all.
    """
    compile_builder = Rule._compile_builder
    compiled: dict[tuple[Any, ...], Any] = {}

    def shared(self: Rule, append_unknown: bool = True) -> Any:
        key = (self.rule, self.subdomain, self.host, repr(sorted((self.defaults or {}).items())), append_unknown)
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = shared  # type: ignore[method-assign]


def _share_parsed_rules() -> None:
    """Parse each URL rule's text once per test process instead of once per app.

    Parsing the rules was most of the remaining cost of building an app (about 0.03 s of CPU per test). The parts
    depend only on the rule's text and the converters it names; each rule still gets converters of its own map.
    """
    parse_rule = Rule._parse_rule
    get_converter = Rule.get_converter
    parsed: dict[tuple[Any, ...], tuple[list[Any], list[Any], list[tuple[Any, ...]]]] = {}

    def recording_get_converter(self: Rule, variable: str, name: str, args: Any, kwargs: Any) -> Any:
        if (recording := self.__dict__.get("_converter_calls")) is not None:
            recording.append((variable, name, args, kwargs))
        return get_converter(self, variable, name, args, kwargs)

    def shared(self: Rule, rule: str) -> Any:
        converters = self.map.__dict__.get("_converters_key")
        if converters is None:
            converters = self.map._converters_key = tuple(
                sorted((name, id(kind)) for name, kind in self.map.converters.items())
            )
        key = (rule, converters)
        if key not in parsed:
            trace_start, self._converter_calls = len(self._trace), []
            parts = list(parse_rule(self, rule))
            parsed[key] = (parts, self._trace[trace_start:], self.__dict__.pop("_converter_calls"))
            return parts
        parts, trace, converter_calls = parsed[key]
        self._trace.extend(trace)
        for variable, name, args, kwargs in converter_calls:
            self._converters[variable] = get_converter(self, variable, name, args, kwargs)
            self.arguments.add(variable)
        return parts

    Rule.get_converter = recording_get_converter  # type: ignore[method-assign]
    Rule._parse_rule = shared  # type: ignore[method-assign]


_share_url_builders()
_share_parsed_rules()

# One engine per database and engine options for all the apps of a test process: SQLAlchemy caches compiled
# statements per engine, and a fresh engine per test compiled every query of every test (and the clean-up) again.
SHARED_ENGINES: dict[str, sa.Engine] = {}


def _option_text(value: Any) -> str:
    return value.render_as_string(hide_password=False) if isinstance(value, sa.URL) else repr(value)


def _share_engines() -> None:
    make_engine = db._make_engine

    def shared(bind_key: str | None, options: dict[str, Any], app: Flask) -> sa.Engine:
        key = repr(sorted((name, _option_text(value)) for name, value in options.items()))
        if key not in SHARED_ENGINES:
            SHARED_ENGINES[key] = make_engine(bind_key, options, app)
        return SHARED_ENGINES[key]

    db._make_engine = shared  # type: ignore[method-assign]


_share_engines()


def build_app(database_url: str, instance: Path, **overrides: Any) -> Flask:
    """A test app on `database_url` with its own instance folder, sharing the compiled page templates."""
    app = create_app(make_config(database_url, instance, **overrides))
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    return app


def release_app(app: Flask) -> None:
    """Delete the rows the test left behind and hand the app's connections back to the shared engine's pool.

    Not disposed: the next test's app uses the same engine, and reopening a SQLite database in WAL mode each test
    (closing the last connection checkpoints and deletes the log, opening sets the pragmas again) cost more than
    the test itself in many a web test.
    """
    with app.app_context():
        db.session.remove()
        clean_tables()


@pytest.fixture
def app_factory(migrated_database: str, tmp_path: Path) -> Iterator[Any]:
    """Build apps on the migrated test database; their rows are deleted after the test."""
    apps: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        app = build_app(migrated_database, tmp_path / "instance", **overrides)
        # Counters live in the storage (Redis in CI), not in the app: start every test from zero.
        limiter.reset()
        apps.append(app)
        return app

    yield make
    for app in apps:
        release_app(app)


@pytest.fixture(scope="session")
def service_app(migrated_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app per test process for tests that need nothing but a rolled-back `db_session`."""
    app = build_app(migrated_database, tmp_path_factory.mktemp("services") / "instance")
    yield app
    release_app(app)


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
def db_session(request: pytest.FixtureRequest) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back: service tests leave nothing behind.

    It runs on the test's own app when the test uses one (`app`, `client`, `runner`); otherwise on the
    process's shared app, since a test that only calls services needs no app of its own.
    """
    shared = "app" not in request.fixturenames
    app = request.getfixturevalue("service_app" if shared else "app")
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
            if shared:  # whatever a test wrote past the rollback must not reach the next test
                db.session.remove()
                clean_tables()
