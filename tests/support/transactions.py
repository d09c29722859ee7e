"""Whether a database transaction is open right now: to check that nothing waits on a server while holding one."""

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
