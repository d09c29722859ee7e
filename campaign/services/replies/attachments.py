"""Files that come with a reply: a PDF letter, a scan, a photo; checked by type and size before they are kept."""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.models import Reply, ReplyAttachment
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import format_megabytes
from campaign.services.common.translation import in_german

ZIP = (b"PK\x03\x04",)


@dataclass(frozen=True)
class FileType:
    content_type: str
    # The file must start with one of these (an empty tuple: any start, for plain text).
    signatures: tuple[bytes, ...]


# What a coordinator may keep with a reply: letters and scans. Checked by name and by the file's first bytes.
FILE_TYPES = {
    "pdf": FileType("application/pdf", (b"%PDF-",)),
    "jpg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    "png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "gif": FileType("image/gif", (b"GIF87a", b"GIF89a")),
    "tif": FileType("image/tiff", (b"II*\x00", b"MM\x00*")),
    "tiff": FileType("image/tiff", (b"II*\x00", b"MM\x00*")),
    "docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "odt": FileType("application/vnd.oasis.opendocument.text", ZIP),
    "doc": FileType("application/msword", (b"\xd0\xcf\x11\xe0",)),
    "txt": FileType("text/plain", ()),
}
ALLOWED_EXTENSIONS = tuple(sorted(FILE_TYPES))
MAX_ATTACHMENTS = 10
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


def clean_filename(name: str) -> str:
    """The file's own name without folders or control characters; „Anhang“ when nothing is left."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = " ".join(_UNSAFE_NAME.sub(" ", base).split()).strip(". ")
    return cleaned[:200] or "Anhang"


def attachment_problem(filename: str, data: bytes, max_bytes: int) -> str | None:
    """Why this file is not kept (naming the file), or None if it may be."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    file_type = FILE_TYPES.get(extension)
    if file_type is None:
        return _(
            "„%(name)s“: Dieser Dateityp wird nicht gespeichert. Erlaubt sind: %(allowed)s.",
            name=filename,
            allowed=", ".join(ALLOWED_EXTENSIONS),
        )
    if not data:
        return _("„%(name)s“ ist leer.", name=filename)
    if len(data) > max_bytes:
        size, limit = format_megabytes(len(data)), format_megabytes(max_bytes)
        return _(
            "„%(name)s“ ist %(size)s groß; erlaubt sind höchstens %(limit)s.", name=filename, size=size, limit=limit
        )
    if file_type.signatures and not data.startswith(file_type.signatures):
        return _(
            "„%(name)s“ ist keine echte %(kind)s-Datei (der Inhalt passt nicht zur Endung).",
            name=filename,
            kind=extension.upper(),
        )
    return None


def _attachment_problem(reply: Reply, name: str, data: bytes) -> str | None:
    if len(reply.attachments) >= MAX_ATTACHMENTS:
        return _("„%(name)s“: höchstens %(max)s Anhänge je Antwort werden gespeichert.", name=name, max=MAX_ATTACHMENTS)
    return attachment_problem(name, data, int(setting("REPLY_ATTACHMENT_MAX_BYTES")))


def add_attachment(session: Session, reply: Reply, filename: str, data: bytes, *, strict: bool) -> ReplyAttachment:
    """Keep a file with the reply. A refused file raises ServiceError when `strict` (an upload the user can
    correct); from an imported mail it is listed by name with the reason, so the coordinator knows it existed (the
    reason is stored in German and shown in the page's language)."""
    name = clean_filename(filename)
    with contextlib.nullcontext() if strict else in_german():
        problem = _attachment_problem(reply, name, data)
    if problem and strict:
        raise ServiceError(problem, "attachments")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    file_type = FILE_TYPES.get(extension)
    attachment = ReplyAttachment(
        filename=name,
        content_type=file_type.content_type if file_type and not problem else "application/octet-stream",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=None if problem else data,
        note=(problem or "")[:300],
    )
    reply.attachments.append(attachment)
    session.flush()
    return attachment
