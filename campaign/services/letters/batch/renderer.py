"""Rendering one chunk of letters in whichever process runs it: each letter its own document, shared masters stamped."""

from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from campaign.services.common.files import write_atomically
from campaign.services.letters.assets import LETTER_STYLESHEET
from campaign.services.letters.layout import PrintableLetter, layout_html
from campaign.services.letters.pdf import Typesetter

# Masters kept per worker; a campaign has a handful of shapes (argument selections), rarely more.
MAX_CACHED_MASTERS = 8

# What a render process sets once to load fonts, stylesheets and the layout before its first real letter.
SAMPLE_LETTER = PrintableLetter(
    reference_code="PROBE-0001",
    subject="Probe",
    greeting_html="Guten Tag ğ ł ß é,",
    body_html="<p>Şükrü Wołoszyńska-Çelik, Ñúñez, Ćosić: Unterbringungseinrichtungen, Integrationsbeauftragte.</p>",
    address_lines=("Frau Probe", "Probeweg 1", "50823 Köln"),
    date_text="1. Januar 2026",
    return_line="Probe e. V., Probeweg 1, 50823 Köln",
    sender_name="Probe e. V.",
    sender_contact=(("E-Mail", "probe@example.org"),),
    letterhead_note="",
    signatories=(("Probe", "Vorsitz"),),
    endnotes=(),
    recipient_name="Frau Probe",
)


@dataclass(frozen=True)
class ChunkTask:
    """A chunk of letters to render, as plain data for a worker process.

    `shapes` holds, per letter, the shape key under which it is printed over a shared master, or "" for a letter
    set in full; the parent decides, so a letter is set the same way whichever chunk and process it lands in.
    """

    index: int
    letters: tuple[PrintableLetter, ...]
    out_dir: str
    filenames: tuple[str, ...] = ()  # one PDF per letter is written to out_dir under these names, if given
    chunk_file: str = ""  # all letters of the chunk in one PDF (for the merged print file), if given
    co_signers: tuple[str, ...] = ()
    pdf_variant: str | None = None
    shapes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderedLetter:
    """What became of one letter: its file (if written), the SHA-256 of its PDF and its page count."""

    reference_code: str
    filename: str
    sha256: str
    pages: int


@dataclass
class _Pages:
    """Where one letter's pages come from: pages of a reader, and optionally an overlay for the first one."""

    reader: PdfReader
    numbers: Sequence[int]
    overlay: tuple[PdfReader, int] | None = None


class LetterRenderer:
    """Renders chunks in one process, keeping its typesetter (fonts, parsed CSS) and recent masters between chunks."""

    def __init__(self) -> None:
        self.typesetter = Typesetter((LETTER_STYLESHEET,))
        self.masters: OrderedDict[str, PdfReader] = OrderedDict()

    def warm_up(self) -> None:
        """Set one small letter, so that WeasyPrint, Pango, the fonts and the layout are loaded before real work."""
        import campaign.services.letters.batch.preload  # noqa: F401  (hyphenation patterns, if not forked with them)

        self.typesetter.render(layout_html([SAMPLE_LETTER]))

    def _master(self, key: str, letter: PrintableLetter, task: ChunkTask) -> PdfReader:
        if key in self.masters:
            self.masters.move_to_end(key)
        else:
            pdf, _ = self.typesetter.render(layout_html([letter], mode="master", co_signers=task.co_signers))
            self.masters[key] = PdfReader(io.BytesIO(pdf))
            while len(self.masters) > MAX_CACHED_MASTERS:
                self.masters.popitem(last=False)
        return self.masters[key]

    def _letter(self, letter: PrintableLetter, shape: str, task: ChunkTask) -> tuple[bytes, int, _Pages | None]:
        """One letter's PDF and page count (and, if the chunk file needs them, where its pages are)."""
        if not shape or task.pdf_variant:
            # Archival PDFs stay exactly as WeasyPrint made them, and a letter of its own shape needs no master.
            html = layout_html([letter], co_signers=task.co_signers)
            pdf, pages = self.typesetter.render(html, pdf_variant=task.pdf_variant)
            source = _Pages(PdfReader(io.BytesIO(pdf)), range(pages)) if task.chunk_file else None
            return pdf, pages, source
        master = self._master(shape, letter, task)
        overlay, _ = self.typesetter.render(layout_html([letter], mode="overlay", co_signers=task.co_signers))
        source = _Pages(master, range(len(master.pages)), (PdfReader(io.BytesIO(overlay)), 0))
        writer = PdfWriter()
        _add_letter(writer, source, "/Brief")
        writer.add_metadata({"/Title": letter.title, "/Author": letter.sender_name})
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue(), len(source.numbers), source

    def render(self, task: ChunkTask) -> list[RenderedLetter]:
        """Render the chunk letter by letter, write the requested files, and report each letter's hash and pages."""
        out_dir = Path(task.out_dir)
        chunk_writer = PdfWriter() if task.chunk_file else None
        shapes = task.shapes or ("",) * len(task.letters)
        results = []
        for index, (letter, shape) in enumerate(zip(task.letters, shapes, strict=True)):
            pdf, pages, source = self._letter(letter, shape, task)
            filename = task.filenames[index] if task.filenames else ""
            if filename:
                # Not flushed to the disk one by one: the ZIP or print file made from them is, and a folder of
                # PDFs holds finished files only (under their names) whatever happens.
                write_atomically(out_dir / filename, pdf, durable=False)
            if chunk_writer is not None and source is not None:
                _add_letter(chunk_writer, source, f"/Brief{index}")
            # The same hex SHA-256 as snapshots.sha256; not imported from there, since that module loads the models
            # (the render processes need neither them nor the database).
            results.append(RenderedLetter(letter.reference_code, filename, hashlib.sha256(pdf).hexdigest(), pages))
        if chunk_writer is not None:
            with open(task.chunk_file, "wb") as handle:
                chunk_writer.write(handle)
        return results


def _add_letter(writer: PdfWriter, source: _Pages, overlay_name: str) -> None:
    """Append a letter's pages to `writer`, printing its overlay (if any) over the first page."""
    first = None
    for number in source.numbers:
        page = writer.add_page(source.reader.pages[number])
        first = first if first is not None else page
    if source.overlay is not None and first is not None:
        reader, number = source.overlay
        _stamp(writer, first, reader.pages[number], overlay_name)


def _stamp(writer: PdfWriter, page: Any, overlay: Any, name: str) -> None:
    """Draw `overlay`'s content over `page` as a form XObject (both pages are A4 in the same user space)."""
    contents = overlay["/Contents"].get_object()
    if isinstance(contents, ArrayObject):
        form: StreamObject = DecodedStreamObject()
        form.set_data(b"\n".join(part.get_object().get_data() for part in contents))
    else:
        form = StreamObject.initialize_from_dictionary(
            {key: value for key, value in contents.items() if key in ("/Filter", "/DecodeParms", "/Length")}
            | {"__streamdata__": contents._data}
        )
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(value) for value in overlay.mediabox)
    form[NameObject("/Resources")] = overlay["/Resources"].get_object().clone(writer)
    # pypdf has no public call to add a new indirect object; _add_object is what its own merge functions use.
    form_ref = writer._add_object(form)
    resources = DictionaryObject(page["/Resources"].get_object())  # a page's own copy: masters share theirs
    xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
    xobjects[NameObject(name)] = form_ref
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(f"\nQ\nq {name} Do Q\n".encode())
    # raw_get keeps the indirect reference: a content stream must stay an indirect object.
    original = page.raw_get("/Contents")
    parts = list(original.get_object()) if isinstance(original.get_object(), ArrayObject) else [original]
    parts = [part if isinstance(part, IndirectObject) else writer._add_object(part) for part in parts]
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(before), *parts, writer._add_object(after)])
