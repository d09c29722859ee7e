"""Reading the first sheet of an XLSX workbook, after checking that unpacking and parsing it stays small.

An XLSX file is a ZIP archive of XML parts. A few hundred kilobytes can unpack to gigabytes, and a small sheet
can name a cell in column XFD, which a reader pads out to 16,384 cells per row. So before openpyxl sees the
file, every part's unpacked size and compression ratio is checked (zipfile enforces the sizes the archive
declares), and every XML part is scanned once with a streaming parser for what openpyxl would keep in memory:
rows, cells beyond MAX_COLUMNS, shared strings, and elements outside rows. Then openpyxl reads the first sheet
in read-only (streaming) mode, never wider than MAX_COLUMNS.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO, Any
from xml.parsers import expat

import openpyxl
from flask_babel import gettext as _
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from campaign.services.common.archives import MB, ArchiveLimits, archive_problem
from campaign.services.common.text import format_thousands
from campaign.services.recipients.importing.table import (
    MAX_COLUMNS,
    ImportFileError,
    Row,
    Table,
    check_row_count,
    trimmed_headers,
)

# What the workbook's ZIP may unpack to (a part, all parts together) before openpyxl sees it.
ARCHIVE_LIMITS = ArchiveLimits(max_member_bytes=30 * MB, max_total_bytes=60 * MB)
# What openpyxl keeps while it reads: the rows of a sheet (emptied, but kept), the shared strings, and
# everything outside rows (merged cells, formats, hyperlinks …; in styles and workbook parts: every element).
MAX_SHEET_ROWS = 100_000
MAX_SHARED_STRINGS = 500_000
MAX_ELEMENTS_OUTSIDE_ROWS = 200_000
# Elements inside one row or one shared string (cells, values, rich-text runs).
MAX_ELEMENTS_PER_ROW = 20_000
# Formatting can stretch a sheet to a million empty rows; the data ended long before.
MAX_BLANK_ROWS = 1000
SPREADSHEET_NAMESPACES = frozenset(
    {"http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"}
)
_COLUMN_LETTERS = re.compile(r"[A-Za-z]{1,3}")
_XML_PART = re.compile(r"\.(xml|rels)$", re.IGNORECASE)


def _refused(name: str, reason: str) -> ImportFileError:
    return ImportFileError(
        _(
            "„%(name)s“ wird aus Sicherheitsgründen nicht gelesen: %(reason)s Bitte nur die Tabelle mit den "
            "Empfänger:innen in eine neue Excel-Datei kopieren oder als CSV speichern.",
            name=name,
            reason=reason,
        )
    )


def check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse an archive whose parts unpack to too much, or grow suspiciously much (a „ZIP bomb“)."""
    problem = archive_problem(archive.infolist(), ARCHIVE_LIMITS)
    if problem:
        raise _refused(name, problem)


class _PartScan:
    """Counts, while expat streams one XML part, what openpyxl would hold in memory; raises when it is too much."""

    def __init__(self, name: str, part: str) -> None:
        self.name, self.part = name, part
        self.rows = self.strings = self.outside = 0
        self.unit_depth = self.unit_elements = 0
        self.column = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        namespace, _separator, local = tag.rpartition(" ")
        if self.unit_depth:
            self.unit_depth += 1
            self.unit_elements += 1
            if self.unit_elements > MAX_ELEMENTS_PER_ROW:
                raise _refused(self.name, _("Eine Zeile im Teil „%(part)s“ hat zu viele Elemente.", part=self.part))
            if local == "c" and namespace in SPREADSHEET_NAMESPACES:
                self._cell(attributes.get("r", ""))
        elif namespace in SPREADSHEET_NAMESPACES and local in {"row", "si"}:
            self._unit(local)
        else:
            self.outside += 1
            if self.outside > MAX_ELEMENTS_OUTSIDE_ROWS:
                raise _refused(self.name, _("Der Teil „%(part)s“ hat ungewöhnlich viele Elemente.", part=self.part))

    def doctype(self, *declaration: object) -> None:
        # Office never writes a DTD; one in a workbook can only serve entity expansion.
        raise _refused(self.name, _("Der Teil „%(part)s“ enthält eine DTD.", part=self.part))

    def end(self, tag: str) -> None:
        if self.unit_depth:
            self.unit_depth -= 1

    def _unit(self, local: str) -> None:
        self.unit_depth, self.unit_elements, self.column = 1, 0, 0
        if local == "row":
            self.rows += 1
            if self.rows > MAX_SHEET_ROWS:
                reason = _(
                    "Ein Tabellenblatt hat mehr als %(limit)s Zeilen (auch leere zählen).",
                    limit=format_thousands(MAX_SHEET_ROWS),
                )
                raise _refused(self.name, reason)
        else:
            self.strings += 1
            if self.strings > MAX_SHARED_STRINGS:
                raise _refused(
                    self.name, _("Sie enthält mehr als %(limit)s Texte.", limit=format_thousands(MAX_SHARED_STRINGS))
                )

    def _cell(self, reference: str) -> None:
        letters = _COLUMN_LETTERS.match(reference)
        self.column = column_index_from_string(letters.group().upper()) if letters else self.column + 1
        if self.column > MAX_COLUMNS:
            raise ImportFileError(
                _(
                    "„%(name)s“ hat Zellen bis Spalte %(column)s; erlaubt sind höchstens %(limit)s Spalten "
                    "(bis %(last)s). Bitte die Zellen rechts der Tabelle löschen oder nur die Tabelle in eine neue "
                    "Datei kopieren.",
                    name=self.name,
                    column=get_column_letter(min(self.column, 18278)),
                    limit=MAX_COLUMNS,
                    last=get_column_letter(MAX_COLUMNS),
                )
            )


def scan_part(stream: IO[bytes], name: str, part: str) -> None:
    """Stream one XML part through expat (constant memory) and refuse it if reading it would cost too much."""
    scan = _PartScan(name, part)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.StartDoctypeDeclHandler = scan.doctype
    try:
        parser.ParseFile(stream)
    except expat.ExpatError as exc:
        raise ImportFileError(
            _("„%(name)s“ ist keine gültige Excel-Datei (XLSX): „%(part)s“ ist beschädigt.", name=name, part=part)
        ) from exc


def check_workbook(data: bytes, name: str) -> None:
    """Every check that must pass before openpyxl may open the file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive, name)
            for info in archive.infolist():
                if _XML_PART.search(info.filename):
                    with archive.open(info) as stream:
                        scan_part(stream, name, info.filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise ImportFileError(
            _("„%(name)s“ ist keine gültige Excel-Datei (XLSX): beschädigtes ZIP-Archiv.", name=name)
        ) from exc


def read_xlsx(data: bytes, name: str) -> Table:
    """The first sheet of a workbook as a table, after check_workbook()."""
    check_workbook(data, name)
    # openpyxl warns about features of other spreadsheet programs it ignores; none matter for a table.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except zipfile.BadZipFile as exc:
            raise ImportFileError(
                _("„%(name)s“ ist keine gültige Excel-Datei (XLSX): beschädigtes ZIP-Archiv.", name=name)
            ) from exc
        # openpyxl raises many different exception types for foreign or damaged files.
        except Exception as exc:
            raise ImportFileError(
                _("„%(name)s“ ist keine gültige Excel-Datei (XLSX) und konnte nicht gelesen werden.", name=name)
            ) from exc
        try:
            if not workbook.worksheets:
                raise ImportFileError(_("„%(name)s“ enthält kein Tabellenblatt.", name=name))
            return _table(_sheet_rows(workbook.worksheets[0]), name)
        finally:
            workbook.close()


def _sheet_rows(sheet: Any) -> Iterator[list[str]]:
    """The sheet's rows as text, never wider than MAX_COLUMNS and without empty cells at the end."""
    # The sheet's own dimension is not trusted: too small, it would hide data; too large, it would pad every row.
    sheet.reset_dimensions()
    for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        cells = [_cell_text(value) for value in values]
        while cells and not cells[-1].strip():
            cells.pop()
        yield cells


def _table(sheet_rows: Iterator[list[str]], name: str) -> Table:
    headers: list[str] | None = None
    rows: list[Row] = []
    blank_streak = 0
    for line, cells in enumerate(sheet_rows, start=1):
        if not cells:
            blank_streak += 1
            if blank_streak > MAX_BLANK_ROWS:
                break
            continue
        blank_streak = 0
        if headers is None:
            headers = trimmed_headers(cells)
            continue
        # Empty cells at the end of a spreadsheet row are not missing fields.
        rows.append(Row(line, cells + [""] * (len(headers) - len(cells))))
        check_row_count(len(rows), name)
    return Table("XLSX", headers or [], rows)


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a user sees (whole numbers without „.0“, dates German)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y") if value.time() == datetime.min.time() else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)
