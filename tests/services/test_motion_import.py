"""Importing a motion's text from .txt, .docx, .pdf and Antragsgrün JSON: good and broken files, nothing half-saved."""

from __future__ import annotations

import codecs
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from pypdf import PdfWriter
from sqlalchemy import func, select

from campaign.models import AuditEvent, Motion, MotionStatus
from campaign.services.common.errors import ServiceError
from campaign.services.evidence.motion_import.antragsgruen import motion_from_antragsgruen
from campaign.services.evidence.motion_import.imported import MAX_IMPORT_BYTES
from campaign.services.evidence.motion_import.pdf import text_from_pdf
from campaign.services.evidence.motion_import.uploads import import_into_motion, import_new_motion, read_motion_file
from campaign.services.evidence.numbering import number_lines, paragraphs
from campaign.services.evidence.provisions import ProvisionData, add_provision
from campaign.services.letters.pdf import render_pdf
from tests.factories import make_motion, make_user

DATA = Path(__file__).resolve().parents[1] / "data"
ANTRAGSGRUEN = DATA / "antragsgruen" / "motion-a1.json"
CP1252 = DATA / "motions" / "antrag-cp1252.txt"
CORRUPT_PDF = DATA / "motions" / "corrupt.pdf"

PARAGRAPHS = [
    "Zuständigkeit: Der Antrag sieht vor, Ausländerrecht, Rückkehrmanagement und Unterbringung im "
    "Innenministerium zu bündeln. Migrationspolitische Aufgaben würden damit organisatorisch beim "
    "Innenressort zusammengeführt.",
    "Abschiebungen: Im Falle einer Regierungsbeteiligung nach der Landtagswahl 2027 sollen Abschiebungen "
    "vollständig zur Aufgabe des Landes werden.",
    "Kurz.",
    "Begegnung mit Ayşe Doğan, Paweł Łukasiewicz und Hélène Müller-Straß – „Zusammenhalt“ statt Abschreckung.",
]


def pdf_of_paragraphs(texts: list[str]) -> bytes:
    body = "".join(f"<p>{text}</p>" for text in texts)
    return render_pdf(f"<!doctype html><html lang='de'><body><h1>Leitantrag</h1>{body}</body></html>")


def pdf_with_margin_line_numbers(text: str) -> bytes:
    """A PDF laid out like Antragsgrün's: a number before every line, space between paragraphs."""
    body = ""
    for line in number_lines(text):
        if line.starts_paragraph:
            body += "</p><p>"
        body += f"<span class='n'>{line.number}</span> {line.text}<br>"
    style = "p { margin: 0 0 1em 0; } .n { display: inline-block; width: 2.5em; color: #555; }"
    html = f"<html><head><style>{style}</style></head><body><p>{body}</p><p>Seite 1 von 1</p></body></html>"
    return render_pdf(html)


def antragsgruen(**changes) -> bytes:
    payload = json.loads(ANTRAGSGRUEN.read_text(encoding="utf-8"))
    payload.update(changes)
    return json.dumps(payload).encode()


# ---------------------------------------------------------------------------------------------------------------
# Text files
# ---------------------------------------------------------------------------------------------------------------


def test_windows_1252_text_with_crlf_is_decoded_and_normalised():
    imported = read_motion_file("Antrag.TXT", CP1252.read_bytes())
    assert imported.format == "txt"
    assert "\r" not in imported.text
    assert paragraphs(imported.text) == [
        "Antrag: Sichere Häfen für alle",
        "Die Stadt erklärt sich zum „Sicheren Hafen“ und stellt 250.000 € für die Aufnahme bereit. Maßnahmen für "
        "Geflüchtete – Wohnraum, Beratung, Sprachkurse – werden ausgebaut.",
        "Über die Umsetzung berichtet die Verwaltung jährlich.",
    ]


@pytest.mark.parametrize(
    "encoded",
    [
        "Übergänge für Flüchtlinge in Köln – Doğan, Łódź".encode(),
        codecs.BOM_UTF8 + "Übergänge für Flüchtlinge in Köln – Doğan, Łódź".encode(),
        "Übergänge für Flüchtlinge in Köln – Doğan, Łódź".encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16"],
)
def test_unicode_text_files_keep_every_letter(encoded):
    assert read_motion_file("a.txt", encoded).text == "Übergänge für Flüchtlinge in Köln – Doğan, Łódź"


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("leer.txt", b"", "Die Datei ist leer."),
        ("leer.txt", b"  \r\n\t\r\n ", "Die Datei ist leer."),
        ("bild.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "keinen lesbaren Text"),
        ("antrag.odt", b"PK\x03\x04 open document", "Endung .txt, .docx, .pdf oder .json"),
        ("ohne-endung", b"Text", "Endung .txt, .docx, .pdf oder .json"),
        ("riesig.txt", b"a" * (MAX_IMPORT_BYTES + 1), "zu groß (5,1 MB)"),
    ],
)
def test_bad_text_files_get_a_clear_message(filename, data, message):
    with pytest.raises(ServiceError, match=message.replace(".", r"\.").replace("(", r"\(").replace(")", r"\)")):
        read_motion_file(filename, data)


def test_a_text_file_of_control_characters_is_refused():
    with pytest.raises(ServiceError, match="keinen lesbaren Text"):
        read_motion_file("steuerzeichen.txt", bytes(range(1, 9)) * 20)


# ---------------------------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------------------------


def test_pdf_text_is_extracted_with_its_paragraphs():
    imported = read_motion_file("antrag.pdf", pdf_of_paragraphs(PARAGRAPHS))
    assert imported.format == "pdf"
    assert paragraphs(imported.text) == ["Leitantrag", *PARAGRAPHS]


def test_margin_line_numbers_and_page_numbers_are_removed_from_pdf_text():
    text = "\n\n".join(PARAGRAPHS)
    assert paragraphs(text_from_pdf(pdf_with_margin_line_numbers(text))) == PARAGRAPHS


def test_words_hyphenated_at_a_line_end_are_joined_but_real_hyphens_stay():
    lines = [
        "Die Unterbringung in zentralen Einrichtungen des Landes soll massiv ausgebaut werden, in Landes-",
        "einrichtungen mit mindestens 70.000 Plätzen. Die Kommunen werden dabei zuerst angehört, die Ein-",
        "und Ausreise bleibt wie bisher geregelt, und die Kommunen werden finanziell stärker unterstützt.",
    ]
    html = f"<html><body><p style='font-size: 9pt'>{'<br>'.join(lines)}</p></body></html>"
    text = text_from_pdf(render_pdf(html))
    assert paragraphs(text) == [
        "Die Unterbringung in zentralen Einrichtungen des Landes soll massiv ausgebaut werden, in "
        "Landeseinrichtungen mit mindestens 70.000 Plätzen. Die Kommunen werden dabei zuerst angehört, die Ein- "
        "und Ausreise bleibt wie bisher geregelt, und die Kommunen werden finanziell stärker unterstützt."
    ]


def test_a_corrupt_pdf_gets_a_clear_message():
    with pytest.raises(ServiceError, match="beschädigt") as caught:
        read_motion_file("kaputt.pdf", CORRUPT_PDF.read_bytes())
    assert caught.value.field == "file"


def test_a_truncated_pdf_gets_a_clear_message():
    data = pdf_of_paragraphs(PARAGRAPHS)
    with pytest.raises(ServiceError, match="beschädigt"):
        read_motion_file("abgeschnitten.pdf", data[: len(data) // 2])


def test_a_pdf_without_text_is_refused_with_a_hint_to_use_a_text_file():
    blank = render_pdf("<!doctype html><html><body></body></html>")
    with pytest.raises(ServiceError, match="keinen auslesbaren Text"):
        read_motion_file("scan.pdf", blank)


def test_a_file_called_pdf_that_is_no_pdf_is_refused():
    with pytest.raises(ServiceError, match="keine PDF-Datei"):
        read_motion_file("antrag.pdf", b"Das ist eigentlich eine Textdatei.")


def test_password_protected_pdfs_are_refused_but_owner_only_protection_is_fine():
    locked = PdfWriter(clone_from=io.BytesIO(pdf_of_paragraphs(["Geheimer Antrag."])))
    locked.encrypt("geheim")
    buffer = io.BytesIO()
    locked.write(buffer)
    with pytest.raises(ServiceError, match="Passwort"):
        read_motion_file("geschuetzt.pdf", buffer.getvalue())

    restricted = PdfWriter(clone_from=io.BytesIO(pdf_of_paragraphs(["Offener Antrag."])))
    restricted.encrypt(user_password="", owner_password="nur-fuer-rechte")
    buffer = io.BytesIO()
    restricted.write(buffer)
    assert "Offener Antrag." in read_motion_file("rechte.pdf", buffer.getvalue()).text


# ---------------------------------------------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------------------------------------------


def docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def tracked_change(paragraph, kind: str, text: str) -> None:
    """Append a run inserted (w:ins) or deleted (w:del) in Word's track-changes mode."""
    change = OxmlElement(f"w:{kind}")
    change.set(qn("w:id"), "1")
    change.set(qn("w:author"), "Ayşe")
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t" if kind == "ins" else "w:delText")
    run_text.text = text
    run_text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(run_text)
    change.append(run)
    paragraph._p.append(change)


def test_a_word_document_keeps_its_paragraphs_lists_tables_and_every_letter():
    document = docx.Document()
    document.add_paragraph("Leitantrag: Ankommen in NRW", style="Title")
    document.add_paragraph("Der Landesparteitag möge beschließen:")
    formatted = document.add_paragraph("Die Unterbringung in Landeseinrichtungen soll ")
    formatted.add_run("auf höchstens drei Monate").bold = True
    formatted.add_run(" begrenzt werden.")
    document.add_paragraph("")
    document.add_paragraph("Sprachkurse ab dem ersten Tag", style="List Bullet")
    document.add_paragraph("Erste Forderung", style="List Number")
    document.add_paragraph("Zweite Forderung", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Ayşe Doğan"
    table.cell(0, 1).text = "Łódź, Hélène Müller-Straß"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Gemeinsam"
    broken = document.add_paragraph("Zeile eins")
    broken.add_run().add_break()
    broken.add_run("Zeile zwei")

    imported = read_motion_file("Antrag.DOCX", docx_bytes(document))
    assert imported.format == "docx"
    assert imported.title == "Leitantrag: Ankommen in NRW"
    assert paragraphs(imported.text) == [
        "Leitantrag: Ankommen in NRW",
        "Der Landesparteitag möge beschließen:",
        "Die Unterbringung in Landeseinrichtungen soll auf höchstens drei Monate begrenzt werden.",
        "– Sprachkurse ab dem ersten Tag",
        "1. Erste Forderung",
        "2. Zweite Forderung",
        "Ayşe Doğan",
        "Łódź, Hélène Müller-Straß",
        "Gemeinsam",
        "Zeile eins Zeile zwei",
    ]


def test_word_lists_keep_their_numbers_on_every_level():
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="4"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1.%3"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in [(0, "Wohnen"), (1, "Mieten"), (1, "Neubau"), (2, "Sozialquote"), (0, "Arbeit"), (1, "Löhne")]:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    text = read_motion_file("liste.docx", docx_bytes(document)).text
    assert paragraphs(text) == ["1. Wohnen", "a) Mieten", "b) Neubau", "1.IV Sozialquote", "2. Arbeit", "a) Löhne"]


def test_word_track_changes_count_as_accepted():
    document = docx.Document()
    paragraph = document.add_paragraph("Die Kommunen erhalten ")
    tracked_change(paragraph, "del", "eine einmalige ")
    tracked_change(paragraph, "ins", "eine dauerhafte ")
    paragraph.add_run("Pauschale.")
    assert read_motion_file("a.docx", docx_bytes(document)).text == "Die Kommunen erhalten eine dauerhafte Pauschale."


def test_a_word_title_comes_from_the_first_line_or_the_properties_else_from_the_file_name(db_session):
    first_line = docx.Document()
    first_line.add_paragraph("Antrag A7: Radverkehr stärken")
    first_line.add_paragraph("Der Rat möge beschließen, mehr Radwege zu bauen.")
    assert read_motion_file("a.docx", docx_bytes(first_line)).title == "Antrag A7: Radverkehr stärken"

    properties = docx.Document()
    properties.core_properties.title = "Antrag zur Wohnungslosenhilfe"
    properties.add_paragraph("Der Rat möge beschließen, Wohnungslosen zu helfen.")
    assert read_motion_file("a.docx", docx_bytes(properties)).title == "Antrag zur Wohnungslosenhilfe"

    untitled = docx.Document()
    untitled.core_properties.title = ""
    untitled.add_paragraph("Der Rat möge beschließen, Wohnungslosen zu helfen.")
    motion, imported = import_new_motion(db_session, "Antrag_Wohnen-2026.docx", docx_bytes(untitled))
    assert imported.title == "" and motion.title == "Antrag Wohnen 2026"
    assert motion.full_text == "Der Rat möge beschließen, Wohnungslosen zu helfen."


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _empty_word_document() -> bytes:
    document = docx.Document()
    document.add_paragraph("   ")
    return docx_bytes(document)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 word document", "kein gültiges Word-Dokument (.docx)"),
        (b"Eigentlich eine Textdatei.", "kein gültiges Word-Dokument (.docx)"),
        (_zip({"xl/workbook.xml": b"<workbook/>", "[Content_Types].xml": b"<Types/>"}), "kein gültiges Word-Dokument"),
        (_zip({"word/document.xml": b"<kaputt", "[Content_Types].xml": b"<Types/>"}), "kein gültiges Word-Dokument"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "alten Format (.doc) oder mit einem Passwort"),
        (_empty_word_document(), "enthält keinen Text"),
    ],
    ids=["fake", "text", "spreadsheet", "broken-xml", "doc-or-encrypted", "empty"],
)
def test_bad_word_files_get_a_clear_message(data, message):
    with pytest.raises(ServiceError, match=re.escape(message)) as caught:
        read_motion_file("antrag.docx", data)
    assert caught.value.field == "file"


def test_a_truncated_word_file_gets_a_clear_message():
    document = docx.Document()
    document.add_paragraph("Ein Antrag.")
    data = docx_bytes(document)
    with pytest.raises(ServiceError, match="kein gültiges Word-Dokument"):
        read_motion_file("abgeschnitten.docx", data[: len(data) // 2])


# ---------------------------------------------------------------------------------------------------------------
# Antragsgrün
# ---------------------------------------------------------------------------------------------------------------


def test_antragsgruen_export_gives_text_title_date_and_status():
    imported = read_motion_file("a1.json", ANTRAGSGRUEN.read_bytes())
    assert imported.format == "antragsgruen"
    assert imported.title == "A1: Ankommen in den Kommunen stärken"
    assert imported.presented_on == date(2026, 2, 14)
    assert imported.status is MotionStatus.PRESENTED
    assert imported.body == "Kreisverband Köln-Süd (Beschluss vom 10.02.2026)"
    assert imported.source_url.startswith("https://antraege.example.org/")
    assert paragraphs(imported.text) == [
        # Antragsgrün broke the line after "Nordrhein-": its wrap disappears, the hyphen stays.
        "Der Landesparteitag möge beschließen: Die Landesregierung wird aufgefordert, die Aufnahme geflüchteter "
        "Menschen in den Städten und Gemeinden von Nordrhein-Westfalen dezentral und kommunal getragen zu "
        "organisieren.",
        "Die Unterbringung in Landeseinrichtungen soll auf höchstens drei Monate begrenzt werden. Familien mit "
        "Kindern werden spätestens nach sechs Wochen einer Kommune zugewiesen.",
        "Zusätzlich setzt sich das Land ein für:",
        "– Sprachkurse ab dem ersten Tag,",
        "– schnellere Anerkennung ausländischer Berufsabschlüsse,",
        "– unabhängige Asylverfahrensberatung in allen Landeseinrichtungen.",
        "Die Kommunen erhalten dafür eine dauerhafte Pauschale von 15.000 € je Person und Jahr & eine "
        "verlässliche Erstattung der Gesundheitskosten.",
    ]
    # The justification has no line numbers in Antragsgrün and is not part of the numbered text.
    assert "Großunterkünfte" not in imported.text
    # Our numbering counts the same twelve lines as Antragsgrün here, so there is nothing to point out.
    assert len(number_lines(imported.text)) == 12 and imported.notes == ()


def test_antragsgruen_title_falls_back_to_prefix_and_title():
    imported = motion_from_antragsgruen(antragsgruen(title_with_prefix=None, prefix="A7", status_title="Angenommen"))
    assert imported.title == "A7: Ankommen in den Kommunen stärken"
    assert imported.status is MotionStatus.ADOPTED


def test_antragsgruen_export_without_line_numbers_uses_all_text_sections():
    payload = json.loads(ANTRAGSGRUEN.read_text(encoding="utf-8"))
    payload["sections"] = [
        {"type": "TextSimple", "title": "Antragstext", "html": "<p>Erster Absatz.</p><p>Zweiter<br>Absatz.</p>"},
        {"type": "TextSimple", "title": "Begründung", "html": "<p>Weil es richtig ist.</p>"},
        {"type": "Image", "title": "Bild", "html": "<img src='x.png'>"},
    ]
    imported = motion_from_antragsgruen(json.dumps(payload).encode())
    assert paragraphs(imported.text) == [
        "Antragstext",
        "Erster Absatz.",
        "Zweiter",
        "Absatz.",
        "Begründung",
        "Weil es richtig ist.",
    ]


def test_antragsgruen_numbering_that_differs_from_ours_is_pointed_out():
    payload = json.loads(ANTRAGSGRUEN.read_text(encoding="utf-8"))
    html = payload["sections"][1]["html"]
    for number in range(12, 0, -1):
        html = html.replace(f'data-line-number="{number}"', f'data-line-number="{number + 100}"')
    payload["sections"][1]["html"] = html.replace(
        "</ul>", "<li><span class='lineNumber' data-line-number='140'></span>X</li></ul>"
    )
    notes = motion_from_antragsgruen(json.dumps(payload).encode()).notes
    assert any("beginnt die Zeilenzählung dieses Antrags bei Zeile 101" in note for note in notes)
    assert any("Antragsgrün zählt 40 Zeilen, hier sind es 13" in note for note in notes)


def test_hostile_html_in_an_antragsgruen_export_ends_up_as_plain_text():
    payload = json.loads(ANTRAGSGRUEN.read_text(encoding="utf-8"))
    payload["sections"][1]["html"] = (
        "<p><span class='lineNumber' data-line-number='1'></span>Sicher <script>alert(1)</script>"
        "<b onclick='x()'>fett</b> &lt;img src=x onerror=alert(1)&gt;</p>"
    )
    imported = motion_from_antragsgruen(json.dumps(payload).encode())
    assert imported.text == "Sicher fett <img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"type": "motion", "sections": [', "kein gültiges JSON (Zeile 1, Spalte 33"),
        (b"[1, 2, 3]", "enthält keinen Antrag"),
        (b'"motion"', "enthält keinen Antrag"),
        (b'{"type": "amendment", "sections": []}', "sondern „amendment“"),
        (b'{"type": "motion", "title": "Ohne Abschnitte"}', "fehlen die Abschnitte"),
        (b'{"type": "motion", "sections": {"html": "<p>x</p>"}}', "fehlen die Abschnitte"),
        (
            b'{"type": "motion", "sections": [{"type": "Title", "html": "Titel"}, '
            b'{"type": "TextSimple", "html": " "}]}',
            "keinen Antragstext",
        ),
        (b'{"type": "motion", "sections": [{"type": "TextSimple", "html": "<p> </p><br>"}]}', "keinen Antragstext"),
        (b"", "Die Datei ist leer."),
    ],
    ids=[
        "broken",
        "array",
        "string",
        "amendment",
        "no-sections",
        "sections-not-list",
        "no-text",
        "empty-text",
        "empty",
    ],
)
def test_wrong_json_gets_a_clear_message(data, message):
    with pytest.raises(ServiceError, match=message.replace("(", r"\(")) as caught:
        read_motion_file("export.json", data)
    assert caught.value.field == "file"


# ---------------------------------------------------------------------------------------------------------------
# Saving: all or nothing
# ---------------------------------------------------------------------------------------------------------------


def test_import_creates_a_motion_with_an_audit_entry(db_session):
    user = make_user(db_session)
    motion, imported = import_new_motion(db_session, "a1.json", ANTRAGSGRUEN.read_bytes(), user=user)
    assert motion.title == "A1: Ankommen in den Kommunen stärken"
    assert motion.slug == "a1-ankommen-in-den-kommunen-staerken"
    assert motion.presented_on == date(2026, 2, 14) and motion.full_text == imported.text
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "motion.create"))
    assert event.user_id == user.id and event.details["imported_from"] == "antragsgruen"
    assert event.details["filename"] == "a1.json"


def test_the_title_typed_in_wins_then_the_files_own_then_the_file_name(db_session):
    typed, _ = import_new_motion(db_session, "x.json", ANTRAGSGRUEN.read_bytes(), title="Mein Titel")
    from_first_line, _ = import_new_motion(db_session, "Leitantrag_NRW-2026.txt", CP1252.read_bytes())
    named, _ = import_new_motion(db_session, "Leitantrag_NRW-2026.txt", "Nur ein Satz ohne Überschrift.".encode())
    assert typed.title == "Mein Titel"
    assert from_first_line.title == "Antrag: Sichere Häfen für alle"
    assert named.title == "Leitantrag NRW 2026"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Antrag A7: Radverkehr stärken\n\nDer Rat möge beschließen …", "Antrag A7: Radverkehr stärken"),
        ("# Ankommen in Köln – für Ayşe, Łukasz und Zoë!\n\nText.", "Ankommen in Köln – für Ayşe, Łukasz und Zoë!"),
        ("Der Parteitag möge beschließen:\n\nDie Kommunen …", ""),
        ("Die Kommunen werden entlastet.\n\nMehr Text.", ""),
        ("Ein Absatz, der umbricht\nund weitergeht\n\nMehr Text.", ""),
        ("Nur eine Zeile ohne weiteren Text", ""),
        ("2026\n\nText.", ""),
        ("Sehr lang " * 30 + "\n\nText.", ""),
    ],
    ids=["title", "markdown-unicode", "introduction", "sentence", "wrapped", "alone", "number", "too-long"],
)
def test_a_text_files_title_is_its_first_line_when_that_reads_as_one(text, title):
    imported = read_motion_file("antrag.txt", text.encode())
    assert imported.title == title
    # The text itself stays as it was, title line included.
    assert imported.text.startswith(text.split("\n")[0].strip())


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("leer.txt", b""),
        ("kaputt.pdf", CORRUPT_PDF.read_bytes()),
        ("falsch.json", b'{"type": "motion"'),
    ],
)
def test_a_failed_import_saves_nothing(db_session, filename, data):
    motion = make_motion(db_session, full_text="Alter Text bleibt.")
    before = db_session.scalar(select(func.count(Motion.id)))
    with pytest.raises(ServiceError):
        import_new_motion(db_session, filename, data)
    with pytest.raises(ServiceError):
        import_into_motion(db_session, motion, filename, data)
    assert db_session.scalar(select(func.count(Motion.id))) == before
    assert motion.full_text == "Alter Text bleibt."
    assert db_session.scalar(select(func.count(AuditEvent.id))) == 0


def test_importing_into_an_existing_motion_replaces_only_its_text_and_moves_provisions(db_session):
    user = make_user(db_session)
    old_text = "Einleitung.\n\nDie Kommunen erhalten dafür eine dauerhafte Pauschale von 15.000 €"
    motion = make_motion(db_session, party="SPD", full_text=old_text)
    provision = add_provision(db_session, motion, ProvisionData(title="Pauschale", line_from=2, line_to=2))
    reanchoring, imported = import_into_motion(db_session, motion, "a1.json", ANTRAGSGRUEN.read_bytes(), user=user)
    assert motion.full_text == imported.text and motion.party == "SPD" and motion.title.startswith("Antrag ")
    # The passage now sits in line 11 of the imported text; the provision moved there.
    assert reanchoring.moved == [provision] and (provision.line_from, provision.line_to) == (11, 11)
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "motion.import"))
    assert event.object_id == motion.id and event.details["moved_provisions"] == [provision.id]
