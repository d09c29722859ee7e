"""`campaign export` of all four tables and `campaign stats`: they count as the dashboard does."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from campaign.db import db
from campaign.models import Campaign, Role
from campaign.services.dashboard.figures import headline
from tests.factories import make_recipient
from tests.factories_dashboard import make_counted_campaign, make_recipient_letter

TABLES = ("letters", "recipients", "replies", "signatures")


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        campaign = make_counted_campaign(db.session)
        # A recipient whose name a spreadsheet would run as a formula.
        make_recipient_letter(
            db.session, campaign, make_recipient(db.session, first_name="=HYPERLINK(1)", last_name="x")
        )
        db.session.commit()
    return app


def _export(runner, tmp_path, what, fmt):
    out = tmp_path / f"{what}.{fmt}"
    result = runner.invoke(args=["export", "gezaehlt", "--what", what, "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _dashboard(app):
    with app.app_context():
        return headline(db.session, db.session.query(Campaign).filter_by(slug="gezaehlt").one())


@pytest.mark.parametrize("what", TABLES)
def test_every_table_exports_as_csv_xlsx_and_json(runner, tmp_path, what):
    data = _export(runner, tmp_path, what, "csv")
    assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0]
    rows = json.loads(_export(runner, tmp_path, what, "json"))
    assert rows and all(key == key.lower() and " " not in key for key in rows[0])
    sheet = load_workbook(io.BytesIO(_export(runner, tmp_path, what, "xlsx"))).active
    assert sheet.max_row == len(rows) + 1


def test_the_exports_agree_with_the_dashboard(app, runner, tmp_path):
    figures = _dashboard(app)
    letters = json.loads(_export(runner, tmp_path, "letters", "json"))
    assert sum(row["sent"] for row in letters) == figures.letters_sent == 11
    assert sum(row["answered"] for row in letters) == figures.letters_replied == 3
    assert sum(row["substantive"] for row in letters) == figures.letters_substantive == 2
    replies = json.loads(_export(runner, tmp_path, "replies", "json"))
    assert len({row["reference"] for row in replies if row["counts_as_reply"]}) == figures.letters_replied
    assert sum(row["kind"] == "auto_reply" for row in replies) == figures.auto_replies
    signatures = json.loads(_export(runner, tmp_path, "signatures", "json"))
    assert len(signatures) == 5 and sum(row["counted"] for row in signatures) == figures.signatures_confirmed == 3
    recipients = json.loads(_export(runner, tmp_path, "recipients", "json"))
    assert sum(row["answered"] for row in recipients) == 3 and sum(row["substantive"] for row in recipients) == 2
    assert sum(row["letters_sent"] for row in recipients) == figures.letters_sent


def test_csv_has_german_headings_unicode_names_and_formula_safe_cells(runner, tmp_path):
    text = _export(runner, tmp_path, "recipients", "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Name", "Funktion", "Organisation"]
    names = [row[0] for row in rows[1:]]
    assert "Ayşe Yılmaz" in names and "Łukasz Nowak" in names and "'=HYPERLINK(1) x" in names
    signatures = _export(runner, tmp_path, "signatures", "csv").decode("utf-8-sig")
    assert signatures.startswith("Vorname;Nachname;E-Mail;PLZ;Ort;Status;Zählt als Mitzeichnung")
    assert "Zoë;Ğüneş" in signatures


def test_an_unknown_table_or_campaign_is_refused(runner, tmp_path):
    out = tmp_path / "x.csv"
    result = runner.invoke(args=["export", "gezaehlt", "--what", "supporters", "--out", str(out)])
    assert result.exit_code != 0 and "supporters" in result.output and not out.exists()
    result = runner.invoke(args=["export", "gibt-es-nicht", "--what", "signatures", "--out", str(out)])
    assert result.exit_code == 1 and "Keine Kampagne" in result.output


def test_staff_download_the_same_tables(client, login):
    assert client.get("/track/campaigns/gezaehlt/export/signatures/download?format=csv").status_code == 302
    login(Role.COORDINATOR)
    response = client.get("/track/campaigns/gezaehlt/export/signatures/download?format=xlsx")
    assert response.status_code == 200 and "gezaehlt-signatures.xlsx" in response.headers["Content-Disposition"]
    response = client.get("/track/campaigns/gezaehlt/export/recipients/download?format=json")
    assert response.status_code == 200 and len(response.get_json()) == 11
    page = client.get("/track/campaigns/gezaehlt").get_data(as_text=True)
    assert "/track/campaigns/gezaehlt/export/signatures/download?format=csv" in page


def test_stats_prints_the_issues_keys_as_json(app, runner):
    result = runner.invoke(args=["stats", "gezaehlt", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "letters_sent": 11,
        "letters_replied": 3,
        "response_rate": 27.3,
        "substantive_rate": 18.2,
        "auto_replies": 1,
        "bounces": 1,
        "signatures_confirmed": 3,
        "median_days_to_reply": 6.0,
    }


def test_stats_as_text_and_for_an_unknown_campaign(runner):
    result = runner.invoke(args=["stats", "gezaehlt"])
    assert result.exit_code == 0 and "Antwortquote (%): 27,3" in result.output
    assert "Antwortzeit, Median (Tage): 6,0" in result.output
    result = runner.invoke(args=["stats", "gibt-es-nicht", "--json"])
    assert (
        result.exit_code == 1 and result.output.strip() == "Fehler: Keine Kampagne mit dem Kurznamen „gibt-es-nicht“."
    )
