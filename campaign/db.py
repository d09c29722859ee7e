"""Database base class, naming convention, SQLite tuning and the Flask-SQLAlchemy handle."""

from __future__ import annotations

import enum
import sqlite3
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


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection: sa.Connection) -> None:
    """Start SQLite transactions explicitly (pysqlite's own handling breaks SAVEPOINT)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
