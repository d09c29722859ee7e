"""Recipient import: German Excel exports, bad files, row checks with line numbers, duplicates, idempotent runs."""

from __future__ import annotations

import codecs
import io
import os
import re
import time
import zipfile

import pytest
from pypdf import PdfWriter
from sqlalchemy import func, select

from campaign.models import AuditEvent, FormOfAddress, Recipient, RecipientList
from campaign.services.common.errors import ServiceError
from campaign.services.recipients import importing as importer
from campaign.services.recipients.importing import ImportFileError, RowStatus
from tests.factories import make_recipient, make_user
from tests.factories_recipients import (
    UNCLOSED_QUOTE_IN_HEADER,
    UNCLOSED_QUOTE_PAST_FIELD_LIMIT,
    fixture_bytes,
    make_xlsx,
)


def _plan(session, name, chosen=None):
    table = importer.read_table(fixture_bytes(name), name)
    return importer.plan_import(session, table, chosen)


def _by_line(plan):
    return {row.line: row for row in plan.rows}


def _count(session):
    return session.scalar(select(func.count(Recipient.id)))


# ---- reading files ----


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "expected_cells"),
    [
        ("semikolon_utf8_bom.csv", "UTF-8 mit BOM", ";", ["Frau", "", "Ayşe", "Doğan"]),
        ("komma_cp1252.csv", "Windows-1252", ",", ["Frau", "Jürgen-Lüdia", "Großmann", "Vorsitzende"]),
        ("tab_englisch.tsv", "UTF-8", "\t", ["Ms", "Zofia", "Łukasiewicz", "Delegate"]),
    ],
)
def test_german_excel_exports_are_read_correctly(name, encoding, delimiter, expected_cells):
    table = importer.read_table(fixture_bytes(name), name)
    assert (table.kind, table.encoding, table.delimiter) == ("CSV", encoding, delimiter)
    assert table.rows[0].line == 2
    assert table.rows[0].cells[:4] == expected_cells
    # The first header must not keep the byte-order mark, or „Anrede“ would not be recognised.
    assert importer.detect_columns(table)[0].detected in {"form_of_address"}


def test_quoted_delimiters_stay_inside_their_field():
    table = importer.read_table(fixture_bytes("komma_cp1252.csv"), "komma_cp1252.csv")
    assert table.rows[0].cells[4] == "SPD Ortsverein Süd, Bezirk Mitte"
    assert len(table.rows[0].cells) == len(table.headers) == 9


def test_utf16_unicode_text_from_excel_is_read():
    text = "Vorname\tNachname\tE-Mail\r\nGülşen\tÑúñez\tg@example.org\r\n"
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    table = importer.read_table(data, "unicode.txt")
    assert table.encoding == "UTF-16" and table.delimiter == "\t"
    assert table.rows[0].cells == ["Gülşen", "Ñúñez", "g@example.org"]


def test_windows_1252_survives_a_euro_sign_and_typographic_quotes():
    text = "Nachname;Notizen\nWeiß;„Spende“ 50 €\n"
    table = importer.read_table(text.encode("cp1252"), "export.csv")
    assert table.encoding == "Windows-1252" and table.rows[0].cells == ["Weiß", "„Spende“ 50 €"]


@pytest.mark.parametrize(
    "text",
    ["Name\nBöhm\n", "Name;E-Mail;PLZ\nÖz;oez@example.org;50667\n", "Nachname;Vorname\nÖzdemir;Ayşe\nGroß;Jörg\n"],
)
def test_a_short_windows_1252_list_is_not_taken_for_an_east_asian_encoding(text):
    table = importer.read_table(text.encode("cp1252", "replace"), "kurz.csv")
    assert table.encoding == "Windows-1252"
    assert [table.headers, *[row.cells for row in table.rows]] == [
        line.split(";") for line in text.encode("cp1252", "replace").decode("cp1252").splitlines()
    ]


def test_a_big5_list_is_still_read_as_big5():
    text = "姓名;城市\n陳大文;臺北市\n林美玲;高雄市\n王小明;臺中市\n"
    table = importer.read_table(text.encode("big5"), "big5.csv")
    assert table.encoding.startswith("big5") and table.rows[0].cells == ["陳大文", "臺北市"]


def test_a_single_column_file_needs_no_delimiter():
    table = importer.read_table("Nachname\nMüller\nSchmidt\n".encode(), "namen.csv")
    assert table.headers == ["Nachname"] and [row.cells for row in table.rows] == [["Müller"], ["Schmidt"]]


def test_excel_sep_hint_line_sets_the_delimiter_and_counts_as_a_line():
    table = importer.read_table(b"sep=,\r\nVorname,Nachname;Zusatz\r\nErika,Muster;mann\r\n", "hinweis.csv")
    assert table.delimiter == "," and table.headers == ["Vorname", "Nachname;Zusatz"]
    assert [(row.line, row.cells) for row in table.rows] == [(3, ["Erika", "Muster;mann"])]


def test_line_numbers_count_blank_lines_and_multiline_fields():
    text = 'Vorname;Nachname;Notizen\n\nErika;Muster;"zwei\nZeilen"\nMax;Muster;x\n'
    table = importer.read_table(text.encode(), "zeilen.csv")
    assert [row.line for row in table.rows] == [3, 5]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "leer.csv", "„leer.csv“ ist leer"),
        (b"  \r\n\r\n ", "leer.csv", "ist leer"),
        (fixture_bytes("kein_excel.xlsx"), "kein_excel.xlsx", "keine Excel-Datei (XLSX), obwohl sie so heißt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "alt.xls", "alten Excel-Format (.xls)"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "bild.csv", "keine lesbare Textdatei"),
        (b"%PDF-1.7\n" + bytes(range(1, 32)) * 300, "brief.csv", "keine lesbare Textdatei"),
        (b"Vorname;Nachname\n", "liste.pdf", "Dateityp „.pdf“ wird nicht unterstützt"),
    ],
    ids=["empty", "whitespace-only", "fake-xlsx", "old-xls", "png-as-csv", "control-characters", "pdf-suffix"],
)
def test_unreadable_files_get_a_clear_message(data, name, message):
    with pytest.raises(ImportFileError, match=re.escape(message)):
        importer.read_table(data, name)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hallo.txt", "kein Excel")
    with pytest.raises(ImportFileError, match="keine gültige Excel-Datei"):
        importer.read_table(buffer.getvalue(), "archiv.xlsx")
    with pytest.raises(ImportFileError, match="keine gültige Excel-Datei"):
        importer.read_table(b"PK\x03\x04" + b"kaputt" * 50, "kaputt.xlsx")


def test_files_over_the_size_limit_are_refused_with_their_real_size():
    data = b"Nachname\n" + b"x" * importer.MAX_FILE_BYTES
    with pytest.raises(ImportFileError, match=re.escape("„gross.csv“ ist 5,1 MB groß; erlaubt sind höchstens 5 MB")):
        importer.read_table(data, "gross.csv")
    with pytest.raises(ImportFileError, match="ist 9,0 MB groß; erlaubt sind höchstens 5 MB"):
        importer.read_table(b"x" * 9 * 1024 * 1024, "neun.csv")


def _pdf() -> bytes:
    """A genuine one-page PDF, as someone might rename to .csv."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Brief an die Delegierten"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (_pdf(), "empfaenger.csv", "„empfaenger.csv“ ist keine lesbare Textdatei, sondern ein PDF-Dokument."),
        (
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF\n",
            "liste.csv",
            "sondern ein PDF-Dokument",
        ),
        (make_xlsx([["Vorname", "Nachname"], ["Ayşe", "Doğan"]]), "liste.csv", "sondern eine ZIP-Datei"),
        (b"\xff\xd8\xff\xe0" + bytes(range(1, 256)) * 4, "foto.txt", "sondern ein Bild (JPEG)"),
        ("Vorname;Nachname\nAyşe;Doğan\x00\x00\n".encode(), "nullbytes.csv", "keine lesbare Textdatei"),
        (bytes(range(128, 256)) * 40, "zeichensalat.csv", "keine lesbare Textdatei"),
    ],
    ids=["pdf", "pdf-header-with-text", "xlsx-as-csv", "jpeg-as-txt", "nul-bytes", "no-encoding-fits"],
)
def test_binary_content_in_a_text_file_is_named_before_parsing(data, name, message):
    with pytest.raises(ImportFileError, match=re.escape(message)) as caught:
        importer.read_table(data, name)
    assert "Bitte eine CSV- oder XLSX-Datei wählen." in str(caught.value)


def test_text_that_mentions_a_format_marker_is_still_text():
    table = importer.read_table("Nachname;Notizen\nMüller;schickt den Anhang als %PDF-1.4\n".encode(), "n.csv")
    assert table.rows[0].cells[1] == "schickt den Anhang als %PDF-1.4"


def test_a_workbook_without_suffix_is_still_read_as_one():
    table = importer.read_table(make_xlsx([["Vorname", "Nachname"], ["Ayşe", "Doğan"]]), "export")
    assert table.kind == "XLSX" and table.rows[0].cells == ["Ayşe", "Doğan"]


def test_files_over_the_row_limit_are_refused():
    rows = "".join(f"Person{number}\n" for number in range(importer.MAX_ROWS + 1))
    with pytest.raises(ImportFileError, match=r"mehr als 20\.000 Datenzeilen"):
        importer.read_table(("Nachname\n" + rows).encode(), "viele.csv")


def test_xlsx_first_sheet_is_read_with_numbers_as_text():
    data = make_xlsx(
        [
            ["Anrede", "Vorname", "Nachname", "PLZ", "Ort", "E-Mail"],
            ["Frau Dr.", "Zofia", "Łukasiewicz", 1067, "Dresden", "zofia@example.org"],
            [None, None, None, None, None, None],
            ["Herr", "José", "Núñez", 44137.0, "Dortmund", None],
        ]
    )
    table = importer.read_table(data, "empfaenger.xlsx")
    assert table.kind == "XLSX" and table.headers[2] == "Nachname"
    assert [(row.line, row.cells[2:4]) for row in table.rows] == [(2, ["Łukasiewicz", "1067"]), (4, ["Núñez", "44137"])]


# ---- mapping ----


def test_headers_are_recognised_regardless_of_case_space_and_umlauts():
    headers = ["ANREDE", "e-mail", "E Mail Adresse", "Strasse", "Postleitzahl", "Zip", "Gemeinde", "schlagwörter"]
    table = importer.Table("CSV", headers, [])
    detected = [column.detected for column in importer.detect_columns(table)]
    # The second column for the same field is left to the user (mapping step).
    assert detected == ["form_of_address", "email", None, "street", "postcode", None, "kommune", "tags"]


def test_unknown_columns_must_be_decided_before_the_web_import():
    table = importer.read_table(fixture_bytes("unbekannte_spalten.csv"), "unbekannte_spalten.csv")
    columns = importer.detect_columns(table)
    mapping = importer.resolve_mapping(columns)
    assert [column.label for column in importer.undecided_columns(columns, mapping)] == ["Nachname (Geburt)", "Mobil"]
    with pytest.raises(ServiceError, match="Spalte „Nachname \\(Geburt\\)“ ein Feld wählen"):
        importer.plan_import(None, table, ignore_undecided=False)


def test_chosen_mapping_fills_the_fields(db_session):
    plan = _plan(db_session, "unbekannte_spalten.csv", {1: "last_name", 2: importer.IGNORE})
    [row] = plan.rows
    assert row.status is RowStatus.NEW and row.values["last_name"] == "Mustermann" and row.values["notes"] == ""


def test_the_cli_ignores_undecided_columns_with_a_notice(db_session):
    plan = _plan(db_session, "unbekannte_spalten.csv", {1: "last_name"})
    assert plan.notices == ["Spalte „Mobil“ nicht erkannt und ignoriert."]


def test_mapping_by_header_accepts_german_field_labels():
    table = importer.read_table(fixture_bytes("unbekannte_spalten.csv"), "x.csv")
    columns = importer.detect_columns(table)
    assert importer.mapping_by_header(columns, {"nachname (geburt)": "Nachname", "Mobil": "ignorieren"}) == {
        1: "last_name",
        2: importer.IGNORE,
    }
    with pytest.raises(ServiceError, match="keine Spalte „Telefon“"):
        importer.mapping_by_header(columns, {"Telefon": "Notizen"})
    with pytest.raises(ServiceError, match="Unbekanntes Feld „Handy“"):
        importer.mapping_by_header(columns, {"Mobil": "Handy"})


def test_two_columns_for_one_field_are_refused_except_tags():
    table = importer.Table("CSV", ["Name", "Nachname", "Tags", "Kategorie"], [])
    columns = importer.detect_columns(table)
    with pytest.raises(ServiceError, match="„Nachname“ ist mehreren Spalten zugeordnet: „Name“, „Nachname“"):
        importer.resolve_mapping(columns, {1: "last_name"})
    assert importer.resolve_mapping(columns, {1: "first_name", 3: "tags"})[3] == "tags"


def test_a_file_without_name_columns_is_refused(db_session):
    with pytest.raises(ImportFileError, match=r"keine Spalte für den Namen.*„Anrede“, „Straße“"):
        _plan(db_session, "ohne_namen.csv")


# ---- row checks ----


def test_good_file_plans_every_row_as_new_with_salutations_and_groups(db_session):
    plan = _plan(db_session, "semikolon_utf8_bom.csv")
    assert not plan.has_errors and plan.counts[RowStatus.NEW] == 5
    rows = _by_line(plan)
    assert rows[2].values["form_of_address"] is FormOfAddress.FRAU and rows[2].name == "Ayşe Doğan"
    assert rows[2].values["tags"] == ["delegierte", "kommunalpolitik"]
    assert rows[3].values["title"] == "Dr." and rows[3].values["wahlkreis"] == "Düsseldorf I"
    assert rows[4].values["form_of_address"] is FormOfAddress.DIVERS and rows[4].values["postcode"] == "01067"
    assert rows[5].values["form_of_address"] is FormOfAddress.UNBEKANNT
    assert rows[6].values["form_of_address"] is FormOfAddress.GRUPPE
    assert rows[6].values["group_name"] == "Mitglieder des SPD-Unterbezirks Essen" and rows[6].values["last_name"] == ""


def test_broken_rows_are_reported_with_their_line(db_session):
    plan = _plan(db_session, "kaputte_zeilen.csv")
    rows = _by_line(plan)
    assert [rows[line].status for line in (2, 3, 4, 5)] == [
        RowStatus.NEW,
        RowStatus.INVALID,
        RowStatus.INVALID,
        RowStatus.NEW,
    ]
    problems = dict(plan.problems)
    assert "6 Felder statt 4" in problems[3]
    assert "nur 2 von 4 Feldern" in problems[4]


def test_invalid_values_are_reported_per_line(db_session):
    plan = _plan(db_session, "ungueltige_daten.csv")
    problems = {}
    for line, message in plan.problems:
        problems.setdefault(line, []).append(message)
    assert plan.counts[RowStatus.NEW] == 2  # lines 2 and 5 (Austrian postcode)
    assert "Ungültige E-Mail-Adresse „max(at)example.org“" in problems[3][0]
    assert "ines@@example.org" in " ".join(problems[4])
    # 5066 is no postcode of Köln with or without a leading zero: a fault, not a quiet guess.
    assert "„5066“ hat nur vier Ziffern, und die PLZ „05066“ gibt es nicht" in " ".join(problems[4])
    assert 5 not in problems
    assert "„ABCDE“ ist keine deutsche Postleitzahl" in problems[6][0]
    assert "Unbekannte Anrede „Sir“" in problems[7][0]
    assert "Namen" in problems[8][0]
    assert plan.has_errors and plan.count(RowStatus.INVALID) == 5


def test_duplicates_within_the_file_point_to_the_first_line(db_session):
    plan = _plan(db_session, "dubletten.csv")
    rows = _by_line(plan)
    assert [rows[line].status for line in range(2, 7)] == [
        RowStatus.NEW,
        RowStatus.DUPLICATE,
        RowStatus.NEW,
        RowStatus.DUPLICATE,
        RowStatus.DUPLICATE,
    ]
    assert "wie Zeile 2" in rows[3].messages[0]
    assert "wie Zeile 4" in rows[5].messages[0] and "wie Zeile 4" in rows[6].messages[0]


def test_rows_matching_stored_recipients_are_reported_as_existing(db_session):
    stored = make_recipient(
        db_session,
        first_name="Ayşe",
        last_name="Doğan",
        email="ayse.dogan@example.org",
        email_canonical="ayse.dogan@example.org",
    )
    stored_by_address = make_recipient(
        db_session, first_name="Kim", last_name="Weiß", street="Dr.-Külz-Ring 19", postcode="01067"
    )
    rows = _by_line(_plan(db_session, "semikolon_utf8_bom.csv"))
    assert rows[2].status is RowStatus.EXISTING and rows[2].existing_id == stored.id
    assert rows[4].status is RowStatus.EXISTING and rows[4].existing_id == stored_by_address.id
    assert f"Nr. {stored.id}" in rows[2].messages[0]


def test_salutation_column_with_title_and_xlsx_postcodes(db_session):
    data = make_xlsx(
        [
            ["Anrede", "Vorname", "Nachname", "PLZ", "Ort", "E-Mail", "Tags"],
            ["Frau Dr.", "Zofia", "Łukasiewicz", 1067, "Dresden", "zofia@example.org", "MdL, Delegierte"],
            ["", "", "", 44137, "Dortmund", "ub@example.org", None],
            ["Mitglieder", "", "", 50667, "Köln", "", None],
        ]
    )
    plan = importer.plan_import(db_session, importer.read_table(data, "e.xlsx"))
    rows = _by_line(plan)
    assert rows[2].values["form_of_address"] is FormOfAddress.FRAU and rows[2].values["title"] == "Dr."
    assert rows[2].values["postcode"] == "01067" and rows[2].values["tags"] == ["mdl", "delegierte"]
    # No name at all and no organisation: nothing to address.
    assert rows[3].status is RowStatus.INVALID
    assert rows[4].status is RowStatus.INVALID and "Gruppennamen" in rows[4].messages[0]


def test_group_column_makes_group_rows_and_is_dropped_for_people(db_session):
    text = (
        "Anrede;Vorname;Nachname;Gruppe;Organisation\n"
        ";;;Mitglieder der SPD Bonn;SPD Bonn\n"
        "Frau;Anna;Berg;Vorstand;\n"
        ";;;;Ortsverein Süd\n"
    )
    plan = importer.plan_import(db_session, importer.read_table(text.encode(), "g.csv"))
    rows = _by_line(plan)
    assert rows[2].values["form_of_address"] is FormOfAddress.GRUPPE and rows[2].name == "Mitglieder der SPD Bonn"
    assert rows[3].values["group_name"] == "" and "Gruppe „Vorstand“ nicht übernommen" in rows[3].warnings[0]
    assert rows[4].values["form_of_address"] is FormOfAddress.GRUPPE and rows[4].name == "Ortsverein Süd"


def test_a_quoted_multi_line_address_keeps_its_lines_into_storage(db_session):
    text = (
        "Vorname;Nachname;Straße;PLZ;Ort\r\n"
        'Ayşe;Doğan;"c/o SPD-Unterbezirk Köln\r\n2. OG\r\nMagnusstraße 18b";50667;Köln\r\n'
        "Paweł;Gąsiorowski;Platz des Landtags 1;40221;Düsseldorf\r\n"
    )
    plan = importer.plan_import(db_session, importer.read_table(text.encode(), "adressen.csv"))
    assert [row.line for row in plan.rows] == [2, 5] and not plan.problems
    importer.run_import(db_session, plan)
    stored = db_session.scalar(select(Recipient).where(Recipient.last_name == "Doğan"))
    assert stored.street.splitlines() == ["c/o SPD-Unterbezirk Köln", "2. OG", "Magnusstraße 18b"]


# Eight data rows as Excel saves them; the sixth (file line 7) opens a quote in the street and never closes it.
UNCLOSED_QUOTE_CSV = (
    "Anrede;Vorname;Nachname;Straße;PLZ;Ort\r\n"
    "Frau;Ayşe;Doğan;Fliederhofweg 14;50823;Köln\r\n"
    "Herr;Paweł;Gąsiorowski;Platz des Landtags 1;40221;Düsseldorf\r\n"
    "Frau;Lüdia;Großmann;Weißdornweg 3;53111;Bonn\r\n"
    "Herr;José;Muñoz;Hauptstraße 5;44137;Dortmund\r\n"
    "Frau;Zofia;Łukasiewicz;Am Markt 2;45127;Essen\r\n"
    'Herr;Kim;Weiß;"Unterm Dach 7;01067;Dresden\r\n'
    "Frau;Renée;Çelik;Rheinufer 9;40213;Düsseldorf\r\n"
    "\r\n"
    "Herr;Bartłomiej;Öztürk;Ringstraße 1;50667;Köln\r\n"
)
UNCLOSED_QUOTE_MESSAGE = (
    'Ein Anführungszeichen (") wird nicht geschlossen; die Zeilen 7–10 wurden als ein einziges Feld gelesen und '
    "werden nicht importiert. Bitte das Anführungszeichen in Zeile 7 schließen oder entfernen."
)


def test_an_unclosed_quote_names_every_line_it_swallowed_and_counts_them(db_session):
    table = importer.read_table(UNCLOSED_QUOTE_CSV.encode(), "kaputt.csv")
    plan = importer.plan_import(db_session, table)
    assert [(row.line, row.status) for row in plan.rows] == [
        *((line, RowStatus.NEW) for line in range(2, 7)),
        (7, RowStatus.INVALID),
        (8, RowStatus.INVALID),
        (10, RowStatus.INVALID),
    ]
    assert plan.problems == [
        (7, UNCLOSED_QUOTE_MESSAGE),
        (8, "gehört zum nicht geschlossenen Anführungszeichen aus Zeile 7 und wird nicht importiert."),
        (10, "gehört zum nicht geschlossenen Anführungszeichen aus Zeile 7 und wird nicht importiert."),
    ]
    assert importer.summary_line(plan) == (
        "8 Datenzeilen · neu: 5 · bereits vorhanden: 0 · doppelt in der Datei: 0 · fehlerhaft: 3"
    )
    # The names around the broken line are read as written.
    assert [row.name for row in plan.rows[:5]] == [
        "Ayşe Doğan",
        "Paweł Gąsiorowski",
        "Lüdia Großmann",
        "José Muñoz",
        "Zofia Łukasiewicz",
    ]
    # The stored upload keeps the finding, so the review and the import step report the same.
    assert importer.Table.from_dict(table.to_dict()) == table
    result = importer.run_import(db_session, plan, skip_invalid=True)
    assert (result.created, result.skipped_invalid) == (5, 3)
    assert "3 fehlerhafte Zeilen übersprungen" in importer.result_line(result)
    assert set(db_session.scalars(select(Recipient.last_name))) == {
        "Doğan",
        "Gąsiorowski",
        "Großmann",
        "Muñoz",
        "Łukasiewicz",
    }


def test_the_same_file_with_the_quote_closed_over_two_lines_imports_all_rows(db_session):
    text = UNCLOSED_QUOTE_CSV.replace('"Unterm Dach 7;', '"Unterm Dach 7\r\nHinterhaus";')
    plan = importer.plan_import(db_session, importer.read_table(text.encode(), "heil.csv"))
    assert not plan.problems and plan.counts[RowStatus.NEW] == 8
    assert [row.line for row in plan.rows] == [2, 3, 4, 5, 6, 7, 9, 11]
    assert plan.rows[5].values["street"] == "Unterm Dach 7\nHinterhaus" and plan.rows[5].name == "Kim Weiß"
    assert [row.name for row in plan.rows[6:]] == ["Renée Çelik", "Bartłomiej Öztürk"]
    importer.run_import(db_session, plan)
    stored = db_session.scalar(select(Recipient).where(Recipient.last_name == "Weiß"))
    assert stored.street.splitlines() == ["Unterm Dach 7", "Hinterhaus"]
    assert _count(db_session) == 8


def test_an_unclosed_quote_that_a_later_quote_closes_is_named_too(db_session):
    text = (
        "Vorname;Nachname;Straße;Ort\n"
        'Kim;Weiß;"Unterm Dach 7;Dresden\n'
        'Renée;Çelik;"Rheinufer 9";Düsseldorf\n'
        "Paweł;Gąsiorowski;Platz des Landtags 1;Düsseldorf\n"
    )
    plan = importer.plan_import(db_session, importer.read_table(text.encode(), "kaputt.csv"))
    assert [(row.line, row.status) for row in plan.rows] == [
        (2, RowStatus.INVALID),
        (3, RowStatus.INVALID),
        (4, RowStatus.NEW),
    ]
    assert "die Zeilen 2–3 wurden als ein einziges Feld gelesen" in plan.rows[0].messages[0]
    assert plan.rows[2].name == "Paweł Gąsiorowski"


def test_a_quoted_multi_line_address_in_a_short_row_is_no_unclosed_quote(db_session):
    text = (
        "Vorname;Nachname;Straße;PLZ;Ort\r\n"
        'Ayşe;Doğan;"c/o SPD Köln\r\n2. OG"\r\n'
        "José;Muñoz;Hauptstraße 5;44137;Dortmund\r\n"
    )
    plan = importer.plan_import(db_session, importer.read_table(text.encode(), "kurz.csv"))
    assert plan.problems == [
        (2, "nur 3 von 5 Feldern (Zeile abgeschnitten oder falsches Trennzeichen?)."),
    ]
    assert [(row.line, row.status, row.name) for row in plan.rows] == [
        (2, RowStatus.INVALID, ""),
        (4, RowStatus.NEW, "José Muñoz"),
    ]


def _open_quote_in_header(line):
    return (
        f'„kaputt.csv“, Zeile {line} (Kopfzeile): Ein Anführungszeichen (") wird nicht geschlossen, so dass die '
        "Zeilen danach als Spaltennamen gelesen würden. Nichts wurde importiert. Bitte das Anführungszeichen in "
        f"Zeile {line} schließen oder entfernen."
    )


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (UNCLOSED_QUOTE_IN_HEADER, 1),
        # A later quote ends the header's field, one line too late.
        (UNCLOSED_QUOTE_IN_HEADER.replace(b";Do\xc4\x9fan;", b';"Do\xc4\x9fan";'), 1),
        (b"sep=;\r\n" + UNCLOSED_QUOTE_IN_HEADER, 2),
        # The header swallows more than csv's field limit.
        (UNCLOSED_QUOTE_PAST_FIELD_LIMIT.replace(b'Kim;"', b"Kim;").replace(b"Vorname;", b'Vorname;"'), 1),
    ],
    ids=["to-the-end", "closed-later", "after-sep-hint", "past-field-limit"],
)
def test_only_an_unclosed_quote_in_the_header_refuses_the_file(data, line):
    # A header name over two lines in quotes is a header name.
    table = importer.read_table(
        'Vorname;"Straße\r\nHausnummer";Nachname\r\nAyşe;"Weg 1";Doğan\r\n'.encode(), "heil.csv"
    )
    assert table.headers == ["Vorname", "Straße Hausnummer", "Nachname"]
    assert [(row.line, row.cells) for row in table.rows] == [(3, ["Ayşe", "Weg 1", "Doğan"])]
    with pytest.raises(ImportFileError) as caught:
        importer.read_table(data, "kaputt.csv")
    assert str(caught.value) == _open_quote_in_header(line)


def test_an_unclosed_quote_past_the_field_limit_refuses_the_file():
    with pytest.raises(ImportFileError) as caught:
        importer.read_table(UNCLOSED_QUOTE_PAST_FIELD_LIMIT, "kaputt.csv")
    assert str(caught.value) == (
        '„kaputt.csv“, Zeile 5: Ein Anführungszeichen (") wird nicht geschlossen, so dass die Zeilen danach als ein '
        "einziges Feld von mehr als 131.072 Zeichen gelesen würden. Nichts wurde importiert. Bitte das "
        "Anführungszeichen in Zeile 5 schließen oder entfernen."
    )


def test_a_line_longer_than_the_field_limit_is_refused_without_blaming_a_quote():
    text = "Vorname;Nachname;Notizen\r\nAyşe;Doğan;" + "ğłßé" * 33000 + "\r\nRenée;Weiß;\r\n"
    with pytest.raises(ImportFileError) as caught:
        importer.read_table(text.encode(), "lang.csv")
    assert str(caught.value) == (
        "„lang.csv“, Zeile 2: Ein Feld hat mehr als 131.072 Zeichen – so lange Angaben hat keine Liste von "
        "Empfänger:innen. Nichts wurde importiert. Bitte prüfen, ob das die richtige Datei ist."
    )


def test_a_line_break_inside_an_excel_cell_is_kept(db_session):
    data = make_xlsx([["Vorname", "Nachname", "Anschrift"], ["Kim", "Weiß", "c/o Rathaus\nDr.-Külz-Ring 19"]])
    plan = importer.plan_import(db_session, importer.read_table(data, "e.xlsx"))
    assert plan.rows[0].values["street"] == "c/o Rathaus\nDr.-Külz-Ring 19"


def test_a_four_digit_postcode_of_another_city_is_a_faulty_row(db_session):
    text = "Vorname;Nachname;PLZ;Ort\nKim;Weiß;1067;Dresden\nJan;Berg;4021;Düsseldorf\n"
    rows = _by_line(importer.plan_import(db_session, importer.read_table(text.encode(), "plz.csv")))
    assert rows[2].status is RowStatus.NEW and rows[2].values["postcode"] == "01067"
    assert rows[3].status is RowStatus.INVALID
    assert rows[3].messages == [
        "PLZ: „4021“ hat nur vier Ziffern, und die PLZ „04021“ gibt es nicht. Bitte die PLZ prüfen."
    ]


def test_hostile_text_is_kept_as_plain_text(db_session):
    text = 'Vorname;Nachname;Notizen\n<script>alert(1)</script>;"Robert\'); DROP TABLE recipients;--";=HYPERLINK("x")\n'
    plan = importer.plan_import(db_session, importer.read_table(text.encode(), "boese.csv"))
    importer.run_import(db_session, plan)
    stored = db_session.scalar(select(Recipient))
    assert stored.first_name == "<script>alert(1)</script>" and stored.last_name.startswith("Robert')")


# ---- the import ----


def test_import_creates_the_new_rows_and_is_audited(db_session):
    user = make_user(db_session)
    plan = _plan(db_session, "semikolon_utf8_bom.csv")
    result = importer.run_import(db_session, plan, filename="/tmp/semikolon_utf8_bom.csv", user=user)
    assert (result.created, result.existing) == (5, 0)
    names = set(db_session.scalars(select(Recipient.last_name)))
    assert {"Doğan", "Gąsiorowski", "Weiß", "Muñoz"} <= names
    stored = db_session.scalar(select(Recipient).where(Recipient.last_name == "Doğan"))
    assert stored.email_canonical == "ayse.dogan@example.org" and stored.unterbezirk == "Köln"
    [event] = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "recipient.import"))
    assert event.user_id == user.id and event.object_type == "RecipientImport"
    assert event.details["filename"] == "semikolon_utf8_bom.csv" and event.details["created"] == 5


def test_running_the_same_import_twice_changes_nothing_the_second_time(db_session):
    first = importer.run_import(db_session, _plan(db_session, "semikolon_utf8_bom.csv"), list_name="Delegierte")
    assert (first.created, first.added_to_list, first.list_created) == (5, 5, True)
    events = db_session.scalar(select(func.count(AuditEvent.id)))
    second_plan = _plan(db_session, "semikolon_utf8_bom.csv")
    assert second_plan.counts[RowStatus.EXISTING] == 5
    second = importer.run_import(db_session, second_plan, list_name="delegierte")
    assert (second.created, second.existing, second.added_to_list, second.list_created) == (0, 5, 0, False)
    assert _count(db_session) == 5
    assert db_session.scalar(select(func.count(AuditEvent.id))) == events


def test_list_gets_new_and_already_existing_people(db_session):
    stored = make_recipient(
        db_session,
        first_name="Zofia",
        last_name="Łukasiewicz",
        email="zofia@example.org",
        email_canonical="zofia@example.org",
    )
    result = importer.run_import(db_session, _plan(db_session, "tab_englisch.tsv"), list_name="Delegierte LPT")
    assert (result.created, result.existing, result.added_to_list) == (1, 1, 2)
    recipient_list = db_session.scalar(select(RecipientList).where(RecipientList.name == "Delegierte LPT"))
    assert stored in recipient_list.recipients and len(recipient_list.recipients) == 2


def test_with_errors_nothing_is_imported_unless_invalid_rows_are_skipped(db_session):
    plan = _plan(db_session, "ungueltige_daten.csv")
    with pytest.raises(ServiceError, match="5 Zeile\\(n\\) sind fehlerhaft; nichts importiert"):
        importer.run_import(db_session, plan, list_name="Neu")
    assert _count(db_session) == 0
    assert db_session.scalar(select(func.count(RecipientList.id))) == 0
    result = importer.run_import(db_session, plan, skip_invalid=True)
    assert (result.created, result.skipped_invalid) == (2, 5)
    assert set(db_session.scalars(select(Recipient.last_name))) == {"Mustermann", "Huber"}


def test_report_lines_name_format_columns_counts_and_problems(db_session):
    lines = list(importer.report_lines(_plan(db_session, "kaputte_zeilen.csv")))
    assert lines[0] == "Datei: CSV, UTF-8, Trennzeichen Semikolon"
    assert "  Spalte „Vorname“ → Vorname" in lines
    assert "4 Datenzeilen · neu: 2 · bereits vorhanden: 0 · doppelt in der Datei: 0 · fehlerhaft: 2" in lines
    assert any(line.startswith("Zeile 3: 6 Felder statt 4") for line in lines)


def test_thousands_of_rows_import_in_one_go(db_session):
    rows = [f"Person;{number:05d};person{number}@example.org" for number in range(3000)]
    data = ("Vorname;Nachname;E-Mail\n" + "\n".join(rows)).encode()
    plan = importer.plan_import(db_session, importer.read_table(data, "viele.csv"))
    result = importer.run_import(db_session, plan, list_name="Alle")
    assert result.created == 3000 and result.added_to_list == 3000 and _count(db_session) == 3000


# ---- uploads between the web steps ----


SMALL_TABLE = importer.Table("CSV", ["Nachname"], [importer.Row(2, ["Muster"])])


def test_uploads_are_kept_under_random_names_and_deleted(tmp_path):
    token = importer.save_table(tmp_path, SMALL_TABLE, {"filename": "a.csv", "user_id": 1})
    assert len(token) == 32
    table, meta = importer.load_table(tmp_path, token)
    assert table == SMALL_TABLE and meta == {"filename": "a.csv", "user_id": 1}
    importer.update_upload_meta(tmp_path, token, {**meta, "mapping": {"0": "last_name"}})
    assert importer.mapping_from_meta(importer.load_table(tmp_path, token)[1]) == {0: "last_name"}
    importer.discard_upload(tmp_path, token)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ServiceError, match="gibt es nicht mehr"):
        importer.load_table(tmp_path, token)


@pytest.mark.parametrize("token", ["../../etc/passwd", "..%2F..%2Fsecret", "a" * 31, "a" * 32 + "/x", ""])
def test_upload_tokens_cannot_name_other_files(tmp_path, token):
    with pytest.raises(ServiceError, match="Unbekannter Import"):
        importer.load_table(tmp_path, token)


def test_abandoned_uploads_are_purged(tmp_path):
    old = importer.save_table(tmp_path, SMALL_TABLE, {})
    (tmp_path / "von-frueher.upload").write_bytes(b"x")  # a file kept whole by earlier versions
    day_ago = time.time() - importer.UPLOAD_MAX_AGE_SECONDS - 60
    for path in tmp_path.iterdir():
        os.utime(path, (day_ago, day_ago))
    fresh = importer.save_table(tmp_path, SMALL_TABLE, {})
    assert sorted(path.stem for path in tmp_path.iterdir()) == [fresh, fresh]
    assert old != fresh


def test_an_oversized_file_is_refused_with_its_size():
    with pytest.raises(ImportFileError, match=re.escape("„a.csv“ ist 5,1 MB groß; erlaubt sind höchstens 5 MB")):
        importer.read_table(b"x" * (importer.MAX_FILE_BYTES + 1), "a.csv")


def test_a_parsed_upload_is_kept_as_rows_and_planned_without_the_file(db_session, tmp_path):
    data = fixture_bytes("semikolon_utf8_bom.csv")
    table = importer.read_table(data, "semikolon_utf8_bom.csv")
    token = importer.save_table(tmp_path, table, {"filename": "semikolon_utf8_bom.csv", "user_id": 1})
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".json", ".table"]
    assert data not in b"".join(path.read_bytes() for path in tmp_path.iterdir())
    stored, meta = importer.load_table(tmp_path, token)
    assert stored == table and stored.description == "CSV, UTF-8 mit BOM, Trennzeichen Semikolon"
    assert meta == {"filename": "semikolon_utf8_bom.csv", "user_id": 1}
    plan = importer.plan_import(db_session, stored)
    assert [(row.line, row.status, row.name) for row in plan.rows] == [
        (row.line, row.status, row.name) for row in importer.plan_import(db_session, table).rows
    ]
    importer.discard_upload(tmp_path, token)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ServiceError, match="gibt es nicht mehr"):
        importer.load_table(tmp_path, token)


def test_a_damaged_stored_table_asks_for_a_new_upload(tmp_path):
    token = importer.save_table(tmp_path, importer.Table("CSV", ["Nachname"], []), {})
    (tmp_path / f"{token}.table").write_text('{"rows": 5}', encoding="utf-8")
    with pytest.raises(ServiceError, match="Bitte erneut hochladen"):
        importer.load_table(tmp_path, token)


def test_the_result_line_counts_one_faulty_row_in_the_singular(service_app):
    from campaign.services.recipients.importing.plan import RecipientImport

    with service_app.test_request_context():
        line = importer.result_line(RecipientImport("liste.csv", created=2, skipped_invalid=1))
    assert line.endswith("2 neu angelegt, 0 bereits vorhanden, 1 fehlerhafte Zeile übersprungen.")
