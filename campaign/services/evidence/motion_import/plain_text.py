"""Plain-text motions: the encoding recognised (UTF-8, UTF-16, Windows-1252 …), control characters refused."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from flask_babel import gettext as _

from campaign.services.common.errors import ServiceError
from campaign.services.evidence.motion_import.imported import NOT_READABLE
from campaign.services.evidence.numbering import normalise_text

# C0 and C1 control characters other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def decode_text(data: bytes) -> str:
    """Bytes of a text file in any common encoding as str (UTF-8 and UTF-16 by their marks, the rest guessed)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ServiceError(_("Die Textdatei ist beschädigt (ungültiges UTF-16)."), "file") from exc
    if b"\x00" in data:
        # Text files without a byte order mark never contain NUL bytes; binary files (Word, images) do.
        raise ServiceError(str(NOT_READABLE), "file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ServiceError(_("Die Zeichenkodierung der Textdatei ließ sich nicht erkennen."), "file")
    # Windows-1252 is a superset of Latin-1 for printable text and what German files usually are.
    encoding = "cp1252" if best.encoding in {"latin_1", "iso8859_1"} else best.encoding
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return str(best)


def text_from_txt(data: bytes) -> str:
    """The text of a .txt file, normalised as motions store it."""
    text = decode_text(data)
    if len(_CONTROL.findall(text)) > max(3, len(text) // 1000):
        raise ServiceError(str(NOT_READABLE), "file")
    text = normalise_text(_CONTROL.sub("", text))
    if not text.strip():
        raise ServiceError(_("Die Datei enthält keinen Text."), "file")
    return text
