"""`campaign up` (web server and job worker) in a child process, for the tests that start the real thing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

# Settings of the test run that the started app must not inherit: it reads its own (or its defaults).
OWN_SETTINGS = {"DATABASE_URL", "JOBS_URL", "MAIL_URL", "SECRET_KEY", "CAMPAIGN_ENV", "RATELIMIT_STORAGE_URL"}
UP = [sys.executable, "-m", "campaign", "up", "--port", "0"]  # a port the system chooses: parallel tests never compete


def environment(**settings: str) -> dict[str, str]:
    """This process's environment without the test run's app settings, plus `settings`."""
    return {key: value for key, value in os.environ.items() if key not in OWN_SETTINGS} | settings


def wait_until_ready(process: subprocess.Popen, output: list[str], seconds: float) -> str:
    """Wait until the web server answers and the worker has reported that it runs; the server's address."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"campaign up ended early with {process.returncode}: {''.join(output)}")
        address = re.search(r"läuft auf (http://127\.0\.0\.1:\d+)/", "".join(output))
        if address and any("Job-Worker läuft" in line for line in output):
            try:
                with urllib.request.urlopen(address.group(1) + "/", timeout=2):
                    return address.group(1)
            except urllib.error.HTTPError as error:
                error.close()  # an error page holds its connection open until closed
            except OSError:
                pass
        time.sleep(0.1)
    raise AssertionError(f"not ready within {seconds} s: {''.join(output)}")


@contextmanager
def running(
    command: list[str], env: dict[str, str], seconds: float = 60
) -> Iterator[tuple[subprocess.Popen, str, list[str]]]:
    """Start `command` (ending in `campaign up`) in a session of its own; while the block runs: the process, the
    server's address and the lines it printed so far. Afterwards anything of it still running is killed."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    try:
        yield process, wait_until_ready(process, output, seconds), output
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        reader.join(timeout=10)
        process.stdout.close()
