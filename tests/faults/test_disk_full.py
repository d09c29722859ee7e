"""The disk fills up while the letters' print file is written: the job fails with a clear German message on its page,
no half-written file is left or offered for download, and „Erneut starten“ succeeds once space is free again.

The disk is real: `campaign up` (web server and job worker) runs in its own mount namespace, in which a small tmpfs
lies over instance/letters. `unshare --user --map-root-user` needs no privileges where user namespaces are allowed
(as on Debian and in CI). The test fills that disk with a ballast file through /proc/<pid>/root (the server's view
of the file system) and frees the space by deleting it, as an administrator would.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from campaign.db import db
from campaign.models import Job, JobStatus, Letter, Role
from tests.conftest import require_service
from tests.factories import PASSWORD, make_user
from tests.factories_letters import make_letter_campaign
from tests.support.campaign_up import UP, environment, running

LETTERS = 10  # about 90 KB as print file, and as much again for its parts while it is put together
DISK = 1024 * 1024
FREE = 100 * 1024  # the parts fit, the print file made from them does not
UNSHARE = ["unshare", "--user", "--map-root-user", "--mount"]


def _namespaces_allowed() -> bool:
    try:
        return subprocess.run([*UNSHARE, "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@dataclass
class SmallDiskServer:
    """`campaign up` with instance/letters on a disk of DISK bytes; `letters` is that folder as the server sees it."""

    process: subprocess.Popen
    base: str
    letters: Path
    output: list[str]

    def listing(self) -> list[str]:
        """Everything on the small disk (files and folders, hidden ones too), relative to the letters folder."""
        return sorted(str(path.relative_to(self.letters)) for path in self.letters.rglob("*"))


@pytest.fixture
def small_disk_server(app_factory, migrated_database: str, tmp_path: Path) -> Iterator[SmallDiskServer]:
    require_service(_namespaces_allowed(), "Benutzer-Namensräume (unshare --user --mount)")
    app_factory()  # its clean-up empties the database after the server has stopped
    instance = tmp_path / "instance"
    letters = instance / "letters"
    letters.mkdir(parents=True)
    settings = {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": migrated_database,
        "LETTER_RENDER_WORKERS": "1",
        "SMALL_DISK": str(letters),
    }
    mount = f'mount -t tmpfs -o size={DISK} kleine-platte "$SMALL_DISK" && exec "$@"'
    with running([*UNSHARE, "sh", "-c", mount, "sh", *UP], environment(**settings), seconds=90) as started:
        process, base, output = started
        # sh exec'd the server in place: this pid's root is the file system with the small disk mounted.
        yield SmallDiskServer(process, base, Path(f"/proc/{process.pid}/root") / letters.relative_to("/"), output)


class Browser:
    """A client with cookies that submits forms with their CSRF token, like a browser without JavaScript."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def get_bytes(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read()

    def post(self, form_page: str, action: str, data: dict[str, str]) -> str:
        """Submit to `action` with the token of the form on `form_page`; the URL it redirected to."""
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(form_page))[1]
        body = urlencode({**data, "csrf_token": token}).encode()
        with self.opener.open(self.base + action, data=body, timeout=30) as response:
            return response.geturl().removeprefix(self.base)


def _job_state(browser: Browser, job_path: str) -> dict:
    return json.loads(browser.get(job_path + ".json"))


def _wait_finished(browser: Browser, job_path: str, server: SmallDiskServer, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = _job_state(browser, job_path)
        if state["finished"]:
            return state
        assert server.process.poll() is None, "".join(server.output)
        time.sleep(0.2)
    raise AssertionError(f"job not finished within {seconds} s: {''.join(server.output)[-3000:]}")


def test_a_full_disk_fails_the_job_clearly_leaves_no_half_file_and_the_retry_works(app_factory, small_disk_server):
    server = small_disk_server
    with app_factory().app_context():
        campaign, _version, _people = make_letter_campaign(db.session, recipients=LETTERS)
        email, slug = make_user(db.session, Role.ORGANISER).email, campaign.slug
        db.session.commit()
    browser = Browser(server.base)
    browser.post("/auth/login", "/auth/login", {"email": email, "password": PASSWORD})

    ballast = server.letters / "ballast.bin"
    # Written until the disk is full, then cut back to leave FREE bytes.
    with open(ballast, "wb") as handle, contextlib.suppress(OSError):
        handle.write(b"\0" * DISK)
    ballast.write_bytes(b"\0" * (ballast.stat().st_size - FREE))
    assert server.listing() == ["ballast.bin"]

    letters_page = f"/organise/campaigns/{slug}/letters"
    job_path = browser.post(
        letters_page, f"/organise/campaigns/{slug}/letters/generate", {"format": "merged", "sort": "postcode"}
    )
    assert re.fullmatch(r"/organise/jobs/\d+", job_path), job_path
    state = _wait_finished(browser, job_path, server)
    assert state["status"] == "failed", state
    assert state["message"].startswith("Auf dem Datenträger ist kein Platz mehr frei")
    assert "Speicherplatz freigeben" in state["message"] and state["download_url"] is None
    page = browser.get(job_path)
    assert "Auf dem Datenträger ist kein Platz mehr frei" in page and "flash-error" in page
    assert "Erneut starten" in page and "Herunterladen" not in page
    assert server.listing() == ["ballast.bin", slug]  # no print file, no part of one, no work folder
    with pytest.raises(HTTPError) as missing:
        browser.get_bytes(job_path + "/download")
    assert missing.value.code == 404
    missing.value.close()  # its answer holds the connection open until the garbage collector finds it
    job_id = int(job_path.rsplit("/", 1)[1])
    with app_factory().app_context():
        job = db.session.get(Job, job_id)
        assert job.status is JobStatus.FAILED and "path" not in job.result  # nothing recorded as done

    ballast.unlink()  # space is free again
    assert browser.post(job_path, f"{job_path}/retry", {}) == job_path
    state = _wait_finished(browser, job_path, server)
    assert state["status"] == "done" and state["done"] == LETTERS, state
    print_file = f"{slug}-druck-{job_id}.pdf"
    assert server.listing() == [slug, f"{slug}/{print_file}"]

    pdf = browser.get_bytes(state["download_url"])
    assert pdf == (server.letters / slug / print_file).read_bytes()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    with app_factory().app_context():
        codes = db.session.scalars(select(Letter.reference_code).where(Letter.campaign.has(slug=slug))).all()
    assert len(codes) == LETTERS
    assert all(text.count(code) >= 1 for code in codes)
    assert len(PdfReader(io.BytesIO(pdf)).outline) == LETTERS  # every letter once in the print file


WRITE_UNDER_LIMIT = """
import resource, sys
from pathlib import Path
from campaign.services.common.files import write_atomically, write_error_message
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))  # no file of this process may grow past 20 KB
target = Path(sys.argv[1])
for size in (50_000, 10_000):
    try:
        write_atomically(target, b"%" * size)
        print(size, "geschrieben")
    except OSError as exc:
        print(size, write_error_message(exc, target.parent))
"""


def test_a_file_over_the_size_limit_leaves_the_old_file_and_no_part_of_the_new_one(tmp_path):
    """The kernel's file-size limit (RLIMIT_FSIZE, no privileges needed) stops the write half-way, for real."""
    target = tmp_path / "briefe.pdf"
    target.write_bytes(b"alt")
    done = subprocess.run(
        [sys.executable, "-c", WRITE_UNDER_LIMIT, str(target)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    too_big, fits = done.stdout.splitlines()
    assert too_big.startswith("50000 Die Datei wird größer, als der Datenträger oder der Server-Prozess erlaubt")
    assert "keine unvollständige Datei" in too_big
    assert fits == "10000 geschrieben"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["briefe.pdf"]  # no temporary file left
    assert target.read_bytes() == b"%" * 10_000  # the second, complete write replaced the old file whole


def test_export_to_a_full_device_is_one_german_line(app, runner):
    """/dev/full answers every write with ENOSPC, as a full disk does."""
    with app.app_context():
        slug = make_letter_campaign(db.session, recipients=2)[0].slug
        db.session.commit()
    result = runner.invoke(args=["export", slug, "--what", "recipients", "--format", "csv", "--out", "/dev/full"])
    assert result.exit_code == 1
    assert "Auf dem Datenträger ist kein Platz mehr frei" in result.output and "Traceback" not in result.output
