"""Reading an uploaded file into a table: size and type checks, CSV decoding and delimiters, XLSX sheets."""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from charset_normalizer import from_bytes

from campaign.services.common.errors import ServiceError
from campaign.services.common.text import collapse_spaces

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ""})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
DELIMITERS = ";,\t"
DELIMITER_NAMES = {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# charset-normalizer names of encodings with more than one byte per character; anything else is read as
# Windows-1252, which covers what German Excel saves as „CSV (Trennzeichen-getrennt)“.
_MULTIBYTE_PREFIXES = ("utf", "gb", "big5", "shift", "euc", "cp932", "cp949", "cp950", "hz", "iso2022", "johab")


class ImportFileError(ServiceError):
    """The file cannot be read as a table at all (wrong type, encoding, too large, empty, no name column)."""


@dataclass(frozen=True)
class Row:
    """The cells of one record and the file line it starts on (the header is line 1)."""

    line: int
    cells: list[str]


@dataclass
class Table:
    """A file read into a header and rows, with what was detected about it."""

    kind: str
    headers: list[str]
    rows: list[Row]
    encoding: str = ""
    delimiter: str = ""

    def column_has_data(self, index: int) -> bool:
        return any(index < len(row.cells) and row.cells[index].strip() for row in self.rows)

    @property
    def description(self) -> str:
        if self.kind == "XLSX":
            return "Excel-Datei (XLSX), erstes Tabellenblatt"
        return f"CSV, {self.encoding}, Trennzeichen {DELIMITER_NAMES.get(self.delimiter, self.delimiter)}"


def read_table(data: bytes, filename: str = "") -> Table:
    """Read a CSV or XLSX file into a table; ImportFileError with a clear message if that is impossible."""
    name = Path(filename).name or "Datei"
    suffix = Path(filename).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"„{name}“ ist {len(data) / 1024 / 1024:.1f} MB groß; erlaubt sind höchstens "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Bitte die Datei aufteilen."
        )
    if not data.strip():
        raise ImportFileError(f"„{name}“ ist leer.")
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(
            f"„{name}“ ist im alten Excel-Format (.xls). Bitte in Excel als .xlsx oder als CSV speichern."
        )
    if suffix in EXCEL_SUFFIXES or data.startswith(ZIP_MAGIC):
        if not data.startswith(ZIP_MAGIC):
            raise ImportFileError(
                f"„{name}“ ist keine Excel-Datei (XLSX), obwohl sie so heißt. "
                "Bitte die Datei in Excel öffnen und als .xlsx speichern – oder als .csv hochladen."
            )
        table = _read_xlsx(data, name)
    elif suffix in TEXT_SUFFIXES:
        table = _read_csv(data, name)
    else:
        raise ImportFileError(f"Dateityp „{suffix}“ wird nicht unterstützt. Bitte eine CSV- oder XLSX-Datei wählen.")
    if not table.headers:
        raise ImportFileError(f"„{name}“ enthält keine Kopfzeile mit Spaltennamen.")
    return table


def decode_text(data: bytes, name: str = "Datei") -> tuple[str, str]:
    """The text of a CSV file and a description of its encoding (UTF-8 with or without BOM, UTF-16, Windows-1252)."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8 mit BOM"
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"„{name}“ ist als UTF-8 markiert, enthält aber ungültige Zeichen.") from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"„{name}“ ist als UTF-16 markiert, enthält aber ungültige Zeichen.") from exc
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise _not_text(name)
    best = from_bytes(data).best()
    if best is None:
        raise _not_text(name)
    encoding = best.encoding
    if not encoding.startswith(_MULTIBYTE_PREFIXES):
        try:
            return data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "Latin-1"
    return str(best), encoding


def _not_text(name: str) -> ImportFileError:
    return ImportFileError(f"„{name}“ ist keine lesbare Textdatei. Bitte eine CSV- oder XLSX-Datei wählen.")


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\r\n")
    return controls > max(2, len(sample) // 100)


def detect_delimiter(text: str) -> str:
    """Semikolon, Komma or Tab: csv.Sniffer first, checked against (and else replaced by) the header line."""
    lines = [line for line in text[:65536].splitlines() if line.strip()][:50]
    header = lines[0] if lines else ""
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed in counts and counts[sniffed] and counts[sniffed] >= max(counts.values()):
        return sniffed
    if max(counts.values()) == 0:
        # One column only: the German Excel default does no harm.
        return ";"
    return max(DELIMITERS, key=lambda delimiter: counts[delimiter])


def _read_csv(data: bytes, name: str) -> Table:
    text, encoding = decode_text(data, name)
    if "\x00" in text or _looks_binary(text):
        raise _not_text(name)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportFileError(f"„{name}“ ist leer.")
    # Some exports start with Excel's „sep=;“ hint line; it names the delimiter and is no data.
    hint = re.match(r"sep=([;,\t|])\r?\n", text)
    delimiter = hint.group(1) if hint else detect_delimiter(text)
    stream = io.StringIO(text, newline="")
    previous_line = 0
    if hint:
        stream.readline()
        previous_line = 1
    reader = csv.reader(stream, delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[Row] = []
    try:
        for cells in reader:
            line = previous_line + 1
            previous_line = reader.line_num + (1 if hint else 0)
            if not any(cell.strip() for cell in cells):
                continue
            if headers is None:
                headers = _trimmed_headers(cells)
                continue
            rows.append(Row(line, cells))
            _check_row_count(len(rows), name)
    except csv.Error as exc:
        raise ImportFileError(f"„{name}“, Zeile {previous_line + 1}: kein gültiges CSV ({exc}).") from exc
    return Table("CSV", headers or [], rows, encoding=encoding, delimiter=delimiter)


def _trimmed_headers(cells: list[str]) -> list[str]:
    """Header names without surrounding space or a stray BOM, and without empty trailing columns."""
    headers = [collapse_spaces(cell.lstrip("\ufeff")) for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _check_row_count(count: int, name: str) -> None:
    if count > MAX_ROWS:
        raise ImportFileError(
            f"„{name}“ hat mehr als {MAX_ROWS:,} Datenzeilen; bitte die Datei aufteilen.".replace(",", ".")
        )


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


def _read_xlsx(data: bytes, name: str) -> Table:
    # openpyxl warns about features of other spreadsheet programs it ignores; none matter for a table.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except zipfile.BadZipFile as exc:
            raise ImportFileError(f"„{name}“ ist keine gültige Excel-Datei (XLSX): beschädigtes ZIP-Archiv.") from exc
        # openpyxl raises many different exception types for foreign or damaged files.
        except Exception as exc:
            raise ImportFileError(
                f"„{name}“ ist keine gültige Excel-Datei (XLSX) und konnte nicht gelesen werden."
            ) from exc
        try:
            return _xlsx_table(workbook, name)
        finally:
            workbook.close()


def _xlsx_table(workbook: Any, name: str) -> Table:
    if not workbook.worksheets:
        raise ImportFileError(f"„{name}“ enthält kein Tabellenblatt.")
    headers: list[str] | None = None
    rows: list[Row] = []
    blank_streak = 0
    for line, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
        cells = [_cell_text(value) for value in values]
        if not any(cell.strip() for cell in cells):
            blank_streak += 1
            # Formatting can stretch a sheet to a million empty rows; the data ended long before.
            if blank_streak > 1000:
                break
            continue
        blank_streak = 0
        if headers is None:
            headers = _trimmed_headers(cells)
            continue
        rows.append(Row(line, cells))
        _check_row_count(len(rows), name)
    return Table("XLSX", headers or [], rows)
