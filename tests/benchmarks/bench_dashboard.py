"""Dashboard benchmark on PostgreSQL: the dashboard's server time at 10,000 and at 1,000,000 signatures.

One campaign with 50,000 sent letters (to 50,000 recipients on 5 lists), 10,000 replies (answers, standard
replies, auto-replies, bounces) and first 10,000, then 1,000,000 confirmed signatures spread over 90 days,
all loaded with COPY. The dashboard page is requested repeatedly through the Flask test client, logged in as a
coordinator; the first request after each load brings the pre-aggregated daily counts up to date and is not
measured (services/dashboard/signatures.py). Prints one JSON object with the median (p50) server time per size.

Database: the first argument, else BENCH_DATABASE_URL, else TEST_DATABASE_URL with "_bench" added to its
database name (the test database itself is never touched), else
postgresql+psycopg://postgres@127.0.0.1:5432/test_dashboard_bench. The database is dropped and created anew.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test_dashboard_bench"
LETTERS = 50_000
REPLIES = 10_000
SMALL, LARGE = 10_000, 1_000_000
REQUESTS = 20
START = datetime(2026, 1, 5, 8, 0)
SLUG = "bench"


def database_url() -> str:
    if len(sys.argv) > 1:
        return sys.argv[1]
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    if os.environ.get("TEST_DATABASE_URL"):
        url = make_url(os.environ["TEST_DATABASE_URL"])
        return url.set(database=f"{url.database}_bench").render_as_string(hide_password=False)
    return DEFAULT_URL


def recreate_database(url: str) -> None:
    """Drop and create the benchmark database (from the server's "postgres" database)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise SystemExit("bench_dashboard braucht PostgreSQL (postgresql+psycopg://…).")
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    server.dispose()


def _default(column):
    if column.default is None:
        return "" if column.type.python_type is str else None
    if column.default.is_callable:
        return column.default.arg(None)
    return column.default.arg


def copy_rows(connection, table, rows) -> None:
    """COPY dicts into `table`; columns a row leaves out get their model default (so new columns need no edit)."""
    columns = [column for column in table.columns if column is not table.autoincrement_column]
    names = [column.name for column in columns]
    defaults = {column.name: _default(column) for column in columns if not column.nullable}

    def value(row, name):
        item = row.get(name, defaults.get(name))
        if isinstance(item, Enum):
            return item.value
        if isinstance(item, list | dict):
            return json.dumps(item)
        return item

    with connection.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([value(row, name) for name in names])
    connection.commit()


def seed_campaign(app) -> int:
    """Campaign, recipients, lists, letters, replies; returns the campaign id."""
    from campaign.db import db
    from campaign.models import (
        Campaign,
        CampaignStatus,
        Letter,
        LetterStatus,
        Recipient,
        RecipientList,
        Reply,
        ReplyKind,
        ReplyQuality,
        ReplyStance,
        Role,
        recipient_list_members,
    )
    from tests.factories import make_user

    rng = random.Random(15)
    with app.app_context():
        campaign = Campaign(slug=SLUG, title="Benchmark", status=CampaignStatus.ACTIVE, goal_signatures=1_200_000)
        db.session.add(campaign)
        db.session.add_all(RecipientList(name=f"Liste {number}") for number in range(1, 6))
        make_user(db.session, Role.COORDINATOR, email="bench@example.org")
        db.session.commit()
        campaign_id = campaign.id
        raw = db.engine.raw_connection()
        try:
            functions = ("MdL", "MdB", "Kreisvorsitz", "Delegierte", "Ortsvereinsvorsitz", "")
            regions = [f"Unterbezirk {number}" for number in range(1, 41)]
            copy_rows(
                raw.driver_connection,
                Recipient.__table__,
                (
                    {
                        "first_name": f"Vorname{number}",
                        "last_name": f"Nachname{number}",
                        "function": functions[number % len(functions)],
                        "unterbezirk": regions[number % len(regions)],
                        "kreis": f"Kreis {number % 53}",
                        "email": f"person{number}@example.org",
                        "email_canonical": f"person{number}@example.org",
                        "tags": ["spd"] + (["landtag"] if number % 7 == 0 else []),
                    }
                    for number in range(1, LETTERS + 1)
                ),
            )
            copy_rows(
                raw.driver_connection,
                recipient_list_members,
                ({"list_id": 1 + number % 5, "recipient_id": number} for number in range(1, LETTERS + 1)),
            )
            answered = set(rng.sample(range(1, LETTERS + 1), REPLIES))
            sent_at = {number: START + timedelta(minutes=number) for number in range(1, LETTERS + 1)}
            copy_rows(
                raw.driver_connection,
                Letter.__table__,
                (
                    {
                        "campaign_id": campaign_id,
                        "recipient_id": number,
                        "reference_code": f"B-{number:06d}",
                        "channel": "email" if number % 3 else "post",
                        "status": LetterStatus.REPLIED if number in answered else LetterStatus.SENT,
                        "recipient_name": f"Vorname{number} Nachname{number}",
                        "sent_at": sent_at[number],
                    }
                    for number in range(1, LETTERS + 1)
                ),
            )
            kinds = [
                (ReplyKind.REPLY, ReplyQuality.SUBSTANTIVE),
                (ReplyKind.REPLY, ReplyQuality.STANDARD),
                (ReplyKind.REPLY, ReplyQuality.UNCLASSIFIED),
                (ReplyKind.AUTO_REPLY, ReplyQuality.UNCLASSIFIED),
                (ReplyKind.BOUNCE, ReplyQuality.UNCLASSIFIED),
            ]
            stances = list(ReplyStance)
            copy_rows(
                raw.driver_connection,
                Reply.__table__,
                (
                    {
                        "campaign_id": campaign_id,
                        "letter_id": number,
                        "recipient_id": number,
                        "kind": kinds[index % len(kinds)][0],
                        "quality": kinds[index % len(kinds)][1],
                        "stance": stances[index % len(stances)],
                        "received_at": sent_at[number] + timedelta(hours=rng.randint(1, 24 * 40)),
                        "commitments": "stimmt für Änderungsantrag 3" if index % 50 == 0 else "",
                        "body_text": "Vielen Dank für Ihr Schreiben.",
                    }
                    for index, number in enumerate(sorted(answered))
                ),
            )
        finally:
            raw.close()
    return campaign_id


def add_signatures(app, campaign_id: int, first: int, last: int) -> None:
    """Confirmed signatures number first…last, spread over 90 days before the benchmark's 'today'."""
    from campaign.db import db
    from campaign.models import Signature, SignatureStatus

    span = 90 * 24 * 3600
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            copy_rows(
                raw.driver_connection,
                Signature.__table__,
                (
                    {
                        "campaign_id": campaign_id,
                        "status": SignatureStatus.CONFIRMED,
                        "consent_version": "2026-01",
                        "confirm_token_hash": f"c{number:063d}",
                        "withdraw_token_hash": f"w{number:063d}",
                        "confirmed_at": START + timedelta(seconds=(number * 7919) % span),
                    }
                    for number in range(first, last + 1)
                ),
            )
            with raw.driver_connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            raw.driver_connection.commit()
        finally:
            raw.close()


def measure(client) -> float:
    """p50 of REQUESTS dashboard requests in milliseconds, after one unmeasured request."""
    assert client.get(f"/track/campaigns/{SLUG}").status_code == 200
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(f"/track/campaigns/{SLUG}")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(times)


def main() -> None:
    from campaign import create_app
    from tests.factories import PASSWORD

    url = database_url()
    recreate_database(url)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "INSTANCE_PATH": folder,
                "DATABASE_URL": url,
                "JOBS_URL": "immediate",
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        from flask_migrate import upgrade

        with app.app_context():
            upgrade()
        campaign_id = seed_campaign(app)
        add_signatures(app, campaign_id, 1, SMALL)
        client = app.test_client()
        response = client.post("/auth/login", data={"email": "bench@example.org", "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        p50_small = measure(client)
        add_signatures(app, campaign_id, SMALL + 1, LARGE)
        p50_large = measure(client)
        with app.app_context():
            from campaign.db import db

            db.engine.dispose()
    print(
        json.dumps(
            {
                "bench": "dashboard",
                "p50_ms_10k": round(p50_small, 1),
                "p50_ms_1m": round(p50_large, 1),
                "ratio": round(p50_large / p50_small, 2),
                "cores": os.cpu_count(),
                "letters": LETTERS,
                "replies": REPLIES,
                "requests": REQUESTS,
            }
        )
    )


if __name__ == "__main__":
    main()
