"""Import a motion's full text from a text file, a PDF or an Antragsgrün REST export (JSON)."""

from __future__ import annotations

import codecs
import io
import itertools
import json
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import PurePath
from typing import Any

from charset_normalizer import from_bytes
from pypdf import PdfReader
from sqlalchemy.orm import Session

from campaign.models import Motion, MotionStatus, User
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import check_url
from campaign.services.evidence.motions import (
    MAX_TEXT_LENGTH,
    MotionData,
    Reanchoring,
    create_motion,
    line_count,
    normalise_text,
    replace_text,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024
ALLOWED_EXTENSIONS = ("txt", "pdf", "json")
FORMAT_LABELS = {"txt": "Textdatei", "pdf": "PDF", "antragsgruen": "Antragsgrün-Export"}


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


def read_motion_file(filename: str, data: bytes) -> ImportedMotion:
    """Read an uploaded file by its type; every problem is a ServiceError with a German message."""
    if len(data) > MAX_IMPORT_BYTES:
        size = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        raise ServiceError(
            f"Die Datei ist zu groß ({size} MB); erlaubt sind höchstens {MAX_IMPORT_BYTES // 1024 // 1024} MB.",
            "file",
        )
    extension = PurePath(filename or "").suffix.lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        raise ServiceError(
            "Bitte eine Datei mit der Endung .txt, .pdf oder .json (Antragsgrün-Export) hochladen.", "file"
        )
    if not data.strip():
        raise ServiceError("Die Datei ist leer.", "file")
    if extension == "pdf" or data.lstrip()[:5] == b"%PDF-":
        imported = ImportedMotion(text=text_from_pdf(data), format="pdf")
    elif extension == "json":
        imported = motion_from_antragsgruen(data)
    else:
        imported = ImportedMotion(text=text_from_txt(data), format="txt")
    if len(imported.text) > MAX_TEXT_LENGTH:
        raise ServiceError("Der Text in der Datei ist zu lang für einen Antrag.", "file")
    return imported


# ---------------------------------------------------------------------------------------------------------------
# Plain text
# ---------------------------------------------------------------------------------------------------------------

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
            raise ServiceError("Die Textdatei ist beschädigt (ungültiges UTF-16).", "file") from exc
    if b"\x00" in data:
        # Text files without a byte order mark never contain NUL bytes; binary files (Word, images) do.
        raise ServiceError(
            "Die Datei enthält keinen lesbaren Text. Bitte eine Textdatei (.txt), ein PDF oder einen "
            "Antragsgrün-Export hochladen.",
            "file",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ServiceError("Die Zeichenkodierung der Textdatei ließ sich nicht erkennen.", "file")
    # Windows-1252 is a superset of Latin-1 for printable text and what German files usually are.
    encoding = "cp1252" if best.encoding in {"latin_1", "iso8859_1"} else best.encoding
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return str(best)


def text_from_txt(data: bytes) -> str:
    text = decode_text(data)
    if len(_CONTROL.findall(text)) > max(3, len(text) // 1000):
        raise ServiceError(
            "Die Datei enthält keinen lesbaren Text. Bitte eine Textdatei (.txt), ein PDF oder einen "
            "Antragsgrün-Export hochladen.",
            "file",
        )
    text = normalise_text(_CONTROL.sub("", text))
    if not text.strip():
        raise ServiceError("Die Datei enthält keinen Text.", "file")
    return text


# ---------------------------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------------------------
# Antragsgrün REST export
# ---------------------------------------------------------------------------------------------------------------

TEXT_SECTION_TYPES = {"TextSimple", "TextHTML"}
# Antragsgrün's status titles (German installation) mapped onto ours; unknown titles leave the status alone.
_STATUS_WORDS = (
    ("zurückgezogen", MotionStatus.WITHDRAWN),
    ("abgelehnt", MotionStatus.REJECTED),
    ("modifiziert", MotionStatus.AMENDED),
    ("geändert", MotionStatus.AMENDED),
    ("angenommen", MotionStatus.ADOPTED),
    ("beschlossen", MotionStatus.ADOPTED),
    ("entwurf", MotionStatus.DRAFT),
    ("eingereicht", MotionStatus.PRESENTED),
    ("veröffentlicht", MotionStatus.PRESENTED),
)


def motion_from_antragsgruen(data: bytes) -> ImportedMotion:
    """Read the JSON of Antragsgrün's `GET /rest/{consultation}/motion/{slug}?lineNumbers=true`."""
    try:
        payload = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        raise ServiceError(
            f"Die Datei ist kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}: {exc.msg}).", "file"
        ) from exc
    if not isinstance(payload, dict):
        raise ServiceError(
            "Die JSON-Datei enthält keinen Antrag. Erwartet wird der Export eines einzelnen Antrags aus "
            "Antragsgrün (/rest/…/motion/…).",
            "file",
        )
    kind = payload.get("type")
    if kind is not None and kind != "motion":
        raise ServiceError(
            f"Die JSON-Datei enthält keinen Antrag, sondern „{str(kind)[:40]}“. Bitte den Antrag selbst "
            "exportieren (/rest/…/motion/…).",
            "file",
        )
    sections = payload.get("sections")
    if not isinstance(sections, list):
        raise ServiceError(
            "Die JSON-Datei ist kein Antragsgrün-Antrag: Ihr fehlen die Abschnitte („sections“).", "file"
        )
    text_sections = [
        section
        for section in sections
        if isinstance(section, dict)
        and section.get("type") in TEXT_SECTION_TYPES
        and isinstance(section.get("html"), str)
        and section["html"].strip()
    ]
    # With ?lineNumbers=true only the numbered sections (the motion text proper) carry markers;
    # the justification (Begründung) does not, and is not part of the text we number.
    numbered = [section for section in text_sections if "lineNumber" in section["html"]]
    chosen = numbered or text_sections
    paragraphs: list[str] = []
    source_numbers: list[int] = []
    for section in chosen:
        parser = _AntragsgruenHtml()
        parser.feed(section["html"])
        parser.close()
        title = section.get("title")
        if len(chosen) > 1 and isinstance(title, str) and title.strip():
            paragraphs.append(title.strip())
        paragraphs.extend(parser.paragraphs)
        source_numbers.extend(parser.line_numbers)
    text = normalise_text("\n\n".join(paragraphs))
    if not text.strip():
        raise ServiceError(
            "Die JSON-Datei enthält keinen Antragstext (kein Textabschnitt vom Typ „TextSimple“).", "file"
        )
    return ImportedMotion(
        text=text,
        format="antragsgruen",
        title=_antragsgruen_title(payload),
        presented_on=_iso_date(payload.get("date_published")),
        status=_status_from_title(payload.get("status_title")),
        body=_plain(payload.get("initiators_html"))[:200],
        source_url=_safe_url(payload.get("url_html")),
        notes=_numbering_notes(source_numbers, line_count(text)),
    )


def _antragsgruen_title(payload: dict[str, Any]) -> str:
    title, prefix = _plain(payload.get("title")), _plain(payload.get("prefix"))
    with_prefix = _plain(payload.get("title_with_prefix"))
    if with_prefix:
        return with_prefix[:300]
    if prefix and title:
        return f"{prefix}: {title}"[:300]
    return title[:300]


def _plain(value: Any) -> str:
    """Text of a JSON string that may hold HTML (initiators_html); anything else gives ""."""
    if not isinstance(value, str):
        return ""
    parser = _AntragsgruenHtml()
    parser.feed(value)
    parser.close()
    return " ".join(parser.paragraphs).strip()


def _iso_date(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        return None


def _status_from_title(value: Any) -> MotionStatus | None:
    if not isinstance(value, str):
        return None
    lowered = value.lower()
    return next((status for word, status in _STATUS_WORDS if word in lowered), None)


def _safe_url(value: Any) -> str:
    try:
        return check_url(value if isinstance(value, str) else "")
    except ServiceError:
        return ""


def _numbering_notes(source_numbers: list[int], our_count: int) -> tuple[str, ...]:
    if not source_numbers:
        return ()
    first, last = min(source_numbers), max(source_numbers)
    notes = []
    if first != 1:
        notes.append(
            f"In Antragsgrün beginnt die Zeilenzählung dieses Antrags bei Zeile {first}; hier beginnt sie bei 1."
        )
    if last - first + 1 != our_count:
        notes.append(
            f"Antragsgrün zählt {last - first + 1} Zeilen, hier sind es {our_count} (andere Zeilenlänge oder "
            "Einrückung). Zeilenangaben beziehen sich auf die Zählung hier."
        )
    return tuple(notes)


class _AntragsgruenHtml(HTMLParser):
    """Antragsgrün's motion HTML as plain paragraphs.

    With line numbers every wrapped line starts with `<span class="lineNumber" data-line-number="n">`, and
    each line but the first of a block is preceded by a `<br>`: such a break is only Antragsgrün's line wrap
    and disappears (the line before keeps its trailing space or hyphen). Any other `<br>` is a real break.
    List items become paragraphs of their own with "–" or "1." in front.
    """

    BLOCKS = frozenset(
        {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "section", "tr"}
    )
    SKIPPED = frozenset({"script", "style", "del", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.line_numbers: list[int] = []
        self._current: list[str] = []
        self._lists: list[list[Any]] = []
        self._skipping = 0
        self._pending_break = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self._skipping += 1
            return
        attributes = dict(attrs)
        if tag == "span" and "lineNumber" in (attributes.get("class") or "").split():
            number = attributes.get("data-line-number") or ""
            if number.isdigit():
                self.line_numbers.append(int(number))
            self._pending_break = False
        elif tag == "br":
            self._resolve_break()
            self._pending_break = True
        elif tag in self.BLOCKS:
            self._resolve_break()
            self._end_paragraph()
            if tag in {"ul", "ol"}:
                self._lists.append([tag, 0])
            elif tag == "li" and self._lists:
                self._lists[-1][1] += 1
                kind, number = self._lists[-1]
                self._current.append(f"{number}. " if kind == "ol" else "– ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self.SKIPPED:
            self._skipping -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self._resolve_break()
            self._end_paragraph()
            if tag in {"ul", "ol"} and self._lists:
                self._lists.pop()

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._pending_break and data.strip():
            self._resolve_break()
        self._current.append(data)

    def close(self) -> None:
        super().close()
        self._resolve_break()
        self._end_paragraph()

    def _resolve_break(self) -> None:
        """A <br> not followed by a line-number marker is a real line break: it ends the paragraph."""
        if self._pending_break:
            self._pending_break = False
            self._end_paragraph()

    def _end_paragraph(self) -> None:
        text = re.sub(r"[^\S\u00a0\u202f]+", " ", "".join(self._current)).strip()
        self._current = []
        if text and text not in {"–", "– "} and not re.fullmatch(r"\d+\.", text):
            self.paragraphs.append(text)


# ---------------------------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------------------------


def _fallback_title(filename: str) -> str:
    stem = PurePath(filename or "").stem.replace("_", " ").replace("-", " ").strip()
    return re.sub(r"\s+", " ", stem)[:300] or "Importierter Antrag"


def import_new_motion(
    session: Session, filename: str, data: bytes, *, title: str = "", user: User | None = None
) -> tuple[Motion, ImportedMotion]:
    """Create a motion from a file; the title comes from the form, else from the file, else from its name."""
    imported = read_motion_file(filename, data)
    motion = create_motion(
        session,
        MotionData(
            title=(title or "").strip() or imported.title or _fallback_title(filename),
            full_text=imported.text,
            presented_on=imported.presented_on,
            status=imported.status or MotionStatus.PRESENTED,
            body=imported.body,
            source_url=imported.source_url,
        ),
        user=user,
        imported_from=imported.format,
        filename=(filename or "")[:200],
    )
    return motion, imported


def import_into_motion(
    session: Session, motion: Motion, filename: str, data: bytes, *, user: User | None = None
) -> tuple[Reanchoring, ImportedMotion]:
    """Replace the full text of `motion` with the file's text; provisions follow their passages."""
    imported = read_motion_file(filename, data)
    reanchoring = replace_text(
        session,
        motion,
        imported.text,
        user=user,
        action="motion.import",
        imported_from=imported.format,
        filename=(filename or "")[:200],
    )
    return reanchoring, imported
