"""Recipient pages: filters and pages, create/edit/delete, lists, bulk add, the upload import, and who may write."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from campaign.db import db
from campaign.models import AuditEvent, FormOfAddress, Recipient, RecipientList, Role
from tests.factories import make_recipient
from tests.factories_recipients import (
    UNCLOSED_QUOTE_IN_HEADER,
    UNCLOSED_QUOTE_PAST_FIELD_LIMIT,
    add_recipients,
    fixture_bytes,
    make_list,
    make_xlsx,
)


def _count(app, model=Recipient) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def _text(response) -> str:
    return response.get_data(as_text=True)


def _upload_dir(app) -> Path:
    return Path(app.instance_path) / "uploads" / "recipient-imports"


PERSON = {
    "form_of_address": "frau",
    "title": "Dr.",
    "first_name": "Ayşe",
    "last_name": "Doğan",
    "street": "Fliederhofweg 14",
    "postcode": "50823",
    "city": "Köln",
    "email": "ayse.dogan@example.org",
    "tags": "Delegierte, Kommunalpolitik",
}


# ---- list, filters, pages ----


def test_list_filters_by_tag_region_and_email(app, client, organiser):
    people = [  # first name, last name, tag, Unterbezirk, e-mail
        ("Ayşe", "Karadağ", "delegierte", "Köln", "ayse.karadag@example.org"),
        ("Paweł", "Kowalczyk", "delegierte", "Bonn", "pawel.kowalczyk@example.org"),
        ("Jonas", "Wiechert", "delegierte", "Köln", ""),
        ("Łucja", "Nowak", "mdl", "Köln", "lucja.nowak@example.org"),
    ]
    with app.app_context():
        for first, last, tag, unterbezirk, email in people:
            make_recipient(
                db.session, first_name=first, last_name=last, tags=[tag], unterbezirk=unterbezirk, email=email
            )
        db.session.commit()
    everyone = _text(client.get("/organise/recipients"))
    assert "Ayşe Karadağ" in everyone and "Jonas Wiechert" in everyone
    delegates_from_cologne = _text(client.get("/organise/recipients?tag=delegierte&unterbezirk=K%C3%B6ln"))
    assert "Ayşe Karadağ" in delegates_from_cologne and "Paweł Kowalczyk" not in delegates_from_cologne
    assert "Łucja Nowak" not in delegates_from_cologne
    without_email = _text(client.get("/organise/recipients?email=nein"))
    assert "Jonas Wiechert" in without_email and "Ayşe Karadağ" not in without_email


def test_thousands_are_paginated_and_links_keep_the_filter(app, client, organiser):
    with app.app_context():
        add_recipients(db.session, 120, kommune="Bonn")
        add_recipients(db.session, 3, email="", last_name="Extra", kommune="Köln")
        db.session.commit()
    page = _text(client.get("/organise/recipients?kommune=Bonn&page=2"))
    assert "Seite 2 von 3" in page and "120 Empfänger:innen, angezeigt 51–100." in page
    assert 'href="/organise/recipients?kommune=Bonn&amp;page=3"' in page
    assert 'href="/organise/recipients?kommune=Bonn&amp;page=1"' in page


def test_hostile_names_are_escaped(app, client, organiser):
    with app.app_context():
        make_recipient(db.session, first_name="<script>alert(1)</script>", last_name="<b>Weiß</b>")
        db.session.commit()
    page = _text(client.get("/organise/recipients"))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Weiß&lt;/b&gt;" in page


# ---- create, edit, delete ----


def test_create_shows_the_recipient_and_writes_the_audit_log(app, client, organiser):
    with app.app_context():
        delegates = make_list(db.session, "Delegierte")
        db.session.commit()
        list_id = delegates.id
    response = client.post("/organise/recipients/new", data={**PERSON, "lists": [str(list_id)]})
    assert response.status_code == 302
    detail = _text(client.get(response.headers["Location"]))
    assert "Dr. Ayşe Doğan" in detail and "delegierte, kommunalpolitik" in detail and "Delegierte</a>" in detail
    with app.app_context():
        stored = db.session.scalar(select(Recipient))
        assert stored.email_canonical == "ayse.dogan@example.org" and [x.name for x in stored.lists] == ["Delegierte"]
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "recipient.create"))
        assert event.user_id == organiser.id


def test_invalid_input_is_shown_next_to_the_field(app, client, organiser):
    response = client.post(
        "/organise/recipients/new", data={**PERSON, "email": "ayse(at)example.org", "postcode": "508"}
    )
    page = _text(response)
    assert response.status_code == 400
    assert re.search(r'id="email"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="email"', page)
    assert 'id="email-error"' in page and "Ungültige E-Mail-Adresse „ayse(at)example.org“" in page
    assert 'id="postcode-error"' in page and "keine deutsche Postleitzahl" in page
    assert _count(app) == 0


def test_a_too_long_field_and_a_bad_address_come_in_one_answer(app, client, organiser):
    data = {**PERSON, "title": "Prof. Dr. " + "ß" * 300, "email": "ayşe(at)example.org", "last_name": ""}
    page = _text(client.post("/organise/recipients/new", data=data))
    assert 'id="title-error"' in page and "Ungültige E-Mail-Adresse „ayşe(at)example.org“" in page
    assert 'id="last_name-error"' in page and "Bitte den Nachnamen angeben." in page
    assert _count(app) == 0


def test_an_error_of_the_lists_is_read_out_with_their_checkboxes(app, client, organiser):
    response = client.post("/organise/recipients/new", data={**PERSON, "lists": ["keine-nummer"]})
    page = _text(response)
    assert response.status_code == 400
    assert '<fieldset aria-invalid="true" aria-describedby="lists-error">' in page
    assert re.search(r'<small id="lists-error" class="field-error">[^<]+</small>', page)
    assert _count(app) == 0


def test_duplicate_is_refused_with_a_message(app, client, organiser):
    client.post("/organise/recipients/new", data=PERSON)
    response = client.post("/organise/recipients/new", data={**PERSON, "email": "Ayse.Dogan+x@example.org"})
    assert response.status_code == 400 and "Es gibt bereits eine Empfänger:in mit derselben E-Mail-Adresse" in _text(
        response
    )
    assert _count(app) == 1


def test_edit_prefills_and_saves(app, client, organiser):
    with app.app_context():
        recipient = make_recipient(db.session, first_name="Renée", last_name="Ibáñez", tags=["a", "b"])
        db.session.commit()
        recipient_id = recipient.id
    form = _text(client.get(f"/organise/recipients/{recipient_id}/edit"))
    assert 'value="Renée"' in form and 'value="a, b"' in form
    response = client.post(
        f"/organise/recipients/{recipient_id}/edit",
        data={"form_of_address": "divers", "first_name": "Renée", "last_name": "Ibáñez", "city": "Köln"},
    )
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.get(Recipient, recipient_id)
        assert stored.form_of_address is FormOfAddress.DIVERS and stored.city == "Köln" and stored.tags == []


def _street_as_the_browser_sends_it_back(form: str) -> str:
    """The street field's value after a browser loads the form and submits it unchanged (CRLF line breaks)."""
    textarea = re.search(r'<textarea[^>]*name="street"[^>]*>\r?\n?(.*?)</textarea>', form, re.DOTALL)
    if textarea:
        return html.unescape(textarea[1]).replace("\n", "\r\n")
    # A one-line input: browsers drop line breaks from its value.
    value = re.search(r'<input[^>]*name="street"[^>]*value="([^"]*)"', form)
    return html.unescape(value[1]).replace("\r", "").replace("\n", "")


def test_a_multi_line_street_survives_an_edit(app, client, organiser):
    street = "c/o Frauenberatung Köln\nHinterhaus, 2. OG\nFliederhofweg 14"
    with app.app_context():
        recipient_id = make_recipient(db.session, street=street, postcode="50823", city="Köln").id
        db.session.commit()
    form = _text(client.get(f"/organise/recipients/{recipient_id}/edit"))
    data = {"form_of_address": "frau", "first_name": "Erika", "last_name": "Mustermann", "postcode": "50823",
            "city": "Köln", "street": _street_as_the_browser_sends_it_back(form)}  # fmt: skip
    assert client.post(f"/organise/recipients/{recipient_id}/edit", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Recipient, recipient_id).street == street
    detail = _text(client.get(f"/organise/recipients/{recipient_id}"))
    assert '<span class="address-lines">c/o Frauenberatung Köln\nHinterhaus, 2. OG\nFliederhofweg 14</span>' in detail


def test_a_street_of_too_many_lines_is_refused_next_to_the_field(app, client, organiser):
    response = client.post("/organise/recipients/new", data={**PERSON, "street": "a\nb\nc\nFliederhofweg 14"})
    assert response.status_code == 400
    assert 'id="street-error"' in _text(response) and "höchstens 3 Zeilen" in _text(response)
    assert _count(app) == 0


def test_delete_asks_first_and_only_a_post_deletes(app, client, organiser):
    with app.app_context():
        recipient_id = make_recipient(db.session, first_name="Łucja", last_name="Wróbel").id
        db.session.commit()
    confirm = client.get(f"/organise/recipients/{recipient_id}/delete")
    assert confirm.status_code == 200 and "„Łucja Wróbel“ wird endgültig gelöscht." in _text(confirm)
    assert _count(app) == 1
    response = client.post(f"/organise/recipients/{recipient_id}/delete")
    assert response.status_code == 302 and _count(app) == 0
    assert "„Łucja Wróbel“ gelöscht" in _text(client.get(response.headers["Location"]))


def test_unknown_recipient_is_404(client, organiser):
    assert client.get("/organise/recipients/99999").status_code == 404
    assert client.post("/organise/recipients/99999/delete").status_code == 404


# ---- lists ----


def test_lists_create_rename_remove_member_and_delete(app, client, organiser):
    with app.app_context():
        person = make_recipient(db.session, first_name="Zofia", last_name="Łukasiewicz")
        db.session.commit()
        person_id = person.id
    created = client.post("/organise/recipients/lists", data={"name": "Delegierte", "description": "LPT 2026"})
    assert created.status_code == 302
    list_url = created.headers["Location"]
    list_id = int(list_url.rsplit("/", 1)[1])
    assert client.post("/organise/recipients/lists", data={"name": "delegierte"}).status_code == 400
    with app.app_context():
        recipient_list = db.session.get(RecipientList, list_id)
        recipient_list.recipients.append(db.session.get(Recipient, person_id))
        db.session.commit()
    assert "Zofia Łukasiewicz" in _text(client.get(list_url))
    assert client.post(f"{list_url}/edit", data={"name": "Delegierte LPT"}).status_code == 302
    assert client.post(f"{list_url}/remove/{person_id}").status_code == 302
    page = _text(client.get(list_url))
    assert "Delegierte LPT" in page and "Die Liste ist leer" in page
    assert "Ihre 0 Mitglieder bleiben" in _text(client.get(f"{list_url}/delete"))
    assert client.post(f"{list_url}/delete").status_code == 302
    assert _count(app, RecipientList) == 0 and _count(app) == 1


def test_a_too_long_description_and_a_taken_list_name_come_in_one_answer(app, client, organiser):
    assert client.post("/organise/recipients/lists", data={"name": "Delegierte Łódź"}).status_code == 302
    data = {"name": "delegierte łódź", "description": "é" * 5001}
    response = client.post("/organise/recipients/lists", data=data)
    page = _text(response)
    assert response.status_code == 400 and 'id="description-error"' in page
    assert 'id="name-error"' in page and "Eine Liste „delegierte łódź“ gibt es bereits." in page
    list_url = f"/organise/recipients/lists/{_only_list_id(app)}"
    client.post("/organise/recipients/lists", data={"name": "Kreistag Ğ"})
    page = _text(client.post(f"{list_url}/edit", data={"name": "KREISTAG ğ", "description": "é" * 5001}))
    assert 'id="description-error"' in page and "gibt es bereits" in page
    assert sorted(_list_names(app)) == ["Delegierte Łódź", "Kreistag Ğ"]


def _only_list_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(RecipientList.id))


def _list_names(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(RecipientList.name)))


def test_bulk_add_puts_every_filtered_recipient_on_a_list(app, client, organiser):
    with app.app_context():
        add_recipients(db.session, 75, kommune="Bonn")
        make_recipient(db.session, first_name="Nicht", last_name="Bonn", kommune="Köln")
        db.session.commit()
    response = client.post("/organise/recipients/bulk-add?kommune=Bonn", data={"list_id": "", "new_list": "Bonn"})
    assert response.status_code == 302 and response.headers["Location"] == "/organise/recipients?kommune=Bonn"
    assert "75 Empfänger:innen zur Liste „Bonn“ hinzugefügt (0 waren schon darauf)." in _text(
        client.get(response.headers["Location"])
    )
    with app.app_context():
        recipient_list = db.session.scalar(select(RecipientList))
        assert len(recipient_list.recipients) == 75
        list_id = recipient_list.id
    again = client.post("/organise/recipients/bulk-add?kommune=Bonn", data={"list_id": str(list_id)})
    assert "0 Empfänger:innen zur Liste „Bonn“ hinzugefügt (75 waren schon darauf)." in _text(
        client.get(again.headers["Location"])
    )
    empty_choice = client.post("/organise/recipients/bulk-add", data={"list_id": "", "new_list": ""})
    assert "Bitte eine Liste wählen" in _text(client.get(empty_choice.headers["Location"]))


# ---- import ----


def _upload(client, data: bytes, name: str, **extra):
    # Encoded in memory: the test client would spool a large body to a temporary file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename=name), **extra})
    return client.post(
        "/organise/recipients/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_import_upload_review_and_run(app, client, organiser):
    response = _upload(client, fixture_bytes("semikolon_utf8_bom.csv"), "semikolon_utf8_bom.csv", list_name="LPT")
    assert response.status_code == 302
    review_url = response.headers["Location"]
    assert len(list(_upload_dir(app).iterdir())) == 2
    review = _text(client.get(review_url))
    assert "CSV, UTF-8 mit BOM, Trennzeichen Semikolon" in review
    assert "5 neue Empfänger:innen importieren" in review and "Keine Probleme gefunden." in review
    assert _count(app) == 0
    done = client.post(f"{review_url}/run")
    assert done.status_code == 302
    page = _text(client.get(done.headers["Location"]))
    assert "Import: 5 neu angelegt, 0 bereits vorhanden, 5 zur Liste „LPT“ (neu angelegt) hinzugefügt." in page
    assert "Ayşe Doğan" in page and "Mitglieder des SPD-Unterbezirks Essen" in page
    assert _count(app) == 5 and list(_upload_dir(app).iterdir()) == []
    assert client.get(review_url).status_code == 404


def test_reimport_with_a_list_only_adds_the_existing_people(app, client, organiser):
    with app.app_context():
        make_recipient(
            db.session,
            first_name="Zofia",
            last_name="Łukasiewicz",
            email="zofia@example.org",
            email_canonical="zofia@example.org",
        )
        make_recipient(
            db.session,
            first_name="José",
            last_name="Núñez",
            email="jose.nunez@example.org",
            email_canonical="jose.nunez@example.org",
        )
        db.session.commit()  # fmt: skip
    review_url = _upload(client, fixture_bytes("tab_englisch.tsv"), "t.tsv", list_name="MdL").headers["Location"]
    review = _text(client.get(review_url))
    assert "Die 2 vorhandenen Personen zur Liste „MdL“ hinzufügen" in review and "Zeile 2: " not in review
    assert "bereits vorhanden (Empfänger:in Nr." in review
    client.post(f"{review_url}/run")
    with app.app_context():
        assert len(db.session.scalar(select(RecipientList)).recipients) == 2
    assert _count(app) == 2


def test_import_report_shows_line_numbers_and_lets_the_user_choose(app, client, organiser):
    review_url = _upload(client, fixture_bytes("ungueltige_daten.csv"), "daten.csv").headers["Location"]
    review = _text(client.get(review_url))
    assert "<td>3</td><td>E-Mail: Ungültige E-Mail-Adresse „max(at)example.org“" in review
    assert "<td>7</td><td>Anrede: Unbekannte Anrede „Sir“" in review
    assert "Nur die 2 gültigen neuen Zeilen importieren" in review and "Nichts importieren" in review
    cancelled = client.post(f"{review_url}/cancel")
    assert cancelled.status_code == 302 and _count(app) == 0
    assert list(_upload_dir(app).iterdir()) == []

    review_url = _upload(client, fixture_bytes("ungueltige_daten.csv"), "daten.csv").headers["Location"]
    assert client.post(f"{review_url}/run").status_code == 302
    assert _count(app) == 2


def test_an_unclosed_quote_is_reported_with_the_lines_it_swallowed(app, client, organiser):
    data = (
        "Vorname;Nachname;Straße;PLZ;Ort\r\n"
        + "".join(f"Ayşe;Doğan{number};Fliederhofweg {number};50823;Köln\r\n" for number in range(1, 6))
        + 'Kim;Weiß;"Unterm Dach 7;01067;Dresden\r\n'
        + "Renée;Çelik;Rheinufer 9;40213;Düsseldorf\r\n"
        + "Paweł;Gąsiorowski;Platz des Landtags 1;40221;Düsseldorf\r\n"
    ).encode()
    review_url = _upload(client, data, "kaputt.csv").headers["Location"]
    review = html.unescape(_text(client.get(review_url)))
    assert "8 Datenzeilen" in review and '<th scope="row">fehlerhaft</th><td>3</td>' in review
    assert (
        '<td>7</td><td>Ein Anführungszeichen (") wird nicht geschlossen; die Zeilen 7–9 wurden als ein einziges '
        "Feld gelesen und werden nicht importiert. Bitte das Anführungszeichen in Zeile 7 schließen oder entfernen."
    ) in review
    for line in (8, 9):
        assert f"<td>{line}</td><td>gehört zum nicht geschlossenen Anführungszeichen aus Zeile 7" in review
    assert "Nur die 5 gültigen neuen Zeilen importieren" in review
    done = client.post(f"{review_url}/run")
    page = html.unescape(_text(client.get(done.headers["Location"])))
    assert "Import: 5 neu angelegt, 0 bereits vorhanden, 3 fehlerhafte Zeilen übersprungen." in page
    assert _count(app) == 5


def test_import_asks_for_unknown_columns_before_the_report(app, client, organiser):
    review_url = _upload(client, fixture_bytes("unbekannte_spalten.csv"), "spalten.csv").headers["Location"]
    review = _text(client.get(review_url))
    assert "Diese Spalten wurden nicht erkannt: Nachname (Geburt), Mobil." in review
    assert "Prüfbericht" not in review
    assert client.post(f"{review_url}/run").status_code == 302 and _count(app) == 0
    mapped = client.post(
        f"{review_url}/mapping",
        data={"column_0": "first_name", "column_1": "last_name", "column_2": "ignorieren", "column_3": "postcode",
              "column_4": "city"},
    )  # fmt: skip
    assert mapped.headers["Location"] == review_url
    review = _text(client.get(review_url))
    assert "Prüfbericht" in review and "1 neue Empfänger:in importieren" in review and "1 Datenzeile." in review
    client.post(f"{review_url}/run")
    with app.app_context():
        assert db.session.scalar(select(Recipient.last_name)) == "Mustermann"


def test_mapping_one_field_twice_is_refused(app, client, organiser):
    review_url = _upload(client, fixture_bytes("unbekannte_spalten.csv"), "spalten.csv").headers["Location"]
    client.post(
        f"{review_url}/mapping",
        data={"column_0": "last_name", "column_1": "last_name", "column_2": "ignorieren", "column_3": "postcode",
              "column_4": "city"},
    )  # fmt: skip
    review = _text(client.get(review_url))
    assert "Das Feld „Nachname“ ist mehreren Spalten zugeordnet" in review and "Prüfbericht" not in review


def test_an_undecided_column_keeps_the_other_choices_as_sent(app, client, organiser):
    review_url = _upload(client, fixture_bytes("unbekannte_spalten.csv"), "spalten.csv").headers["Location"]
    refused = client.post(
        f"{review_url}/mapping",
        data={"column_0": "last_name", "column_1": "first_name", "column_2": "", "column_3": "postcode",
              "column_4": "city"},
    )  # fmt: skip
    page = _text(refused)
    assert refused.status_code == 400 and "Bitte für jede Spalte ein Feld oder „ignorieren“ wählen." in page
    chosen = dict(re.findall(r'<select[^>]*name="(column_\d)"[^>]*>.*?<option selected value="(\w*)"', page, re.S))
    assert chosen["column_0"] == "last_name" and chosen["column_1"] == "first_name"  # not the detected ones back
    assert _count(app) == 0


def test_real_xlsx_upload_works(app, client, organiser):
    data = make_xlsx([["Salutation", "First name", "Last name", "Email"], ["Mr", "José", "Núñez", "jose@example.org"]])
    review_url = _upload(client, data, "export.xlsx").headers["Location"]
    assert "Excel-Datei (XLSX), erstes Tabellenblatt" in _text(client.get(review_url))
    client.post(f"{review_url}/run")
    with app.app_context():
        assert db.session.scalar(select(Recipient)).full_name == "José Núñez"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("kein_excel.xlsx", fixture_bytes("kein_excel.xlsx"), "keine Excel-Datei (XLSX), obwohl sie so heißt"),
        ("leer.csv", b"", "„leer.csv“ ist leer."),
        ("leer.csv", b" \n", "ist leer"),
        ("bild.png", b"\x89PNG", "Bitte eine CSV- oder XLSX-Datei wählen."),
        ("gross.csv", b"Nachname\n" + b"x" * (5 * 1024 * 1024), "höchstens 5 MB"),
    ],
    ids=["fake-xlsx", "empty", "blank", "wrong-type", "too-large"],
)
def test_bad_uploads_are_refused_next_to_the_field(app, client, organiser, name, data, message):
    response = _upload(client, data, name)
    page = _text(response)
    assert response.status_code == 400
    assert 'id="file-error"' in page and message in page
    assert not _upload_dir(app).exists() or list(_upload_dir(app).iterdir()) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            UNCLOSED_QUOTE_IN_HEADER,
            '„kaputt.csv“, Zeile 1 (Kopfzeile): Ein Anführungszeichen (") wird nicht geschlossen, so dass die '
            "Zeilen danach als Spaltennamen gelesen würden. Nichts wurde importiert.",
        ),
        (
            UNCLOSED_QUOTE_PAST_FIELD_LIMIT,
            '„kaputt.csv“, Zeile 5: Ein Anführungszeichen (") wird nicht geschlossen, so dass die Zeilen danach als '
            "ein einziges Feld von mehr als 131.072 Zeichen gelesen würden. Nichts wurde importiert.",
        ),
    ],
    ids=["in-the-header", "past-the-field-limit"],
)
def test_an_unclosed_quote_that_breaks_the_file_is_refused_next_to_the_field(app, client, organiser, data, message):
    response = _upload(client, data, "kaputt.csv")
    page = html.unescape(_text(response))
    assert response.status_code == 400
    assert 'id="file-error"' in page and message in page and "field limit" not in page
    assert not _upload_dir(app).exists() or list(_upload_dir(app).iterdir()) == []
    assert _count(app) == 0


def test_an_oversized_upload_is_refused_with_its_real_size(app, client, organiser):
    response = _upload(client, b"Nachname\n" + b"x" * (9 * 1024 * 1024 - 9), "gross.csv")
    assert response.status_code == 400
    assert "„gross.csv“ ist 9,0 MB groß; erlaubt sind höchstens 5 MB." in _text(response)
    assert not _upload_dir(app).exists() or list(_upload_dir(app).iterdir()) == []


def test_the_upload_is_parsed_once_and_kept_as_rows_not_as_the_file(app, client, organiser):
    data = fixture_bytes("unbekannte_spalten.csv")
    review_url = _upload(client, data, "spalten.csv").headers["Location"]
    stored = sorted(_upload_dir(app).iterdir())
    assert [path.suffix for path in stored] == [".json", ".table"]
    assert not any(data in path.read_bytes() for path in stored)
    # Review, mapping and import all work from the stored rows.
    assert "Diese Spalten wurden nicht erkannt" in _text(client.get(review_url))
    client.post(
        f"{review_url}/mapping",
        data={"column_0": "first_name", "column_1": "last_name", "column_2": "ignorieren", "column_3": "postcode",
              "column_4": "city"},
    )  # fmt: skip
    assert "Prüfbericht" in _text(client.get(review_url))
    assert client.post(f"{review_url}/run").status_code == 302 and _count(app) == 1


def test_upload_without_a_file_asks_for_one(client, organiser):
    response = client.post("/organise/recipients/import", data={"list_name": "X"})
    assert response.status_code == 400 and "Bitte eine Datei auswählen." in _text(response)


@pytest.mark.parametrize("token", ["..%2F..%2Fsecret_key", "x" * 32, "not-a-token"])
def test_import_tokens_cannot_reach_other_files(client, organiser, token):
    assert client.get(f"/organise/recipients/import/{token}").status_code == 404
    assert client.post(f"/organise/recipients/import/{token}/run").status_code == 404


def test_another_users_upload_is_not_reachable(app, client, organiser, login):
    review_url = _upload(client, fixture_bytes("dubletten.csv"), "d.csv").headers["Location"]
    other = app.test_client()
    login(client=other)
    assert other.get(review_url).status_code == 404
    assert other.post(f"{review_url}/run").status_code == 404
    assert _count(app) == 0


# ---- access ----

READ_URLS = ["/organise/recipients", "/organise/recipients/lists", "/organise/recipients/{recipient}",
             "/organise/recipients/lists/{list}"]  # fmt: skip
WRITE_POSTS = [
    ("/organise/recipients/new", PERSON),
    ("/organise/recipients/{recipient}/edit", PERSON),
    ("/organise/recipients/{recipient}/delete", {}),
    ("/organise/recipients/bulk-add", {"new_list": "X"}),
    ("/organise/recipients/lists", {"name": "Neu"}),
    ("/organise/recipients/lists/{list}/edit", {"name": "Neu"}),
    ("/organise/recipients/lists/{list}/delete", {}),
    ("/organise/recipients/lists/{list}/remove/{recipient}", {}),
    ("/organise/recipients/import", {}),
    ("/organise/recipients/import/{token}/mapping", {}),
    ("/organise/recipients/import/{token}/run", {}),
    ("/organise/recipients/import/{token}/cancel", {}),
]


@pytest.fixture
def ids(app):
    with app.app_context():
        person = make_recipient(db.session)
        recipient_list = make_list(db.session, "Delegierte", [person])
        db.session.commit()
        return {"recipient": person.id, "list": recipient_list.id, "token": "A" * 32}


@pytest.mark.parametrize("url", READ_URLS)
def test_coordinators_may_read(app, client, ids, url, login):
    login(Role.COORDINATOR)
    response = client.get(url.format(**ids))
    assert response.status_code == 200
    assert "/organise/recipients/new" not in _text(response) and "Zur Liste hinzufügen" not in _text(response)


@pytest.mark.parametrize(("url", "data"), WRITE_POSTS, ids=[url for url, _ in WRITE_POSTS])
def test_coordinators_may_not_write(app, client, ids, url, data, login):
    login(Role.COORDINATOR)
    before = (_count(app), _count(app, RecipientList))
    response = client.post(url.format(**ids), data=data)
    assert response.status_code == 403
    assert (_count(app), _count(app, RecipientList)) == before
    with app.app_context():
        assert db.session.scalar(select(RecipientList)).name == "Delegierte"


@pytest.mark.parametrize("url", ["/organise/recipients/new", "/organise/recipients/import"])
def test_coordinators_do_not_get_the_write_forms(app, client, url, login):
    login(Role.COORDINATOR)
    assert client.get(url).status_code == 403


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.post("/organise/recipients/new", data=PERSON)
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_posts_need_the_csrf_token(protected):
    app, client = protected.app, protected.client
    assert client.post("/organise/recipients/new", data=PERSON).status_code == 400
    token = protected.token("/organise/recipients/new")
    assert client.post("/organise/recipients/new", data={**PERSON, "csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Recipient.id))) == 1
