"""Real job workers: `campaign worker` processes on Huey's SQLite storage or on Redis, against the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from campaign.jobs import huey
from tests.conftest import TEST_REDIS_URL, require_service


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> int:
        """Ctrl-C: the worker finishes its task, signs off and exits."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=60)

    def kill(self) -> None:
        """As the kernel's OOM killer or a pulled plug would: no clean-up at all."""
        self.process.kill()
        self.process.wait(timeout=30)


@pytest.fixture(params=["sqlite", "redis"])
def jobs_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Huey's storage for the test: a SQLite file (the embedded default), or Redis (TEST_REDIS_URL)."""
    if request.param == "redis":
        require_service(bool(TEST_REDIS_URL), "Redis (TEST_REDIS_URL)")
        return TEST_REDIS_URL
    return f"sqlite:///{tmp_path / 'jobs.sqlite3'}"


@pytest.fixture
def queue_app(app_factory: Callable[..., Flask], jobs_url: str) -> Iterator[Flask]:
    """The app, enqueuing into the real storage (nothing runs inline); the queue is empty before and after."""
    app = app_factory(JOBS_URL=jobs_url, LETTER_RENDER_WORKERS=1)
    huey.flush()
    yield app
    huey.flush()


@pytest.fixture
def start_worker(queue_app: Flask, migrated_database: str, tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Start `campaign worker` processes on the app's database and queue; any still running are killed after."""
    workers: list[Worker] = []

    def start(**settings: Any) -> Worker:
        environment = {
            **os.environ,
            "INSTANCE_PATH": queue_app.instance_path,
            "DATABASE_URL": migrated_database,
            "JOBS_URL": queue_app.config["JOBS_URL"],
            "SECRET_KEY": "test-secret-key",
            "LETTER_RENDER_WORKERS": "1",
            **{name: str(value) for name, value in settings.items()},
        }
        log = tmp_path / f"worker-{len(workers)}.log"
        with log.open("wb") as handle:
            process = subprocess.Popen(
                [sys.executable, "-m", "campaign", "worker", "--workers", "1"],
                env=environment,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        workers.append(Worker(process, log))
        return workers[-1]

    yield start
    for worker in workers:
        if worker.process.poll() is None:
            worker.kill()


def wait_for(condition: Callable[[], Any], worker: Worker, what: str, seconds: float = 120) -> Any:
    """Poll `condition` until it returns something true; fail early if the worker died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        assert worker.process.poll() is None, f"worker ended early: {worker.output()}"
        time.sleep(0.05)
    raise AssertionError(f"{what}: not within {seconds} s. Worker output: {worker.output()}")
