"""Recipient uploads built to exhaust memory: XLSX that inflate, far columns, endless rows, oversized files.

Each attack is refused with a clear German message, and the refusal itself stays small: the peak of memory
traced while reading (tracemalloc) is asserted, not a wall-clock time.
"""

from __future__ import annotations

import io
import os
import re
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable, Iterator

import openpyxl
import pytest

from campaign.services.recipients import importing as importer
from campaign.services.recipients.importing import ImportFileError

MB = 1024 * 1024
# What reading a refused file may cost at most (the files themselves are made before tracing starts).
MEMORY_BOUND = 16 * MB
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
        f'Type="{OFFICE_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE_RELS}">'
        '<sheets><sheet name="Empfänger" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{OFFICE_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{OFFICE_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}
HEADER_ROW = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
SHARED_STRINGS = f'<sst xmlns="{MAIN}"><si><t>Vorname</t></si><si><t>Nachname</t></si></sst>'


def _repeat(text: str, times: int, chunk: int = 4096) -> Iterator[bytes]:
    """`text` × `times` as chunks, so a 400 MB part is written without holding 400 MB."""
    block = text.encode() * chunk
    for _ in range(times // chunk):
        yield block
    yield text.encode() * (times % chunk)


def _sheet(rows: Iterable[bytes] | str, dimension: str = "A1:B2", before: str = "") -> Iterator[bytes]:
    yield f'{before}<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>{HEADER_ROW}'.encode()
    yield from ([rows.encode()] if isinstance(rows, str) else rows)
    yield b"</sheetData></worksheet>"


def _workbook(sheet: Iterable[bytes], shared_strings: Iterable[bytes] = (SHARED_STRINGS.encode(),)) -> bytes:
    """A minimal real workbook (openpyxl reads it) whose sheet and shared strings are streamed in."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        for name, chunks in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared_strings)):
            with archive.open(name, "w") as part:
                for chunk in chunks:
                    part.write(chunk)
    return buffer.getvalue()


def _refused_within_memory(data: bytes, name: str, message: str) -> ImportFileError:
    """Read `data`, expect a refusal matching `message`, and check the memory the attempt cost."""
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError, match=message) as caught:
            importer.read_table(data, name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"reading the refused file took {peak / MB:.0f} MB"
    return caught.value


def _unpacked_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def test_the_handmade_workbook_is_a_real_one():
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>Ayşe</t></is></c><c r="B2"><v>1067</v></c></row>'
    table = importer.read_table(_workbook(_sheet(row)), "echt.xlsx")
    assert table.headers == ["Vorname", "Nachname"] and table.rows[0].cells == ["Ayşe", "1067"]


@pytest.fixture(scope="module")
def shared_strings_bomb() -> bytes:
    """About 400 KB that unpack to 400 MB of shared strings (one cell's text)."""
    strings = [f'<sst xmlns="{MAIN}"><si><t>Vorname</t></si><si><t>'.encode()]
    return _workbook(_sheet(""), [*strings, *_repeat("A", 400 * MB), b"</t></si></sst>"])


@pytest.fixture(scope="module")
def inline_string_bomb() -> bytes:
    """A sheet whose one cell holds a 400 MB inline string."""
    cell = [b'<row r="2"><c r="A2" t="inlineStr"><is><t>', *_repeat("A", 400 * MB), b"</t></is></c></row>"]
    return _workbook(_sheet(cell))


def test_shared_strings_that_inflate_are_refused_before_parsing(shared_strings_bomb):
    assert len(shared_strings_bomb) < MB and _unpacked_size(shared_strings_bomb) > 400 * MB
    error = _refused_within_memory(shared_strings_bomb, "bombe.xlsx", "„bombe.xlsx“ wird aus Sicherheitsgründen")
    assert re.search(r"„xl/sharedStrings\.xml“ wäre entpackt 400,\d MB groß \(erlaubt: 30,0 MB\)", str(error))
    assert "als CSV speichern" in str(error)


def test_an_inline_string_that_inflates_is_refused_before_parsing(inline_string_bomb):
    assert len(inline_string_bomb) < MB
    error = _refused_within_memory(inline_string_bomb, "inline.xlsx", "aus Sicherheitsgründen")
    assert re.search(r"„xl/worksheets/sheet1\.xml“ wäre entpackt 400,\d MB groß", str(error))


def test_a_part_that_grows_a_hundredfold_is_refused_even_below_the_size_limit():
    data = _workbook(_sheet(_repeat('<row r="2"><c r="A2"><v>1</v></c></row>', 80_000)))
    error = _refused_within_memory(data, "gepackt.xlsx", "aus Sicherheitsgründen")
    assert re.search(r"wächst beim Entpacken auf das [\d.]+-Fache", str(error))


def test_two_thousand_rows_with_a_cell_in_column_xfd_are_refused():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Vorname", "Nachname"])
    for row in range(2, 2002):
        sheet.cell(row=row, column=1, value=f"Person {row}")
        sheet.cell(row=row, column=16384, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    error = _refused_within_memory(buffer.getvalue(), "breit.xlsx", "„breit.xlsx“ hat Zellen bis Spalte XFD")
    assert "höchstens 200 Spalten (bis GR)" in str(error)


def test_a_far_column_behind_a_lying_dimension_is_refused_too():
    rows = "".join(f'<row r="{row}"><c r="XFD{row}"><v>1</v></c></row>' for row in range(2, 2002))
    data = _workbook(_sheet(rows, dimension="A1"))
    _refused_within_memory(data, "luege.xlsx", "hat Zellen bis Spalte XFD")


def test_a_row_of_endless_cells_is_refused():
    # Random text keeps the part from packing well, so only the count of elements can catch it.
    padding = f"<!-- {os.urandom(120_000).hex()} -->"
    cells = _repeat('<c r="A2"/>', 300_000)
    data = _workbook(_sheet([b'<row r="2">', *cells, b"</row>"], before=padding))
    _refused_within_memory(data, "zellen.xlsx", "Eine Zeile im Teil „xl/worksheets/sheet1.xml“ hat zu viele Elemente")


def test_endless_empty_rows_are_refused():
    rows = "".join(f'<row r="{row}" ht="15"/>' for row in range(2, 100_003))
    data = _workbook(_sheet(f"<!-- {os.urandom(60_000).hex()} -->" + rows))
    _refused_within_memory(data, "zeilen.xlsx", r"mehr als 100\.000 Zeilen")


def test_entity_expansion_is_refused():
    laughs = '<!DOCTYPE worksheet [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    data = _workbook(_sheet('<row r="2"><c r="A2" t="inlineStr"><is><t>&b;</t></is></c></row>', before=laughs))
    _refused_within_memory(data, "entitaeten.xlsx", "enthält eine DTD")


def test_a_large_genuine_workbook_passes_every_check():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    headers = ["Anrede", "Vorname", "Nachname", "Funktion", "Organisation", "Straße", "PLZ", "Ort", "E-Mail"]
    sheet.append([*headers, "Notizen"])
    for number in range(5000):
        name, street, email = f"Łukasiewicz {number}", f"Weg {number}", f"person{number}@example.org"
        sheet.append(["Frau", "Zofia", name, "Delegierte", "SPD Köln", street, 50667, "Köln", email, "c/o Büro\n2. OG"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = importer.read_table(buffer.getvalue(), "gross.xlsx")
    assert len(table.rows) == 5000 and table.rows[-1].cells[2] == "Łukasiewicz 4999"
    assert table.rows[0].cells[-1] == "c/o Büro\n2. OG"


BLOCK = b"x" * 65536


class _Upload(io.RawIOBase):
    """A request body of `size` bytes, produced on demand (as Werkzeug's upload stream hands it out)."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.left, len(BLOCK))
        memoryview(buffer)[:count] = BLOCK[:count]
        self.left -= count
        return count


def _read(make_stream: Callable[[], io.RawIOBase], name: str) -> bytes:
    return importer.read_upload(io.BufferedReader(make_stream()), name)


def test_an_oversized_upload_names_its_real_size_not_the_cut_off_one():
    # The upload screen read at most the limit and a byte, and then said „5,0 MB“ for any larger file.
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError) as caught:
            _read(lambda: _Upload(30 * MB), "gross.csv")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == "„gross.csv“ ist 30,0 MB groß; erlaubt sind höchstens 5 MB. Bitte die Datei aufteilen."
    # The limit and a byte are kept, the rest is only counted.
    assert peak < importer.MAX_FILE_BYTES + 2 * MB


def test_an_upload_within_the_limit_is_read_whole():
    assert _read(lambda: _Upload(importer.MAX_FILE_BYTES), "genau.csv") == b"x" * importer.MAX_FILE_BYTES
