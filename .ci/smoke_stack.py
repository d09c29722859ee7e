"""The smoke test's stack: a fresh PostgreSQL database, Redis, an SMTP server, gunicorn, nginx and two job workers."""

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
from smoke_proxy import nginx_binary, write_configuration

from campaign.config import ENV_SETTINGS
from tests.support.mailserver import MailServer, free_port

ROOT = Path(__file__).resolve().parent.parent
ENV_SCRIPT = ROOT / "deploy" / "campaign-env"
SETTINGS_EXAMPLE = ROOT / "deploy" / "campaign.env.example"
# Variables of the example that are not the app's settings: gunicorn's (deploy/gunicorn.conf.py) and fontconfig's.
OTHER_SETTINGS = {"INSTANCE_PATH", "GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "XDG_CACHE_HOME"}
PUBLIC_HOST = "kampagne.example.org"
# Seconds a process may take to start. Waits find a stack that hangs; they do not measure it.
STARTUP_SECONDS = 60


class SmokeFailure(AssertionError):
    """A step of the smoke test went wrong; the message says which."""


def wait_for(
    what: str | Callable[[], str], check: Callable[[], object], seconds: float = 30.0, every: float = 0.2
) -> object:
    """Call `check` until it returns something true; fail with `what` (or what it returns) after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise SmokeFailure(f"Zeitüberschreitung nach {seconds:.0f} s: {what() if callable(what) else what}")
        time.sleep(every)


def production_settings(**overrides: str) -> list[str]:
    """The lines of deploy/campaign.env.example with `overrides` put in; every name in it must be a known setting."""
    lines, seen = [], set()
    for line in SETTINGS_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        if name not in ENV_SETTINGS and name not in OTHER_SETTINGS:
            raise SmokeFailure(f"{SETTINGS_EXAMPLE.name} setzt {name}, eine Einstellung, die es nicht gibt.")
        seen.add(name)
        lines.append(f"{name}={overrides.get(name, value)}")
    lines += [f"{name}={value}" for name, value in overrides.items() if name not in seen]
    return lines


class Stack:
    """Starts the parts in order and stops what it started (in reverse order) when the `with` block ends."""

    def __init__(self) -> None:
        self.nginx = nginx_binary()  # missing programs first, before anything is set up
        self.pid = os.getpid()
        self.server = os.environ.get("SMOKE_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
        self.database = f"smoke_{self.pid}"
        self.jobs_redis = os.environ.get("SMOKE_JOBS_REDIS", "redis://127.0.0.1:6379/6")
        self.limits_redis = os.environ.get("SMOKE_LIMITS_REDIS", "redis://127.0.0.1:6379/7")
        self.folder = Path(tempfile.mkdtemp(prefix="campaign-smoke-"))
        self.mail = MailServer()
        self.port = free_port()  # gunicorn
        self.http_port, self.https_port = free_port(), free_port()  # nginx
        self.proxy_folder = self.folder / "nginx"
        self.processes: dict[str, subprocess.Popen] = {}
        self.cleanup = ExitStack()

    # -- set-up -----------------------------------------------------------------------------------------------

    def __enter__(self) -> Stack:
        self.cleanup.callback(self._remove_folder)
        try:
            self._create_database()
            self._empty_redis()
            self.cleanup.callback(self._empty_redis)
            self.mail.start()
            self.cleanup.callback(self.mail.stop)
            self.env = self._environment()
        except BaseException:
            self.cleanup.close()  # what was set up before the failure
            raise
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
        """Settings as in production: deploy/campaign.env.example with this machine's addresses, a secret key file.

        Every process is started through deploy/campaign-env, which reads them as the administrator's commands do.
        """
        config = self.folder / "etc"
        config.mkdir()
        (config / "secret_key").write_text(secrets.token_hex(32) + "\n")
        (config / "secret_key").chmod(0o600)
        lines = production_settings(
            CAMPAIGN_ENV="production",
            INSTANCE_PATH=str(self.folder / "instance"),
            DATABASE_URL=f"{self.server}/{self.database}",
            JOBS_URL=self.jobs_redis,
            RATELIMIT_STORAGE_URL=self.limits_redis,
            MAIL_URL=self.mail.url,
            PUBLIC_URL=f"https://{PUBLIC_HOST}",
            SIGN_RATE_LIMIT="5 per minute",
            LETTER_RENDER_WORKERS="1",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS="2",
            XDG_CACHE_HOME=str(self.folder / "cache"),
            PYTHONUNBUFFERED="1",
        )
        (config / "campaign.env").write_text("".join(f"{line}\n" for line in lines))
        # Nothing of the caller's own settings leaks in: only campaign.env and the secret file count.
        env = {key: value for key, value in os.environ.items() if key not in ENV_SETTINGS and not key.endswith("_FILE")}
        env.update(CAMPAIGN_CONFIG_DIR=str(config), CAMPAIGN_HOME=str(ROOT))
        return env

    # -- commands and processes --------------------------------------------------------------------------------

    def campaign(self, *args: str, stdin: str | None = None) -> str:
        """Run a `campaign` command like an administrator would; fail with its output if it fails."""
        began = time.monotonic()
        result = subprocess.run(
            [str(ENV_SCRIPT), "campaign", *args],
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
        self.start("gunicorn", [str(ENV_SCRIPT), "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")])
        wait_for("gunicorn nimmt Verbindungen an", lambda: self._port_open(self.port), STARTUP_SECONDS)

    def start_proxy(self) -> None:
        """nginx with deploy/nginx/campaign.conf in front of gunicorn, checked with `nginx -t` first."""
        main = write_configuration(
            self.proxy_folder,
            PUBLIC_HOST,
            http_port=self.http_port,
            https_port=self.https_port,
            upstream_port=self.port,
        )
        command = [self.nginx, "-p", str(self.proxy_folder), "-c", str(main)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise SmokeFailure(f"nginx -t lehnt die Beispielkonfiguration ab:\n{checked.stderr}")
        self.start("nginx", [*command, "-g", "daemon off;"])
        wait_for("nginx nimmt Verbindungen an", lambda: self._port_open(self.https_port), STARTUP_SECONDS)

    @property
    def certificate(self) -> Path:
        return self.proxy_folder / "cert.pem"

    def access_log(self) -> str:
        return (self.proxy_folder / "campaign.access.log").read_text(errors="replace")

    def _port_open(self, port: int) -> bool:
        self.check_running()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return False
        return True

    def start_workers(self, count: int = 2) -> None:
        for number in range(1, count + 1):
            self.start(f"worker{number}", [str(ENV_SCRIPT), "campaign", "worker"])
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
    try:
        stack = Stack()
        stack.__enter__()
    except Exception as exc:  # nothing is left behind: __enter__ cleans up what it had set up
        print(f"SMOKE FEHLGESCHLAGEN beim Aufbau: {exc}", file=sys.stderr)
        return 1
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
    finally:
        stack.__exit__(None, None, None)
    print(f"Smoke-Test bestanden in {time.monotonic() - started:.0f} s.")
    return 0
