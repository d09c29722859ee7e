"""Every upload form against hostile file names and oversized files.

File names that climb out of a folder (../../x, ..\\..\\x), name an absolute path or carry a NUL byte are taken
as plain names: no file appears outside the instance folder, no folder part is kept, no server error. A request
above MAX_CONTENT_LENGTH is refused with the German message before anything is read or stored.
"""

from __future__ import annotations

import io
import tracemalloc
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image
from sqlalchemy import select

from campaign.db import db
from campaign.models import Letter, Motion, Organisation, Recipient, Reply, ReplyAttachment, Role
from tests.factories import PASSWORD, make_user
from tests.factories_letters import make_organisation
from tests.factories_recipients import make_xlsx
from tests.factories_replies import make_reply_campaign, read_mail
from tests.security.test_motion_uploads import word_bomb


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass(frozen=True)
class Upload:
    """One upload form: where it posts, the file field, a good file of its kind, and the other fields it needs."""

    label: str
    url: Callable[[dict[str, Any]], str]
    field: str
    content: Callable[[], bytes]
    extension: str
    data: dict[str, Any]


REPLY_FORM = {
    "channel": "post",
    "received_on": "2026-03-10",
    "text": "Text",
    "quality": "unclassified",
    "stance": "unclear",
}
UPLOADS = [
    Upload(
        "Empfänger CSV",
        lambda ids: "/organise/recipients/import",
        "file",
        lambda: "Vorname;Nachname;E-Mail\nJana;Głowacka;jana@example.org\n".encode(),
        ".csv",
        {},
    ),
    Upload(
        "Empfänger XLSX",
        lambda ids: "/organise/recipients/import",
        "file",
        lambda: make_xlsx([["Vorname", "Nachname", "E-Mail"], ["Jana", "Głowacka", "jana@example.org"]]),
        ".xlsx",
        {},
    ),
    Upload(
        "Antrag TXT",
        lambda ids: "/organise/motions/import",
        "file",
        lambda: b"Antrag\n\nDie Kommunen brauchen Geld.\n",
        ".txt",
        {"title": "Antrag"},
    ),
    Upload("Antwort .eml", lambda ids: "/track/inbox", "files", lambda: read_mail("gmail_de.eml"), ".eml", {}),
    Upload(
        "Antwort .mbox",
        lambda ids: "/track/inbox",
        "files",
        lambda: b"From x@example.org Tue Mar  3 10:00:00 2026\n" + read_mail("outlook_de.eml") + b"\n",
        ".mbox",
        {},
    ),
    Upload(
        "Anhang einer Antwort",
        lambda ids: f"/track/campaigns/nrw-gerecht/recipients/{ids['recipient']}/replies/new",
        "attachments",
        lambda: b"%PDF-1.4\n%%EOF\n",
        ".pdf",
        REPLY_FORM,
    ),
    Upload("Logo", lambda ids: f"/organise/organisations/{ids['organisation']}/logo", "logo", _png, ".png", {}),
    Upload(
        "Unterschrift",
        lambda ids: f"/organise/organisations/{ids['organisation']}/signatories",
        "signature",
        _png,
        ".png",
        {"name": "Jana Głowacka", "role": "Vorsitz"},
    ),
]
IDS = [upload.label for upload in UPLOADS]


@pytest.fixture
def ids(app, client, login) -> dict[str, Any]:
    """An admin (every form is theirs), a campaign with a sent letter, and an organisation."""
    login(Role.ADMIN)
    with app.app_context():
        letters = make_reply_campaign(db.session)
        organisation = make_organisation(db.session)
        db.session.commit()
        return {"recipient": letters[1].recipient_id, "organisation": organisation.id}


def _hostile_names(marker: str, extension: str) -> list[str]:
    return [
        f"../../{marker}{extension}",
        f"../../../../../../../../tmp/{marker}{extension}",
        f"/tmp/{marker}{extension}",
        f"..\\..\\{marker}{extension}",
        f"C:\\Windows\\Temp\\{marker}{extension}",
        f"{marker}\x00.sh{extension}",
    ]


def _files_named(root: Path, marker: str) -> list[Path]:
    return [path for path in root.rglob(f"*{marker}*")] if root.is_dir() else []


def _post(client, upload: Upload, ids, name: str, content: bytes):
    data = {**upload.data, upload.field: (io.BytesIO(content), name)}
    return client.post(upload.url(ids), data=data, content_type="multipart/form-data")


def _counts(app) -> dict[str, Any]:
    with app.app_context():
        organisation = db.session.scalars(select(Organisation)).all()
        return {
            "rows": [
                db.session.scalar(select(sa.func.count()).select_from(model))
                for model in (Recipient, Motion, Reply, ReplyAttachment, Letter)
            ],
            "organisations": [(o.logo, o.signatories) for o in organisation],
        }


@pytest.mark.parametrize("upload", UPLOADS, ids=IDS)
def test_file_names_that_climb_out_of_a_folder_stay_plain_names(app, client, ids, upload, tmp_path):
    marker = f"sec-{uuid.uuid4().hex[:12]}"
    instance = Path(app.instance_path)
    statuses = {
        name: _post(client, upload, ids, name, upload.content()).status_code
        for name in _hostile_names(marker, upload.extension)
    }
    assert set(statuses.values()) <= {302, 400}, statuses
    assert 302 in statuses.values(), statuses  # the file itself was good: at least one name got it stored
    # Where a climbing name could land: anywhere in this test's folder, or near the working directory and /tmp.
    near = (Path("/tmp"), Path.cwd(), Path.cwd().parent, Path.cwd().parent.parent, Path("/"))
    outside = _files_named(tmp_path, marker) + [p for root in near for p in root.glob(f"*{marker}*")]
    assert [p for p in outside if not p.resolve().is_relative_to(instance.resolve())] == []
    # Where a name is kept, no folder part or control character survives.
    with app.app_context():
        kept = list(db.session.scalars(select(ReplyAttachment.filename)))
    assert all("/" not in name and "\\" not in name and "\x00" not in name and ".." not in name for name in kept)


@pytest.fixture
def small_app(app_factory):
    return app_factory(MAX_CONTENT_LENGTH=256 * 1024)


@pytest.mark.parametrize("upload", UPLOADS, ids=IDS)
def test_an_upload_above_the_request_limit_is_refused_in_german_and_nothing_is_kept(small_app, upload):
    client = small_app.test_client()
    from tests.web.conftest import login as _unused  # noqa: F401  (documentation: same login as the fixture)

    with small_app.app_context():
        email = make_user(db.session, Role.ADMIN).email
        letters = make_reply_campaign(db.session)
        organisation = make_organisation(db.session)
        db.session.commit()
        ids = {"recipient": letters[1].recipient_id, "organisation": organisation.id}
    assert client.post("/auth/login", data={"email": email, "password": PASSWORD}).status_code == 302
    before = _counts(small_app)
    content = upload.content()
    oversized = content + b"\n" * (300 * 1024)
    response = _post(client, upload, ids, f"gross{upload.extension}", oversized)
    assert response.status_code == 413
    assert "Die Datei ist zu groß." in response.get_data(as_text=True)
    assert _counts(small_app) == before


def test_a_zip_bomb_attached_to_a_reply_is_kept_as_a_file_and_never_unpacked(app, client, ids):
    # XLSX and DOCX imports unpack ZIPs behind a guard (test_recipient_uploads.py, test_motion_uploads.py); a reply's
    # .docx/.odt attachment is only stored and handed back, so a bomb costs no more than its own size.
    bomb = word_bomb(padding=64 * 1024 * 1024)
    data = {**REPLY_FORM, "attachments": [(io.BytesIO(bomb), "antwort.docx")]}
    url = f"/track/campaigns/nrw-gerecht/recipients/{ids['recipient']}/replies/new"
    tracemalloc.start()
    try:
        response = client.post(url, data=data, content_type="multipart/form-data")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 302
    assert peak < 16 * 1024 * 1024  # the 64 MB inside were never unpacked
    with app.app_context():
        attachment = db.session.scalar(select(ReplyAttachment))
        reply_id, attachment_id = attachment.reply_id, attachment.id
    download = client.get(f"/track/replies/{reply_id}/attachments/{attachment_id}/download")
    assert download.data == bomb and download.headers["Content-Disposition"].startswith("attachment;")
