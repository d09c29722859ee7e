"""Replies benchmark: an mbox of 10,000 mixed mails imported, then 1,000 fetched from Dovecot over IMAP; prints JSON.

The campaign has 2,000 letters sent by e-mail. Each mail is made from one of the shapes the import must handle,
with the letter it answers known in advance: replies that carry In-Reply-To (Outlook, Gmail), that only quote the
reference code (Apple Mail, Thunderbird), that were sent to the per-letter reply address, or that only come from
the recipient's address; HTML-only replies; auto-replies by header and by subject; DSN bounces; forwards; mail
from unknown offices (which belongs in the inbox); and 2 % duplicates of earlier mails. "matched_correctly" is
the share of mails that ended where they belong (the right letter, the inbox, or recognised as a duplicate).
The import runs as `campaign replies import` does: one transaction per 200 messages, on SQLite in a temp folder.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

MAILS = 10_000
LETTERS = 2_000
IMAP_MAILS = 1_000
BATCH = 200
REPLY_ADDRESS = "antworten+{code}@kampagne.example.org"
SHAPES = (
    ("in_reply_to", 30),
    ("reference_in_subject", 10),
    ("reference_in_quote", 10),
    ("reply_address", 10),
    ("sender", 10),
    ("html_only", 5),
    ("auto_reply_headers", 5),
    ("auto_reply_subject", 3),
    ("bounce", 5),
    ("forward", 5),
    ("unmatched", 5),
    ("duplicate", 2),
)
ANSWERS = (
    "vielen Dank für Ihr Schreiben. Ich unterstütze den Änderungsantrag 3 und werde auf dem Parteitag dafür stimmen.",
    "ich sehe das anders: Die Haushaltslage lässt keine andere Wahl, ich stimme dem Leitantrag zu.",
    "wir bestätigen den Eingang Ihrer Nachricht; Frau Abgeordnete meldet sich nach der Fraktionssitzung.",
    "bitte haben Sie Verständnis, dass wir zu laufenden Antragsverfahren keine Stellung nehmen.",
)


def _app(database: Path, **settings):
    from campaign import create_app

    return create_app(
        {
            "INSTANCE_PATH": str(database.parent / "instance"),
            "DATABASE_URL": f"sqlite:///{database}",
            "JOBS_URL": "immediate",
            "SECRET_KEY": "bench",
            "REPLY_ADDRESS": REPLY_ADDRESS,
            "MAIL_FROM": "Initiative <kampagne@kampagne.example.org>",
            **settings,
        }
    )


def _prepare(app) -> None:
    """Migrate and create the campaign with LETTERS sent letters (and their outbox Message-IDs)."""
    from flask_migrate import upgrade

    from campaign.db import db
    from tests.factories import make_campaign, make_recipient
    from tests.factories_replies import make_sent_letter

    with app.app_context():
        upgrade()
        campaign = make_campaign(db.session)
        campaign.slug = "nrw-bench"
        for number in range(1, LETTERS + 1):
            email = f"person{number}@landtag{number % 40}.example.org"
            person = make_recipient(
                db.session, first_name="Vorname", last_name=f"Nachname{number}", email=email, email_canonical=email
            )
            make_sent_letter(db.session, campaign, person, _code(number), message_id=_message_id(number))
        db.session.commit()


def _code(number: int) -> str:
    return f"NRW-2026-{number:04d}"


def _message_id(number: int) -> str:
    return f"<brief.{number:05d}@kampagne.example.org>"


def _mail(shape: str, number: int, serial: int) -> EmailMessage:
    """One mail of the given shape answering letter `number`."""
    message = EmailMessage()
    person = f"person{number}@landtag{number % 40}.example.org"
    message["From"] = f"Nachname{number} <{person}>"
    message["To"] = "kampagne@kampagne.example.org"
    message["Subject"] = "AW: Ihr Leitantrag"
    message["Date"] = format_datetime(datetime(2026, 3, 3, tzinfo=UTC) + timedelta(minutes=serial))
    message["Message-ID"] = f"<bench-{serial}@mail.example.org>"
    text = ANSWERS[serial % len(ANSWERS)]
    answer = f"Sehr geehrte Damen und Herren,\n\n{text}\n\nMit freundlichen Grüßen\nNachname{number}"
    quote = "\n\nAm 02.03.2026 um 10:15 schrieb Initiative:\n> Sehr geehrte Frau Nachname,\n> wir bitten Sie …\n"
    if shape == "in_reply_to":
        message["In-Reply-To"] = message["References"] = _message_id(number)
    elif shape == "reference_in_subject":
        message.replace_header("Subject", f"Re: Ihr Schreiben ({_code(number)})")
    elif shape == "reference_in_quote":
        quote += f"> Unser Zeichen: {_code(number)}\n"
    elif shape == "reply_address":
        message.replace_header("To", REPLY_ADDRESS.replace("{code}", _code(number)))
    elif shape in {"auto_reply_headers", "auto_reply_subject"}:
        message.replace_header("Subject", "Abwesenheitsnotiz: Ihr Leitantrag")
        answer, quote = "Ich bin bis zum 13. März nicht im Büro.", ""
        if shape == "auto_reply_headers":
            message.replace_header("Subject", "Ihr Leitantrag")
            message["Auto-Submitted"] = "auto-replied"
        message["In-Reply-To"] = _message_id(number)
    elif shape == "forward":
        message.replace_header("From", "Lena <lena@initiative.example.org>")
        message.replace_header("Subject", "WG: AW: Ihr Leitantrag")
        headers = f"From: Nachname{number} <{person}>\nDate: Tue, 3 Mar 2026\nSubject: AW: Ihr Leitantrag\n"
        answer = f"Bitte eintragen.\n\n---------- Forwarded message ---------\n{headers}\n{answer}"
    elif shape == "unmatched":
        message.replace_header("From", f"Bürgerbüro {serial} <kontakt{serial}@buergerbuero.example.de>")
    if shape == "html_only":
        message.set_content(f"<div><p>{answer}</p><blockquote>{quote}</blockquote></div>", subtype="html")
    else:
        message.set_content(answer + quote)
    return message


BOUNCE = """From: MAILER-DAEMON@mx.kampagne.example.org (Mail Delivery System)
To: kampagne@kampagne.example.org
Subject: Undelivered Mail Returned to Sender
Date: Mon, 2 Mar 2026 10:15:51 +0100
Message-ID: <bounce-{serial}@mx.kampagne.example.org>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b{serial}"

--b{serial}
Content-Type: text/plain; charset=utf-8

Your message could not be delivered to one or more recipients.

--b{serial}
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.kampagne.example.org

Final-Recipient: rfc822; {address}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--b{serial}
Content-Type: text/rfc822-headers

Message-ID: {message_id}
Subject: Ihr Leitantrag

--b{serial}--
"""


def _bounce(number: int, serial: int) -> bytes:
    address = f"person{number}@landtag{number % 40}.example.org"
    return BOUNCE.format(serial=serial, address=address, message_id=_message_id(number)).encode()


def _corpus(count: int, seed: int) -> list[tuple[bytes, str | None, bool]]:
    """(raw mail, expected reference code or None for the inbox, is a duplicate), in random order."""
    rng = random.Random(seed)
    shapes = [name for name, weight in SHAPES for _ in range(weight)]
    corpus: list[tuple[bytes, str | None, bool]] = []
    for serial in range(count):
        shape = rng.choice(shapes)
        number = rng.randint(1, LETTERS)
        if shape == "duplicate" and corpus:
            corpus.append((rng.choice(corpus)[0], None, True))
            continue
        if shape == "bounce":
            raw = _bounce(number, serial)
        else:
            raw = bytes(_mail(shape if shape != "duplicate" else "in_reply_to", number, serial))
        corpus.append((raw, None if shape == "unmatched" else _code(number), False))
    return corpus


def _share_correct(app, corpus) -> float:
    from sqlalchemy import select

    from campaign.db import db
    from campaign.models import Letter, Reply
    from campaign.services.replies.mail import parse_mail

    with app.app_context():
        stored = dict(
            db.session.execute(
                select(Reply.message_id, Letter.reference_code).outerjoin(Letter, Letter.id == Reply.letter_id)
            ).all()
        )
    correct = 0
    for raw, expected, duplicate in corpus:
        message_id = parse_mail(raw).message_id
        if duplicate or stored.get(message_id, "missing") == expected:
            correct += 1
    return correct / len(corpus)


def bench_file_import(folder: Path) -> dict:
    from campaign.db import db
    from campaign.services.replies.ingest import ImportReport, import_messages, iter_mbox

    app = _app(folder / "file.sqlite3")
    _prepare(app)
    corpus = _corpus(MAILS, seed=14)
    mbox = folder / "replies.mbox"
    with mbox.open("wb") as handle:
        for raw, _expected, _duplicate in corpus:
            body = b"\n".join(b">" + line if line.startswith(b"From ") else line for line in raw.split(b"\n"))
            handle.write(b"From bench Tue Mar  3 10:00:00 2026\n" + body.rstrip(b"\n") + b"\n\n")
    totals = ImportReport()
    with app.app_context():
        started = time.perf_counter()
        with mbox.open("rb") as handle:
            messages = iter_mbox(handle)
            while batch := [raw for _, raw in zip(range(BATCH), messages, strict=False)]:
                report = import_messages(db.session, batch, source="file")
                db.session.commit()
                for name in ("imported", "duplicates", "replies", "auto_replies", "bounces", "matched", "unmatched"):
                    setattr(totals, name, getattr(totals, name) + getattr(report, name))
        seconds = time.perf_counter() - started
    return {
        "mails": MAILS,
        "letters": LETTERS,
        "import_seconds": round(seconds, 2),
        "mails_per_s": round(MAILS / seconds, 1),
        "matched_correctly": round(_share_correct(app, corpus), 4),
        "imported": totals.imported,
        "duplicates": totals.duplicates,
        "replies": totals.replies,
        "auto_replies": totals.auto_replies,
        "bounces": totals.bounces,
        "unmatched": totals.unmatched,
    }


def bench_imap_fetch(folder: Path) -> dict:
    from tests.support.imapserver import ImapServer, available

    if not available():
        return {"imap": "Dovecot nicht installiert"}
    server = ImapServer().start()
    try:
        app = _app(folder / "imap.sqlite3", IMAP_URL=server.url, IMAP_BATCH_SIZE=IMAP_MAILS)
        _prepare(app)
        corpus = _corpus(IMAP_MAILS, seed=15)
        for raw, _expected, _duplicate in corpus:
            server.append(raw)
        from campaign.jobs.replies import fetch_replies

        with app.app_context():
            started = time.perf_counter()
            report = fetch_replies()
            seconds = time.perf_counter() - started
        return {
            "imap_mails": IMAP_MAILS,
            "imap_seconds": round(seconds, 2),
            "imap_mails_per_s": round(IMAP_MAILS / seconds, 1),
            "imap_matched_correctly": round(_share_correct(app, corpus), 4),
            "imap_errors": len(report.errors),
        }
    finally:
        server.stop()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-replies-") as temporary:
        folder = Path(temporary)
        result = {"bench": "replies", **bench_file_import(folder), **bench_imap_fetch(folder)}
    result["load_average"] = [round(value, 2) for value in os.getloadavg()]
    result["cores"] = os.cpu_count()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
