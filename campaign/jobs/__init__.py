"""Background jobs on Huey: the queue, bound to the app's JOBS_URL, and tasks that run in an app context.

A task that works through a `Job` row is registered for the row's kind (`job_task`), so that a job can be
enqueued (again) by its id alone: after the commit that created it, by the sweep, or when a user retries it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from campaign.db import writing_transactions
from campaign.services.common.translation import in_german


class FlaskHuey(Huey):
    """A Huey queue whose storage comes from the Flask config and whose tasks run inside the app."""

    app: Flask | None = None
    # Job kind → the task that runs such a job, called with the job's id.
    job_tasks: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job_tasks = {}

    def init_app(self, app: Flask) -> None:
        url = app.config["JOBS_URL"]
        self.app = app
        self.immediate = url == "immediate"
        if not self.immediate:
            self.storage = storage_for(self.name, url)
        app.extensions["huey"] = self

    def app_task(self, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        """Like `huey.task`, but the function runs in an app context (its own transaction boundary)."""
        return lambda func: self.task(**options)(self._in_app(func))

    def app_periodic_task(self, validate_datetime: Callable[..., bool], **options: Any) -> Callable[..., Any]:
        """Like `huey.periodic_task` (run by every consumer's scheduler), in an app context."""
        return lambda func: self.periodic_task(validate_datetime, **options)(self._in_app(func))

    def job_task(self, kind: str, **options: Any) -> Callable[[Callable[[int], Any]], Any]:
        """An app task that runs jobs of `kind`; it is called with the job's id."""

        def decorate(func: Callable[[int], Any]) -> Any:
            task = self.app_task(**options)(func)
            self.job_tasks[kind] = task
            return task

        return decorate

    def _in_app(self, func: Callable[..., Any]) -> Callable[..., Any]:
        # Tasks run in German, also inside a request (JOBS_URL=immediate): what they store (a job's text, a mail
        # server's error) is German and shown in the viewer's language (campaign.services.common.translation).
        # Their transactions begin as ones that write (campaign.db.writing_transactions): on SQLite a task that read
        # first could not write after a request or another worker had committed.
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            if has_app_context():  # immediate mode inside a request or CLI command
                with in_german(), writing_transactions():
                    return func(*args, **kwargs)
            if self.app is None:
                raise RuntimeError("Die Job-Warteschlange ist nicht mit einer App verbunden (init_jobs fehlt).")
            with self.app.app_context(), in_german(), writing_transactions():
                return func(*args, **kwargs)

        return run


def storage_for(name: str, url: str) -> Any:
    """The Huey storage for a JOBS_URL: sqlite:///path, redis://…, or memory://."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return SqliteStorage(name, filename=url.removeprefix("sqlite:///"))
    if scheme in {"redis", "rediss", "unix"}:
        return RedisStorage(name, url=url)
    if scheme == "memory":
        return MemoryStorage(name)
    raise ValueError(f"JOBS_URL „{url}“ wird nicht unterstützt: sqlite:///Pfad, redis://Host:Port/DB oder immediate.")


# Results are not kept: jobs report through their database rows, and stored results would pile up for ever.
huey = FlaskHuey("campaign", results=False, storage_class=MemoryStorage)


def init_jobs(app: Flask) -> None:
    """Bind the queue to this app's JOBS_URL."""
    huey.init_app(app)
