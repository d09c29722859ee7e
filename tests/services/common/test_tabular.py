"""Downloadable tables: German Excel CSV, XLSX and JSON agree, and no cell runs as a formula."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import openpyxl
import pytest

from campaign.models import Channel
from campaign.services.common.errors import ServiceError
from campaign.services.common.tabular import Column, export_table, to_csv, to_json, to_xlsx

COLUMNS = [
    Column("name", "Name"),
    Column("channel", "Weg"),
    Column("sent_on", "Versandt am"),
    Column("count", "Anzahl"),
]
ROWS = [
    {"name": "Ayşe Karadağ", "channel": Channel.EMAIL, "sent_on": date(2026, 1, 26), "count": 3},
    {"name": '=HYPERLINK("http://evil")', "channel": Channel.POST, "sent_on": None, "count": 0},
]


def test_csv_opens_in_german_excel_and_defuses_formulas():
    data = to_csv(COLUMNS, ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Name;Weg;Versandt am;Anzahl"
    assert lines[1] == "Ayşe Karadağ;E-Mail;26.01.2026;3"
    assert lines[2].startswith("\"'=HYPERLINK(")


def test_xlsx_keeps_dates_and_numbers_and_defuses_formulas():
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(COLUMNS, ROWS, title="Test"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Name", "Weg", "Versandt am", "Anzahl")
    assert rows[1][0] == "Ayşe Karadağ" and rows[1][1] == "E-Mail" and rows[1][3] == 3
    assert rows[1][2] == datetime(2026, 1, 26)
    assert rows[2][0].startswith("'=")


def test_json_uses_english_keys_and_values():
    items = json.loads(to_json(COLUMNS, ROWS))
    assert items[0] == {"name": "Ayşe Karadağ", "channel": "email", "sent_on": "2026-01-26", "count": 3}


def test_an_unknown_format_names_the_possible_ones():
    with pytest.raises(ServiceError, match="csv, xlsx, json"):
        export_table("pdf", COLUMNS, ROWS)
