"""`campaign up` (what `make run` calls): migrate, seed, write the demo login, serve, run a worker, stop on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.support.campaign_up import UP, environment, running


@pytest.fixture
def running_app(tmp_path: Path):
    """`campaign up` on the embedded defaults (SQLite, Huey on SQLite, mail to files) in a fresh instance folder."""
    instance = tmp_path / "instance"
    with running(UP, environment(INSTANCE_PATH=str(instance))) as (process, base, output):
        yield process, base, instance, output


def test_up_serves_the_demo_the_organiser_can_log_in_and_ctrl_c_stops_web_server_and_worker(running_app):
    process, base, instance, output = running_app
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

    # Ctrl-C in a terminal signals the whole foreground process group: web server and worker alike.
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=30) == 0, "".join(output)
    deadline = time.monotonic() + 10
    while "Beendet." not in "".join(output) and time.monotonic() < deadline:
        time.sleep(0.02)  # the reader thread collects the last lines the process printed
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
