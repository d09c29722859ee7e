"""Rendering one chunk of letters in whichever process runs it: shared masters, personal overlays, stamped together."""

from __future__ import annotations

import io
import os
from collections import Counter, OrderedDict
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

from campaign.services.letters.assets import LETTER_STYLESHEET
from campaign.services.letters.layout import PrintableLetter, layout_html, letter_page_ranges, render_letters_pdf
from campaign.services.letters.pdf import new_font_config, render_pdf
from campaign.services.letters.snapshots import sha256

# Masters kept per worker; a campaign has a handful of shapes (argument selections), rarely more.
MAX_CACHED_MASTERS = 8


@dataclass(frozen=True)
class ChunkTask:
    """A chunk of letters to render, as plain data for a worker process."""

    index: int
    letters: tuple[PrintableLetter, ...]
    out_dir: str
    filenames: tuple[str, ...] = ()  # one PDF per letter is written to out_dir under these names, if given
    chunk_file: str = ""  # all letters of the chunk in one PDF (for the merged print file), if given
    co_signers: tuple[str, ...] = ()
    pdf_variant: str | None = None


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
    """Renders chunks in one process, keeping the font configuration and recent masters between chunks."""

    def __init__(self) -> None:
        self.font_config = new_font_config()
        self.masters: OrderedDict[str, PdfReader] = OrderedDict()

    def warm_up(self) -> None:
        """One small rendering, so that WeasyPrint, Pango and the fonts are loaded before the first chunk."""
        render_pdf("<p>Guten Tag ğ ł ß é</p>", stylesheets=(LETTER_STYLESHEET,), font_config=self.font_config)

    def _pdf(self, letters: Sequence[PrintableLetter], mode: str, task: ChunkTask) -> PdfReader:
        html = layout_html(letters, mode=mode, co_signers=task.co_signers)
        pdf = render_pdf(html, stylesheets=(LETTER_STYLESHEET,), font_config=self.font_config)
        return PdfReader(io.BytesIO(pdf))

    def _master(self, key: str, letter: PrintableLetter, task: ChunkTask) -> PdfReader:
        if key in self.masters:
            self.masters.move_to_end(key)
        else:
            self.masters[key] = self._pdf([letter], "master", task)
            while len(self.masters) > MAX_CACHED_MASTERS:
                self.masters.popitem(last=False)
        return self.masters[key]

    def _sources(self, task: ChunkTask) -> list[_Pages]:
        letters = task.letters
        if task.pdf_variant:
            # Archival PDFs stay exactly as WeasyPrint made them: one complete document per letter.
            readers = [
                PdfReader(
                    io.BytesIO(
                        render_letters_pdf(
                            [letter],
                            pdf_variant=task.pdf_variant,
                            font_config=self.font_config,
                            co_signers=task.co_signers,
                        )
                    )
                )
                for letter in letters
            ]
            return [_Pages(reader, range(len(reader.pages))) for reader in readers]
        keys = [letter.shape_key(task.co_signers) if letter.greeting_html else "" for letter in letters]
        counts = Counter(keys)
        shared = [i for i, key in enumerate(keys) if key and (counts[key] > 1 or key in self.masters)]
        sources: list[_Pages | None] = [None] * len(letters)
        if shared:
            overlays = self._pdf([letters[i] for i in shared], "overlay", task)
            ranges = letter_page_ranges(overlays, len(shared))
            for position, i in enumerate(shared):
                if len(ranges[position]) != 1:
                    continue  # cannot happen with the layout's fixed first page; set it in full to be safe
                master = self._master(keys[i], letters[i], task)
                sources[i] = _Pages(master, range(len(master.pages)), (overlays, ranges[position][0]))
        single = [i for i, source in enumerate(sources) if source is None]
        if single:
            document = self._pdf([letters[i] for i in single], "full", task)
            for i, pages in zip(single, letter_page_ranges(document, len(single)), strict=True):
                sources[i] = _Pages(document, pages)
        return [source for source in sources if source is not None]

    def render(self, task: ChunkTask) -> list[RenderedLetter]:
        """Render the chunk, write the requested files, and report each letter's hash and pages."""
        out_dir = Path(task.out_dir)
        chunk_writer = PdfWriter() if task.chunk_file else None
        results = []
        for index, (letter, source) in enumerate(zip(task.letters, self._sources(task), strict=True)):
            writer = PdfWriter()
            _add_letter(writer, source, f"/Brief{index}")
            writer.add_metadata({"/Title": letter.title, "/Author": letter.sender_name})
            buffer = io.BytesIO()
            writer.write(buffer)
            pdf = buffer.getvalue()
            filename = task.filenames[index] if task.filenames else ""
            if filename:
                _write_atomically(out_dir / filename, pdf)
            if chunk_writer is not None:
                _add_letter(chunk_writer, source, f"/Brief{index}")
            results.append(RenderedLetter(letter.reference_code, filename, sha256(pdf), len(source.numbers)))
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


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, path)
