"""PDF motions: the text extracted in a limited process, paragraphs rebuilt, margin line and page numbers removed."""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.services.common.errors import ServiceError
from campaign.services.common.text import format_thousands
from campaign.services.evidence.motion_import.isolation import LimitExceeded, ProcessLimits, run_isolated
from campaign.services.evidence.motions import MAX_TEXT_LENGTH

WORKER = Path(__file__).with_name("pdf_worker.py")
MB = 1024 * 1024
_AS_TEXT_FILE = _l("Bitte laden Sie den Text als Word- oder Textdatei hoch oder fügen Sie ihn in das Textfeld ein.")
_DAMAGED = _l(
    "Die PDF-Datei ist beschädigt oder kann nicht gelesen werden. Bitte speichern Sie sie neu oder laden Sie den "
    "Text als Word- oder Textdatei hoch."
)
_STOPPED = {
    "time": _l("Das Auslesen der PDF-Datei dauerte zu lange und wurde abgebrochen."),
    "memory": _l("Das Auslesen der PDF-Datei brauchte zu viel Speicher und wurde abgebrochen."),
}


@dataclass(frozen=True)
class PdfLimits(ProcessLimits):
    """The process limits of a PDF extraction, and caps checked before any text is laid out."""

    max_pages: int
    # Decoded content streams summed over the pages: laying them out costs about a second of CPU per MB.
    max_content_bytes: int
    # Characters of the raw page texts (layout mode pads lines with spaces, so this is well above a motion's).
    max_chars: int


PDF_LIMITS = PdfLimits(
    cpu_seconds=20,
    memory_bytes=512 * MB,
    wall_seconds=60,
    max_pages=300,
    max_content_bytes=8 * MB,
    max_chars=8 * MAX_TEXT_LENGTH,
)

_LEADING_NUMBER = re.compile(r"^\s*(\d{1,5})(?:\s+(\S.*))?$")
# Page numbers: „Seite 3“, „Seite 3 von 12“, „3/12“, „- 3 -“.
_PAGE_NUMBER = re.compile(
    r"^(?:(?:Seite|S\.)\s*\d+(?:\s*(?:von|/)\s*\d+)?|\d+\s*/\s*\d+|[-–]\s*\d+\s*[-–])$", re.IGNORECASE
)
_SENTENCE_END = tuple('.!?:;“”"»«)')
# Words after a line-end hyphen that show it is a real one („Ein- und Ausreise“), not a word split.
_KEEP_HYPHEN_BEFORE = {"und", "oder", "bzw", "bzw.", "sowie", "als", "wie", "noch", "statt"}


def text_from_pdf(data: bytes, limits: PdfLimits = PDF_LIMITS) -> str:
    """The text of a PDF, with paragraphs reconstructed and margin line numbers removed.

    pypdf runs in a separate process with a CPU and a memory limit (`pdf_worker.py`): a crafted PDF of a few
    kilobytes can otherwise keep a web thread busy for minutes and take hundreds of megabytes.
    """
    if not data.lstrip().startswith(b"%PDF-"):
        raise ServiceError(_("Die Datei ist keine PDF-Datei."), "file")
    pages = _extracted_pages(data, limits)
    text = _paragraphs_from_pdf_lines([line for page in pages for line in page.splitlines()])
    if not text.strip():
        raise ServiceError(
            _("Die PDF-Datei enthält keinen auslesbaren Text (vielleicht ist sie eingescannt).") + f" {_AS_TEXT_FILE}",
            "file",
        )
    return text


def _extracted_pages(data: bytes, limits: PdfLimits) -> list[str]:
    caps = (limits.max_pages, limits.max_content_bytes, limits.max_chars)
    try:
        result = run_isolated(WORKER, data, limits, *(str(cap) for cap in caps))
    except LimitExceeded as exc:
        raise ServiceError(f"{_STOPPED[exc.what]} {_AS_TEXT_FILE}", "file") from exc
    except RuntimeError as exc:
        raise ServiceError(str(_DAMAGED), "file") from exc
    pages = result.get("pages")
    if isinstance(pages, list) and all(isinstance(page, str) for page in pages):
        return pages
    raise ServiceError(_refusal(result, limits), "file")


def _refusal(result: dict[str, Any], limits: PdfLimits) -> str:
    """The message for what the extraction process refused."""
    error = result.get("error")
    if error == "encrypted":
        return _("Die PDF-Datei ist mit einem Passwort geschützt. Bitte eine ungeschützte Fassung hochladen.")
    if error == "pages":
        return _(
            "Die PDF-Datei hat %(pages)s Seiten; eingelesen werden höchstens %(limit)s Seiten. "
            "Bitte laden Sie nur den Antrag hoch.",
            pages=format_thousands(int(result.get("pages") or 0)),
            limit=limits.max_pages,
        )
    if error in {"content", "chars"}:
        too_large = _(
            "Die PDF-Datei ist zu umfangreich: Entpackt enthalten ihre Seiten mehr als %(limit)s MB Daten.",
            limit=limits.max_content_bytes // MB,
        )
        return f"{too_large} {_AS_TEXT_FILE}"
    return str(_DAMAGED)


def _paragraphs_from_pdf_lines(raw_lines: list[str]) -> str:
    lines = [_clean_pdf_line(line) for line in raw_lines]
    lines = _strip_line_numbers(lines)
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return ""
    # The length of a full line (ignoring the odd overlong one, such as a URL).
    full = lengths[int(0.98 * (len(lengths) - 1))]
    result: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        if not line:
            if current:
                result.append(current)
                current = ""
            continue
        current = _join_line(current, line) if current else line
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if following and _ends_paragraph(line, following, full):
            result.append(current)
            current = ""
    if current:
        result.append(current)
    return "\n\n".join(result)


def _ends_paragraph(line: str, following: str, full: int) -> bool:
    """Whether a line ends its paragraph although no blank line follows.

    Lines are filled greedily, so if the next line's first word would still have fitted, the line ended on
    purpose; a very short line (a heading) ends its paragraph too.
    """
    next_word = following.split(" ", 1)[0]
    if line.endswith(_SENTENCE_END) and len(line) + 1 + len(next_word) <= full:
        return True
    return len(line) < 0.6 * full


def _clean_pdf_line(line: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", line.replace("\u00ad", ""))).strip()


def _join_line(current: str, line: str) -> str:
    """Join a line to its paragraph, undoing the hyphenation of words split across lines."""
    first_word = line.split(" ", 1)[0]
    if (
        re.search(r"[a-zäöüß]-$", current)
        and first_word[:1].islower()
        and first_word.rstrip(",.;:").lower() not in _KEEP_HYPHEN_BEFORE
    ):
        return current[:-1] + line
    return current + " " + line


def _strip_line_numbers(lines: list[str]) -> list[str]:
    """Remove margin line numbers (as in Antragsgrün PDFs) and lines that are only a page number.

    Numbers are removed only when most lines start with one and they mostly count upwards, so a text
    line beginning with a year stays intact.
    """
    filled = [line for line in lines if line]
    matches = [_LEADING_NUMBER.match(line) for line in filled]
    numbers = [int(match[1]) for match in matches if match]
    numbered = len(numbers) >= 3 and len(numbers) >= 0.5 * len(filled)
    if numbered:
        rising = sum(1 for a, b in itertools.pairwise(numbers) if b > a)
        numbered = rising >= 0.8 * (len(numbers) - 1)
    result = []
    for line in lines:
        match = _LEADING_NUMBER.match(line)
        if (match and match[2] is None) or _PAGE_NUMBER.match(line):
            continue
        result.append(match[2] if numbered and match else line)
    return result
