"""Importing a motion's text from .txt, .pdf and Antragsgrün JSON: good files, broken files, nothing half-saved."""

from __future__ import annotations

import codecs
import io
import json
from datetime import date
from pathlib import Path

import pytest
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
        ("antrag.docx", b"PK\x03\x04 word document", "Endung .txt, .pdf oder .json"),
        ("ohne-endung", b"Text", "Endung .txt, .pdf oder .json"),
        ("riesig.txt", b"a" * (MAX_IMPORT_BYTES + 1), "zu groß (5,0 MB)"),
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


def test_the_title_typed_in_wins_and_a_text_file_is_named_after_its_file(db_session):
    typed, _ = import_new_motion(db_session, "x.json", ANTRAGSGRUEN.read_bytes(), title="Mein Titel")
    named, _ = import_new_motion(db_session, "Leitantrag_NRW-2026.txt", CP1252.read_bytes())
    assert typed.title == "Mein Titel"
    assert named.title == "Leitantrag NRW 2026"


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
