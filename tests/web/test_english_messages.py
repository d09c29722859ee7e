"""Messages made by services reach English pages in English: template errors and merge fields in the editor, the
import report, postcode checks, attachment refusals and job progress (stored in German, shown in either language)."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from email.message import EmailMessage

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from campaign.db import db
from campaign.models import Job, Letter, LetterStatus, ReplyAttachment, Role
from campaign.services.replies.ingest import import_message
from tests.factories import make_campaign, make_recipient
from tests.factories_letters import make_letter_campaign, make_organisation, make_template
from tests.factories_recipients import fixture_bytes
from tests.factories_replies import MAIL_FROM, REPLY_ADDRESS, make_reply_campaign
from tests.web.factories import make_print_campaign

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
GERMAN = {"Accept-Language": "de-DE,de;q=0.9"}


@pytest.fixture
def app(app_factory):
    return app_factory(LETTER_RENDER_WORKERS=1, REPLY_ADDRESS=REPLY_ADDRESS, MAIL_FROM=MAIL_FROM)


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _template_id(app) -> int:
    with app.app_context():
        _campaign, version, _ = make_letter_campaign(db.session, deadline=date(2026, 12, 15))
        db.session.commit()
        return version.template_id


# ---- the template editor ----


@pytest.mark.parametrize(
    ("body", "english", "german"),
    [
        (
            "Hallo\n\n{{ salutation ",
            "Syntax error in line 3: The template ends in the middle of a placeholder: “}}” is missing.",
            "Syntaxfehler in Zeile 3: Die Vorlage endet mitten in einem Platzhalter: es fehlt „}}“.",
        ),
        (
            "Text\n{% endif %}",
            "Syntax error in line 2: {% endif %} without a matching {% if %} before it.",
            "Syntaxfehler in Zeile 2: {% endif %} ohne passendes {% if %} davor.",
        ),
        (
            "Hallo {{ salutation|safe }}",
            "Line 1: Letter templates have no filter “safe”: it would put text into the letter as HTML.",
            "Zeile 1: Den Filter „safe“ gibt es in Briefvorlagen nicht: er würde Text als HTML in den Brief setzen.",
        ),
        (
            "Hallo {{ empfänger.nachname }}",
            "Unknown placeholders: empfänger (“empfänger” is called “empfaenger”). Allowed are: anrede (salutation)",
            "Unbekannte Platzhalter: empfänger („empfänger“ heißt „empfaenger“). Erlaubt sind: anrede (salutation)",
        ),
    ],
)
def test_template_errors_are_explained_in_the_page_language(app, client, login, body, english, german):
    template_id = _template_id(app)
    login()
    data = {"name": "Vorlage", "subject": "Betreff", "body": body}
    for headers, expected, other in ((ENGLISH, english, german), (GERMAN, german, english)):
        response = client.post(f"/organise/templates/{template_id}", data=data, headers=headers)
        assert response.status_code == 400
        error = html.unescape(re.search(r'id="body-error" class="field-error">(.*?)</small>', _text(response), re.S)[1])
        assert expected in error and other not in error


def test_the_editor_describes_the_merge_fields_in_the_page_language(app, client, login):
    template_id = _template_id(app)
    login()
    english = _text(client.get(f"/organise/templates/{template_id}", headers=ENGLISH))
    assert "Academic title, e.g. “Dr.”" in english and "Date of the letter, e.g. “23. November 2026”" in english
    assert "All selected arguments one after another (loop); inside it:" in english
    assert "Akademischer Titel" not in english and "Datum des Briefs" not in english
    german = _text(client.get(f"/organise/templates/{template_id}", headers=GERMAN))
    assert "Akademischer Titel, z. B. „Dr.“" in german and "Academic title" not in german


# ---- recipients: the import report and the postcode checks ----


def _upload(client, data: bytes, name: str, headers: dict[str, str]):
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename=name)})
    return client.post(
        "/organise/recipients/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=headers,
    )


def test_the_import_report_is_english_on_english_pages(app, client, login):
    login()
    review_url = _upload(client, fixture_bytes("ungueltige_daten.csv"), "daten.csv", ENGLISH).headers["Location"]
    review = _text(client.get(review_url, headers=ENGLISH))
    assert "CSV, UTF-8, delimiter semicolon" in review
    assert "“5066” has only four digits, and the postcode “05066” does not exist. Please check the postcode." in review
    assert "“ABCDE” is not a German postcode (five digits)." in review
    assert "Please give a name (first and last name) or a group." in review
    assert "faulty" in review
    for german in ("hat nur vier Ziffern", "keine deutsche Postleitzahl", "Bitte einen Namen", "fehlerhaft"):
        assert german not in review
    done = client.post(f"{review_url}/run", data={"skip_invalid": "y"}, headers=ENGLISH)
    page = _text(client.get(done.headers["Location"], headers=ENGLISH))
    assert "Import: 2 newly created, 0 already there" in page


def test_a_file_that_is_no_table_is_refused_in_english(app, client, login):
    login()
    response = _upload(client, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "liste.csv", ENGLISH)
    page = _text(client.get(response.headers["Location"], headers=ENGLISH)) if response.status_code == 302 else ""
    page = page or _text(response)
    assert "“liste.csv” is not a readable text file but a PDF document. Please choose a CSV or XLSX file." in page


def test_postcode_checks_of_a_recipient_are_in_the_page_language(app, client, login):
    login()
    person = {"form_of_address": "frau", "first_name": "Ayşe", "last_name": "Doğan", "city": "Köln"}
    english = _text(client.post("/organise/recipients/new", data={**person, "postcode": "1067"}, headers=ENGLISH))
    assert (
        "“1067” has only four digits, and “01067” does not belong to “Köln” but to Dresden. Please check the postcode."
        in english
    )
    german = _text(client.post("/organise/recipients/new", data={**person, "postcode": "1067"}, headers=GERMAN))
    assert "„1067“ hat nur vier Ziffern, und „01067“ gehört nicht zu „Köln“, sondern zu Dresden." in german


# ---- attachments ----


def _mail_with_attachment() -> bytes:
    mail = EmailMessage()
    mail["From"] = "Erika Muster <erika@example.org>"
    mail["To"] = REPLY_ADDRESS
    mail["Subject"] = "Ihr Brief"
    mail["Message-ID"] = "<anhang-1@example.org>"
    mail.set_content("Danke für Ihren Brief.")
    mail.add_attachment(b"MZ\x90\x00", maintype="application", subtype="octet-stream", filename="werkzeug.exe")
    return mail.as_bytes()


def test_a_refused_attachment_is_stored_in_german_and_shown_in_the_page_language(app, client, login):
    with app.app_context():
        make_reply_campaign(db.session)
        reply = import_message(db.session, _mail_with_attachment())
        db.session.commit()
        reply_id = reply.id
        note = db.session.scalar(select(ReplyAttachment.note))
    assert note.startswith("„werkzeug.exe“: Dieser Dateityp wird nicht gespeichert.")
    login(Role.COORDINATOR)
    english = _text(client.get(f"/track/replies/{reply_id}", headers=ENGLISH))
    assert "werkzeug.exe – “werkzeug.exe”: this file type is not kept. Allowed are: doc, docx, gif" in english
    assert "Dieser Dateityp" not in english
    german = _text(client.get(f"/track/replies/{reply_id}", headers=GERMAN))
    assert "„werkzeug.exe“: Dieser Dateityp wird nicht gespeichert. Erlaubt sind: doc, docx, gif" in german


def test_an_uploaded_attachment_is_refused_in_english(app, client, login):
    with app.app_context():
        letters = make_reply_campaign(db.session)
        recipient_id = next(iter(letters.values())).recipient_id
        db.session.commit()
    login(Role.COORDINATOR)
    data = {
        "channel": "post",
        "received_on": "2026-03-10",
        "text": "Brief von Frau Schröder.",
        "quality": "substantive",
        "stance": "supportive",
        "attachments": [(io.BytesIO(b"kein PDF"), "Brief.pdf")],
    }
    url = f"/track/campaigns/nrw-gerecht/recipients/{recipient_id}/replies/new"
    page = _text(client.post(url, data=data, content_type="multipart/form-data", headers=ENGLISH))
    assert "“Brief.pdf” is not a real PDF file (its content does not match its extension)." in page


# ---- jobs ----


def _job_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_job_shows_its_progress_text_in_the_viewers_language(app, client, login):
    with app.app_context():
        slug = make_print_campaign(db.session, 2).slug
        db.session.commit()
    login()
    job_id = _job_id(
        client.post(f"/organise/campaigns/{slug}/letters/generate", data={"format": "zip"}, headers=ENGLISH)
    )
    with app.app_context():
        assert db.session.get(Job, job_id).message == "Briefe erzeugt: 2 (Seiten: 2)."  # stored in German
    english = _text(client.get(f"/organise/jobs/{job_id}", headers=ENGLISH))
    assert "Letters generated: 2 (pages: 2)." in english and "Briefe erzeugt" not in english
    assert client.get(f"/organise/jobs/{job_id}.json", headers=ENGLISH).get_json()["message"] == (
        "Letters generated: 2 (pages: 2)."
    )
    german = _text(client.get(f"/organise/jobs/{job_id}", headers=GERMAN))
    assert "Briefe erzeugt: 2 (Seiten: 2)." in german and "Letters generated" not in german


def test_a_failed_job_says_why_in_the_viewers_language(app, client, login):
    with app.app_context():
        campaign = make_campaign(db.session, organisation=make_organisation(db.session))
        make_template(db.session, campaign)
        make_recipient(db.session)  # not a target of the campaign
        db.session.commit()
        slug, title = campaign.slug, campaign.title
    login()
    job_id = _job_id(client.post(f"/organise/campaigns/{slug}/letters/generate", headers=ENGLISH))
    english = _text(client.get(f"/organise/jobs/{job_id}", headers=ENGLISH))
    assert f"The campaign “{title}” has no recipients yet." in english
    german = _text(client.get(f"/organise/jobs/{job_id}", headers=GERMAN))
    assert f"Die Kampagne „{title}“ hat noch keine Empfänger:innen." in german


def test_a_jobs_skipped_letters_are_listed_in_the_viewers_language(app, client, login):
    with app.app_context():
        slug = make_print_campaign(db.session, 2).slug
        db.session.commit()
    login()
    _job_id(client.post(f"/organise/campaigns/{slug}/letters/generate", data={"format": "zip"}))
    with app.app_context():
        letter = db.session.scalar(select(Letter).order_by(Letter.id).limit(1))
        letter.status = LetterStatus.SENT
        db.session.commit()
        code, name = letter.reference_code, letter.recipient_name
    job_id = _job_id(client.post(f"/organise/campaigns/{slug}/letters/generate", data={"format": "zip"}))
    english = _text(client.get(f"/organise/jobs/{job_id}", headers=ENGLISH))
    assert f"Letter {code} to {name} is already sent and is no longer changed." in english
    assert "Already sent and left unchanged: 1." in english
    german = _text(client.get(f"/organise/jobs/{job_id}", headers=GERMAN))
    assert f"Brief {code} an {name} ist bereits versandt und wird nicht mehr verändert." in german


# ---- the motion form ----


@pytest.mark.parametrize(
    ("headers", "formats", "too_long"),
    [
        (ENGLISH, "(Text file (.txt), Word document (.docx), PDF (.pdf)", "At most 500,000 characters."),
        (GERMAN, "(Textdatei (.txt), Word-Dokument (.docx), PDF (.pdf)", "Höchstens 500.000 Zeichen."),
    ],
)
def test_the_motion_form_lists_formats_and_limits_in_the_page_language(app, client, login, headers, formats, too_long):
    login()
    assert formats in _text(client.get("/organise/motions/new", headers=headers))
    response = client.post(
        "/organise/motions/new", data={"title": "Zu lang", "full_text": "x" * 500_001}, headers=headers
    )
    assert response.status_code == 400 and too_long in _text(response)
