"""Signing benchmark: the real signing POST (CSRF token, form, canonical e-mail, two upserts, outbox mail) served by
gunicorn with 2 workers on PostgreSQL, against a bare Flask endpoint that only inserts one row, in the same run.

Concurrent clients POST for a fixed time, in rounds that alternate between the two servers (both are up all
along), so a change in the machine's load falls on both alike. "lost" counts accepted POSTs (302 to the thank-you
page) that did not leave exactly one pending signature and one queued confirmation mail. All load comes from one
address, so the per-address limit (SIGN_RATE_LIMIT) is raised for the run; the output says so. The database is
BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres@127.0.0.1/bench_signing (created if missing); its
schema is emptied first. Rate-limit counters go to BENCH_REDIS_URL if set (else memory in each worker).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
# Each endpoint is driven in this many alternating rounds of SECONDS / ROUNDS.
ROUNDS = 3
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = 2
# Threads per worker: a request waiting for the database does not hold up the next one (the same for both apps).
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
RAISED_LIMIT = "1000000 per minute"
SLUG = "bench-offener-brief"


def _database_url() -> str:
    import sqlalchemy as sa

    from campaign.config import normalise_database_url

    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    url = normalise_database_url(url or "postgresql+psycopg://postgres@127.0.0.1:5432/bench_signing")
    server = sa.make_url(url)
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if (
            connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": server.database}).scalar()
            is None
        ):
            connection.exec_driver_sql(f'CREATE DATABASE "{server.database}"')
    admin.dispose()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
        connection.exec_driver_sql(
            "CREATE TABLE bench_rows (id serial PRIMARY KEY, email text NOT NULL, "
            "created_at timestamp NOT NULL DEFAULT now())"
        )
    engine.dispose()
    return url


def _settings(url: str, instance: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "bench-secret-key",
        "JOBS_URL": "memory://",  # the confirmation mails stay queued in the outbox: they are what we count
        "MAIL_FROM": "Offener Brief <kampagne@example.org>",
        "SIGN_RATE_LIMIT": RAISED_LIMIT,
        "RATELIMIT_STORAGE_URL": os.environ.get("BENCH_REDIS_URL", "memory://"),
    }


def _prepare(url: str, instance: Path) -> None:
    from flask_migrate import upgrade

    from campaign import create_app
    from campaign.db import db
    from campaign.models import Campaign, CampaignStatus

    app = create_app(_settings(url, instance))
    with app.app_context():
        upgrade()
        db.session.add(
            Campaign(
                slug=SLUG,
                title="Offener Brief (Benchmark)",
                status=CampaignStatus.ACTIVE,
                open_letter=True,
                goal_signatures=1_000_000,
            )
        )
        db.session.commit()
        db.engine.dispose()


def bare_app():
    """The comparison: a Flask app whose one endpoint inserts one row and answers like the signing POST (302)."""
    import sqlalchemy as sa
    from flask import Flask, redirect, request

    app = Flask(__name__)
    engine = sa.create_engine(os.environ["DATABASE_URL"], pool_size=5)
    insert = sa.text("INSERT INTO bench_rows (email) VALUES (:email)")

    @app.post("/insert")
    def insert_row():
        with engine.begin() as connection:
            connection.execute(insert, {"email": request.form.get("email", "")})
        return redirect("/done")

    return app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn(target: str, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
            target,
        ],
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn für {target} startet nicht")


def _request(
    port: int, method: str, path: str, body: str = "", cookie: str = "", timeout: float = 30
) -> tuple[int, str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    set_cookie = response.getheader("Set-Cookie") or ""
    connection.close()
    return response.status, text, set_cookie.split(";", 1)[0]


def _drive(port: int, path: str, make_body, seconds: float, tag: str) -> dict:
    """CLIENTS threads POSTing for `seconds`; each client first fetches its CSRF token when `make_body` needs one."""
    latencies: list[float] = []
    accepted: list[str] = []
    failed = [0]
    lock = threading.Lock()
    stop = [0.0]
    # The clock starts when every client holds its token (the barrier's action runs before anyone goes on).
    ready = threading.Barrier(CLIENTS + 1, action=lambda: stop.__setitem__(0, time.monotonic() + seconds))

    def client(number: int) -> None:
        cookie, token = "", ""
        try:
            if path != "/insert":
                # The page with the form, as a browser gets it: the session cookie and its CSRF token (not timed).
                _status, page, cookie = _request(port, "GET", f"/c/{SLUG}", timeout=120)
                token = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', page)[1]
            else:
                _request(port, "POST", path, make_body(f"warm{number}@example.org", ""), timeout=120)
        except Exception:
            ready.abort()  # the run stops with the error instead of waiting for this client for ever
            raise
        ready.wait()
        sequence = 0
        while time.monotonic() < stop[0]:
            sequence += 1
            email = f"{tag}.b{number}.{sequence}+x@example.org"
            started = time.perf_counter()
            status, _text, _ = _request(port, "POST", path, make_body(email, token), cookie)
            elapsed = time.perf_counter() - started
            with lock:
                if status == 302:
                    latencies.append(elapsed)
                    accepted.append(email)
                else:
                    failed[0] += 1

    threads = [threading.Thread(target=client, args=(number,)) for number in range(CLIENTS)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = stop[0] - seconds
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    return {"seconds": duration, "latencies": latencies, "accepted": accepted, "failed": failed[0]}


def _sign_body(email: str, token: str) -> str:
    from campaign.services.signing.consent import BUILT_IN_VERSION

    return urlencode(
        {
            "csrf_token": token, "first_name": "Zoë", "last_name": "Ñúñez", "email": email, "postcode": "50667",
            "city": "Köln", "listing": "full_name", "consent": "y", "consent_version": BUILT_IN_VERSION,
        }
    )  # fmt: skip


def _lost(url: str, accepted: list[str]) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        good = connection.execute(
            sa.text(
                "SELECT s.email FROM supporters s "
                "JOIN signatures g ON g.supporter_id = s.id AND g.status = 'pending' "
                "WHERE (SELECT count(*) FROM outbox_messages m "
                "       WHERE m.signature_id = g.id AND m.status = 'pending') = 1 "
                "GROUP BY s.email HAVING count(g.id) = 1"
            )
        ).scalars()
        found = set(good)
    engine.dispose()
    return sum(1 for email in accepted if email not in found)


def _merge(runs: list[dict]) -> dict:
    """The rounds of one endpoint as one run: requests per second over the time driven, all latencies."""
    seconds = sum(run["seconds"] for run in runs)
    accepted = [email for run in runs for email in run["accepted"]]
    return {
        "per_s": len(accepted) / seconds,
        "latencies": [value for run in runs for value in run["latencies"]],
        "accepted": accepted,
        "failed": sum(run["failed"] for run in runs),
    }


def main() -> None:
    url = _database_url()
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder) / "instance"
        _prepare(url, instance)
        env = {**_settings(url, instance)}
        sign_server, sign_port = _gunicorn("campaign:create_app()", env)
        bare_server, bare_port = _gunicorn("tests.benchmarks.bench_signing:bare_app()", env)
        signing_runs, bare_runs = [], []
        try:
            # Alternating rounds, so that a change in the machine's load during the run falls on both alike.
            for round_number in range(ROUNDS):
                signing_runs.append(
                    _drive(sign_port, f"/c/{SLUG}/sign", _sign_body, SECONDS / ROUNDS, f"r{round_number}")
                )
                bare_runs.append(
                    _drive(
                        bare_port,
                        "/insert",
                        lambda email, _token: urlencode({"email": email}),
                        SECONDS / ROUNDS,
                        f"r{round_number}",
                    )
                )
        finally:
            for server in (sign_server, bare_server):
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
    signing, bare = _merge(signing_runs), _merge(bare_runs)
    latencies = sorted(signing["latencies"]) or [0.0]
    result = {
        "bench": "signing",
        "sign_per_s": round(signing["per_s"], 1),
        "bare_per_s": round(bare["per_s"], 1),
        "ratio": round(signing["per_s"] / bare["per_s"], 3) if bare["per_s"] else None,
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1),
        "accepted": len(signing["accepted"]),
        "refused": signing["failed"],
        "lost": _lost(url, signing["accepted"]),
        "bare_accepted": len(bare["accepted"]),
        "seconds_each": SECONDS,
        "rounds": ROUNDS,
        "clients": CLIENTS,
        "gunicorn_workers": WORKERS,
        "threads_per_worker": THREADS,
        "database": "postgresql",
        "cores": os.cpu_count(),
        "note": f"all load from one address: the per-address limit SIGN_RATE_LIMIT was raised to '{RAISED_LIMIT}'",
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
