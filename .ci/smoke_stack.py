"""The smoke test's stack: a fresh PostgreSQL database, Redis, an SMTP server, gunicorn and two job workers."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import psycopg
import redis

from tests.support.mailserver import MailServer, free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.prefix) / "bin"
PUBLIC_HOST = "kampagne.example.test"
# The whole run must stay well under two minutes; each wait has its own, shorter limit.
STARTUP_SECONDS = 60


class SmokeFailure(AssertionError):
    """A step of the smoke test went wrong; the message says which."""


def wait_for(what: str, check: Callable[[], object], seconds: float = 30.0, every: float = 0.2) -> object:
    """Call `check` until it returns something true; fail with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise SmokeFailure(f"Zeitüberschreitung nach {seconds:.0f} s: {what}")
        time.sleep(every)


class Stack:
    """Starts the parts in order and stops what it started (in reverse order) when the `with` block ends."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.server = os.environ.get("SMOKE_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
        self.database = f"smoke_{self.pid}"
        self.jobs_redis = os.environ.get("SMOKE_JOBS_REDIS", "redis://127.0.0.1:6379/6")
        self.limits_redis = os.environ.get("SMOKE_LIMITS_REDIS", "redis://127.0.0.1:6379/7")
        self.folder = Path(tempfile.mkdtemp(prefix="campaign-smoke-"))
        self.mail = MailServer()
        self.port = free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.cleanup = ExitStack()

    # -- set-up -----------------------------------------------------------------------------------------------

    def __enter__(self) -> Stack:
        self.cleanup.callback(self._remove_folder)
        self._create_database()
        self._empty_redis()
        self.cleanup.callback(self._empty_redis)
        self.mail.start()
        self.cleanup.callback(self.mail.stop)
        self.env = self._environment()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup.close()

    def _create_database(self) -> None:
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
        self.cleanup.callback(self._drop_database)

    def _drop_database(self) -> None:
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def _empty_redis(self) -> None:
        for url in (self.jobs_redis, self.limits_redis):
            redis.Redis.from_url(url).flushdb()

    def _environment(self) -> dict[str, str]:
        """The settings of the production guide; the secret key comes from a file, as with systemd credentials."""
        secret_file = self.folder / "secret_key"
        secret_file.write_text(secrets.token_hex(32) + "\n")
        secret_file.chmod(0o600)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("SMOKE_", "TEST_"))}
        env.update(
            CAMPAIGN_ENV="production",
            SECRET_KEY_FILE=str(secret_file),
            INSTANCE_PATH=str(self.folder / "instance"),
            DATABASE_URL=f"{self.server}/{self.database}",
            JOBS_URL=self.jobs_redis,
            RATELIMIT_STORAGE_URL=self.limits_redis,
            MAIL_URL=self.mail.url,
            MAIL_FROM="Kampagnen-Werkzeug <kampagne@example.org>",
            REPLY_ADDRESS="antworten+{code}@example.org",
            PUBLIC_URL=f"https://{PUBLIC_HOST}",
            PROXY_FIX_X_FOR="1",
            PROXY_FIX_X_PROTO="1",
            SIGN_RATE_LIMIT="5 per minute",
            JOBS_WORKERS="2",
            LETTER_RENDER_WORKERS="1",
            PYTHONUNBUFFERED="1",
        )
        env.pop("SECRET_KEY", None)
        return env

    # -- commands and processes --------------------------------------------------------------------------------

    def campaign(self, *args: str, stdin: str | None = None) -> str:
        """Run a `campaign` command like an administrator would; fail with its output if it fails."""
        began = time.monotonic()
        result = subprocess.run(
            [str(BIN / "campaign"), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.folder,
            timeout=120,
        )
        if result.returncode != 0:
            output = result.stdout + result.stderr
            raise SmokeFailure(f"campaign {' '.join(args)} endete mit {result.returncode}:\n{output}")
        print(f"   campaign {' '.join(args[:2])}: {time.monotonic() - began:.1f} s", flush=True)
        return result.stdout

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.log_path(name), "wb")  # noqa: SIM115 (closed when the process is stopped)
        process = subprocess.Popen(
            command, env=self.env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        self.cleanup.callback(self._stop, name, process, log)
        return process

    def log_path(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def log(self, name: str) -> str:
        return self.log_path(name).read_text(errors="replace")

    def start_web(self) -> None:
        """gunicorn with the example configuration, two processes, on a loopback port."""
        config = ROOT / "deploy" / "gunicorn.conf.py"
        self.start(
            "gunicorn",
            [str(BIN / "gunicorn"), "-c", str(config), "--bind", f"127.0.0.1:{self.port}", "--workers", "2"],
        )
        wait_for("gunicorn nimmt Verbindungen an", self._port_open, STARTUP_SECONDS)

    def _port_open(self) -> bool:
        self.check_running()
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            return False
        return True

    def start_workers(self, count: int = 2) -> None:
        for number in range(1, count + 1):
            self.start(f"worker{number}", [str(BIN / "campaign"), "worker"])
        for number in range(1, count + 1):
            name = f"worker{number}"
            wait_for(f"{name} meldet sich bereit", lambda name=name: self._ready(name), STARTUP_SECONDS)

    def _ready(self, name: str) -> bool:
        self.check_running()
        return "Job-Worker läuft" in self.log(name)

    def check_running(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise SmokeFailure(f"{name} ist unerwartet beendet (Exit-Code {process.returncode}).")

    def _stop(self, name: str, process: subprocess.Popen, log) -> None:
        """SIGTERM (gunicorn) or SIGINT (worker: finish the current task, sign off), then kill after 20 s."""
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT if name.startswith("worker") else signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()

    def _remove_folder(self) -> None:
        if os.environ.get("SMOKE_KEEP") == "1":
            print(f"Instanzordner und Logs bleiben erhalten: {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)

    def print_logs(self) -> None:
        for name in self.processes:
            print(f"----- {name}.log (Ende) -----", file=sys.stderr)
            print(self.log(name)[-6000:], file=sys.stderr)


def _stop_on_sigterm(_signum: int, _frame: object) -> None:
    raise SystemExit("Abgebrochen (SIGTERM)")


def main(run_flow: Callable[[Stack], None]) -> int:
    """Start the stack, run the flow against it; 0 when every step passed, 1 with the reason and the logs else."""
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    started = time.monotonic()
    with Stack() as stack:
        try:
            run_flow(stack)
            stack.check_running()
            for name in stack.processes:
                if "Traceback" in stack.log(name):
                    raise SmokeFailure(f"Im Log von {name} steht ein Traceback.")
        except Exception:
            traceback.print_exc()
            stack.print_logs()
            print(f"SMOKE FEHLGESCHLAGEN nach {time.monotonic() - started:.0f} s", file=sys.stderr)
            return 1
    print(f"Smoke-Test bestanden in {time.monotonic() - started:.0f} s.")
    return 0
