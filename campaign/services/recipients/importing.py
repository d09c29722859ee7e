"""Recipient import from CSV and XLSX: reading German exports, mapping columns, a dry-run report, the import."""

from __future__ import annotations

import codecs
import csv
import enum
import io
import json
import re
import secrets
import time
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from charset_normalizer import from_bytes
from sqlalchemy.orm import Session

from campaign.models import FormOfAddress, Recipient, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import collapse_spaces, fold_text
from campaign.services.recipients.records import (
    FIELD_LABELS,
    FIELDS,
    DuplicateIndex,
    Identity,
    add_to_list,
    clean_recipient,
    display_name,
    existing_recipients_index,
    get_or_create_list,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
IGNORE = "ignorieren"
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ""})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
DELIMITERS = ";,\t"
DELIMITER_NAMES = {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}
# Fields that a name can come from: a row needs at least one of them.
NAME_FIELDS = ("first_name", "last_name", "group_name", "organisation")
# Several columns may feed the tags (e.g. „Schlagworte“ and „Tags“); every other field takes one column.
MULTI_COLUMN_FIELDS = frozenset({"tags"})

# Header names in German and English exports, compared after fold_text() (lower case, umlauts spelled out,
# only letters and digits), so „E-Mail“, „e mail“ and „EMAIL“ are one name.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "form_of_address": ("anrede", "salutation", "geschlecht", "gender", "briefanrede", "anredeform"),
    "title": ("titel", "title", "akademischertitel", "akademischergrad", "grad"),
    "first_name": ("vorname", "vornamen", "firstname", "givenname", "forename", "first"),
    "last_name": ("nachname", "name", "lastname", "surname", "familienname", "familyname", "zuname"),
    "group_name": ("gruppe", "gruppenname", "group", "groupname", "empfaengergruppe"),
    "function": ("funktion", "function", "amt", "position", "mandat", "jobtitle", "rolle", "role"),
    "organisation": ("organisation", "organization", "org", "institution", "gremium", "firma", "company"),
    "street": (
        "strasse",
        "str",
        "street",
        "strassehausnummer",
        "strasseundhausnummer",
        "strassenr",
        "adresse",
        "anschrift",
        "address",
        "streetaddress",
        "addressline1",
    ),
    "postcode": ("plz", "postleitzahl", "postcode", "postalcode", "zip", "zipcode"),
    "city": ("ort", "stadt", "city", "wohnort", "town", "place"),
    "country": ("land", "country", "staat"),
    "email": ("email", "mail", "emailadresse", "mailadresse", "emailaddress", "mailaddress"),
    "unterbezirk": ("unterbezirk", "ub", "subdistrict"),
    "kreis": ("kreis", "landkreis", "stadtkreis", "district", "county"),
    "wahlkreis": ("wahlkreis", "wk", "constituency", "electoraldistrict"),
    "kommune": ("kommune", "gemeinde", "stadtgemeinde", "municipality"),
    "tags": ("tags", "tag", "schlagworte", "schlagwoerter", "schlagwort", "stichworte", "labels", "kategorien"),
    "notes": ("notizen", "notiz", "bemerkung", "bemerkungen", "anmerkung", "anmerkungen", "notes", "note", "kommentar"),
}
_FIELD_BY_HEADER = {synonym: name for name, synonyms in HEADER_SYNONYMS.items() for synonym in synonyms}
_GROUP_PREFIX = re.compile(r"^(alle\s+)?mitglieder\b", re.IGNORECASE)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# charset-normalizer names of encodings with more than one byte per character; anything else is read as
# Windows-1252, which covers what German Excel saves as „CSV (Trennzeichen-getrennt)“.
_MULTIBYTE_PREFIXES = ("utf", "gb", "big5", "shift", "euc", "cp932", "cp949", "cp950", "hz", "iso2022", "johab")


class ImportFileError(ServiceError):
    """The file cannot be read as a table at all (wrong type, encoding, too large, empty, no name column)."""


class RowStatus(enum.StrEnum):
    NEW = "neu"
    EXISTING = "vorhanden"
    DUPLICATE = "doppelt"
    INVALID = "fehlerhaft"


STATUS_LABELS = {
    RowStatus.NEW: "neu",
    RowStatus.EXISTING: "bereits vorhanden",
    RowStatus.DUPLICATE: "doppelt in der Datei",
    RowStatus.INVALID: "fehlerhaft",
}


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


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    # The field the header was recognised as, or None when the user must decide.
    detected: str | None

    @property
    def label(self) -> str:
        return self.header or f"Spalte {self.index + 1}"


@dataclass
class RowResult:
    line: int
    status: RowStatus
    name: str = ""
    values: dict[str, Any] | None = None
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    existing_id: int | None = None


@dataclass
class ImportPlan:
    """The dry run: every row's outcome, in file order, without any change to the database."""

    table: Table
    columns: list[Column]
    mapping: dict[int, str]
    rows: list[RowResult]
    notices: list[str] = field(default_factory=list)

    def count(self, status: RowStatus) -> int:
        return sum(1 for row in self.rows if row.status is status)

    @property
    def counts(self) -> dict[RowStatus, int]:
        return {status: self.count(status) for status in RowStatus}

    @property
    def has_errors(self) -> bool:
        return any(row.status is RowStatus.INVALID for row in self.rows)

    @property
    def problems(self) -> list[tuple[int, str]]:
        """(line, message) for every invalid or duplicate row and every warning, by line."""
        found: list[tuple[int, str]] = []
        for row in self.rows:
            found.extend((row.line, message) for message in row.messages)
            found.extend((row.line, f"Hinweis: {message}") for message in row.warnings)
        return found

    @property
    def importable(self) -> int:
        return self.count(RowStatus.NEW)

    @property
    def existing(self) -> int:
        return self.count(RowStatus.EXISTING)


@dataclass
class RecipientImport:
    """What an import changed; passed to the audit log as the imported object."""

    filename: str
    created: int = 0
    existing: int = 0
    duplicates_in_file: int = 0
    skipped_invalid: int = 0
    list_name: str = ""
    list_created: bool = False
    added_to_list: int = 0
    id: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.added_to_list or self.list_created)


# ---- reading files ----


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


# ---- columns ----


def detect_columns(table: Table) -> list[Column]:
    """Recognise German and English header names; a second column for the same field is left to the user.

    A column without a header and without any data is ignored without asking.
    """
    columns: list[Column] = []
    taken: set[str] = set()
    for index, header in enumerate(table.headers):
        detected = _FIELD_BY_HEADER.get(fold_text(header))
        if not header and not table.column_has_data(index):
            detected = IGNORE
        if detected in taken and detected not in MULTI_COLUMN_FIELDS:
            detected = None
        if detected and detected != IGNORE:
            taken.add(detected)
        columns.append(Column(index, header, detected))
    return columns


def field_choices() -> list[tuple[str, str]]:
    """(value, German label) of every field a column can be assigned to, plus „ignorieren“."""
    return [(IGNORE, "– ignorieren –"), *((name, FIELD_LABELS[name]) for name in FIELDS)]


def parse_field_name(text: str) -> str:
    """A field from its code name or German label („Nachname“, „last_name“, „PLZ“) or „ignorieren“."""
    folded = fold_text(text)
    if folded in {"ignorieren", "ignore", ""}:
        return IGNORE
    for name in FIELDS:
        if folded in {fold_text(name), fold_text(FIELD_LABELS[name])}:
            return name
    if folded in _FIELD_BY_HEADER:
        return _FIELD_BY_HEADER[folded]
    raise ServiceError(f"Unbekanntes Feld „{text}“. Möglich sind: {', '.join(FIELD_LABELS.values())}, ignorieren.")


def resolve_mapping(columns: list[Column], chosen: Mapping[int, str] | None = None) -> dict[int, str]:
    """Column index → field (or IGNORE): the user's choice, else the detected field; undecided columns are absent."""
    chosen = chosen or {}
    mapping: dict[int, str] = {}
    for column in columns:
        value = chosen.get(column.index) or column.detected
        if value:
            if value != IGNORE and value not in FIELDS:
                raise ServiceError(f"Unbekanntes Feld „{value}“ für die Spalte „{column.label}“.")
            mapping[column.index] = value
    by_field: dict[str, list[str]] = {}
    for column in columns:
        target = mapping.get(column.index)
        if target and target != IGNORE and target not in MULTI_COLUMN_FIELDS:
            by_field.setdefault(target, []).append(column.label)
    for target, labels in by_field.items():
        if len(labels) > 1:
            joined = ", ".join(f"„{label}“" for label in labels)
            raise ServiceError(f"Das Feld „{FIELD_LABELS[target]}“ ist mehreren Spalten zugeordnet: {joined}.")
    return mapping


def undecided_columns(columns: list[Column], mapping: Mapping[int, str]) -> list[Column]:
    """Columns with data whose meaning the user still has to choose (a field or „ignorieren“)."""
    return [column for column in columns if column.index not in mapping]


def mapping_by_header(columns: list[Column], overrides: Mapping[str, str]) -> dict[int, str]:
    """Turn {"Header": "Feld"} (as given to the CLI) into {column index: field}."""
    result: dict[int, str] = {}
    by_header = {fold_text(column.label): column for column in columns}
    for header, target in overrides.items():
        column = by_header.get(fold_text(header))
        if column is None:
            known = ", ".join(f"„{column.label}“" for column in columns)
            raise ServiceError(f"Die Datei hat keine Spalte „{header}“. Spalten: {known}.")
        result[column.index] = parse_field_name(target)
    return result


# ---- the dry run ----


def plan_import(
    session: Session, table: Table, chosen: Mapping[int, str] | None = None, *, ignore_undecided: bool = True
) -> ImportPlan:
    """Check every row against the rules and for duplicates (in the file and in the database); change nothing."""
    columns = detect_columns(table)
    mapping = resolve_mapping(columns, chosen)
    notices: list[str] = []
    for column in undecided_columns(columns, mapping):
        if not ignore_undecided:
            raise ServiceError(f"Bitte für die Spalte „{column.label}“ ein Feld wählen oder „ignorieren“.")
        notices.append(f"Spalte „{column.label}“ nicht erkannt und ignoriert.")
        mapping[column.index] = IGNORE
    used = {target for target in mapping.values() if target != IGNORE}
    if not used & set(NAME_FIELDS):
        known = ", ".join(f"„{column.label}“" for column in columns)
        raise ImportFileError(
            "Die Datei hat keine Spalte für den Namen (Vorname/Nachname, Gruppe oder Organisation). "
            f"Gefundene Spalten: {known}."
        )

    existing = existing_recipients_index(session)
    in_file: DuplicateIndex[int] = DuplicateIndex()
    width = len(table.headers)
    results = [_check_row(row, mapping, width, existing, in_file) for row in table.rows]
    return ImportPlan(table, columns, mapping, results, notices)


def _row_values(row: Row, mapping: Mapping[int, str]) -> dict[str, str]:
    raw: dict[str, str] = {}
    for index, target in mapping.items():
        if target == IGNORE or index >= len(row.cells):
            continue
        value = row.cells[index].strip()
        if target in MULTI_COLUMN_FIELDS and raw.get(target):
            raw[target] = f"{raw[target]},{value}"
        else:
            raw[target] = value
    return raw


def _interpret_row(raw: dict[str, str], warnings_: list[str]) -> None:
    """Turn spreadsheet conventions into our fields: „Frau Dr.“ in the Anrede column, group rows."""
    salutation = collapse_spaces(raw.get("form_of_address", ""))
    first, _, rest = salutation.partition(" ")
    if rest and fold_text(first) in {"frau", "herr", "herrn"}:
        raw["form_of_address"] = first
        if not raw.get("title"):
            raw["title"] = rest
    if fold_text(raw.get("form_of_address", "")) in {"gruppe", "group", "mitglieder", "andie"}:
        raw["form_of_address"] = FormOfAddress.GRUPPE.value
        return
    first_name, last_name = raw.get("first_name", ""), raw.get("last_name", "")
    if not first_name and _GROUP_PREFIX.match(last_name) and not raw.get("group_name"):
        raw["group_name"], raw["last_name"] = last_name, ""
        last_name = ""
    if not first_name and not last_name and (raw.get("group_name") or raw.get("organisation")):
        raw["form_of_address"] = FormOfAddress.GRUPPE.value
    elif raw.get("group_name") and (first_name or last_name):
        warnings_.append(f"Gruppe „{raw['group_name']}“ nicht übernommen, weil die Zeile einen Personennamen hat.")
        raw["group_name"] = ""


def _check_row(
    row: Row, mapping: Mapping[int, str], width: int, existing: DuplicateIndex[int], in_file: DuplicateIndex[int]
) -> RowResult:
    extra = [cell for cell in row.cells[width:] if cell.strip()]
    if extra:
        return RowResult(
            row.line,
            RowStatus.INVALID,
            messages=[
                f"{len(row.cells)} Felder statt {width} wie in der Kopfzeile "
                "(Trennzeichen oder Anführungszeichen im Text prüfen)."
            ],
        )
    if len(row.cells) < width:
        return RowResult(
            row.line,
            RowStatus.INVALID,
            messages=[f"nur {len(row.cells)} von {width} Feldern (Zeile abgeschnitten oder falsches Trennzeichen?)."],
        )
    row_warnings: list[str] = []
    raw = _row_values(row, mapping)
    _interpret_row(raw, row_warnings)
    cleaned = clean_recipient(raw)
    row_warnings.extend(cleaned.warnings)
    name = display_name(cleaned.values)
    if not cleaned.ok:
        messages = [f"{FIELD_LABELS[key]}: {message}" for key, message in cleaned.errors.items()]
        return RowResult(row.line, RowStatus.INVALID, name, messages=messages, warnings=row_warnings)
    identity = Identity.of(cleaned.values)
    existing_id = existing.find(identity)
    if existing_id is not None:
        message = f"bereits vorhanden (Empfänger:in Nr. {existing_id}) – wird übersprungen."
        return RowResult(row.line, RowStatus.EXISTING, name, cleaned.values, [message], row_warnings, existing_id)
    earlier = in_file.find(identity)
    if earlier is not None:
        message = f"doppelt in der Datei (wie Zeile {earlier}) – wird übersprungen."
        return RowResult(row.line, RowStatus.DUPLICATE, name, cleaned.values, [message], row_warnings)
    in_file.add(identity, row.line)
    return RowResult(row.line, RowStatus.NEW, name, cleaned.values, warnings=row_warnings)


# ---- the import ----


def run_import(
    session: Session,
    plan: ImportPlan,
    *,
    filename: str = "",
    list_name: str | None = None,
    skip_invalid: bool = False,
    user: User | None = None,
) -> RecipientImport:
    """Store the plan's new rows (and put new and matching existing recipients on a list); all or nothing."""
    invalid = plan.count(RowStatus.INVALID)
    if invalid and not skip_invalid:
        raise ServiceError(
            f"{invalid} Zeile(n) sind fehlerhaft; nichts importiert. Bitte die Datei korrigieren "
            "oder ausdrücklich nur die gültigen Zeilen importieren."
        )
    result = RecipientImport(
        filename=Path(filename).name,
        existing=plan.count(RowStatus.EXISTING),
        duplicates_in_file=plan.count(RowStatus.DUPLICATE),
        skipped_invalid=invalid,
    )
    created = [Recipient(**row.values) for row in plan.rows if row.status is RowStatus.NEW and row.values]
    session.add_all(created)
    session.flush()
    result.created = len(created)
    if list_name and list_name.strip():
        recipient_list, result.list_created = get_or_create_list(session, list_name, user=user)
        result.list_name = recipient_list.name
        ids = [recipient.id for recipient in created]
        ids += [row.existing_id for row in plan.rows if row.status is RowStatus.EXISTING and row.existing_id]
        result.added_to_list = add_to_list(session, recipient_list, ids, user=user)
    if result.changed:
        record(
            session,
            "recipient.import",
            result,
            user=user,
            filename=result.filename,
            created=result.created,
            existing=result.existing,
            duplicates_in_file=result.duplicates_in_file,
            skipped_invalid=result.skipped_invalid,
            list=result.list_name,
            added_to_list=result.added_to_list,
            first_id=created[0].id if created else None,
            last_id=created[-1].id if created else None,
        )
    return result


def summary_line(plan: ImportPlan) -> str:
    counts = plan.counts
    parts = [f"{len(plan.rows)} Datenzeilen"] + [f"{STATUS_LABELS[status]}: {counts[status]}" for status in RowStatus]
    return " · ".join(parts)


def report_lines(plan: ImportPlan) -> Iterator[str]:
    """The dry-run report as text lines (for the CLI): detected format, columns, counts and every problem."""
    yield f"Datei: {plan.table.description}"
    for column in plan.columns:
        target = plan.mapping.get(column.index, IGNORE)
        yield f"  Spalte „{column.label}“ → {FIELD_LABELS.get(target, 'ignoriert')}"
    yield from plan.notices
    yield summary_line(plan)
    for line, message in plan.problems:
        yield f"Zeile {line}: {message}"


def result_line(result: RecipientImport) -> str:
    parts = [f"{result.created} neu angelegt", f"{result.existing} bereits vorhanden"]
    if result.duplicates_in_file:
        parts.append(f"{result.duplicates_in_file} doppelt in der Datei")
    if result.skipped_invalid:
        parts.append(f"{result.skipped_invalid} fehlerhafte Zeilen übersprungen")
    if result.list_name:
        created = " (neu angelegt)" if result.list_created else ""
        parts.append(f"{result.added_to_list} zur Liste „{result.list_name}“{created} hinzugefügt")
    return "Import: " + ", ".join(parts) + "."


# ---- uploads kept between the steps of the web import ----

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
UPLOAD_MAX_AGE_SECONDS = 24 * 3600


def _upload_paths(directory: Path, token: str) -> tuple[Path, Path]:
    # The token comes back from the browser: only our own random format may name a file.
    if not _TOKEN.fullmatch(token or ""):
        raise ServiceError("Unbekannter Import. Bitte die Datei erneut hochladen.")
    return directory / f"{token}.upload", directory / f"{token}.json"


def save_upload(directory: Path, data: bytes, meta: Mapping[str, Any]) -> str:
    """Keep an uploaded file under a random name until it is imported or discarded; returns its token."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"Die Datei ist größer als {MAX_FILE_BYTES // 1024 // 1024} MB.")
    directory.mkdir(parents=True, exist_ok=True)
    purge_uploads(directory)
    token = secrets.token_urlsafe(24)
    data_path, meta_path = _upload_paths(directory, token)
    data_path.write_bytes(data)
    meta_path.write_text(json.dumps(dict(meta), ensure_ascii=False), encoding="utf-8")
    return token


def load_upload(directory: Path, token: str) -> tuple[bytes, dict[str, Any]]:
    data_path, meta_path = _upload_paths(directory, token)
    try:
        return data_path.read_bytes(), json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ServiceError("Diese hochgeladene Datei gibt es nicht mehr. Bitte erneut hochladen.") from exc


def update_upload_meta(directory: Path, token: str, meta: Mapping[str, Any]) -> None:
    _, meta_path = _upload_paths(directory, token)
    meta_path.write_text(json.dumps(dict(meta), ensure_ascii=False), encoding="utf-8")


def discard_upload(directory: Path, token: str) -> None:
    for path in _upload_paths(directory, token):
        path.unlink(missing_ok=True)


def purge_uploads(directory: Path, max_age: float = UPLOAD_MAX_AGE_SECONDS) -> int:
    """Delete uploads abandoned for longer than `max_age` seconds; returns how many files went."""
    if not directory.is_dir():
        return 0
    limit = time.time() - max_age
    removed = 0
    for path in directory.iterdir():
        if path.suffix in {".upload", ".json"} and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def mapping_from_meta(meta: Mapping[str, Any]) -> dict[int, str]:
    """The column choices stored with an upload (JSON keys are strings)."""
    return {int(index): str(target) for index, target in (meta.get("mapping") or {}).items() if str(index).isdigit()}
