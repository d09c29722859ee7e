"""PDF benchmark: 200 demo letters rendered one WeasyPrint call per letter, then by the bulk path; prints JSON.

Both paths start from the same campaign (the demo, with 200 targets: the 33 demo recipients and fictional copies
of them at other house numbers) and end with one PDF file per letter on disk; both include composing the letters,
the bulk path also writes the letter snapshots to the database. The ratio is bulk / naive letters per second.
Both run warm: WeasyPrint has rendered once in this process, and the bulk path's shared render pool (kept per
process, as in a job worker) has started; the time that start took is reported as bulk_cold_start_s.

Peak memory: the bulk path runs once more for 100 and once for 200 letters, each time in a fresh process, while
a thread samples the resident set size (VmRSS in /proc) of that process and all its descendants (forkserver and
render workers) every 20 ms; the figure is the peak of their sum, i.e. everything the bulk path occupies at once.
(ru_maxrss would not do: on Linux it carries the parent's peak over fork and exec.) Equal figures for 100 and 200
letters show that memory is bounded by the chunks in flight, not by the number of letters.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

LETTERS = 200
ON = date(2026, 3, 2)
WORKERS = None


def _app(database: Path):
    from campaign import create_app

    return create_app(
        {
            "INSTANCE_PATH": str(database.parent / "instance"),
            "DATABASE_URL": f"sqlite:///{database}",
            "JOBS_URL": "immediate",
            "SECRET_KEY": "bench",
        }
    )


def _prepare(database: Path, count: int) -> None:
    """Migrate a fresh database, seed the demo and give its campaign `count` targets."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from campaign.db import db
    from campaign.models import Campaign, Recipient, Target
    from campaign.services.demo import seed_demo

    app = _app(database)
    with app.app_context():
        upgrade()
        seed_demo(db.session)
        campaign = db.session.scalars(select(Campaign)).one()
        demo = list(db.session.scalars(select(Recipient).order_by(Recipient.id)))
        columns = [c.key for c in Recipient.__table__.columns if c.key not in {"id", "created_at", "updated_at"}]
        for number in range(count - len(demo)):
            original = demo[number % len(demo)]
            copy = Recipient(**{name: getattr(original, name) for name in columns})
            copy.street = f"{original.street.rsplit(' ', 1)[0]} {100 + number}"
            copy.email = ""
            copy.email_canonical = ""
            db.session.add(copy)
            db.session.add(Target(campaign=campaign, recipient=copy))
        db.session.commit()
        db.engine.dispose()


def _limit_targets(database: Path, count: int) -> None:
    import sqlite3

    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM targets WHERE id NOT IN (SELECT id FROM targets ORDER BY id LIMIT ?)", (count,))


def _naive(database: Path, out: Path) -> int:
    """One compose + one render_pdf call per letter."""
    from sqlalchemy import select

    from campaign.db import db
    from campaign.models import Campaign, Recipient, Target
    from campaign.services.letters.assets import LETTER_STYLESHEET
    from campaign.services.letters.compose import compose_letter
    from campaign.services.letters.layout import letters_html
    from campaign.services.letters.pdf import render_pdf

    app = _app(database)
    with app.app_context():
        campaign = db.session.scalars(select(Campaign)).one()
        recipients = list(db.session.scalars(select(Recipient).join(Target).where(Target.campaign_id == campaign.id)))
        for number, recipient in enumerate(recipients, start=1):
            code = f"NAIV-{number:04d}"
            letter = compose_letter(campaign, recipient, on=ON, reference_code=code)
            pdf = render_pdf(letters_html([letter]), stylesheets=(LETTER_STYLESHEET,))
            (out / f"{code}.pdf").write_bytes(pdf)
        db.engine.dispose()
        return len(recipients)


def _bulk(database: Path, out: Path) -> int:
    from sqlalchemy import select

    from campaign.db import db
    from campaign.models import Campaign
    from campaign.services.letters.batch.run import render_campaign_letters

    app = _app(database)
    with app.app_context():
        campaign = db.session.scalars(select(Campaign)).one()
        # Committed per chunk, as the job and the command do.
        result = render_campaign_letters(
            db.session,
            campaign,
            target=out,
            fmt="pdf",
            on=ON,
            workers=WORKERS,
            progress=lambda done, total: db.session.commit(),
        )
        db.session.commit()
        db.engine.dispose()
        return result.letters


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0  # the process has just ended
    line = next((line for line in status.splitlines() if line.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1])


def _descendants(root: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return found


def _measure_bulk(database: str, out: str, queue) -> None:
    """Run the bulk path in this fresh process; report the peak of the summed RSS (MB) of it and its workers."""
    from campaign.services.letters.batch.pool import shutdown_pools

    peak = 0
    running = threading.Event()
    running.set()

    def sample() -> None:
        nonlocal peak
        me = os.getpid()
        while running.is_set():
            peak = max(peak, sum(_rss_kb(pid) for pid in [me, *_descendants(me)]))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        _bulk(Path(database), Path(out))
    finally:
        running.clear()
        sampler.join()
        # The pool is kept per process; a multiprocessing child must stop it itself (its atexit hooks do not run).
        shutdown_pools()
    queue.put(round(peak / 1024, 1))


def _peak_rss(base: Path, work: Path, count: int) -> float:
    database = work / f"peak-{count}.sqlite3"
    shutil.copy(base, database)
    _limit_targets(database, count)
    out = work / f"peak-{count}"
    out.mkdir()
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_measure_bulk, args=(str(database), str(out), queue))
    process.start()
    peak = queue.get()
    process.join()
    return peak


def _warm_up() -> float:
    """Load WeasyPrint, Pango and the fonts in this process, and start the bulk path's render workers.

    Neither path pays its one-time start in the timed run; the seconds the workers took to start are returned
    and reported as bulk_cold_start_s.
    """
    from campaign.services.letters.batch.pool import warm_up
    from campaign.services.letters.pdf import render_pdf

    render_pdf("<p>Guten Tag ğ ł ß é</p>")
    started = time.perf_counter()
    warm_up(WORKERS)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        work = Path(tmp)
        base = work / "base.sqlite3"
        _prepare(base, LETTERS)
        cold_start = _warm_up()

        naive_db, bulk_db = work / "naive.sqlite3", work / "bulk.sqlite3"
        shutil.copy(base, naive_db)
        shutil.copy(base, bulk_db)
        (work / "naive").mkdir()
        (work / "bulk").mkdir()

        started = time.perf_counter()
        naive_count = _naive(naive_db, work / "naive")
        naive_seconds = time.perf_counter() - started

        started = time.perf_counter()
        bulk_count = _bulk(bulk_db, work / "bulk")
        bulk_seconds = time.perf_counter() - started

        assert naive_count == bulk_count == LETTERS, (naive_count, bulk_count)
        assert len(list((work / "bulk").glob("*.pdf"))) == LETTERS
        naive_rate = naive_count / naive_seconds
        bulk_rate = bulk_count / bulk_seconds
        figures = {
            "letters": LETTERS,
            "naive_letters_per_s": round(naive_rate, 1),
            "bulk_letters_per_s": round(bulk_rate, 1),
            "ratio": round(bulk_rate / naive_rate, 1),
            "bulk_cold_start_s": round(cold_start, 1),
            "bulk_peak_rss_mb_100": _peak_rss(base, work, 100),
            "bulk_peak_rss_mb_200": _peak_rss(base, work, 200),
        }
    print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
