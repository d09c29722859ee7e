"""Browser fixtures: the app on a real loopback server in a thread, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from campaign.db import db
from campaign.models import Role
from tests.conftest import require_service
from tests.factories import PASSWORD, make_user
from tests.support.recording_server import SHUTDOWN_POLL_SECONDS

CHROMIUM = Path("/usr/bin/chromium")
# Exactly these switches: no sandbox inside containers, and no calls home from the browser.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class LiveServer:
    url: str
    email: str
    password: str
    app: Any


def closing_responses(app: Any) -> Any:
    """`app` as a WSGI app whose responses are closed even when the browser drops the connection mid-file.

    Werkzeug's development server reads what is left of a dropped connection before it closes the response, and
    that read can fail too: the static file stayed open, and the ResourceWarning of its garbage collection failed
    whichever test came next. A generator is closed when it is collected, and closes the response with it.
    """

    def serve(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        response = app(environ, start_response)
        try:
            yield from response
        finally:
            if hasattr(response, "close"):
                response.close()

    return serve


@contextmanager
def serving(app: Any, email: str) -> Iterator[LiveServer]:
    """Serve `app` with werkzeug on a free loopback port while the block runs; `email` is the account to log in."""
    server = make_server("127.0.0.1", 0, closing_responses(app), threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, args=(SHUTDOWN_POLL_SECONDS,), name="live-server", daemon=True
    )
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", email=email, password=PASSWORD, app=app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def live_server(app_factory) -> Iterator[LiveServer]:
    """The app with CSRF on, served by werkzeug on a free loopback port; shut down after the test."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        email = make_user(db.session, Role.ORGANISER).email
        db.session.commit()
    with serving(app, email) as live:
        yield live


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright while the block runs (skipped where it is not installed)."""
    require_service(CHROMIUM.exists(), "Chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Chromium, launched once for the browser tests that a test process runs in a row; each test gets its own context.

    Starting Playwright's driver and Chromium costs about 1.5 s of CPU; a context (cookies, storage and cache of
    its own) next to nothing. Package scope, not session scope: while the browser is open, Playwright's event loop
    counts as running in this thread, so it is closed before the process goes on to tests outside this package.
    """
    with chromium() as launched:
        yield launched


@pytest.fixture
def console_errors() -> list[str]:
    """What went wrong in the browser (a CSP violation, a script error, a failed request); tests expect none."""
    return []


@pytest.fixture
def page(browser, live_server, console_errors) -> Iterator[Any]:
    """A fresh German-speaking page on the live server."""
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    context.set_default_timeout(15_000)
    new_page = context.new_page()

    def on_console(message) -> None:
        # Failed requests are checked by status below, where the URL is known.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            console_errors.append(message.text)

    def on_response(response) -> None:
        if response.status >= 400:
            console_errors.append(f"{response.status} {response.url}")

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: console_errors.append(str(error)))
    new_page.on("response", on_response)
    try:
        yield new_page
    finally:
        context.close()
