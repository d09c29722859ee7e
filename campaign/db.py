"""Database base class, naming convention, SQLite tuning and the Flask-SQLAlchemy handle."""

from __future__ import annotations

import enum
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so Alembic migrations work the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# A pooled connection idle for longer than this is tested before it is used again (see ping_idle_connections).
PING_AFTER_IDLE_SECONDS = 2.0


def utcnow() -> datetime:
    """Now in UTC, without tzinfo: both databases store naive UTC timestamps."""
    return datetime.now(UTC).replace(tzinfo=None)


def enum_type(enum_class: type[enum.Enum], name: str = "") -> sa.Enum:
    """A portable enum column storing the members' values (VARCHAR plus CHECK constraint).

    `name` names the CHECK constraint when a table has two columns of the same enum (names must differ).
    """
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=32,
        name=name or enum_class.__name__.lower(),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL, foreign keys and a busy timeout; let SQLAlchemy emit BEGIN itself so SAVEPOINTs work."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()
    # SQLite's lower() folds only A–Z, and ILIKE compiles to lower(…) LIKE lower(…) here: a search for „łukasik“
    # missed „Łukasik“. Python's lower() folds every script, as PostgreSQL's does under a UTF-8 locale.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


# SQLite: a transaction that has read cannot write once another connection has committed since ("database is
# locked" at once, whatever the busy timeout): a request that loads the user and then saves failed whenever a
# worker's heartbeat or progress landed in between. A transaction that will write therefore begins IMMEDIATE,
# taking the write lock with its first statement (it waits for it up to the busy timeout, like any writer).
_writing: ContextVar[bool] = ContextVar("writing_transactions", default=False)


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection: sa.Connection) -> None:
    """Start SQLite transactions explicitly (pysqlite's own handling breaks SAVEPOINT), IMMEDIATE where they write."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() else "BEGIN")


def writing_begins() -> Token[bool]:
    """From now on (in this thread or task) transactions begin as ones that write (on SQLite: BEGIN IMMEDIATE, see
    above) until `writing_ends(token)`. A transaction already under way is left as it is."""
    return _writing.set(True)


def writing_ends(token: Token[bool]) -> None:
    """Transactions begin as before `writing_begins` returned `token`."""
    _writing.reset(token)


@contextmanager
def writing_transactions() -> Iterator[None]:
    """Every transaction begun in the block is one that writes: for background tasks and commands, which mostly
    write and commit several times, where a reading transaction holding the lock a moment longer costs nothing."""
    token = writing_begins()
    try:
        yield
    finally:
        writing_ends(token)


def ping_idle_connections(engine: Engine) -> None:
    """Test a pooled connection before use when it has been idle for a while, so that after a database restart
    the app gets fresh connections instead of failing once per dead one.

    Unlike pool_pre_ping, a connection in steady use is not tested (that cost a round trip per request). Should
    the database go away under a busy app, the first error invalidates the whole pool: only requests in flight fail.
    """

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _test_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("returned_at", 0.0) < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            # The pool drops this connection and checks out another one (a new one if need be).
            raise sa.exc.DisconnectionError() from exc
