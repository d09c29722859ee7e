"""`campaign replies import|fetch` and `campaign export`: reports in German, non-zero exit on bad input."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from campaign.db import db
from tests.factories_replies import MAIL_FROM, MAILS, REPLY_ADDRESS, make_reply_campaign


@pytest.fixture
def app(app_factory):
    app = app_factory(REPLY_ADDRESS=REPLY_ADDRESS, MAIL_FROM=MAIL_FROM)
    with app.app_context():
        make_reply_campaign(db.session)
        db.session.commit()
    return app


def _mbox(tmp_path, names):
    path = tmp_path / "antworten.mbox"
    with path.open("wb") as handle:
        for name in names:
            handle.write(b"From - Thu Mar 12 10:00:00 2026\n" + (MAILS / name).read_bytes().rstrip(b"\n") + b"\n\n")
    return path


def test_import_of_eml_and_mbox_files_reports_and_a_second_run_changes_nothing(runner, tmp_path):
    mbox = _mbox(tmp_path, ["outlook_de.eml", "auto_reply_headers.eml", "bounce_dsn.eml"])
    files = [str(MAILS / "unmatched_de.eml"), str(mbox)]
    first = runner.invoke(args=["replies", "import", *files])
    assert first.exit_code == 0, first.output
    assert (
        "unmatched_de.eml: 1 importiert (1 Antworten, 0 automatische, 0 unzustellbar; 0 zugeordnet, 1 im Eingang)"
        in first.output
    )
    assert "antworten.mbox: 3 importiert (1 Antworten, 1 automatische, 1 unzustellbar; 3 zugeordnet" in first.output
    second = runner.invoke(args=["replies", "import", *files])
    assert second.exit_code == 0 and "Zusammen: 0 importiert" in second.output and "4 schon vorhanden" in second.output


def test_import_of_a_missing_or_foreign_file_fails_with_one_line(runner, tmp_path):
    missing = runner.invoke(args=["replies", "import", str(tmp_path / "fehlt.eml")])
    assert missing.exit_code == 1 and "Fehler: Datei nicht gefunden" in missing.output
    table = tmp_path / "liste.csv"
    table.write_text("Name;Vorname\nMüller;Jan\n", encoding="utf-8")
    foreign = runner.invoke(args=["replies", "import", str(table)])
    assert foreign.exit_code == 1 and "weder eine E-Mail (.eml) noch ein Postfach" in foreign.output


def test_fetch_without_imap_url_says_what_to_set(runner):
    result = runner.invoke(args=["replies", "fetch"])
    assert result.exit_code == 1 and "IMAP_URL ist nicht gesetzt" in result.output


def test_export_of_replies_as_json_has_the_issues_keys(runner, tmp_path):
    runner.invoke(args=["replies", "import", str(MAILS / "outlook_de.eml"), str(MAILS / "bounce_dsn.eml")])
    out = tmp_path / "antworten.json"
    result = runner.invoke(args=["export", "nrw-gerecht", "--what", "replies", "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [list(row) for row in rows] == [
        [
            "reference",
            "recipient",
            "channel",
            "kind",
            "quality",
            "stance",
            "received_at",
            "text",
            "counts_as_reply",
            "substantive",
            "follow_up",
        ]
    ] * 2
    by_kind = {row["kind"]: row for row in rows}
    assert by_kind["bounce"]["reference"] == "NRW-2026-0011" and by_kind["reply"]["recipient"] == "Erika Mustermann"
    assert by_kind["reply"]["channel"] == "email" and by_kind["reply"]["received_at"] == "2026-03-04T13:02:10"


def test_export_as_csv_for_german_excel_and_xlsx(runner, tmp_path):
    runner.invoke(args=["replies", "import", str(MAILS / "gmail_en.eml")])
    csv_file, xlsx_file = tmp_path / "a.csv", tmp_path / "b.xlsx"
    runner.invoke(args=["export", "nrw-gerecht", "--what", "replies", "--format", "csv", "--out", str(csv_file)])
    data = csv_file.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfUnser Zeichen;Empf\xc3\xa4nger:in;Kanal;Art;")
    assert "NRW-2026-0002;John Smith;E-Mail;Antwort;" in data.decode("utf-8-sig")
    result = runner.invoke(
        args=["export", "nrw-gerecht", "--what", "letters", "--format", "xlsx", "--out", str(xlsx_file)]
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(xlsx_file).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Unser Zeichen" and len(rows) == 18
    assert ("NRW-2026-0002", "John Smith") in {(row[0], row[1]) for row in rows}


def test_export_of_an_unknown_campaign_fails(runner, tmp_path):
    result = runner.invoke(args=["export", "gibt-es-nicht", "--what", "replies", "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 1 and "Keine Kampagne mit dem Kurznamen „gibt-es-nicht“" in result.output
