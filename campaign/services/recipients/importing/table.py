"""A file read into a table (header, rows with their line numbers), its limits, and its storable form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.services.common.errors import ServiceError
from campaign.services.common.text import collapse_spaces, format_megabytes, format_thousands

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# Recipient tables have about twenty columns; exports of member databases a few dozen.
MAX_COLUMNS = 200
DELIMITER_NAMES = {";": _l("Semikolon"), ",": _l("Komma"), "\t": _l("Tabulator")}


class ImportFileError(ServiceError):
    """The file cannot be read as a table at all (wrong type, encoding, too large, empty, no name column)."""


@dataclass(frozen=True)
class Row:
    """The cells of one record and the file line it starts on (the header is line 1).

    `unclosed_quote` is the line where a quote opened that was never closed (0 if none): the row of that line
    holds the cells as csv.reader read them, and every further non-blank line it swallowed is a row without cells.
    """

    line: int
    cells: list[str]
    unclosed_quote: int = 0


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
            return _("Excel-Datei (XLSX), erstes Tabellenblatt")
        return _(
            "CSV, %(encoding)s, Trennzeichen %(delimiter)s",
            encoding=_("UTF-8 mit BOM") if self.encoding == "UTF-8 mit BOM" else self.encoding,
            delimiter=DELIMITER_NAMES.get(self.delimiter, self.delimiter),
        )

    def to_dict(self) -> dict[str, Any]:
        """The table as JSON-ready data, so a later step can use it without reading the file again."""
        return {
            "kind": self.kind,
            "headers": self.headers,
            "rows": [
                [row.line, row.cells, row.unclosed_quote] if row.unclosed_quote else [row.line, row.cells]
                for row in self.rows
            ],
            "encoding": self.encoding,
            "delimiter": self.delimiter,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Table:
        """The table stored by to_dict(); ValueError if the data is not one."""
        try:
            # Only a row read into an unclosed quote has a third item, so uploads stored earlier still load.
            rows = [
                Row(int(line), [str(cell) for cell in cells], int(quote[0]) if quote else 0)
                for line, cells, *quote in data["rows"]
            ]
            return cls(
                kind=str(data["kind"]),
                headers=[str(header) for header in data["headers"]],
                rows=rows,
                encoding=str(data.get("encoding", "")),
                delimiter=str(data.get("delimiter", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError("not a stored table") from exc


def too_large(name: str, size: int) -> ImportFileError:
    """The error for a file over MAX_FILE_BYTES, naming its real size and the limit."""
    return ImportFileError(
        _(
            "„%(name)s“ ist %(size)s groß; erlaubt sind höchstens %(limit)s MB. Bitte die Datei aufteilen.",
            name=name,
            size=format_megabytes(size),
            limit=MAX_FILE_BYTES // 1024 // 1024,
        )
    )


def trimmed_headers(cells: list[str]) -> list[str]:
    """Header names without surrounding space or a stray BOM, and without empty trailing columns."""
    headers = [collapse_spaces(cell.lstrip("\ufeff")) for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise ImportFileError(
            _(
                "Die Kopfzeile hat %(count)s Spalten; erlaubt sind höchstens %(limit)s. "
                "Bitte nur die Spalten mit den Angaben zu den Empfänger:innen speichern.",
                count=format_thousands(len(headers)),
                limit=MAX_COLUMNS,
            )
        )
    return headers


def check_row_count(count: int, name: str) -> None:
    if count > MAX_ROWS:
        raise ImportFileError(
            _(
                "„%(name)s“ hat mehr als %(limit)s Datenzeilen; bitte die Datei aufteilen.",
                name=name,
                limit=format_thousands(MAX_ROWS),
            )
        )
