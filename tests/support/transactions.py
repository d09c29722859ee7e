"""Transactions in tests: whether one is open right now, and another process committing between statements."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import event


@contextmanager
def watching_transactions(engine: sa.Engine) -> Iterator[Callable[[], bool]]:
    """Yields a function that says whether one of the engine's connections has begun a transaction that has not
    ended yet (a Session may hold a transaction of its own before any statement; this is the database's)."""
    open_transactions: list[bool] = []
    listeners = {
        "begin": lambda _connection: open_transactions.append(True),
        "commit": lambda _connection: open_transactions.clear(),
        "rollback": lambda _connection: open_transactions.clear(),
    }
    for name, listener in listeners.items():
        event.listen(engine, name, listener)
    try:
        yield lambda: bool(open_transactions)
    finally:
        for name, listener in listeners.items():
            event.remove(engine, name, listener)


@contextmanager
def another_process_committing(
    engine: sa.Engine, change: Callable[[str], sa.Executable], during: Callable[[], bool] = lambda: True
) -> Iterator[list[str]]:
    """Before each statement run on `engine` (while `during()` says so), another process commits `change(statement)`
    whenever it can: on SQLite, while nobody holds the write lock (it does not wait for it). Yields the statements
    it committed before."""
    committed: list[str] = []
    other_process = sa.create_engine(engine.url)  # connections of its own

    def commit_elsewhere(_connection, _cursor, statement: str, *_args) -> None:
        if not during():
            return
        try:
            with other_process.begin() as elsewhere:
                if elsewhere.dialect.name == "sqlite":
                    elsewhere.exec_driver_sql("PRAGMA busy_timeout=0")
                elsewhere.execute(change(statement))
            committed.append(statement)
        except sa.exc.OperationalError:
            pass  # the lock is taken: not now

    event.listen(engine, "before_cursor_execute", commit_elsewhere)
    try:
        yield committed
    finally:
        event.remove(engine, "before_cursor_execute", commit_elsewhere)
        other_process.dispose()
