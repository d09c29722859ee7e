"""Files that come with a reply: a PDF letter, a scan, a photo; checked by type and size before they are kept."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.models import Reply, ReplyAttachment
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import format_megabytes

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
    """Why this file is not kept (German, naming the file), or None if it may be."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    file_type = FILE_TYPES.get(extension)
    if file_type is None:
        return f"„{filename}“: Dieser Dateityp wird nicht gespeichert. Erlaubt sind: {', '.join(ALLOWED_EXTENSIONS)}."
    if not data:
        return f"„{filename}“ ist leer."
    if len(data) > max_bytes:
        size, limit = format_megabytes(len(data)), format_megabytes(max_bytes)
        return f"„{filename}“ ist {size} groß; erlaubt sind höchstens {limit}."
    if file_type.signatures and not data.startswith(file_type.signatures):
        return f"„{filename}“ ist keine echte {extension.upper()}-Datei (der Inhalt passt nicht zur Endung)."
    return None


def add_attachment(session: Session, reply: Reply, filename: str, data: bytes, *, strict: bool) -> ReplyAttachment:
    """Keep a file with the reply. A refused file raises ServiceError when `strict` (an upload the user can
    correct); from an imported mail it is listed by name with the reason, so the coordinator knows it existed."""
    name = clean_filename(filename)
    if len(reply.attachments) >= MAX_ATTACHMENTS:
        problem: str | None = f"„{name}“: höchstens {MAX_ATTACHMENTS} Anhänge je Antwort werden gespeichert."
    else:
        problem = attachment_problem(name, data, int(setting("REPLY_ATTACHMENT_MAX_BYTES")))
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
