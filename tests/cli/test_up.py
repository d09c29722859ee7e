"""`campaign up` (what `make run` calls): migrate, seed, write the demo login, serve, run a worker, stop on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest


def _wait_until_ready(process: subprocess.Popen, output: list[str], seconds: float = 60) -> str:
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
            except OSError:
                pass
        time.sleep(0.1)
    raise AssertionError(f"not ready within {seconds} s: {''.join(output)}")


@pytest.fixture
def running_app(tmp_path: Path):
    """`campaign up` on the embedded defaults (SQLite, Huey on SQLite, mail to files) in a fresh instance folder.

    On a port the system chooses (--port 0), so that tests running in parallel never compete for one.
    """
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "JOBS_URL", "MAIL_URL", "SECRET_KEY", "CAMPAIGN_ENV", "RATELIMIT_STORAGE_URL"}
    }
    environment["INSTANCE_PATH"] = str(tmp_path / "instance")
    process = subprocess.Popen(
        [sys.executable, "-m", "campaign", "up", "--port", "0"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    try:
        base = _wait_until_ready(process, output)
        yield process, base, tmp_path / "instance", output
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        reader.join(timeout=10)
        process.stdout.close()


def test_up_serves_the_demo_and_the_organiser_can_log_in(running_app):
    _process, base, instance, _output = running_app
    with urllib.request.urlopen(base + "/") as response:
        assert "NRW, jetzt erst gerecht" in response.read().decode()

    login_file = instance / "demo-login.txt"
    assert login_file.stat().st_mode & 0o077 == 0
    password = re.search(r"Passwort: (\S+)", login_file.read_text()).group(1)
    email = re.search(r"E-Mail:\s+(\S+)", login_file.read_text()).group(1)

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    form = opener.open(base + "/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    credentials = {"email": email, "password": password, "csrf_token": token}
    opener.open(base + "/auth/login", data=urlencode(credentials).encode())
    overview = opener.open(base + "/organise/").read().decode()
    motion_link = re.search(r'href="(/organise/motions/\d+)"', overview).group(1)
    motion = opener.open(base + motion_link).read().decode()
    assert "Ausbau der Landeseinrichtungen" in motion or "70.000" in motion
    assert "Zeilen" in motion  # provisions linked to their lines
    argument_link = re.search(r'href="(/organise/argument-sets/\d+)"', overview).group(1)
    arguments = opener.open(base + argument_link).read().decode()
    assert "doi.org/10.59350/hpz3x-qh641" in arguments
    recipients = opener.open(base + "/organise/recipients").read().decode()
    assert "example.org" in recipients


def test_ctrl_c_stops_web_server_and_worker(running_app):
    process, _base, _instance, output = running_app
    # Ctrl-C in a terminal signals the whole foreground process group: web server and worker alike.
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=30) == 0, "".join(output)
    time.sleep(0.5)  # let the reader thread collect the last lines
    text = "".join(output)
    assert "Beendet." in text and "Traceback" not in text
    assert "Passwort:" not in text  # the password is only in the file
    leftover = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""


def test_sigterm_to_the_main_process_also_stops_the_worker(running_app):
    process, _base, _instance, output = running_app
    process.send_signal(signal.SIGTERM)  # as `kill` or a service manager would
    assert process.wait(timeout=30) == 0, "".join(output)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        leftover = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.strip()
        if not leftover:
            break
        time.sleep(0.2)
    assert leftover == "", "worker still running"


def test_a_port_in_use_is_one_line_and_starts_nothing(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "campaign", "up", "--port", str(port)],
            env={**os.environ, "INSTANCE_PATH": str(tmp_path / "instance")},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"Fehler: Der Webserver kann 127.0.0.1:{port} nicht öffnen")
    assert "Traceback" not in result.stderr and not (tmp_path / "instance" / "campaign.sqlite3").exists()
