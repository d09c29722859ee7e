"""A campaign's letters end to end: snapshots, chunks rendered on the pool, and the folder, ZIP or print file."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pypdf import PdfReader
from sqlalchemy.orm import Session

from campaign.models import Campaign, TemplateVersion, User
from campaign.services.common.errors import ServiceError
from campaign.services.common.files import atomic_file, remove_partial_files, write_error_message
from campaign.services.letters.batch.plan import FORMATS, letter_filename, recipient_order, recipients_in_order
from campaign.services.letters.batch.pool import render_chunks
from campaign.services.letters.batch.renderer import ChunkTask, RenderedLetter
from campaign.services.letters.batch.writer import StreamingPdfWriter
from campaign.services.letters.layout import PrintableLetter
from campaign.services.letters.snapshots import PreparedLetter, prepare_letters, store_pdf
from campaign.services.letters.templates import current_template_version
from campaign.services.signing.signatories import co_signer_names

# Letters per task for a render process. Every letter is its own document, so this only sets how often progress is
# reported and how long the last chunks can keep one core busy while the others have nothing left (at most one
# chunk each): about two seconds for letters set in full, less for letters on a shared master.
CHUNK_SIZE = 8
# Chunks composed together (one prepare_letters call); the pool holds three chunks per worker, so on two cores the
# parent composes while the workers still have a batch to render.
COMPOSE_CHUNKS = 4
BROKEN_POOL_MESSAGE = _l(
    "Ein Prozess zum Setzen der Briefe ist abgebrochen (zu wenig Arbeitsspeicher?). Bitte erneut versuchen; "
    "bereits erzeugte Briefe behalten ihr Zeichen."
)


@dataclass
class BatchResult:
    """The output of a bulk run: where it is, how many letters it holds, and which letters were left alone."""

    path: Path
    letters: int = 0
    pages: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass
class _Output:
    """Where a run writes: a PDF per letter (in the target folder, or a work folder for the ZIP) or chunk files.

    Chunk files (for the print file) and the PDFs for a ZIP live in a work folder that is removed at the end.
    """

    fmt: str
    target: Path
    work: Path
    files: dict[int, list[str]] = field(default_factory=dict)
    chunks: dict[int, tuple[str, list[tuple[str, str, int]]]] = field(default_factory=dict)

    @classmethod
    def open(cls, fmt: str, target: Path) -> _Output:
        """Create the target's folder and a work folder beside the output; a clear message if that fails.

        The work folder is named after the target, so a run that starts again after its worker was killed
        (a job keeps its target) first clears what the killed run left: its work folder and unfinished files.
        """
        folder = target if fmt == "pdf" else target.parent
        work = folder / f".briefe-{target.name}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(work, ignore_errors=True)
            remove_partial_files(folder, "" if fmt == "pdf" else target.name)
            work.mkdir()
        except OSError as exc:
            raise ServiceError(
                _("Das Verzeichnis „%(folder)s“ ist nicht beschreibbar: %(exc)s", folder=folder, exc=exc)
            ) from exc
        return cls(fmt=fmt, target=target, work=work)

    def task(self, index: int, letters: tuple[PrintableLetter, ...], **options: Any) -> ChunkTask:
        """The chunk's task, naming the files its worker writes."""
        merged = self.fmt == "merged"
        return ChunkTask(
            index=index,
            letters=letters,
            out_dir=str(self.target if self.fmt == "pdf" else self.work),
            filenames=() if merged else tuple(letter_filename(letter) for letter in letters),
            chunk_file=str(self.work / f"teil-{index:05d}.pdf") if merged else "",
            **options,
        )

    def add(self, task: ChunkTask, rendered: Sequence[RenderedLetter], *, by_region: bool) -> None:
        """Note the files a rendered chunk wrote, with the print file's outline entries (grouped by region)."""
        self.files[task.index] = [letter.filename for letter in rendered if letter.filename]
        if task.chunk_file and rendered:
            outline = [
                (letter.region if by_region else "", letter.title, result.pages)
                for letter, result in zip(task.letters, rendered, strict=True)
            ]
            self.chunks[task.index] = (task.chunk_file, outline)  # chunks finish in any order

    def finish(self, *, title: str, author: str) -> None:
        """Write the ZIP or the print file from the work folder (the folder of PDFs is complete already)."""
        if self.fmt == "zip":
            _write_zip(self.target, self.work, [name for index in sorted(self.files) for name in self.files[index]])
        elif self.fmt == "merged":
            chunks = [self.chunks[index] for index in sorted(self.chunks)]
            _write_merged(self.target, chunks, title=title, author=author)

    def clean_up(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


@dataclass
class _Run:
    """One bulk run: turns chunks of recipients into snapshots and tasks, and records what the workers rendered."""

    session: Session
    campaign: Campaign
    version: TemplateVersion | None
    on: date
    user: User | None
    output: _Output
    result: BatchResult
    by_region: bool = False
    options: dict[str, Any] = field(default_factory=dict)  # co_signers and pdf_variant, passed on to each task
    prepared: dict[int, list[PreparedLetter]] = field(default_factory=dict)
    shapes_seen: set[str] = field(default_factory=set)

    def tasks(self, ids: Sequence[int], chunk_size: int) -> Iterator[ChunkTask]:
        """One task per chunk, composed and snapshotted a few chunks at a time, as the pool has room for them.

        One prepare_letters call per batch of chunks: its queries, and reloading the campaign after each progress
        commit, are paid per batch rather than per chunk (they were a fifth of the parent's time per letter).
        """
        index = 0
        batch = chunk_size * COMPOSE_CHUNKS
        for start in range(0, len(ids), batch):
            prepared = self._prepare(ids[start : start + batch])
            for offset in range(0, len(prepared), chunk_size):
                yield self._task(index, prepared[offset : offset + chunk_size])
                index += 1

    def _prepare(self, batch_ids: Sequence[int]) -> list[PreparedLetter]:
        recipients = recipients_in_order(self.session, batch_ids)
        prepared, skipped = prepare_letters(
            self.session, self.campaign, recipients, on=self.on, user=self.user, template_version=self.version
        )
        self.result.skipped.extend(skipped)
        return prepared

    def _task(self, index: int, prepared: list[PreparedLetter]) -> ChunkTask:
        self.prepared[index] = prepared
        letters = tuple(item.composed.printable() for item in prepared)
        return self.output.task(index, letters, shapes=self._shapes(letters), **self.options)

    def _shapes(self, letters: Sequence[PrintableLetter]) -> tuple[str, ...]:
        """Each letter's shape key if an earlier letter of the run had the same text, else "".

        Letters whose text recurs are printed over a master laid out once per shape and process; the first letter
        of a text is set in full, like a letter whose text is its own (a master and an overlay would cost more).
        The rule depends only on the letters' order, so a letter comes out byte for byte the same whichever chunk
        and process it lands in.
        """
        co_signers = self.options.get("co_signers", ())
        shapes = []
        for letter in letters:
            key = letter.shape_key(co_signers) if letter.greeting_html else ""
            shapes.append(key if key and key in self.shapes_seen else "")
            self.shapes_seen.add(key)
        return tuple(shapes)

    def record(self, task: ChunkTask, rendered: Sequence[RenderedLetter]) -> None:
        """Store each letter's PDF hash and count its pages."""
        for item, letter in zip(self.prepared.pop(task.index), rendered, strict=True):
            store_pdf(item.letter, letter.sha256)
            self.result.pages += letter.pages
        self.result.letters += len(rendered)
        self.output.add(task, rendered, by_region=self.by_region)
        self.session.flush()


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
        raise ServiceError(_("Unbekanntes Format „%(fmt)s“. Möglich: %(value)s.", fmt=fmt, value=", ".join(FORMATS)))
    current_template_version(campaign)  # a campaign without a template stops here, with a clear message
    ids = recipient_order(session, campaign, sort)
    if not ids:
        raise ServiceError(_("Die Kampagne „%(title)s“ hat noch keine Empfänger:innen.", title=campaign.title))
    co_signers = tuple(co_signer_names(session, campaign)) if campaign.open_letter else ()
    output = _Output.open(fmt, target)
    run = _Run(
        session,
        campaign,
        version=template_version,  # None: each target's own template (snapshots.prepare_letters)
        on=on,
        user=user,
        output=output,
        result=BatchResult(path=target),
        by_region=sort == "region",
        options={"co_signers": co_signers, "pdf_variant": pdf_variant},
    )
    if progress:
        progress(0, len(ids))
    try:
        for task, rendered in render_chunks(run.tasks(ids, chunk_size), workers=workers):
            run.record(task, rendered)
            if progress:
                # Sent letters, left alone, count as done: the bar reaches its end with the last chunk.
                progress(min(len(ids), run.result.letters + len(run.result.skipped)), len(ids))
        if not run.result.letters:
            raise ServiceError(_("Alle Briefe dieser Kampagne sind bereits versandt; es gibt nichts neu zu erzeugen."))
        output.finish(title=f"{campaign.title} – Druckdatei", author=_author(campaign))
    except OSError as exc:
        raise ServiceError(write_error_message(exc, target.parent if fmt != "pdf" else target)) from exc
    except BrokenProcessPool as exc:
        raise ServiceError(str(BROKEN_POOL_MESSAGE)) from exc
    finally:
        output.clean_up()
    return run.result


def _author(campaign: Campaign) -> str:
    return campaign.organisation.name if campaign.organisation else ""


def _write_zip(target: Path, work: Path, files: Sequence[str]) -> None:
    with (
        atomic_file(target) as handle,
        zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        for name in files:
            archive.write(work / name, arcname=name)


def _write_merged(target: Path, chunk_files: Sequence[tuple[str, list[tuple[str, str, int]]]], **info: str) -> None:
    with atomic_file(target) as handle:
        writer = StreamingPdfWriter(handle, **info)
        for path, outline in chunk_files:
            writer.add_pdf(PdfReader(path), outline)
        writer.close()
