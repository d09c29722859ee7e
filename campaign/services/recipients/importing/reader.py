"""Reading an uploaded file into a table: size and type checks, recognising non-text files, decoding CSV."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path
from typing import IO, Any

from charset_normalizer import from_bytes
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.services.common.text import format_thousands
from campaign.services.recipients.importing.table import (
    MAX_FILE_BYTES,
    ImportFileError,
    Row,
    Table,
    check_row_count,
    too_large,
    trimmed_headers,
)

TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ""})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
DELIMITERS = ";,\t"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Formats people pick by mistake, by the bytes they start with.
FILE_SIGNATURES: tuple[tuple[bytes, Any], ...] = (
    (ZIP_MAGIC, _l("eine ZIP-Datei (etwa eine Excel- oder Word-Datei)")),
    (OLE_MAGIC, _l("eine Datei im alten Office-Format (.xls oder .doc)")),
    (b"\x89PNG", _l("ein Bild (PNG)")),
    (b"\xff\xd8\xff", _l("ein Bild (JPEG)")),
    (b"GIF8", _l("ein Bild (GIF)")),
    (b"{\\rtf", _l("ein RTF-Dokument")),
    (b"\x1f\x8b", _l("ein gepacktes Archiv (gzip)")),
    (b"7z\xbc\xaf", _l("ein gepacktes Archiv (7-Zip)")),
    (b"Rar!", _l("ein gepacktes Archiv (RAR)")),
)
# A PDF's marker may follow some bytes of junk, always at the start of a line within the first kilobyte.
PDF_MARKER = re.compile(rb"(?:^|[\r\n])%PDF-\d")
# charset-normalizer names of encodings with more than one byte per character; anything else is read as
# Windows-1252, which covers what German Excel saves as „CSV (Trennzeichen-getrennt)“.
_MULTIBYTE_PREFIXES = ("utf", "gb", "big5", "shift", "euc", "cp932", "cp949", "cp950", "hz", "iso2022", "johab")
# What a German or other Western list holds beyond ASCII when read as Windows-1252: letters (ä, ß, é, š, œ),
# typographic quotes and dashes, €, §, °, no-break space. A legacy East Asian file read that way shows signs such
# as ¤, ¡, ³, or bytes that Windows-1252 does not define.
_WESTERN_CHARACTERS = frozenset(
    character for character in bytes(range(0x80, 0x100)).decode("cp1252", errors="ignore") if character.isalpha()
) | frozenset("„“”‚‘’–—…€•°§«»·\xa0")
# charset-normalizer's „mess“ above which its guess is no guess: the bytes are no text in any encoding.
MAX_MESS = 0.2
_READ_CHUNK = 64 * 1024


def read_upload(stream: IO[bytes], filename: str = "") -> bytes:
    """The bytes of an uploaded file, or ImportFileError naming its real size when it is over MAX_FILE_BYTES.

    Only MAX_FILE_BYTES + 1 bytes are kept; the rest of a larger file is counted, not stored.
    """
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) <= MAX_FILE_BYTES:
        return data
    size = len(data)
    while chunk := stream.read(_READ_CHUNK):
        size += len(chunk)
    raise too_large(Path(filename).name or _("Datei"), size)


def check_file_size(size: int, filename: str = "") -> None:
    """ImportFileError naming the real size and the limit when a file of `size` bytes is too large."""
    if size > MAX_FILE_BYTES:
        raise too_large(Path(filename).name or _("Datei"), size)


def read_table(data: bytes, filename: str = "") -> Table:
    """Read a CSV or XLSX file into a table; ImportFileError with a clear message if that is impossible."""
    name = Path(filename).name or _("Datei")
    suffix = Path(filename).suffix.lower()
    check_file_size(len(data), name)
    if not data.strip():
        raise ImportFileError(_("„%(name)s“ ist leer.", name=name))
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(
            _(
                "„%(name)s“ ist im alten Excel-Format (.xls). Bitte in Excel als .xlsx oder als CSV speichern.",
                name=name,
            )
        )
    if suffix in EXCEL_SUFFIXES or (suffix == "" and data.startswith(ZIP_MAGIC)):
        if not data.startswith(ZIP_MAGIC):
            kind = file_kind(data)
            advice = _("Bitte die Datei in Excel öffnen und als .xlsx speichern – oder als .csv hochladen.")
            if kind:
                message = _(
                    "„%(name)s“ ist keine Excel-Datei (XLSX), obwohl sie so heißt, sondern %(kind)s.",
                    name=name,
                    kind=kind,
                )
            else:
                message = _("„%(name)s“ ist keine Excel-Datei (XLSX), obwohl sie so heißt.", name=name)
            raise ImportFileError(f"{message} {advice}")
        # Imported here: it loads openpyxl, which every process importing the web layer would pay for at start.
        from campaign.services.recipients.importing.xlsx import read_xlsx

        table = read_xlsx(data, name)
    elif suffix in TEXT_SUFFIXES:
        table = _read_csv(data, name)
    else:
        raise ImportFileError(
            _("Dateityp „%(suffix)s“ wird nicht unterstützt. Bitte eine CSV- oder XLSX-Datei wählen.", suffix=suffix)
        )
    if not table.headers:
        raise ImportFileError(_("„%(name)s“ enthält keine Kopfzeile mit Spaltennamen.", name=name))
    return table


def file_kind(data: bytes) -> str:
    """What a file is by its first bytes, when it is a known format that is not text („ein PDF-Dokument“), else ""."""
    if PDF_MARKER.search(data[:1024]):
        return _("ein PDF-Dokument")
    for signature, kind in FILE_SIGNATURES:
        if data.startswith(signature):
            return str(kind)
    return ""


def _not_text(name: str, data: bytes = b"") -> ImportFileError:
    kind = file_kind(data)
    if kind:
        message = _("„%(name)s“ ist keine lesbare Textdatei, sondern %(kind)s.", name=name, kind=kind)
    else:
        message = _("„%(name)s“ ist keine lesbare Textdatei.", name=name)
    message += " " + _("Bitte eine CSV- oder XLSX-Datei wählen.")
    if data.startswith(ZIP_MAGIC):
        message += " " + _("Eine Excel-Datei bitte mit der Endung .xlsx hochladen.")
    return ImportFileError(message)


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\r\n")
    return controls > max(2, len(sample) // 100)


def decode_text(data: bytes, name: str = "") -> tuple[str, str]:
    """The text of a CSV file and a description of its encoding (UTF-8 with or without BOM, UTF-16, Windows-1252)."""
    name = name or _("Datei")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8 mit BOM"
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("„%(name)s“ ist als UTF-8 markiert, enthält aber ungültige Zeichen.", name=name)
            ) from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("„%(name)s“ ist als UTF-16 markiert, enthält aber ungültige Zeichen.", name=name)
            ) from exc
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise _not_text(name)
    # No guess within MAX_MESS: no encoding makes these bytes readable text.
    best = from_bytes(data, threshold=MAX_MESS).best()
    if best is None:
        raise _not_text(name)
    encoding = best.encoding
    # A short file with one „Böhm“ gives charset-normalizer too little to go on, and it may guess Big5 („B鐬m“).
    western = _western_text(data)
    if western is not None:
        return western, "Windows-1252"
    if not encoding.startswith(_MULTIBYTE_PREFIXES):
        try:
            return data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "Latin-1"
    return str(best), encoding


def _western_text(data: bytes) -> str | None:
    """The bytes as Windows-1252 text if that has nothing beyond ASCII but Western letters and signs, else None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return text if all(character.isascii() or character in _WESTERN_CHARACTERS for character in set(text)) else None


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
    if file_kind(data):
        raise _not_text(name, data)
    text, encoding = decode_text(data, name)
    if "\x00" in text or _looks_binary(text):
        raise _not_text(name)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportFileError(_("„%(name)s“ ist leer.", name=name))
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
    # The file's lines as csv.reader counts them, split only once a record spans several of them.
    physical: list[str] = []
    try:
        for cells in reader:
            line = previous_line + 1
            previous_line = reader.line_num + (1 if hint else 0)
            if not any(cell.strip() for cell in cells):
                continue
            quote_left_open = False
            if line < previous_line:
                physical = physical or io.StringIO(text, newline="").readlines()
                quote_left_open = _quote_left_open("".join(physical[line - 1 : previous_line]), delimiter)
            if headers is None:
                if quote_left_open:
                    # The swallowed lines would become one column name, and no row would be left to report on.
                    raise _open_quote_in_header(name, line)
                headers = trimmed_headers(cells)
                continue
            swallowed: list[int] = []
            if quote_left_open:
                # csv.reader read the lines after the open quote into one field; each of them becomes a row of its
                # own, so the report names it and counts it. Swallowed blank lines lose nothing.
                swallowed = [number for number in range(line + 1, previous_line + 1) if physical[number - 1].strip()]
            rows.append(Row(line, cells, unclosed_quote=line if swallowed else 0))
            rows.extend(Row(number, [], unclosed_quote=line) for number in swallowed)
            check_row_count(len(rows), name)
    except csv.Error as exc:
        # Reading text leniently, csv.reader fails only on a field longer than csv.field_size_limit(). Its default
        # of 131,072 characters is kept: no cell of a recipient list comes near it, so a field that long is a broken
        # file, and the reader stops there instead of collecting the rest of the file into one cell.
        physical = physical or io.StringIO(text, newline="").readlines()
        raise _field_too_long(name, previous_line + 1, physical[previous_line], in_header=headers is None) from exc
    return Table("CSV", headers or [], rows, encoding=encoding, delimiter=delimiter)


def _open_quote_in_header(name: str, line: int) -> ImportFileError:
    return ImportFileError(
        _(
            '„%(name)s“, Zeile %(line)s (Kopfzeile): Ein Anführungszeichen (") wird nicht geschlossen, so dass die '
            "Zeilen danach als Spaltennamen gelesen würden. Nichts wurde importiert. Bitte das Anführungszeichen in "
            "Zeile %(line)s schließen oder entfernen.",
            name=name,
            line=line,
        )
    )


def _field_too_long(name: str, line: int, first_line: str, *, in_header: bool) -> ImportFileError:
    """The error for a record starting on `line` (its text `first_line`) with a field over csv's field limit.

    An unquoted field ends with its line; a field that outgrew a shorter first line ran on from a quote that was
    never closed (or closed only much later).
    """
    limit = csv.field_size_limit()
    if len(first_line) >= limit:
        return ImportFileError(
            _(
                "„%(name)s“, Zeile %(line)s: Ein Feld hat mehr als %(limit)s Zeichen – so lange Angaben hat keine "
                "Liste von Empfänger:innen. Nichts wurde importiert. Bitte prüfen, ob das die richtige Datei ist.",
                name=name,
                line=line,
                limit=format_thousands(limit),
            )
        )
    if in_header:
        return _open_quote_in_header(name, line)
    return ImportFileError(
        _(
            '„%(name)s“, Zeile %(line)s: Ein Anführungszeichen (") wird nicht geschlossen, so dass die Zeilen danach '
            "als ein einziges Feld von mehr als %(limit)s Zeichen gelesen würden. Nichts wurde importiert. Bitte das "
            "Anführungszeichen in Zeile %(line)s schließen oder entfernen.",
            name=name,
            line=line,
            limit=format_thousands(limit),
        )
    )


def _quote_left_open(record: str, delimiter: str) -> bool:
    """Whether a record read over several lines spans them only because a quote was never closed.

    A quoted field may hold line breaks, and such a record also parses strictly. An unclosed quote does not: it
    runs to the end of the file, or a later line's quote closes it where a delimiter should follow. The lenient
    reading of either looks like a record with one long field, whatever its number of fields.
    """
    try:
        next(csv.reader(io.StringIO(record, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        return True
    return False
