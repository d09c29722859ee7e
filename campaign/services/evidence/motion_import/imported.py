"""What a motion import yields, and the limits and messages that every format shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from campaign.models import MotionStatus
from campaign.services.common.text import collapse_spaces

MAX_IMPORT_BYTES = 5 * 1024 * 1024
ALLOWED_EXTENSIONS = ("txt", "docx", "pdf", "json")
FORMAT_LABELS = {
    "txt": _l("Textdatei"),
    "docx": _l("Word-Dokument"),
    "pdf": "PDF",
    "antragsgruen": _l("Antragsgrün-Export"),
}
NOT_READABLE = _l(
    "Die Datei enthält keinen lesbaren Text. Bitte eine Textdatei (.txt), ein Word-Dokument (.docx), ein PDF oder "
    "einen Antragsgrün-Export hochladen."
)
MAX_TITLE_LENGTH = 200
TEXT_TOO_LONG = _l("Der Text in der Datei ist zu lang für einen Antrag.")
# A first line that ends like this is the start of the text, not its title.
_NOT_A_TITLE_END = (".", ",", ";", ":")


@dataclass(frozen=True)
class ImportedMotion:
    """What a file yields: the full text, plus whatever else it says about the motion."""

    text: str
    format: str
    title: str = ""
    presented_on: date | None = None
    status: MotionStatus | None = None
    body: str = ""
    source_url: str = ""
    # Hints for the organiser (e.g. Antragsgrün counts its lines differently).
    notes: tuple[str, ...] = field(default_factory=tuple)


def leading_title(text: str) -> str:
    """The first paragraph of a motion's text if it reads as its title, else "".

    A title stands on a line of its own, followed by a blank line and more text, is short, and does not end
    like a sentence or an introduction („Der Parteitag möge beschließen:“). A Markdown „# “ is dropped.
    """
    first, _, rest = text.strip().partition("\n\n")
    if "\n" in first or not rest.strip():
        return ""
    title = collapse_spaces(first.lstrip("#"))
    if len(title) > MAX_TITLE_LENGTH or title.endswith(_NOT_A_TITLE_END) or sum(map(str.isalpha, title)) < 3:
        return ""
    return title
