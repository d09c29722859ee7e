"""Composed letters as one Word document (DOCX) for editing, laid out like the printed DIN 5008 letter.

Apart from `exports` so that python-docx is loaded by the download that needs it, not by every process that
imports the web layer.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from campaign.services.letters.compose import ComposedLetter


def body_paragraphs(body_text: str) -> list[list[str]]:
    """The body as paragraphs (split at blank lines), each a list of its lines."""
    lines = [line.rstrip() for line in (body_text or "").replace("\r\n", "\n").split("\n")]
    blocks = "\n".join(lines).split("\n\n")
    return [block.strip("\n").split("\n") for block in blocks if block.strip()]


def letters_docx(composed: Sequence[ComposedLetter], *, title: str) -> bytes:
    """One Word document with every letter on its own pages, laid out like the printed DIN 5008 letter."""
    document = Document()
    _page_setup(document)
    sender = composed[0].sender if composed else None
    document.core_properties.title = title[:255]
    document.core_properties.author = (sender.name if sender else "")[:255]
    document.core_properties.language = "de-DE"
    for index, letter in enumerate(composed):
        if index:
            document.add_page_break()
        _add_letter(document, letter)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document: Any) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    style.paragraph_format.space_after = Pt(0)


def _lines(document: Any, lines: Sequence[str], *, size: float | None = None, align: Any = None) -> Any:
    """One paragraph whose lines are separated by line breaks (so they stay one block, as in an address)."""
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        if size:
            run.font.size = Pt(size)
        if number < len(lines) - 1:
            run.add_break()
    return paragraph


def _add_letter(document: Any, letter: ComposedLetter) -> None:
    if letter.sender is not None and letter.sender.return_line:
        _lines(document, [letter.sender.return_line], size=8)
    _lines(document, list(letter.address_lines))
    document.add_paragraph()
    info = [f"Datum: {letter.date_text}"]
    if letter.reference_code:
        info.append(f"Unser Zeichen: {letter.reference_code}")
    _lines(document, info, align=WD_ALIGN_PARAGRAPH.RIGHT)
    document.add_paragraph()
    subject = document.add_paragraph()
    subject.add_run(letter.subject).bold = True
    subject.paragraph_format.space_after = Pt(12)
    for lines in body_paragraphs(letter.body_text):
        _lines(document, lines).paragraph_format.space_after = Pt(8)
    document.add_paragraph(letter.closing).paragraph_format.space_before = Pt(4)
    document.add_paragraph()
    for name, role in letter.signatories:
        _lines(document, [name, role] if role else [name]).paragraph_format.space_after = Pt(6)
    if letter.sender is not None:
        _lines(document, [letter.sender.name])
    if letter.endnotes:
        heading = document.add_paragraph()
        heading.paragraph_format.space_before = Pt(18)
        heading.add_run("Quellen").bold = True
        for note in letter.endnotes:
            _lines(document, [note], size=9).paragraph_format.space_after = Pt(3)
