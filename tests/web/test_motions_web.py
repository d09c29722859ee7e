"""The organiser's motion pages: list, forms, imports, provisions, amendment drafts, and who may do what."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from campaign.db import db
from campaign.models import AuditEvent, Motion, Provision, Role
from campaign.services.evidence.motion_import.imported import MAX_IMPORT_BYTES
from campaign.services.evidence.numbering import number_lines, passage_text
from campaign.services.letters.pdf import render_pdf
from tests.web.factories import make_demo_motion

DATA = Path(__file__).resolve().parents[1] / "data"
ANTRAGSGRUEN = DATA / "antragsgruen" / "motion-a1.json"
CP1252 = DATA / "motions" / "antrag-cp1252.txt"
CORRUPT_PDF = DATA / "motions" / "corrupt.pdf"


@pytest.fixture
def ids(app):
    """The demo's motion (alone, not the whole demo); returns the ids of the motion and its first two provisions."""
    with app.app_context():
        motion = make_demo_motion(db.session)
        db.session.commit()
        return {"motion": motion.id, "provision": motion.provisions[0].id, "second": motion.provisions[1].id}


def page(response) -> str:
    return response.get_data(as_text=True)


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<small id="{field}-error" class="field-error">([^<]*)</small>', html)
    return match[1] if match else ""


def upload(name: str, data: bytes, **fields: str) -> dict:
    """Keyword arguments for client.post with a multipart body built in memory.

    (The test client would spool bodies over 500 KB to a temporary file that it never closes.)
    """
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename=name), **fields})
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def motion_text(app, motion_id: int) -> str:
    with app.app_context():
        return db.session.get(Motion, motion_id).full_text


# ---------------------------------------------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------------------------------------------

WRITE_POSTS = [
    ("/organise/motions/new", {"title": "Neu"}),
    ("/organise/motions/{motion}/edit", {"title": "Geändert"}),
    ("/organise/motions/{motion}/archive", {}),
    ("/organise/motions/{motion}/unarchive", {}),
    ("/organise/motions/import", "upload"),
    ("/organise/motions/{motion}/import", "upload"),
    ("/organise/motions/{motion}/provisions", {"title": "Neu", "line_from": "1", "line_to": "2", "stance": "oppose"}),
    ("/organise/motions/{motion}/provisions/{provision}/edit", {"title": "X", "stance": "oppose"}),
    ("/organise/motions/{motion}/provisions/{provision}/delete", {}),
    ("/organise/motions/{motion}/provisions/{second}/move", {"direction": "up"}),
    ("/organise/motions/{motion}/provisions/{provision}/amendment", {"mode": "delete", "text": ""}),
    ("/organise/motions/{motion}/provisions/{provision}/amendment/delete", {}),
]


@pytest.mark.parametrize(("pattern", "data"), WRITE_POSTS, ids=[pattern for pattern, _ in WRITE_POSTS])
def test_coordinators_get_403_on_every_write_post_and_nothing_changes(app, client, ids, pattern, data, login):
    login(Role.COORDINATOR)
    request = upload("antrag.txt", b"Neuer Text") if data == "upload" else {"data": data}
    before = (count(app, Motion), count(app, Provision), count(app, AuditEvent), motion_text(app, ids["motion"]))
    response = client.post(pattern.format(**ids), **request)
    assert response.status_code == 403
    after = (count(app, Motion), count(app, Provision), count(app, AuditEvent), motion_text(app, ids["motion"]))
    assert after == before


@pytest.mark.parametrize(
    "pattern", ["/organise/motions", "/organise/motions?archived=all", "/organise/motions/{motion}"]
)
def test_coordinators_read_motion_pages_without_write_controls(app, client, ids, pattern, login):
    login(Role.COORDINATOR)
    response = client.get(pattern.format(**ids))
    assert response.status_code == 200
    html = page(response)
    assert "NRW, jetzt erst gerecht" in html
    assert "Kernpunkt hinzufügen" not in html and "Archivieren" not in html and "Neuer Antrag" not in html


@pytest.mark.parametrize(
    "pattern",
    [
        "/organise/motions/new",
        "/organise/motions/import",
        "/organise/motions/{motion}/edit",
        "/organise/motions/{motion}/provisions/{provision}/edit",
    ],
)
def test_coordinators_cannot_open_the_edit_forms(app, client, ids, pattern, login):
    login(Role.COORDINATOR)
    assert client.get(pattern.format(**ids)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, ids):
    response = client.get("/organise/motions")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.post(f"/organise/motions/{ids['motion']}/archive").status_code == 302


def test_forms_need_a_csrf_token_when_protection_is_on(protected):
    app, client = protected.app, protected.client
    response = client.post("/organise/motions/new", data={"title": "Ohne Token"})
    assert response.status_code == 400
    assert count(app, Motion) == 0
    token = protected.token("/organise/motions/new")
    assert client.post("/organise/motions/new", data={"title": "Mit Token", "csrf_token": token}).status_code == 302


# ---------------------------------------------------------------------------------------------------------------
# The demo motion
# ---------------------------------------------------------------------------------------------------------------


def test_the_demo_motion_shows_its_numbered_text_and_every_provision_linked_to_its_lines(app, client, ids, organiser):
    html = page(client.get(f"/organise/motions/{ids['motion']}"))
    with app.app_context():
        motion = db.session.get(Motion, ids["motion"])
        lines = number_lines(motion.full_text)
        for line in lines:
            assert f'id="zeile-{line.number}"' in html
        for provision in motion.provisions:
            assert provision.line_from and provision.line_to
            assert f'href="#zeile-{provision.line_from}"' in html
            assert f'id="provision-{provision.id}"' in html
            first_quoted = lines[provision.line_from - 1].text
            assert f'<li value="{provision.line_from}">{first_quoted}</li>' in html
    assert "data-numbered-text" in html and "js/motions.js" in html


def test_the_list_filters_archived_motions(app, client, ids, organiser):
    motion = ids["motion"]
    assert "NRW, jetzt erst gerecht" in page(client.get("/organise/motions"))
    assert client.post(f"/organise/motions/{motion}/archive").status_code == 302
    assert "NRW, jetzt erst gerecht" not in page(client.get("/organise/motions"))
    assert "NRW, jetzt erst gerecht" in page(client.get("/organise/motions?archived=1"))
    assert "NRW, jetzt erst gerecht" in page(client.get("/organise/motions?archived=all"))
    assert "archiviert" in page(client.get(f"/organise/motions/{motion}"))
    # Archiving twice is refused with a message, not an error page.
    response = client.post(f"/organise/motions/{motion}/archive", follow_redirects=True)
    assert "bereits archiviert" in page(response)
    client.post(f"/organise/motions/{motion}/unarchive")
    assert "NRW, jetzt erst gerecht" in page(client.get("/organise/motions"))
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "Motion")).all()
        assert actions.count("motion.archive") == 1 and actions.count("motion.unarchive") == 1


# ---------------------------------------------------------------------------------------------------------------
# Creating and editing motions
# ---------------------------------------------------------------------------------------------------------------


def test_an_organiser_creates_a_motion_and_sees_its_numbered_text(app, client, organiser):
    response = client.post(
        "/organise/motions/new",
        data={
            "title": "Sichere Häfen für Köln",
            "kind": "antrag",
            "status": "presented",
            "party": "Grüne Köln",
            "presented_on": "2026-02-01",
            "decision_date": "2026-03-01",
            "source_url": "https://example.org/antrag",
            "full_text": "Erster Absatz.\r\n\r\nZweiter Absatz mit Ğ, ł, ß und é.",
        },
    )
    assert response.status_code == 302
    html = page(client.get(response.headers["Location"]))
    assert "Sichere Häfen für Köln" in html
    assert (
        '<li value="2" id="zeile-2" data-line="2" class="paragraph-start">Zweiter Absatz mit Ğ, ł, ß und é.</li>'
        in html
    )
    with app.app_context():
        motion = db.session.scalar(select(Motion))
        assert motion.slug == "sichere-haefen-fuer-koeln"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "motion.create"))
        assert event.user_id == organiser.id


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "Bitte einen Titel angeben."),
        ({"title": "x" * 301}, "title", "Höchstens 300 Zeichen."),
        ({"title": "A", "slug": "Mit Leerzeichen"}, "slug", "Nur Kleinbuchstaben"),
        ({"title": "A", "source_url": "javascript:alert(1)"}, "source_url", "https://"),
        ({"title": "A", "presented_on": "31.02.2026"}, "presented_on", "Datum"),
        ({"title": "A", "presented_on": "2026-03-01", "decision_date": "2026-02-01"}, "decision_date", "vor dem Datum"),
        ({"title": "A", "kind": "pamphlet"}, "kind", "gültige"),
    ],
)
def test_bad_motion_input_is_shown_next_to_its_field_and_nothing_is_saved(app, client, organiser, data, field, message):
    response = client.post("/organise/motions/new", data={"kind": "antrag", "status": "presented", **data})
    assert response.status_code == 400
    html = page(response)
    assert message in field_error(html, field)
    assert re.search(rf'aria-invalid="true"[^>]*id="{field}"|id="{field}"[^>]*aria-invalid="true"', html)
    assert count(app, Motion) == 0


def test_the_motions_mistakes_are_named_together(app, client, organiser):
    data = {"title": "Łódź ß", "kind": "antrag", "status": "presented", "presented_on": "2026-03-01",
            "decision_date": "2026-02-01", "source_url": "ftp://x", "slug": "Mit Leerzeichen"}  # fmt: skip
    html = page(client.post("/organise/motions/new", data=data))
    assert "vor dem Datum" in field_error(html, "decision_date") and "https://" in field_error(html, "source_url")
    assert "Kleinbuchstaben" in field_error(html, "slug") and count(app, Motion) == 0
    # A date the form cannot read and a mistake only the service finds: both in the same answer.
    data = {"title": "Łódź ß", "kind": "antrag", "status": "presented", "presented_on": "31.02.2026",
            "source_url": "ftp://x"}  # fmt: skip
    html = page(client.post("/organise/motions/new", data=data))
    assert "Datum" in field_error(html, "presented_on") and "https://" in field_error(html, "source_url")


def test_editing_the_text_moves_provisions_and_says_so(app, client, ids, organiser):
    motion_id = ids["motion"]
    form = page(client.get(f"/organise/motions/{motion_id}/edit"))
    assert 'value="NRW, jetzt erst gerecht"' in form
    with app.app_context():
        motion = db.session.get(Motion, motion_id)
        data = {
            "title": motion.title,
            "slug": motion.slug,
            "kind": motion.kind.value,
            "status": motion.status.value,
            "party": motion.party,
            "body": motion.body,
            "presented_on": motion.presented_on.isoformat(),
            "decision_forum": motion.decision_forum,
            "full_text": "Neuer erster Absatz.\n\n" + motion.full_text,
        }
        before = {p.id: p.line_from for p in motion.provisions}
    response = client.post(f"/organise/motions/{motion_id}/edit", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "Kernpunkte sind mit ihrer Passage auf neue Zeilen gewandert" in page(response)
    with app.app_context():
        for provision in db.session.get(Motion, motion_id).provisions:
            assert provision.line_from == before[provision.id] + 1


def test_a_taken_slug_is_refused_on_edit(app, client, ids, organiser):
    client.post("/organise/motions/new", data={"title": "Anderer Antrag", "kind": "antrag", "status": "presented"})
    response = client.post(
        f"/organise/motions/{ids['motion']}/edit",
        data={"title": "NRW", "slug": "anderer-antrag", "kind": "antrag", "status": "presented"},
    )
    assert response.status_code == 400
    assert "schon vergeben" in field_error(page(response), "slug")


def test_unknown_motions_and_provisions_are_404(client, ids, organiser):
    assert client.get("/organise/motions/9999").status_code == 404
    assert client.get("/organise/motions/9999/edit").status_code == 404
    # A provision addressed through another motion's URL does not exist there.
    assert client.get(f"/organise/motions/9999/provisions/{ids['provision']}/edit").status_code == 404


# ---------------------------------------------------------------------------------------------------------------
# Imports
# ---------------------------------------------------------------------------------------------------------------


def test_import_a_windows_1252_text_file(app, client, organiser):
    response = client.post("/organise/motions/import", **upload("Sichere_Häfen.txt", CP1252.read_bytes()))
    assert response.status_code == 302
    html = page(client.get(response.headers["Location"]))
    assert "„Sicheren Hafen“" in html and "250.000 €" in html and "Maßnahmen für Geflüchtete" in html


def test_import_an_antragsgruen_export_takes_over_title_and_date(app, client, organiser):
    response = client.post(
        "/organise/motions/import", **upload("a1.json", ANTRAGSGRUEN.read_bytes()), follow_redirects=True
    )
    html = page(response)
    assert "<h1>A1: Ankommen in den Kommunen stärken</h1>" in html
    assert "vorgelegt am 14.02.2026" in html
    assert "Antragsgrün-Export" in html


def test_import_a_pdf(app, client, organiser):
    pdf = render_pdf("<html><body><p>Die Kommunen sollen finanziell stärker unterstützt werden.</p></body></html>")
    response = client.post(
        "/organise/motions/import", **upload("antrag.pdf", pdf, title="Aus dem PDF"), follow_redirects=True
    )
    html = page(response)
    assert "<h1>Aus dem PDF</h1>" in html
    assert "Die Kommunen sollen finanziell stärker unterstützt werden." in html


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("leer.txt", b"", "Die Datei ist leer."),
        ("kaputt.pdf", CORRUPT_PDF.read_bytes(), "beschädigt"),
        ("falsch.json", b'{"type": "motion", "sections": [', "kein gültiges JSON"),
        ("aenderung.json", b'{"type": "amendment", "sections": []}', "sondern „amendment“"),
        ("antrag.odt", b"PK\x03\x04", "Word-Dokument (.docx), PDF (.pdf), Antragsgrün-Export (.json)"),
        ("gross.txt", b"a" * (MAX_IMPORT_BYTES + 10), "zu groß"),
    ],
)
def test_bad_uploads_get_a_message_next_to_the_file_field_and_save_nothing(
    app, client, ids, organiser, name, data, message
):
    response = client.post("/organise/motions/import", **upload(name, data))
    assert response.status_code == 400
    assert message in field_error(page(response), "file")
    assert count(app, Motion) == 1

    old = motion_text(app, ids["motion"])
    response = client.post(f"/organise/motions/{ids['motion']}/import", **upload(name, data))
    assert response.status_code == 400
    assert message in field_error(page(response), "file")
    assert motion_text(app, ids["motion"]) == old


def test_the_import_forms_offer_every_format_the_import_reads(client, ids, organiser):
    formats = "Textdatei (.txt), Word-Dokument (.docx), PDF (.pdf), Antragsgrün-Export (.json)"
    for url in ("/organise/motions/import", f"/organise/motions/{ids['motion']}/edit"):
        html = page(client.get(url))
        assert 'accept=".txt,.docx,.pdf,.json"' in html
        assert f"{formats}; höchstens 5 MB." in html
    new_motion = page(client.get("/organise/motions/new"))
    assert f"Stattdessen aus einer Datei importieren ({formats})" in new_motion
    assert "(.txt, .pdf, Antragsgrün)" not in new_motion


def test_an_oversized_file_is_refused_with_its_real_size(app, client, organiser):
    response = client.post("/organise/motions/import", **upload("gross.txt", b"a" * (9 * 1024 * 1024)))
    assert response.status_code == 400
    assert "Die Datei ist zu groß (9,0 MB); erlaubt sind höchstens 5 MB." in field_error(page(response), "file")
    assert count(app, Motion) == 0


def test_an_upload_without_a_file_is_refused(client, organiser):
    response = client.post("/organise/motions/import", data={"title": "Ohne Datei"})
    assert response.status_code == 400
    assert "Bitte eine Datei auswählen." in field_error(page(response), "file")


def test_a_request_above_the_servers_limit_is_refused_with_413(app, client, organiser):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/organise/motions/import", **upload("riesig.txt", b"a" * 4096))
    assert response.status_code == 413
    assert "zu groß" in page(response)


def test_replacing_the_text_of_a_motion_from_a_file(app, client, ids, organiser):
    response = client.post(
        f"/organise/motions/{ids['motion']}/import",
        **upload("a1.json", ANTRAGSGRUEN.read_bytes()),
        follow_redirects=True,
    )
    html = page(response)
    assert "Der Antragstext ist durch den Text aus der Datei (Antragsgrün-Export) ersetzt." in html
    # The demo's passages are gone from the new text: the organiser is asked to check the provisions.
    assert "Bitte prüfen Sie den Zeilenbereich" in html
    assert "passen nicht mehr zum Text" in html
    with app.app_context():
        motion = db.session.get(Motion, ids["motion"])
        assert motion.title == "NRW, jetzt erst gerecht"
        assert motion.full_text.startswith("Der Landesparteitag möge beschließen")
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "motion.import"))
        assert event.user_id == organiser.id and event.details["imported_from"] == "antragsgruen"


# ---------------------------------------------------------------------------------------------------------------
# Provisions
# ---------------------------------------------------------------------------------------------------------------


def test_an_organiser_marks_a_provision_by_line_range(app, client, ids, organiser):
    motion_id = ids["motion"]
    response = client.post(
        f"/organise/motions/{motion_id}/provisions",
        data={"title": "Präambel", "line_from": "1", "line_to": "3", "stance": "neutral", "summary": "Einleitung"},
    )
    assert response.status_code == 302 and "#provision-" in response.headers["Location"]
    html = page(client.get(f"/organise/motions/{motion_id}"))
    assert "Präambel" in html and 'href="#zeile-1">Zeilen 1–3</a>' in html
    assert '<li value="3"><mark>' not in html  # quotes show plain lines …
    assert '<li value="1" id="zeile-1" data-line="1"><mark>Hinweis:' in html  # … the full text marks them
    with app.app_context():
        provision = db.session.scalar(select(Provision).where(Provision.title == "Präambel"))
        assert provision.position == len(provision.motion.provisions) - 1
        assert db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "provision.create", AuditEvent.user_id == organiser.id)
        )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "", "line_from": "1", "line_to": "2"}, "title", "Bitte einen Titel angeben."),
        ({"title": "X", "line_from": "0", "line_to": "2"}, "line_from", "beginnen bei 1"),
        ({"title": "X", "line_from": "abc", "line_to": "2"}, "line_from", "Keine gültige, ganze Zahl."),
        ({"title": "X", "line_from": "5", "line_to": "999"}, "line_to", "zwischen 1 und 32"),
        ({"title": "X", "line_from": "9", "line_to": "4"}, "line_to", "nicht vor der ersten"),
        ({"title": "X", "line_from": "9", "line_to": ""}, "line_to", "letzte Zeile"),
        ({"title": "X", "line_from": "1", "line_to": "2", "stance": "dafür"}, "stance", "gültige"),
    ],
)
def test_bad_provision_input_is_shown_next_to_its_field(app, client, ids, organiser, data, field, message):
    before = count(app, Provision)
    response = client.post(f"/organise/motions/{ids['motion']}/provisions", data={"stance": "oppose", **data})
    assert response.status_code == 400
    assert message in field_error(page(response), field)
    assert count(app, Provision) == before


def test_edit_move_and_delete_a_provision(app, client, ids, organiser):
    motion_id, first, second = ids["motion"], ids["provision"], ids["second"]
    edit = page(client.get(f"/organise/motions/{motion_id}/provisions/{first}/edit"))
    assert 'value="Bündelung im Innenministerium"' in edit
    response = client.post(
        f"/organise/motions/{motion_id}/provisions/{first}/edit",
        data={"title": "Innenministerium", "line_from": "9", "line_to": "10", "stance": "amend", "summary": "Neu"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/organise/motions/{motion_id}/provisions/{first}/edit",
        data={"title": "Innenministerium", "line_from": "9", "line_to": "99", "stance": "amend"},
    )
    assert response.status_code == 400 and "zwischen 1 und 32" in field_error(page(response), "line_to")

    assert (
        client.post(f"/organise/motions/{motion_id}/provisions/{second}/move", data={"direction": "up"}).status_code
        == 302
    )
    assert (
        client.post(f"/organise/motions/{motion_id}/provisions/{second}/move", data={"direction": "left"}).status_code
        == 400
    )
    response = client.post(
        f"/organise/motions/{motion_id}/provisions/{second}/move", data={"direction": "up"}, follow_redirects=True
    )
    assert "steht schon an dieser Stelle" in page(response)
    with app.app_context():
        motion = db.session.get(Motion, motion_id)
        assert [p.id for p in motion.provisions][:2] == [second, first]
        assert (motion.provisions[1].title, motion.provisions[1].line_to) == ("Innenministerium", 10)

    response = client.post(f"/organise/motions/{motion_id}/provisions/{first}/delete", follow_redirects=True)
    assert "ist gelöscht. Ein Argument ist nicht mehr mit ihm verknüpft." in page(response)
    with app.app_context():
        assert db.session.get(Provision, first) is None
        positions = [p.position for p in db.session.get(Motion, motion_id).provisions]
        assert positions == list(range(len(positions)))


# ---------------------------------------------------------------------------------------------------------------
# Amendment drafts
# ---------------------------------------------------------------------------------------------------------------


def test_the_amendment_form_starts_from_the_passage(app, client, ids, organiser):
    html = page(client.get(f"/organise/motions/{ids['motion']}/provisions/{ids['provision']}/edit"))
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*Zuständigkeit: Der Antrag sieht vor', html)


def test_write_an_amendment_and_download_the_pdf(app, client, ids, organiser):
    motion_id, provision_id = ids["motion"], ids["provision"]
    with app.app_context():
        provision = db.session.get(Provision, provision_id)
        old = passage_text(number_lines(provision.motion.full_text)[provision.line_from - 1 : provision.line_to])
    response = client.post(
        f"/organise/motions/{motion_id}/provisions/{provision_id}/amendment",
        data={"mode": "replace", "text": old.replace("im Innenministerium", "im Integrationsministerium")},
    )
    assert response.status_code == 302
    html = page(client.get(f"/organise/motions/{motion_id}"))
    assert "In Zeile 10 wird „Innenministerium“ ersetzt durch „Integrationsministerium“." in html
    assert "Alle Änderungsanträge als PDF" in html

    response = client.get(f"/organise/motions/{motion_id}/amendments.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "aenderungsantraege-nrw-jetzt-erst-gerecht.pdf" in response.headers["Content-Disposition"]
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages))
    assert "Ä1 zu Zeile 9 bis 12: Bündelung im Innenministerium" in text
    assert "In Zeile 10 wird „Innenministerium“ ersetzt durch „Integrationsministerium“." in text

    response = client.post(
        f"/organise/motions/{motion_id}/provisions/{provision_id}/amendment", data={"mode": "delete", "text": ""}
    )
    assert response.status_code == 302
    assert "In Zeile 9 bis 12 streichen:" in page(client.get(f"/organise/motions/{motion_id}"))

    client.post(f"/organise/motions/{motion_id}/provisions/{provision_id}/amendment/delete")
    with app.app_context():
        assert db.session.get(Provision, provision_id).amendment_text == ""
        actions = db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "Provision", AuditEvent.user_id == organiser.id)
            .order_by(AuditEvent.id)
        ).all()
        assert actions == ["provision.amendment", "provision.amendment", "provision.amendment_clear"]


def test_coordinators_may_download_the_amendments_pdf(app, client, ids, login):
    login(Role.ORGANISER)
    client.post(f"/organise/motions/{ids['motion']}/provisions/{ids['provision']}/amendment", data={"mode": "delete"})
    client.post("/auth/logout")
    login(Role.COORDINATOR)
    response = client.get(f"/organise/motions/{ids['motion']}/amendments.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "replace", "text": "  "}, "neuen Wortlaut eingeben"),
        ({"mode": "replace", "text": "x" * 20_001}, "Höchstens 20.000 Zeichen."),
        ({"mode": "ersetzen", "text": "Neu"}, "gültige"),
    ],
)
def test_bad_amendment_input_is_refused(app, client, ids, organiser, data, message):
    url = f"/organise/motions/{ids['motion']}/provisions/{ids['provision']}/amendment"
    response = client.post(url, data=data)
    assert response.status_code == 400
    html = page(response)
    assert message in field_error(html, "text") + field_error(html, "mode")
    with app.app_context():
        assert db.session.get(Provision, ids["provision"]).amendment_text == ""


def test_an_amendment_identical_to_the_passage_is_refused(app, client, ids, organiser):
    with app.app_context():
        provision = db.session.get(Provision, ids["provision"])
        old = passage_text(number_lines(provision.motion.full_text)[provision.line_from - 1 : provision.line_to])
    response = client.post(
        f"/organise/motions/{ids['motion']}/provisions/{ids['provision']}/amendment",
        data={"mode": "replace", "text": old},
    )
    assert response.status_code == 400 and "identisch" in field_error(page(response), "text")


def test_the_pdf_without_drafts_sends_the_organiser_back_with_a_message(client, ids, organiser):
    response = client.get(f"/organise/motions/{ids['motion']}/amendments.pdf", follow_redirects=True)
    assert response.status_code == 200
    assert "noch keine Änderungsanträge" in page(response)


def test_motion_pages_carry_no_inline_script_or_style(client, ids, organiser):
    for url in (
        f"/organise/motions/{ids['motion']}",
        f"/organise/motions/{ids['motion']}/edit",
        f"/organise/motions/{ids['motion']}/provisions/{ids['provision']}/edit",
        "/organise/motions",
        "/organise/motions/import",
    ):
        html = page(client.get(url))
        assert "style=" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_hostile_titles_are_escaped_on_the_pages(app, client, organiser):
    client.post(
        "/organise/motions/new",
        data={"title": "<script>alert(1)</script>", "kind": "antrag", "status": "presented", "full_text": "<b>x</b>"},
    )
    with app.app_context():
        motion_id = db.session.scalar(select(Motion.id))
    html = page(client.get(f"/organise/motions/{motion_id}"))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
