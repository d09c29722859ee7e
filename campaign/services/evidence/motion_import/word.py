"""Word motions (.docx): the ZIP checked before anything is parsed, paragraphs and list markers kept, title found."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from campaign.services.common.archives import MB, ArchiveLimits, archive_problem
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import collapse_spaces, format_thousands
from campaign.services.evidence.motion_import.imported import (
    MAX_TITLE_LENGTH,
    TEXT_TOO_LONG,
    ImportedMotion,
    leading_title,
)
from campaign.services.evidence.motion_import.word_lists import ListMarkers
from campaign.services.evidence.motions import MAX_TEXT_LENGTH
from campaign.services.evidence.numbering import normalise_text

# A .docx is a ZIP of XML parts; these bounds hold for any real motion (its document.xml has a few MB at most).
# Parsing XML takes about ten times its size in memory; pictures are only loaded.
ARCHIVE_LIMITS = ArchiveLimits(max_member_bytes=8 * MB, max_total_bytes=48 * MB, member_limit_for_xml_only=True)
MAX_PARAGRAPHS = 50_000
# Word 97–2003 files and password-protected .docx files are OLE compound files, not ZIPs.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_WORD = _l(
    "Die Datei ist kein gültiges Word-Dokument (.docx). Bitte speichern Sie sie in Word neu als .docx oder laden "
    "Sie den Text als .txt-Datei hoch."
)
# The runs of text, tabs and line breaks of a paragraph in document order (tracked insertions included,
# deletions are w:delText and stay out); text boxes are anchored mid-sentence and are left out.
_PARAGRAPH_TEXT = (
    ".//w:r[not(ancestor::w:txbxContent)]/w:t | .//w:r[not(ancestor::w:txbxContent)]/w:tab"
    " | .//w:r[not(ancestor::w:txbxContent)]/w:br | .//w:r[not(ancestor::w:txbxContent)]/w:cr"
    " | .//w:r[not(ancestor::w:txbxContent)]/w:noBreakHyphen"
)
_TITLE_STYLES = {"Title", "Titel"}


def motion_from_docx(data: bytes) -> ImportedMotion:
    """The text of a Word document, one paragraph per Word paragraph, list items with their markers."""
    document = _open(data)
    # Counted in one query before any paragraph is read: reading 50,000 empty ones, each with its own query for its
    # text, took seconds of CPU, all spent on a file that is refused in the end.
    if document.element.body.xpath("count(.//w:p)") > MAX_PARAGRAPHS:
        raise ServiceError(
            gettext(
                "Das Word-Dokument hat mehr als %(MAX_PARAGRAPHS)s Absätze; so lang ist kein Antrag.",
                MAX_PARAGRAPHS=format_thousands(MAX_PARAGRAPHS),
            ),
            "file",
        )
    markers = ListMarkers(document)
    paragraphs: list[tuple[Paragraph, str]] = []
    length = 0
    for paragraph in _paragraphs(document):
        if text := _paragraph_text(paragraph).strip():
            paragraphs.append((paragraph, markers.marker(paragraph) + text))
            length += len(text) + 2
            if length > MAX_TEXT_LENGTH:
                raise ServiceError(str(TEXT_TOO_LONG), "file")
    text = normalise_text("\n\n".join(text for _, text in paragraphs))
    if not text.strip():
        raise ServiceError(gettext("Das Word-Dokument enthält keinen Text."), "file")
    first, first_text = paragraphs[0]
    if first.style is not None and first.style.name in _TITLE_STYLES:
        title = collapse_spaces(first_text)
    else:
        title = leading_title(text) or collapse_spaces(document.core_properties.title or "")
    return ImportedMotion(text=text, format="docx", title=title[:MAX_TITLE_LENGTH])


def _open(data: bytes) -> Document:
    if data.startswith(OLE_SIGNATURE):
        raise ServiceError(
            gettext(
                "Die Datei ist ein Word-Dokument im alten Format (.doc) oder mit einem Passwort geschützt. Bitte "
                "speichern Sie sie in Word ohne Passwort als .docx („Speichern unter“) und laden Sie sie erneut hoch."
            ),
            "file",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ServiceError(str(NOT_WORD), "file") from exc
    _check_members(members)
    if not any(member.filename == "word/document.xml" for member in members):
        raise ServiceError(str(NOT_WORD), "file")
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many different errors on damaged files
        raise ServiceError(str(NOT_WORD), "file") from exc


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    """Refuse a ZIP that would unpack to far more than a motion, by the sizes its directory declares."""
    problem = archive_problem(members, ARCHIVE_LIMITS)
    if problem:
        raise ServiceError(
            gettext(
                "Das Word-Dokument ist entpackt ungewöhnlich groß und wird nicht gelesen: %(problem)s Bitte "
                "speichern Sie es neu oder laden Sie den Text als .txt-Datei hoch.",
                problem=problem,
            ),
            "file",
        )


def _paragraphs(container: Document | _Cell) -> Iterator[Paragraph]:
    """The paragraphs in reading order, those in tables cell by cell (each merged cell once)."""
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, Table):
            for row in block._tbl.tr_lst:
                for cell in row.tc_lst:
                    yield from _paragraphs(_Cell(cell, block))


def _paragraph_text(paragraph: Paragraph) -> str:
    parts = []
    for element in paragraph._p.xpath(_PARAGRAPH_TEXT):
        tag = element.tag.rsplit("}", 1)[-1]
        parts.append({"t": element.text or "", "tab": " ", "noBreakHyphen": "-"}.get(tag, "\n"))
    return "".join(parts)
