"""Every URL of the URL map, fetched with sample arguments over a world whose every text column holds an attack.

One crawl per test process (a module fixture): the admin fetches every GET rule, visitors fetch the public ones,
plus the error pages and a static file. The tests then check, each over all answers: the security headers and
the CSP; that every page answers; that no stored markup reaches a page raw (stored XSS through names, argument
texts, sources, replies, file names, imported rows); that no text is evaluated as a template (SSTI outside the
letter sandbox, also in PDFs and downloads); that rendering the PDFs fetched nothing from the network or a file.
"""

from __future__ import annotations

import email
import email.policy
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, has_request_context, request
from werkzeug.routing import Rule

from campaign.db import db
from campaign.extensions import limiter
from tests.conftest import build_app, release_app
from tests.factories import PASSWORD
from tests.factories_letters import pdf_text
from tests.security.samples import MissingSample, sample_values
from tests.security.world import (
    EVALUATED,
    NOT_POISONED,
    RAW_MARKUP,
    World,
    build_world,
    poisoned_columns,
    text_columns,
)
from tests.support.recording_server import recording_server
from tests.web.conftest import csrf_token

PUBLIC_BLUEPRINTS = ("public.", "api.", "responses.")
# GET rules that do not answer below 400 with the sample arguments, and why. Everything else must.
EXPECTED_STATUS = {
    # A GET of a POST-or-GET form that needs nothing shows the form: 200. These need a state the world lacks.
}
# Answers that set a stricter policy of their own: an uploaded SVG is shown in a sandbox without any script.
OWN_POLICY = {"organise.organisations.logo"}
TEXT_TYPES = ("text/", "application/json", "image/svg+xml")
WRITES = ("INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True)
class Answer:
    label: str
    endpoint: str
    status: int
    headers: dict[str, str]
    content_type: str
    text: str  # the page, or the text of a PDF or of the PDFs in a ZIP


@pytest.fixture(scope="module")
def loopback() -> Iterator[tuple[int, list[str]]]:
    """A web server on 127.0.0.1 that records what anyone fetched from it (nothing should)."""
    with recording_server() as server:
        yield server


def _text(data: bytes, content_type: str) -> str:
    if content_type.startswith("application/pdf") and b"%%EOF" in data[-1024:]:
        return pdf_text(data)
    if content_type.startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(pdf_text(archive.read(name)) for name in archive.namelist() if name.endswith(".pdf"))
    if content_type.startswith(TEXT_TYPES) or "csv" in content_type:
        return data.decode("utf-8", "replace")
    return data.decode("latin-1")  # xlsx, docx: compressed, but a plain EVALUATED would still show in names


def _answer(label: str, endpoint: str, response) -> Answer:
    content_type = response.headers.get("Content-Type", "")
    data = response.get_data()
    response.close()  # send_file's open file
    return Answer(
        label,
        endpoint,
        response.status_code,
        dict(response.headers),
        content_type,
        _text(data, content_type),
    )


def _url(app: Flask, rule: Rule, world: World, method: str = "GET") -> str:
    with app.test_request_context():
        return app.url_map.bind("localhost").build(rule.endpoint, sample_values(rule, world), method=method)


@dataclass
class Crawl:
    world: World
    answers: list[Answer]
    missing: list[str]
    fetched: list[str]
    forged: dict[str, int]  # "admin POST /url" → status
    changed: list[str]  # tables whose rows changed while the forged POSTs ran
    writing_gets: dict[str, str]  # endpoint of a GET that wrote → its first write statement
    views: dict[str, object]  # endpoint → view function


@contextmanager
def _gets_that_write(app: Flask) -> Iterator[dict[str, str]]:
    """The endpoints of the GET requests that wrote to the database meanwhile, with their first write."""
    found: dict[str, str] = {}

    def note_write(_conn, _cursor, statement: str, *_args) -> None:
        if has_request_context() and request.method == "GET" and statement.lstrip()[:6].upper() in WRITES:
            found.setdefault(request.endpoint or request.path, statement.split("\n")[0][:100])

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", note_write)
    try:
        yield found
    finally:
        sa.event.remove(engine, "before_cursor_execute", note_write)


def _crawl(app: Flask, world: World, admin, visitor) -> tuple[list[Answer], list[str]]:
    answers, missing = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods:
            continue
        try:
            url = _url(app, rule, world)
        except MissingSample as problem:
            missing.append(str(problem))
            continue
        answers.append(_answer(f"admin GET {url}", rule.endpoint, admin.get(url)))
        if rule.endpoint.startswith(PUBLIC_BLUEPRINTS):
            answers.append(_answer(f"visitor GET {url}", rule.endpoint, visitor.get(url)))
    answers.append(_answer("GET /gibt-es-nicht (404)", "", visitor.get("/gibt-es-nicht")))
    answers.append(_answer("GET /auth/logout (405)", "", admin.get("/auth/logout")))
    answers.append(_answer("POST /auth/login ohne Felder (400)", "", visitor.post("/auth/login", data={})))
    answers.append(_answer("GET /organise/ als Besuch (302)", "", visitor.get("/organise/")))
    return answers, missing


def _internal_error(app_factory_args) -> Answer:
    database, instance = app_factory_args
    app = build_app(database, instance, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def broken():
        raise RuntimeError("kaputt")

    app.add_url_rule("/kaputt", view_func=broken)
    try:
        return _answer("GET /kaputt (500)", "", app.test_client().get("/kaputt"))
    finally:
        with app.app_context():  # not release_app: that would empty the world's tables
            db.engine.dispose()


def _snapshot(app: Flask) -> dict[str, int]:
    """A fingerprint of every table's rows (compared before and after each refused request)."""
    found = {}
    with app.app_context(), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            found[table.name] = hash(repr(rows))
    return found


def _logged_in_with_token(app: Flask, email: str):
    client = app.test_client()
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def _forged_posts(app: Flask, world: World) -> tuple[dict[str, int], list[str]]:
    """Every POST rule, sent without a CSRF token (and once with a foreign one) by the admin, public ones also by
    a visitor: the status of each, and the tables whose rows changed meanwhile."""
    admin, visitor = _logged_in_with_token(app, world.admin_email), app.test_client()
    foreign = csrf_token(app.test_client().get("/auth/login").get_data(as_text=True))  # another browser's token
    found, before = {}, _snapshot(app)
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "POST" not in rule.methods:
            continue
        try:
            url = _url(app, rule, world, method="POST")
        except MissingSample:
            continue  # reported by test_every_rule_has_sample_arguments
        clients = [("admin", admin)] + ([("visitor", visitor)] if rule.endpoint.startswith(PUBLIC_BLUEPRINTS) else [])
        for who, client in clients:
            for token in ("", foreign):
                response = client.post(url, data={"csrf_token": token} if token else {})
                found[f"{who} POST {url}" + (" (fremdes Token)" if token else "")] = response.status_code
    after = _snapshot(app)
    with app.app_context():
        db.engine.dispose()
    return found, sorted(name for name in before if before[name] != after[name])


@pytest.fixture(scope="module")
def crawl(migrated_database, tmp_path_factory, loopback) -> Iterator[Crawl]:
    port, fetched = loopback
    instance = tmp_path_factory.mktemp("crawl") / "instance"
    app = build_app(migrated_database, instance, LETTER_RENDER_WORKERS=1)
    limiter.reset()
    try:
        admin, visitor = app.test_client(), app.test_client()
        world = build_world(app, admin, port)
        with _gets_that_write(app) as writing_gets:
            answers, missing = _crawl(app, world, admin, visitor)
        answers.append(_internal_error((migrated_database, tmp_path_factory.mktemp("error") / "instance")))
        forged, changed = _forged_posts(build_app(migrated_database, instance, WTF_CSRF_ENABLED=True), world)
        yield Crawl(world, answers, missing, fetched, forged, changed, writing_gets, dict(app.view_functions))
    finally:
        # After the module's last test: the world's rows go, so the next module in this process starts empty.
        release_app(app)


def test_every_rule_has_sample_arguments(crawl):
    assert crawl.missing == []


def test_the_crawl_saw_every_kind_of_page(crawl):
    # A broken world must not make the checks below vacuous.
    kinds = {answer.content_type.split(";")[0] for answer in crawl.answers if answer.status == 200}
    assert {"text/html", "application/pdf", "application/zip", "text/csv", "application/json"} <= kinds
    assert len(crawl.answers) > 90


def test_every_get_that_writes_takes_the_write_lock_first(crawl):
    """A request that reads and then writes must begin with the write lock on SQLite (campaign.db.writing_begins): POST
    requests do; a GET only if its view is marked with `writes`. Else a worker's commit in between fails it."""
    unmarked = {
        endpoint: statement
        for endpoint, statement in crawl.writing_gets.items()
        if not getattr(crawl.views.get(endpoint), "writes", False)
    }
    assert crawl.writing_gets, "the crawl saw no GET that writes: the dashboard pages refresh their figures"
    assert unmarked == {}


def test_every_get_with_sample_arguments_answers(crawl):
    failing = {
        answer.label: answer.status
        for answer in crawl.answers
        if answer.endpoint and answer.status >= 400 and answer.endpoint not in EXPECTED_STATUS
    }
    assert failing == {}


def _policy_problems(answer: Answer) -> list[str]:
    policy = answer.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    if answer.endpoint in OWN_POLICY:
        return [] if directives.get("default-src") == ["'none'"] and "sandbox" in directives else [policy]
    problems = []
    if directives.get("default-src") != ["'self'"] or directives.get("script-src") != ["'self'"]:
        problems.append(f"script: {policy!r}")
    for directive, wanted in (("object-src", "'none'"), ("frame-ancestors", "'none'"), ("base-uri", "'none'")):
        if directives.get(directive) != [wanted]:
            problems.append(f"{directive}: {policy!r}")
    if "'unsafe-inline'" in policy or "'unsafe-eval'" in policy:
        problems.append("unsafe-inline/eval")
    return problems


def test_every_response_carries_the_csp_and_the_security_headers(crawl):
    wanted = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}
    problems = {}
    for answer in crawl.answers:
        found = [
            f"{name}: {answer.headers.get(name)!r}"
            for name, value in wanted.items()
            if answer.headers.get(name) != value
        ]
        found += _policy_problems(answer)
        if found:
            problems[answer.label] = found
    assert problems == {}
    codes = {answer.status for answer in crawl.answers}
    assert {200, 302, 400, 404, 405, 500} <= codes


def _around(text: str, found: str) -> str:
    """Where `found` is in `text`, with some context (for the failure message)."""
    at = text.index(found)
    return text[max(0, at - 150) : at + len(found) + 50]


def test_no_page_shows_stored_markup_raw(crawl):
    raw = {
        answer.label: [_around(answer.text, markup) for markup in RAW_MARKUP if markup in answer.text]
        for answer in crawl.answers
        if answer.content_type.startswith(("text/html", "image/svg+xml"))
    }
    assert {label: found for label, found in raw.items() if found} == {}
    assert sum("&lt;script&gt;alert(1)" in answer.text for answer in crawl.answers) > 20  # the payloads were shown


def test_no_page_links_to_a_javascript_url(crawl):
    pattern = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
    linked = [a.label for a in crawl.answers if a.content_type.startswith("text/html") and pattern.search(a.text)]
    assert linked == []


def test_no_stored_text_is_evaluated_as_a_template(crawl):
    # Jinja in names, argument texts, campaign texts, footer lines, replies … stays text in pages, mails' previews,
    # CSV/XLSX/DOCX downloads and the text of every PDF (the letters of the job's ZIP included).
    evaluated = {answer.label: _around(answer.text, EVALUATED) for answer in crawl.answers if EVALUATED in answer.text}
    assert evaluated == {}
    assert any("application/zip" in answer.content_type and answer.text for answer in crawl.answers)


def _mail_parts(raw: bytes) -> list[tuple[str, str]]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = [("header", f"{name}: {value}") for name, value in message.items()]
    parts += [
        (part.get_content_type(), part.get_content())
        for part in message.walk()
        if part.get_content_maintype() == "text"
    ]
    return parts


def test_mails_made_from_hostile_records_keep_them_as_text(crawl):
    # The queued letters (from poisoned recipients and campaign) and a confirmation mail (from the poisoned campaign).
    assert len(crawl.world.mails) >= 3
    parts = [part for raw in crawl.world.mails for part in _mail_parts(raw)]
    assert [text for _, text in parts if EVALUATED in text] == []
    html = [text for kind, text in parts if kind == "text/html"]
    assert html and [_around(text, m) for text in html for m in RAW_MARKUP if m in text] == []
    assert any("&lt;script&gt;" in text for text in html)


def test_making_the_pdfs_fetched_nothing_from_the_network_or_files(crawl):
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "root:x:0:0"
    pdfs = [a for a in crawl.answers if a.content_type.startswith(("application/pdf", "application/zip"))]
    assert len(pdfs) >= 4
    assert crawl.fetched == []
    assert [a.label for a in pdfs if (hostname and hostname in a.text) or "root:x:0:0" in a.text] == []


def test_every_post_without_a_valid_csrf_token_is_refused_and_changes_nothing(crawl):
    assert len(crawl.forged) > 2 * 80  # every POST rule, without and with a foreign token
    accepted = {label: status for label, status in crawl.forged.items() if status != 400}
    assert accepted == {} and crawl.changed == []
    assert any(label.startswith("visitor POST /c/") for label in crawl.forged)  # sign, confirm, withdraw


def test_every_text_column_is_attacked_or_listed_with_a_reason(crawl):
    names = {f"{table.name}.{column.name}" for table, column in text_columns()}
    assert set(NOT_POISONED) - names == set(), "NOT_POISONED names columns that no longer exist"
    empty = sorted({table.name for table, _ in poisoned_columns() if not crawl.world.rows.get(table.name)})
    assert empty == [], "the world has no row in these tables, so their columns were not attacked"
