"""What a motion import yields, and the limits and messages that every format shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from campaign.models import MotionStatus

MAX_IMPORT_BYTES = 5 * 1024 * 1024
ALLOWED_EXTENSIONS = ("txt", "pdf", "json")
FORMAT_LABELS = {"txt": "Textdatei", "pdf": "PDF", "antragsgruen": "Antragsgrün-Export"}
NOT_READABLE = (
    "Die Datei enthält keinen lesbaren Text. Bitte eine Textdatei (.txt), ein PDF oder einen Antragsgrün-Export "
    "hochladen."
)


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
