"""PDF motions: the text extracted, paragraphs rebuilt from the layout, margin line and page numbers removed."""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
import warnings
from typing import Any

from pypdf import PdfReader

from campaign.services.common.errors import ServiceError

_LEADING_NUMBER = re.compile(r"^\s*(\d{1,5})(?:\s+(\S.*))?$")
# Page numbers: „Seite 3“, „Seite 3 von 12“, „3/12“, „- 3 -“.
_PAGE_NUMBER = re.compile(
    r"^(?:(?:Seite|S\.)\s*\d+(?:\s*(?:von|/)\s*\d+)?|\d+\s*/\s*\d+|[-–]\s*\d+\s*[-–])$", re.IGNORECASE
)
_SENTENCE_END = tuple('.!?:;“”"»«)')
# Words after a line-end hyphen that show it is a real one („Ein- und Ausreise“), not a word split.
_KEEP_HYPHEN_BEFORE = {"und", "oder", "bzw", "bzw.", "sowie", "als", "wie", "noch", "statt"}


def text_from_pdf(data: bytes) -> str:
    """The text of a PDF, with paragraphs reconstructed and margin line numbers removed."""
    if not data.lstrip().startswith(b"%PDF-"):
        raise ServiceError("Die Datei ist keine PDF-Datei.", "file")
    try:
        # pypdf warns about every repaired oddity of real-world PDFs; those are not our users' problem.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ServiceError(
                    "Die PDF-Datei ist mit einem Passwort geschützt. Bitte eine ungeschützte Fassung hochladen.",
                    "file",
                )
            pages = [_page_text(page) for page in reader.pages]
    except ServiceError:
        raise
    except Exception as exc:
        # pypdf raises many different exception types on damaged files; for the user they all mean the same.
        raise ServiceError(
            "Die PDF-Datei ist beschädigt oder kann nicht gelesen werden. Bitte speichern Sie sie neu oder laden "
            "Sie den Text als .txt-Datei hoch.",
            "file",
        ) from exc
    text = _paragraphs_from_pdf_lines([line for page in pages for line in page.splitlines()])
    if not text.strip():
        raise ServiceError(
            "Die PDF-Datei enthält keinen auslesbaren Text (vielleicht ist sie eingescannt). Bitte laden Sie den "
            "Text als .txt-Datei hoch oder fügen Sie ihn in das Textfeld ein.",
            "file",
        )
    return text


def _page_text(page: Any) -> str:
    """Layout mode keeps the vertical gaps between paragraphs as blank lines; plain mode is the fallback."""
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:  # the layout engine gives up on some odd pages where plain extraction works
        return page.extract_text() or ""


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
