"""`campaign recipients import`: dry run, all-or-nothing, --skip-invalid, --list, idempotent re-runs, bad files."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from campaign.db import db
from campaign.models import AuditEvent, Recipient, RecipientList
from tests.factories_recipients import DATA, UNCLOSED_QUOTE_IN_HEADER, UNCLOSED_QUOTE_PAST_FIELD_LIMIT, make_xlsx


def _count(app, model=Recipient) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def _import(runner, *args):
    return runner.invoke(args=["recipients", "import", *map(str, args)])


def test_help_documents_the_options(runner):
    result = runner.invoke(args=["recipients", "import", "--help"])
    assert result.exit_code == 0
    for option in ("--list NAME", "--dry-run", "--skip-invalid", "--map SPALTE=FELD"):
        assert option in result.output
    assert "wird nichts importiert" in result.output and "Zeile 1" in result.output


def test_dry_run_prints_the_report_and_changes_nothing(app, runner):
    result = _import(runner, DATA / "ungueltige_daten.csv", "--dry-run", "--list", "Neu")
    assert result.exit_code == 0, result.output
    assert "Datei: CSV, UTF-8, Trennzeichen Semikolon" in result.output
    assert "7 Datenzeilen · neu: 2 · bereits vorhanden: 0 · doppelt in der Datei: 0 · fehlerhaft: 5" in result.output
    assert "Zeile 3: E-Mail: Ungültige E-Mail-Adresse „max(at)example.org“" in result.output
    assert "Zeile 6: PLZ: „ABCDE“ ist keine deutsche Postleitzahl" in result.output
    assert "Probelauf: nichts gespeichert." in result.output
    assert _count(app) == 0 and _count(app, RecipientList) == 0


def test_errors_stop_the_whole_import_with_one_line(app, runner):
    result = _import(runner, DATA / "ungueltige_daten.csv")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Fehler: Fehlerhafte Zeilen: 5; nichts importiert. Datei korrigieren oder mit --skip-invalid "
        "nur die gültigen Zeilen importieren."
    ]
    assert "Zeile 7: Anrede: Unbekannte Anrede „Sir“" in result.stdout
    assert _count(app) == 0


def test_skip_invalid_imports_only_the_good_rows(app, runner):
    result = _import(runner, DATA / "ungueltige_daten.csv", "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "Import: 2 neu angelegt, 0 bereits vorhanden, 5 fehlerhafte Zeilen übersprungen." in result.output
    assert _count(app) == 2


def test_import_with_list_is_idempotent(app, runner):
    first = _import(runner, DATA / "semikolon_utf8_bom.csv", "--list", "Delegierte LPT")
    assert first.exit_code == 0, first.output
    assert "Import: 5 neu angelegt, 0 bereits vorhanden, 5 zur Liste „Delegierte LPT“ (neu angelegt) hinzugefügt." in (
        first.output
    )
    with app.app_context():
        events = db.session.scalar(select(func.count(AuditEvent.id)))
        names = set(db.session.scalars(select(Recipient.last_name)))
    assert {"Doğan", "Gąsiorowski", "Weiß", "Muñoz"} <= names
    second = _import(runner, DATA / "semikolon_utf8_bom.csv", "--list", "Delegierte LPT")
    assert second.exit_code == 0, second.output
    assert "Import: 0 neu angelegt, 5 bereits vorhanden, 0 zur Liste „Delegierte LPT“ hinzugefügt." in second.output
    assert "Zeile 2: bereits vorhanden" in second.output
    assert _count(app) == 5 and _count(app, RecipientList) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == events
        [recipient_list] = db.session.scalars(select(RecipientList))
        assert len(recipient_list.recipients) == 5


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("komma_cp1252.csv", "Windows-1252"), ("tab_englisch.tsv", "UTF-8")],
)
def test_other_encodings_and_delimiters_import(app, runner, name, encoding):
    result = _import(runner, DATA / name)
    assert result.exit_code == 0, result.output
    assert encoding in result.output and "Import: 2 neu angelegt" in result.output
    with app.app_context():
        names = set(db.session.scalars(select(Recipient.last_name)))
    assert names in ({"Großmann", "Öztürk"}, {"Łukasiewicz", "Núñez"})


def test_xlsx_imports(app, runner, tmp_path):
    path = tmp_path / "empfaenger.xlsx"
    path.write_bytes(
        make_xlsx(
            [
                ["Anrede", "Titel", "Vorname", "Nachname", "Straße", "PLZ", "Ort", "E-Mail"],
                ["Frau", "Dr.", "Ayşe", "Doğan", "Weg 1", 1067, "Dresden", "ayse@example.org"],
            ]
        )
    )
    result = _import(runner, path)
    assert result.exit_code == 0, result.output
    assert "Excel-Datei (XLSX)" in result.output and "Zeile 2: Hinweis: PLZ „1067“ zu „01067“ ergänzt." in result.output
    with app.app_context():
        stored = db.session.scalar(select(Recipient))
        assert (stored.full_name, stored.postcode) == ("Dr. Ayşe Doğan", "01067")


def test_map_option_assigns_unknown_columns(app, runner):
    result = _import(runner, DATA / "unbekannte_spalten.csv", "--map", "Nachname (Geburt)=Nachname")
    assert result.exit_code == 0, result.output
    assert "Spalte „Mobil“ nicht erkannt und ignoriert." in result.output
    with app.app_context():
        assert db.session.scalar(select(Recipient.last_name)) == "Mustermann"


@pytest.mark.parametrize(
    ("file", "extra", "message"),
    [
        ("fehlt.csv", [], "Fehler: Datei nicht gefunden"),
        ("leer.csv", [], "Fehler: „leer.csv“ ist leer."),
        ("kein_excel.xlsx", [], "Fehler: „kein_excel.xlsx“ ist keine Excel-Datei (XLSX)"),
        ("ohne_namen.csv", [], "Fehler: Die Datei hat keine Spalte für den Namen"),
        ("unbekannte_spalten.csv", ["--map", "Telefon=Notizen"], "Fehler: Die Datei hat keine Spalte „Telefon“"),
        ("unbekannte_spalten.csv", ["--map", "Mobil"], "Fehler: --map erwartet SPALTE=FELD"),
        ("unbekannte_spalten.csv", ["--map", "Mobil=Handy"], "Fehler: Unbekanntes Feld „Handy“"),
    ],
    ids=["missing", "empty", "fake-xlsx", "no-name-column", "map-unknown-column", "map-syntax", "map-unknown-field"],
)
def test_unreadable_input_exits_non_zero_with_one_line(app, runner, file, extra, message):
    result = _import(runner, DATA / file, *extra)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr
    assert _count(app) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            UNCLOSED_QUOTE_IN_HEADER,
            'Fehler: „kaputt.csv“, Zeile 1 (Kopfzeile): Ein Anführungszeichen (") wird nicht geschlossen, so dass die '
            "Zeilen danach als Spaltennamen gelesen würden. Nichts wurde importiert. Bitte das Anführungszeichen in "
            "Zeile 1 schließen oder entfernen.",
        ),
        (
            UNCLOSED_QUOTE_PAST_FIELD_LIMIT,
            'Fehler: „kaputt.csv“, Zeile 5: Ein Anführungszeichen (") wird nicht geschlossen, so dass die Zeilen '
            "danach als ein einziges Feld von mehr als 131.072 Zeichen gelesen würden. Nichts wurde importiert. "
            "Bitte das Anführungszeichen in Zeile 5 schließen oder entfernen.",
        ),
    ],
    ids=["in-the-header", "past-the-field-limit"],
)
def test_an_unclosed_quote_that_breaks_the_file_exits_non_zero_with_one_line(app, runner, tmp_path, data, message):
    path = tmp_path / "kaputt.csv"
    path.write_bytes(data)
    for extra in ([], ["--dry-run"], ["--skip-invalid"]):
        result = _import(runner, path, *extra)
        assert result.exit_code == 1
        assert result.stderr.strip().splitlines() == [message]
        assert result.stdout == ""
    assert _count(app) == 0


def test_a_directory_or_oversized_file_is_refused(app, runner, tmp_path):
    assert "Datei nicht gefunden" in _import(runner, tmp_path).stderr
    big = tmp_path / "gross.csv"
    shutil.copy(DATA / "dubletten.csv", big)
    with big.open("ab") as handle:
        handle.write(b"x" * (9 * 1024 * 1024))
    result = _import(runner, big)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Fehler: „gross.csv“ ist 9,1 MB groß; erlaubt sind höchstens 5 MB. Bitte die Datei aufteilen."
    )


def test_a_pdf_renamed_to_csv_is_named_as_such(app, runner, tmp_path):
    fake = tmp_path / "empfaenger.csv"
    fake.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF\n")
    result = _import(runner, fake, "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Fehler: „empfaenger.csv“ ist keine lesbare Textdatei, sondern ein PDF-Dokument. "
        "Bitte eine CSV- oder XLSX-Datei wählen."
    ]
    assert "Gefundene Spalten" not in result.output and _count(app) == 0
