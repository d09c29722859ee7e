"""Tables for download: CSV as German Excel opens it, XLSX, and JSON with English keys; cells are formula-safe."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from flask_babel import gettext as _

from campaign.services.common.errors import ServiceError
from campaign.services.common.labels import label

FORMATS = ("csv", "xlsx", "json")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# A spreadsheet treats a cell starting with one of these as a formula (OWASP „CSV injection“).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column: `key` is the JSON key (English snake_case), `header` the German CSV/XLSX heading."""

    key: str
    header: str


def spreadsheet_safe(value: Any) -> str:
    """The cell text, with a leading apostrophe where a spreadsheet would otherwise run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell_text(value: Any) -> str:
    if isinstance(value, Enum):
        return label(value)
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return "" if value is None else str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def to_csv(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """UTF-8 with BOM, `;` between cells, CRLF line ends: what German Excel opens without an import dialogue."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for row in rows:
        writer.writerow([spreadsheet_safe(_cell_text(row.get(column.key))) for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], *, title: str = "Export") -> bytes:
    """One sheet with a bold header row; text cells formula-safe, dates as real dates."""
    from openpyxl import Workbook  # imported here: openpyxl costs start-up time and is needed only for downloads
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        values = []
        for column in columns:
            value = row.get(column.key)
            keep = isinstance(value, int | float | date | datetime) and not isinstance(value, bool)
            values.append(value if keep else spreadsheet_safe(_cell_text(value)))
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """A list of objects with the columns' English keys; enums as their values, dates in ISO 8601."""
    items = [{column.key: _json_value(row.get(column.key)) for column in columns} for row in rows]
    return json.dumps(items, ensure_ascii=False, indent=2).encode("utf-8")


def export_table(fmt: str, columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], *, title: str = "") -> bytes:
    """The table in one of FORMATS; an unknown format is a ServiceError naming the possible ones."""
    if fmt == "csv":
        return to_csv(columns, rows)
    if fmt == "xlsx":
        return to_xlsx(columns, rows, title=title)
    if fmt == "json":
        return to_json(columns, rows)
    raise ServiceError(_("Unbekanntes Format „%(fmt)s“; möglich sind %(value)s.", fmt=fmt, value=", ".join(FORMATS)))
