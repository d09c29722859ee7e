"""Bulk letter rendering: shared layouts with personal overlays, chunked documents on every core, streamed outputs.

WeasyPrint spends nearly all its time laying out text, and a campaign's letters mostly share their text: only the
address, reference code, date and greeting differ. So letters with the same "shape" (PrintableLetter.shape_key)
are laid out once as a master without those fields, and each letter's personal fields are laid out as one small
overlay page in exactly the same positions; pypdf then prints the overlay over the master's first page as a form
XObject (no content stream is parsed). Letters that share their shape with no other letter of their chunk, and
archival PDF/A output, are set in full instead (several letters per document, split by their page ranges).

Chunks run in a process pool (forkserver, so no database connection or lock is ever inherited); the workers get
plain data and write PDFs to disk, the parent process only composes letters and writes the database. Memory is
bounded by the chunks in flight: per-letter PDFs go straight to files, the ZIP is filled from those files, and the
merged print PDF is written object by object from the chunk files.
"""

from __future__ import annotations

import atexit
import io
import multiprocessing
import os
import shutil
import tempfile
import threading
import zipfile
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)
from sqlalchemy import case, select
from sqlalchemy.orm import Session
from weasyprint.text.fonts import FontConfiguration

from campaign.models import Campaign, Recipient, Target, TemplateVersion, User
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import slugify
from campaign.services.letters.compose import (
    PrintableLetter,
    co_signer_names,
    current_template_version,
    layout_html,
    letter_page_ranges,
    prepare_letters,
    render_letters_pdf,
    sha256,
    store_pdf,
)
from campaign.services.letters.pdf import render_pdf

FORMATS = ("pdf", "zip", "merged")
SORTS = ("postcode", "region")
# Letters per WeasyPrint document: large enough to share fonts and masters, small enough to keep memory flat.
CHUNK_SIZE = 25
# Masters kept per worker; a campaign has a handful of shapes (argument selections), rarely more.
MAX_CACHED_MASTERS = 8
# A worker is replaced (forked afresh, in milliseconds) after this many chunks, so whatever WeasyPrint and pypdf
# keep around between documents cannot add up over a campaign of many thousand letters.
MAX_CHUNKS_PER_WORKER = 40
STYLESHEETS = (Path(__file__).resolve().parents[3] / "letters" / "din5008.css",)


# ---- one chunk, in whichever process renders it ----


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
        self.font_config = FontConfiguration()
        self.masters: OrderedDict[str, PdfReader] = OrderedDict()

    def _pdf(self, letters: Sequence[PrintableLetter], mode: str, task: ChunkTask) -> PdfReader:
        html = layout_html(letters, mode=mode, co_signers=task.co_signers)
        pdf = render_pdf(html, stylesheets=STYLESHEETS, font_config=self.font_config)
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


# ---- the process pool ----

_worker: LetterRenderer | None = None


def _init_worker() -> None:
    """Set up a worker: its renderer, and one small rendering so fonts and Pango are loaded before real work."""
    global _worker
    _worker = LetterRenderer()
    render_pdf("<p>Guten Tag ğ ł ß é</p>", stylesheets=STYLESHEETS, font_config=_worker.font_config)


def _render_in_worker(task: ChunkTask) -> list[RenderedLetter]:
    assert _worker is not None, "worker not initialised"
    return _worker.render(task)


def _worker_ready() -> int:
    return os.getpid()


class RenderPool:
    """Renders chunks on `workers` processes (every core by default), or in this process for workers=1."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self._local: LetterRenderer | None = None
        self._executor: ProcessPoolExecutor | None = None
        if self.workers > 1:
            # forkserver: workers start from a clean process, never from a copy of one holding DB connections.
            # The server imports this module once, so each worker forks ready to render (importing the campaign
            # package costs more than a second per process).
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__])
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_init_worker,
                max_tasks_per_child=MAX_CHUNKS_PER_WORKER,
            )
        else:
            self._local = LetterRenderer()

    def submit(self, task: ChunkTask) -> Future[list[RenderedLetter]]:
        if self._executor is not None:
            return self._executor.submit(_render_in_worker, task)
        future: Future[list[RenderedLetter]] = Future()
        try:
            assert self._local is not None
            future.set_result(self._local.render(task))
        except Exception as exc:  # handed to the caller through the future, as with the process pool
            future.set_exception(exc)
        return future

    def start(self) -> None:
        """Start every worker now and wait until each is ready (instead of on the first chunks)."""
        if self._executor is not None:
            # Submitted together, so the executor starts one process per task.
            for future in [self._executor.submit(_worker_ready) for _ in range(self.workers)]:
                future.result()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


# One pool per process and size, kept between runs: a job worker renders many campaigns, and starting the
# render processes (imports, fonts) costs about two seconds each time. Closed when the process exits.
_pools: dict[int, RenderPool] = {}
_pools_lock = threading.Lock()


def shared_pool(workers: int | None = None) -> RenderPool:
    """The process's render pool with `workers` processes (every core by default), started on first use."""
    count = max(1, workers if workers is not None else (os.cpu_count() or 1))
    with _pools_lock:
        if count not in _pools:
            _pools[count] = RenderPool(count)
        return _pools[count]


def warm_up(workers: int | None = None) -> None:
    """Start the shared pool's workers ahead of the first run (e.g. when a job worker starts)."""
    shared_pool(workers).start()


@atexit.register
def shutdown_pools() -> None:
    """Stop the render processes (at exit, or to free their memory)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


def _discard_pool(pool: RenderPool) -> None:
    with _pools_lock:
        for count, known in list(_pools.items()):
            if known is pool:
                del _pools[count]
    pool.close()


def render_chunks(
    tasks: Iterable[ChunkTask], *, workers: int | None = None, in_flight: int | None = None
) -> Iterator[tuple[ChunkTask, list[RenderedLetter]]]:
    """Render tasks on the shared pool, yielding results in task order with at most `in_flight` chunks pending."""
    pool = shared_pool(workers)
    limit = in_flight or pool.workers + 1
    pending: deque[tuple[ChunkTask, Future[list[RenderedLetter]]]] = deque()
    try:
        for task in tasks:
            pending.append((task, pool.submit(task)))
            while len(pending) > limit:
                done_task, future = pending.popleft()
                yield done_task, future.result()
        while pending:
            done_task, future = pending.popleft()
            yield done_task, future.result()
    except BrokenProcessPool:
        _discard_pool(pool)  # a worker died (e.g. killed for memory); the next run starts a fresh pool
        raise
    finally:
        for _, future in pending:
            future.cancel()


# ---- the merged print file, written object by object ----


class StreamingPdfWriter:
    """Concatenates the pages of several PDFs into one file without holding more than one source in memory.

    Each source's objects are copied with new numbers as soon as they are reached from one of its pages; only
    the byte offsets, the page numbers and the outline titles stay in memory until the end.
    """

    def __init__(self, handle: BinaryIO, *, title: str = "", author: str = "") -> None:
        self.out = handle
        self.offsets: list[int] = [0]
        self.catalog, self.pages_root, self.info = self._reserve(), self._reserve(), self._reserve()
        self.page_ids: list[int] = []
        self.outline: list[tuple[str, str, int]] = []  # (group, title, first page id)
        self.title, self.author = title, author
        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _reserve(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def _write(self, number: int, obj: PdfObject) -> None:
        self.offsets[number] = self.out.tell()
        self.out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def add_pdf(self, reader: PdfReader, letters: Sequence[tuple[str, str, int]]) -> None:
        """Append all pages of `reader`; `letters` gives (group, title, page count) of each letter, in order."""
        numbers: dict[int, int] = {}
        queue: deque[IndirectObject] = deque()

        def ref(indirect: IndirectObject) -> IndirectObject:
            if indirect.idnum not in numbers:
                numbers[indirect.idnum] = self._reserve()
                queue.append(indirect)
            return IndirectObject(numbers[indirect.idnum], 0, reader)

        def copy(obj: Any) -> Any:
            if isinstance(obj, IndirectObject):
                return ref(obj)
            if isinstance(obj, StreamObject):
                return StreamObject.initialize_from_dictionary(
                    {key: copy(value) for key, value in obj.items()} | {"__streamdata__": obj._data}
                )
            if isinstance(obj, DictionaryObject):
                return DictionaryObject({NameObject(key): copy(value) for key, value in obj.items()})
            if isinstance(obj, ArrayObject):
                return ArrayObject(copy(value) for value in obj)
            return obj

        # Pages get their numbers first, so links and annotations that point at a page find it.
        page_numbers = []
        for page in reader.pages:
            numbers[page.indirect_reference.idnum] = self._reserve()
            page_numbers.append(numbers[page.indirect_reference.idnum])
        for page, number in zip(reader.pages, page_numbers, strict=True):
            # The page dictionary as pypdf resolved it (inherited resources and boxes included).
            copied = DictionaryObject({NameObject(k): copy(v) for k, v in page.items() if k != "/Parent"})
            copied[NameObject("/Parent")] = IndirectObject(self.pages_root, 0, reader)
            self._write(number, copied)
            while queue:
                indirect = queue.popleft()
                self._write(numbers[indirect.idnum], copy(indirect.get_object()))
        self.page_ids.extend(page_numbers)
        start = 0
        for group, title, count in letters:
            if start < len(page_numbers):
                self.outline.append((group, title, page_numbers[start]))
            start += count

    def close(self) -> None:
        """Write the page tree, the outline (grouped if groups are given), the catalog and the cross-reference."""
        pages = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject(IndirectObject(n, 0, None) for n in self.page_ids),
                NameObject("/Count"): NumberObject(len(self.page_ids)),
            }
        )
        self._write(self.pages_root, pages)
        catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): IndirectObject(self.pages_root, 0, None),
            }
        )
        if self.outline:
            catalog[NameObject("/Outlines")] = IndirectObject(self._write_outline(), 0, None)
            catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
        self._write(self.catalog, catalog)
        self._write(
            self.info,
            DictionaryObject(
                {
                    NameObject("/Title"): TextStringObject(self.title),
                    NameObject("/Author"): TextStringObject(self.author),
                    NameObject("/Producer"): TextStringObject("Kampagnen-Werkzeug"),
                }
            ),
        )
        xref = self.out.tell()
        self.out.write(f"xref\n0 {len(self.offsets)}\n0000000000 65535 f \n".encode())
        for offset in self.offsets[1:]:
            self.out.write(f"{offset:010d} 00000 n \n".encode())
        self.out.write(
            f"trailer\n<< /Size {len(self.offsets)} /Root {self.catalog} 0 R /Info {self.info} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n".encode()
        )

    def _write_outline(self) -> int:
        root = self._reserve()
        if any(group for group, _, _ in self.outline):
            groups: dict[str, list[tuple[str, int]]] = {}
            for group, title, page in self.outline:
                groups.setdefault(group or "Ohne Unterbezirk", []).append((title, page))
            tops = [(name, items[0][1], items) for name, items in groups.items()]
        else:
            tops = [(title, page, []) for _, title, page in self.outline]
        first, last = self._write_items(root, tops)
        self._write(
            root,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Outlines"),
                    NameObject("/First"): IndirectObject(first, 0, None),
                    NameObject("/Last"): IndirectObject(last, 0, None),
                    NameObject("/Count"): NumberObject(len(tops)),
                }
            ),
        )
        return root

    def _write_items(self, parent: int, items: Sequence[tuple[str, int, list[tuple[str, int]]]]) -> tuple[int, int]:
        """Write sibling outline items (with their children) and return the first and last item's numbers."""
        numbers = [self._reserve() for _ in items]
        for index, (title, page, children) in enumerate(items):
            item = DictionaryObject(
                {
                    NameObject("/Title"): TextStringObject(title),
                    NameObject("/Parent"): IndirectObject(parent, 0, None),
                    NameObject("/Dest"): ArrayObject([IndirectObject(page, 0, None), NameObject("/Fit")]),
                }
            )
            if index:
                item[NameObject("/Prev")] = IndirectObject(numbers[index - 1], 0, None)
            if index + 1 < len(items):
                item[NameObject("/Next")] = IndirectObject(numbers[index + 1], 0, None)
            if children:
                first, last = self._write_items(numbers[index], [(t, p, []) for t, p in children])
                item[NameObject("/First")] = IndirectObject(first, 0, None)
                item[NameObject("/Last")] = IndirectObject(last, 0, None)
                item[NameObject("/Count")] = NumberObject(-len(children))  # closed: a list of regions first
            self._write(numbers[index], item)
        return numbers[0], numbers[-1]


# ---- a campaign's letters, end to end ----


def letter_filename(letter: PrintableLetter) -> str:
    """NRW-2026-0001-ayse-karadag.pdf"""
    slug = slugify(letter.recipient_name, 60)
    return f"{letter.reference_code}-{slug}.pdf" if slug else f"{letter.reference_code}.pdf"


def output_file(root: Path, campaign: Campaign, fmt: str, job_id: int) -> Path:
    """Where a job's output goes: <root>/<campaign slug>/<slug>-briefe-<job>.zip, -druck-<job>.pdf or a folder."""
    names = {"zip": f"{campaign.slug}-briefe-{job_id}.zip", "merged": f"{campaign.slug}-druck-{job_id}.pdf"}
    return root / campaign.slug / names.get(fmt, f"{campaign.slug}-briefe-{job_id}")


def recipient_order(session: Session, campaign: Campaign, sort: str = "postcode") -> list[int]:
    """The ids of the campaign's recipients in print order: by postcode, or grouped by region (Unterbezirk)."""
    if sort not in SORTS:
        raise ServiceError(f"Unbekannte Sortierung „{sort}“. Möglich: {', '.join(SORTS)}.")
    by_postcode = (Recipient.postcode, Recipient.last_name, Recipient.first_name, Recipient.group_name, Recipient.id)
    order = by_postcode
    if sort == "region":
        order = (case((Recipient.unterbezirk == "", 1), else_=0), Recipient.unterbezirk, *by_postcode)
    statement = (
        select(Recipient.id)
        .join(Target, Target.recipient_id == Recipient.id)
        .where(Target.campaign_id == campaign.id)
        .order_by(*order)
    )
    return list(session.scalars(statement))


@dataclass
class BatchResult:
    """The output of a bulk run: where it is, how many letters it holds, and which letters were left alone."""

    path: Path
    letters: int = 0
    pages: int = 0
    skipped: list[str] = field(default_factory=list)


def render_campaign_letters(
    session: Session,
    campaign: Campaign,
    *,
    target: Path,
    fmt: str = "pdf",
    sort: str = "postcode",
    on: date,
    user: User | None = None,
    template_version: TemplateVersion | None = None,
    chunk_size: int = CHUNK_SIZE,
    workers: int | None = None,
    pdf_variant: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Generate (snapshot) and render every letter of a campaign.

    `fmt` "pdf" writes one PDF per letter into the directory `target`; "zip" writes them into the ZIP file
    `target`; "merged" writes one print PDF `target` in the order given by `sort` ("postcode" or "region").
    `progress(done, total)` is called after each chunk; it is where a job or command commits. Letters that were
    already sent are not changed and are listed in the result's `skipped`.
    """
    if fmt not in FORMATS:
        raise ServiceError(f"Unbekanntes Format „{fmt}“. Möglich: {', '.join(FORMATS)}.")
    version = template_version or current_template_version(campaign)
    ids = recipient_order(session, campaign, sort)
    if not ids:
        raise ServiceError(f"Die Kampagne „{campaign.title}“ hat noch keine Empfänger:innen.")
    letters_dir = target if fmt == "pdf" else None
    try:
        (letters_dir or target.parent).mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".briefe-", dir=letters_dir or target.parent))
    except OSError as exc:
        raise ServiceError(f"Das Verzeichnis „{letters_dir or target.parent}“ ist nicht beschreibbar: {exc}") from exc
    co_signers = tuple(co_signer_names(session, campaign)) if campaign.open_letter else ()
    result = BatchResult(path=target)
    total, done = len(ids), 0
    if progress:
        progress(0, total)
    prepared_by_chunk: dict[int, list[Any]] = {}
    counts_by_chunk: dict[int, int] = {}
    files: list[str] = []
    chunk_files: list[tuple[str, list[tuple[str, str, int]]]] = []

    def tasks() -> Iterator[ChunkTask]:
        for index, start in enumerate(range(0, total, chunk_size)):
            chunk_ids = ids[start : start + chunk_size]
            by_id = {r.id: r for r in session.scalars(select(Recipient).where(Recipient.id.in_(chunk_ids)))}
            recipients = [by_id[i] for i in chunk_ids if i in by_id]
            prepared, skipped = prepare_letters(
                session, campaign, recipients, on=on, user=user, template_version=version
            )
            result.skipped.extend(skipped)
            prepared_by_chunk[index] = prepared
            counts_by_chunk[index] = len(chunk_ids)
            printables = tuple(item.composed.printable() for item in prepared)
            yield ChunkTask(
                index=index,
                letters=printables,
                out_dir=str(letters_dir or work),
                filenames=tuple(letter_filename(p) for p in printables) if fmt != "merged" else (),
                chunk_file=str(work / f"teil-{index:05d}.pdf") if fmt == "merged" else "",
                co_signers=co_signers,
                pdf_variant=pdf_variant,
            )

    try:
        for task, rendered in render_chunks(tasks(), workers=workers):
            for item, letter_result in zip(prepared_by_chunk.pop(task.index), rendered, strict=True):
                store_pdf(item.letter, letter_result.sha256)
                result.pages += letter_result.pages
            result.letters += len(rendered)
            files.extend(r.filename for r in rendered if r.filename)
            if task.chunk_file and rendered:
                outline = [
                    (letter.region if sort == "region" else "", letter.title, r.pages)
                    for letter, r in zip(task.letters, rendered, strict=True)
                ]
                chunk_files.append((task.chunk_file, outline))
            done += counts_by_chunk.pop(task.index)
            session.flush()
            if progress:
                progress(done, total)
        if not result.letters:
            raise ServiceError("Alle Briefe dieser Kampagne sind bereits versandt; es gibt nichts neu zu erzeugen.")
        if fmt == "zip":
            _write_zip(target, work, files)
        elif fmt == "merged":
            _write_merged(target, chunk_files, title=f"{campaign.title} – Druckdatei", author=_author(campaign))
    except OSError as exc:
        raise ServiceError(f"Die Briefe konnten nicht geschrieben werden: {exc}") from exc
    except BrokenProcessPool as exc:
        raise ServiceError(
            "Ein Prozess zum Setzen der Briefe ist abgebrochen (zu wenig Arbeitsspeicher?). Bitte erneut versuchen; "
            "bereits erzeugte Briefe behalten ihr Zeichen."
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _author(campaign: Campaign) -> str:
    return campaign.organisation.name if campaign.organisation else ""


def _write_zip(target: Path, work: Path, files: Sequence[str]) -> None:
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name in files:
            archive.write(work / name, arcname=name)
    os.replace(partial, target)


def _write_merged(target: Path, chunk_files: Sequence[tuple[str, list[tuple[str, str, int]]]], **info: str) -> None:
    partial = target.with_name(target.name + ".part")
    with open(partial, "wb") as handle:
        writer = StreamingPdfWriter(handle, **info)
        for path, outline in chunk_files:
            writer.add_pdf(PdfReader(path), outline)
        writer.close()
    os.replace(partial, target)
