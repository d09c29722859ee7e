"""PDF benchmark: the bulk path against one WeasyPrint call per letter, for three shapes of campaign; prints JSON.

Shapes (each from the demo campaign, given N targets: the 33 demo recipients and fictional copies of them):
- shared: the demo as it is; its letters have two texts (one argument rule adds a paragraph for some recipients).
- personalised: a template version whose body names the recipient's Unterbezirk and Wahlkreis (two merge fields),
  with the copies spread over Wahlkreise, so nearly every letter's text differs.
- unique: tag rules add three of forty short arguments per recipient (a distinct combination each: 80–150 words
  of its own per letter, as letters written by supporters have), so every letter's text differs.

For N = 200 and 1,000 each: naive_per_s is a warm loop in this process (WeasyPrint loaded, one FontConfiguration
shared by all calls, as a careful naive implementation would) composing and rendering one letter per call and
writing its file. bulk_per_s is render_campaign_letters (composing, snapshots in the database, one PDF per letter)
in a fresh process after its render pool has started; cold_start_s is how long that start took (forkserver,
imports, a warm-up letter per worker), measured on its own, and ratio_cold counts it in, as a user running the
command cold sees it (the command itself overlaps the start with composing, so this is the pessimistic figure).
The naive loop runs on 100 letters spread evenly over the N (every 2nd of 200, every 10th of 1,000; naive_sampled
says how many) and its rate is taken as the rate for all: the loop does the same work for every letter, and running
it in full (3,600 letters) would take longer than all the rest and push `make bench` well past ten minutes.

peak_rss_mb: a thread samples the resident set size (VmRSS) of the bulk process and all its descendants
(forkserver and render workers) every 50 ms; the figure is the peak of their sum. (ru_maxrss would not do: on
Linux it carries the parent's peak over fork and exec, and RUSAGE_CHILDREN gives the largest child, not the sum.)
The same sampling sums the CPU time of those processes: bulk_cpu_ms_per_letter against naive_cpu_ms_per_letter,
and bulk_core_use, show what the rates would be on an idle machine when other work shares the cores.
"""

from __future__ import annotations

import itertools
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

SIZES = (200, 1000)
# Letters the naive loop renders per measurement, spread evenly over the N letters (see the module docstring).
NAIVE_SAMPLE = 100
ON = date(2026, 3, 2)
SHAPES = ("shared", "personalised", "unique")

PERSONAL_SENTENCE = (
    "Gerade im Unterbezirk {{ recipient.unterbezirk }} und im Wahlkreis {{ recipient.wahlkreis }} "
    "erleben wir, was diese Politik vor Ort bedeuten würde."
)
OWN_SENTENCES = (
    "In unserer Stadt helfen Ehrenamtliche seit Jahren bei Behördengängen, und sie berichten, dass lange Wege "
    "und wechselnde Zuständigkeiten die Menschen zermürben.",
    "Eine Familie aus der Nachbarschaft wartet seit vierzehn Monaten auf die Anerkennung der Abschlüsse, obwohl "
    "die Betriebe im Kreis händeringend Fachkräfte suchen.",
    "Die Sprachkurse der Volkshochschule sind auf Monate ausgebucht, und wer in einer Landeseinrichtung lebt, "
    "kommt gar nicht erst auf die Warteliste.",
    "Schulen und Kitas haben gezeigt, dass Kinder schnell ankommen, wenn sie früh einen Platz bekommen und "
    "nicht mehrfach umziehen müssen.",
    "Unsere Gemeinde hat Wohnungen angemietet und mit Nachbarschaftspatenschaften gute Erfahrungen gemacht; "
    "eine Zentralisierung würde diese Arbeit entwerten.",
    "Die Beratungsstellen vor Ort kennen die Menschen beim Namen und können Konflikte lösen, bevor sie "
    "eskalieren, wenn man sie lässt.",
    "Betriebe aus dem Handwerk fragen uns regelmäßig, warum ihre Auszubildenden trotz guter Leistungen um "
    "ihren Aufenthalt fürchten müssen.",
    "Wir erleben, dass Meldepflichten Menschen davon abhalten, Ärztinnen und Ärzte aufzusuchen, selbst wenn "
    "ihre Kinder krank sind.",
)


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


def _copy_recipients(session, campaign, count: int, shape: str) -> None:
    """Give the campaign `count` targets: the demo recipients, then copies of them at other house numbers."""
    from sqlalchemy import select

    from campaign.models import Recipient, Target

    demo = list(session.scalars(select(Recipient).order_by(Recipient.id)))
    columns = [c.key for c in Recipient.__table__.columns if c.key not in {"id", "created_at", "updated_at"}]
    combinations = list(itertools.combinations(range(40), 3))
    for number in range(count):
        if number < len(demo):
            recipient = demo[number]
        else:
            original = demo[number % len(demo)]
            recipient = Recipient(**{name: getattr(original, name) for name in columns})
            recipient.street = f"{original.street.rsplit(' ', 1)[0]} {100 + number}"
            recipient.email = recipient.email_canonical = ""
            session.add(recipient)
            session.add(Target(campaign=campaign, recipient=recipient))
        if shape == "personalised":
            recipient.wahlkreis = f"{recipient.city} {number % 128 + 1:03d}"
        elif shape == "unique":
            # A different combination for every recipient (every 97th of the 9,880, so neighbours differ a lot).
            chosen = combinations[(number * 97) % len(combinations)]
            recipient.tags = [*(recipient.tags or []), *(f"eigen-{k}" for k in chosen)]


def _shape_campaign(campaign, shape: str) -> None:
    """Turn the demo campaign into the shape's: a personalised template version, or rules for own paragraphs."""
    from campaign.models import Argument, ArgumentRule, TemplateVersion
    from campaign.services.letters.templates import current_template_version

    if shape == "personalised":
        version = current_template_version(campaign)
        greeting, opening, rest = version.body.split("\n\n", 2)
        body = "\n\n".join([greeting, opening, PERSONAL_SENTENCE, rest])
        version.template.versions.append(TemplateVersion(number=version.number + 1, subject=version.subject, body=body))
    elif shape == "unique":
        for k in range(40):
            sentences = [OWN_SENTENCES[(k + step * 3) % len(OWN_SENTENCES)] for step in range(2)]
            paragraph = f"Ein Beispiel ({k + 1}) aus unserem Alltag: " + " ".join(sentences)
            campaign.argument_set.arguments.append(
                Argument(key=f"eigen-{k}", claim=f"Beispiel {k + 1}", paragraph=paragraph, tags=[f"eigen-{k}"])
            )
            campaign.argument_rules.append(
                ArgumentRule(recipient_tag=f"eigen-{k}", argument_tag=f"eigen-{k}", position=100 + k)
            )


def _prepare(database: Path, count: int, shape: str) -> None:
    """Migrate a fresh database, seed the demo, give its campaign `count` targets and the shape's texts."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from campaign.db import db
    from campaign.models import Campaign
    from campaign.services.demo import seed_demo

    app = _app(database)
    with app.app_context():
        upgrade()
        seed_demo(db.session)
        campaign = db.session.scalars(select(Campaign)).one()
        _shape_campaign(campaign, shape)
        _copy_recipients(db.session, campaign, count, shape)
        db.session.commit()
        db.engine.dispose()


def _limit_targets(database: Path, count: int) -> None:
    import sqlite3

    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM targets WHERE id NOT IN (SELECT id FROM targets ORDER BY id LIMIT ?)", (count,))


def _naive(database: Path, out: Path, stride: int) -> tuple[int, set[str]]:
    """One compose + one render_pdf call per letter (every `stride`-th), sharing one FontConfiguration."""
    from sqlalchemy import select

    from campaign.db import db
    from campaign.models import Campaign, Recipient, Target
    from campaign.services.letters.assets import LETTER_STYLESHEET
    from campaign.services.letters.compose import compose_letter
    from campaign.services.letters.layout import letters_html
    from campaign.services.letters.pdf import new_font_config, render_pdf

    font_config = new_font_config()
    render_pdf("<p>Guten Tag ğ ł ß é</p>", stylesheets=(LETTER_STYLESHEET,), font_config=font_config)
    app = _app(database)
    texts = set()
    with app.app_context():
        campaign = db.session.scalars(select(Campaign)).one()
        statement = select(Recipient).join(Target).where(Target.campaign_id == campaign.id).order_by(Target.id)
        recipients = list(db.session.scalars(statement))[::stride]
        for number, recipient in enumerate(recipients, start=1):
            code = f"NAIV-{number:04d}"
            letter = compose_letter(campaign, recipient, on=ON, reference_code=code)
            texts.add(letter.printable().shape_key())
            pdf = render_pdf(letters_html([letter]), stylesheets=(LETTER_STYLESHEET,), font_config=font_config)
            (out / f"{code}.pdf").write_bytes(pdf)
        db.engine.dispose()
        return len(recipients), texts


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0  # the process has just ended
    line = next((line for line in status.splitlines() if line.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1])


def _cpu_s(pid: int) -> float:
    """User and system CPU seconds the process has used so far (0 if it has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    """In this fresh process: start the render pool, run the bulk path, report times, pages and peak RSS."""
    from sqlalchemy import select

    from campaign.db import db
    from campaign.models import Campaign
    from campaign.services.letters.batch.pool import shutdown_pools, warm_up
    from campaign.services.letters.batch.run import render_campaign_letters

    peak = 0
    cpu: dict[int, float] = {}  # the last CPU reading of every process of the run (none ends before the run does)
    running = threading.Event()
    running.set()

    def sample() -> None:
        nonlocal peak
        me = os.getpid()
        pids, listed = [me], 0.0
        while running.is_set():
            # Scanning /proc for the descendants costs more than all the rest (hundreds of processes on a shared
            # machine), and the render processes start once: look for new ones twice a second, not every sample.
            if time.monotonic() - listed > 0.5:
                pids, listed = [me, *_descendants(me)], time.monotonic()
            peak = max(peak, sum(_rss_kb(pid) for pid in pids))
            cpu.update({pid: _cpu_s(pid) for pid in pids})
            time.sleep(0.05)

    def cpu_now() -> float:
        time.sleep(0.6)  # a fresh sample, with any new process listed
        return sum(cpu.values())

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        app = _app(Path(database))
        with app.app_context():
            started = time.perf_counter()
            warm_up()
            cold_start = time.perf_counter() - started
            campaign = db.session.scalars(select(Campaign)).one()
            cpu_before = cpu_now()
            started = time.perf_counter()
            result = render_campaign_letters(
                db.session,
                campaign,
                target=Path(out),
                fmt="pdf",
                on=ON,
                progress=lambda done, total: db.session.commit(),  # committed per chunk, as the job does
            )
            db.session.commit()
            seconds = time.perf_counter() - started
            cpu_used = cpu_now() - cpu_before
            db.engine.dispose()
    finally:
        running.clear()
        sampler.join()
        # The pool is kept per process; a multiprocessing child must stop it itself (its atexit hooks do not run).
        shutdown_pools()
    queue.put((result.letters, result.pages, seconds, cold_start, round(peak / 1024, 1), cpu_used))


def _bulk(database: Path, out: Path) -> tuple[int, int, float, float, float, float]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_measure_bulk, args=(str(database), str(out), queue))
    process.start()
    figures = queue.get()
    process.join()
    return figures


def _measure_shape(work: Path, shape: str) -> dict[str, dict[str, float]]:
    base = work / f"{shape}.sqlite3"
    _prepare(base, max(SIZES), shape)
    figures = {}
    for size in SIZES:
        naive_db, bulk_db = work / f"{shape}-{size}-naive.sqlite3", work / f"{shape}-{size}-bulk.sqlite3"
        for database in (naive_db, bulk_db):
            shutil.copy(base, database)
            _limit_targets(database, size)
        naive_out, bulk_out = work / f"{shape}-{size}-naive", work / f"{shape}-{size}-bulk"
        naive_out.mkdir()
        bulk_out.mkdir()
        stride = max(1, size // NAIVE_SAMPLE)
        started, cpu_started = time.perf_counter(), time.process_time()
        naive_count, texts = _naive(naive_db, naive_out, stride)
        naive_rate = naive_count / (time.perf_counter() - started)
        naive_cpu = (time.process_time() - cpu_started) / naive_count
        letters, pages, seconds, cold_start, peak, bulk_cpu = _bulk(bulk_db, bulk_out)
        assert letters == size == len(list(bulk_out.glob("*.pdf"))), (letters, size)
        bulk_rate = letters / seconds
        figures[str(size)] = {
            "naive_per_s": round(naive_rate, 2),
            "bulk_per_s": round(bulk_rate, 2),
            "ratio": round(bulk_rate / naive_rate, 2),
            "ratio_cold": round(letters / (seconds + cold_start) / naive_rate, 2),
            "cold_start_s": round(cold_start, 2),
            "peak_rss_mb": peak,
            "naive_sampled": naive_count,
            "distinct_texts_in_naive_sample": len(texts),
            "pages_per_letter": round(pages / letters, 2),
            # CPU time per letter (the bulk figure summed over the parent and its render processes) and how busy
            # the cores were during the bulk run: 1.0 is every core busy from the first letter to the last.
            "naive_cpu_ms_per_letter": round(naive_cpu * 1000, 1),
            "bulk_cpu_ms_per_letter": round(bulk_cpu / letters * 1000, 1),
            "bulk_core_use": round(bulk_cpu / (seconds * (os.cpu_count() or 1)), 2),
        }
        shutil.rmtree(naive_out)
        shutil.rmtree(bulk_out)
        # Each figure as soon as it is measured (stderr; the JSON on stdout comes at the end).
        print(json.dumps({"shape": shape, "letters": size, **figures[str(size)]}), file=sys.stderr, flush=True)
    return figures


def main() -> None:
    started = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        shapes = {shape: _measure_shape(Path(tmp), shape) for shape in SHAPES}
    result = {
        "bench": "pdf",
        "cores": os.cpu_count(),
        "shapes": shapes,
        "load_avg_before": [round(value, 2) for value in load_before],
        "load_avg_after": [round(value, 2) for value in os.getloadavg()],
        "seconds": round(time.perf_counter() - started),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
