"""The tracking screens: board and filters, import and inbox, assignment, classification, logging, history."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from campaign.db import db, utcnow
from campaign.models import Letter, LetterStatus, RecipientAddress, Reply, ReplyQuality, Role, StateChange
from campaign.services.replies.ingest import import_message
from tests.factories_replies import MAIL_FROM, REPLY_ADDRESS, make_reply_campaign, read_mail

PDF = b"%PDF-1.4\n% Antwortschreiben\n"


@pytest.fixture
def app(app_factory):
    app = app_factory(REPLY_ADDRESS=REPLY_ADDRESS, MAIL_FROM=MAIL_FROM)
    with app.app_context():
        make_reply_campaign(db.session)
        db.session.commit()
    return app


@pytest.fixture
def coordinator(login):
    return login(Role.COORDINATOR)


def _import(app, *names):
    with app.app_context():
        ids = [import_message(db.session, read_mail(name)).id for name in names]
        db.session.commit()
    return ids


def test_the_overview_reminds_of_the_inbox_and_leads_to_the_board(app, client, coordinator):
    _import(app, "unmatched_de.eml", "outlook_de.eml")
    page = client.get("/track/").get_data(as_text=True)
    assert "1 Antwort wartet im Eingang auf Zuordnung." in page
    assert 'href="/track/campaigns/nrw-gerecht/letters">NRW, jetzt erst gerecht</a>' in page
    assert "1 (5,9\u00a0%)" in page  # one of 17 sent letters answered


def test_the_board_shows_each_letters_reply_state_and_filters_by_it(app, client, coordinator):
    _import(app, "outlook_de.eml", "auto_reply_headers.eml", "bounce_dsn.eml")
    page = client.get("/track/campaigns/nrw-gerecht/letters").get_data(as_text=True)
    assert "17 Briefe, angezeigt 1–17." in page and "Vorschlag: inhaltlich" in page
    assert "automatische Antwort" in page and "unzustellbar" in page
    answered = client.get("/track/campaigns/nrw-gerecht/letters?reply=substantive").get_data(as_text=True)
    assert "Erika Mustermann" not in answered  # only suggested, not yet confirmed
    unanswered = client.get("/track/campaigns/nrw-gerecht/letters?reply=none").get_data(as_text=True)
    assert "16 Briefe" in unanswered and "Sabine Weiß" in unanswered
    bounced = client.get("/track/campaigns/nrw-gerecht/letters?status=bounced").get_data(as_text=True)
    assert "1 Brief," in bounced and "Frank Wolf" in bounced


def test_classifying_a_reply_confirms_it_and_the_board_filters_by_it(app, client, coordinator):
    [reply_id] = _import(app, "outlook_de.eml")
    page = client.get(f"/track/replies/{reply_id}").get_data(as_text=True)
    assert "Vorschlag der Regel: inhaltlich" in page and "Ursprüngliche Nachricht" in page
    response = client.post(
        f"/track/replies/{reply_id}",
        data={"kind": "reply", "quality": "substantive", "stance": "supportive", "commitments": "Änderungsantrag 3"},
    )
    assert response.status_code == 302
    board = client.get("/track/campaigns/nrw-gerecht/letters?reply=substantive&stance=supportive").get_data(
        as_text=True
    )
    assert "1 Brief," in board and "Erika Mustermann" in board
    with app.app_context():
        reply = db.session.get(Reply, reply_id)
        assert (
            reply.quality is ReplyQuality.SUBSTANTIVE and reply.classified_at and reply.handled_by_id == coordinator.id
        )


def test_an_upload_imports_mail_and_unmatched_mail_is_assigned_by_hand_learning_the_address(app, client, coordinator):
    files = [(io.BytesIO(read_mail("unmatched_de.eml")), "vogel.eml"), (io.BytesIO(read_mail("gmail_en.eml")), "a.eml")]
    response = client.post("/track/inbox", data={"files": files}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert "2 Nachrichten importiert: 1 zugeordnet, 1 im Eingang" in client.get("/track/inbox").get_data(as_text=True)
    with app.app_context():
        reply = db.session.scalar(select(Reply).where(Reply.campaign_id.is_(None)))
        target = db.session.scalar(select(Letter).where(Letter.reference_code == "NRW-2026-0013"))
    search = client.get(f"/track/inbox/{reply.id}?q=Vogel").get_data(as_text=True)
    assert "Karin Vogel – NRW-2026-0013" in search
    response = client.post(f"/track/inbox/{reply.id}/assign", data={"letter_id": target.id, "learn_address": "y"})
    assert response.status_code == 302 and response.headers["Location"] == f"/track/replies/{reply.id}"
    with app.app_context():
        assigned = db.session.get(Reply, reply.id)
        assert assigned.letter.reference_code == "NRW-2026-0013" and assigned.match_method == "manual"
        assert assigned.letter.status is LetterStatus.REPLIED
        learned = db.session.scalar(select(RecipientAddress))
        assert learned.email == "kontakt@buergerbuero-vogel.example.de"
        # The next mail from the office's address finds Karin Vogel by itself.
        again = read_mail("unmatched_de.eml").replace(b"<9a8b7c6d", b"<neu-9a8b7c6d")
        follow_up = import_message(db.session, again)
        assert follow_up.letter.reference_code == "NRW-2026-0013" and follow_up.match_method == "sender"


def test_assigning_without_choosing_a_letter_says_so(app, client, coordinator):
    [reply_id] = _import(app, "unmatched_de.eml")
    response = client.post(f"/track/inbox/{reply_id}/assign", data={}, follow_redirects=True)
    assert "Bitte einen Brief auswählen." in response.get_data(as_text=True)


def test_a_reply_by_post_is_logged_with_its_scan_and_shows_in_the_history(app, client, coordinator):
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.reference_code == "NRW-2026-0006"))
        recipient_id = letter.recipient_id
    url = f"/track/campaigns/nrw-gerecht/recipients/{recipient_id}/replies/new"
    data = {
        "channel": "post",
        "received_on": "2026-03-10",
        "text": "Brief von Frau Schröder: Sie unterstützt Änderungsantrag 3.",
        "quality": "substantive",
        "stance": "supportive",
        "commitments": "unterstützt Änderungsantrag 3",
        "publication_allowed": "y",
        "attachments": [(io.BytesIO(PDF), "Brief Schröder.pdf")],
    }
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    reply_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Brief Schröder.pdf</a> (28 Bytes)" in reply_page  # not „0 KB“
    assert re.search(r"<title>Antwort: \S", reply_page)  # no subject or sender by post: the person's name instead
    with app.app_context():
        reply = db.session.scalar(select(Reply))
        assert reply.publication_allowed and reply.letter.status is LetterStatus.REPLIED
        attachment_id = reply.attachments[0].id
    download = client.get(f"/track/replies/{reply.id}/attachments/{attachment_id}/download")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment;")
    history = client.get(f"/track/campaigns/nrw-gerecht/recipients/{recipient_id}").get_data(as_text=True)
    assert "Antwort von Hand erfasst" in history and "Zusagen: unterstützt Änderungsantrag 3" in history
    assert "beantwortet" in history and "Antwort erfasst" in history
    # The note of the letter's state change is stored in German and shown in the viewer's language.
    english = client.get(
        f"/track/campaigns/nrw-gerecht/recipients/{recipient_id}", headers={"Accept-Language": "en-GB"}
    ).get_data(as_text=True)
    assert "reply logged" in english and "Antwort erfasst" not in english


def test_a_logged_replys_mistakes_come_in_one_answer(app, client, coordinator):
    with app.app_context():
        recipient_id = db.session.scalar(select(Letter.recipient_id).where(Letter.reference_code == "NRW-2026-0006"))
    data = {"channel": "post", "received_on": "2099-01-01", "text": "", "from_name": "Łódź ß é ğ " * 30,
            "quality": "unclassified", "stance": "unclear"}  # fmt: skip
    response = client.post(f"/track/campaigns/nrw-gerecht/recipients/{recipient_id}/replies/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="from_name-error"' in page
    assert "Bitte den Text der Antwort eingeben oder eine Datei anhängen." in page
    assert "Das Datum liegt in der Zukunft." in page
    with app.app_context():
        assert db.session.scalar(select(Reply)) is None


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Dieser Dateityp wird nicht gespeichert"),
        ("falsch.pdf", b"<html>kein pdf</html>", "keine echte PDF-Datei"),
    ],
)
def test_a_refused_attachment_keeps_the_form_and_saves_nothing(app, client, coordinator, filename, content, message):
    with app.app_context():
        recipient_id = db.session.scalar(select(Letter.recipient_id).where(Letter.reference_code == "NRW-2026-0006"))
    data = {
        "channel": "post",
        "received_on": "2026-03-10",
        "text": "Text, der nicht verloren gehen darf",
        "quality": "unclassified",
        "stance": "unclear",
        "attachments": [(io.BytesIO(content), filename)],
    }
    response = client.post(
        f"/track/campaigns/nrw-gerecht/recipients/{recipient_id}/replies/new",
        data=data,
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and "Text, der nicht verloren gehen darf" in page
    with app.app_context():
        assert db.session.scalar(select(Reply)) is None


def test_follow_ups_are_due_after_the_campaigns_period(app, client, coordinator):
    days = (utcnow() - datetime(2026, 3, 2, 9, 15)).days
    _import(app, "outlook_de.eml")
    response = client.post("/track/campaigns/nrw-gerecht/follow-ups", data={"days": str(days + 1)})
    assert response.status_code == 302
    assert "Zurzeit ist nichts fällig." in client.get("/track/campaigns/nrw-gerecht/follow-ups").get_data(as_text=True)
    client.post("/track/campaigns/nrw-gerecht/follow-ups", data={"days": "7"})
    page = client.get("/track/campaigns/nrw-gerecht/follow-ups").get_data(as_text=True)
    assert page.count("keine Antwort") == 16 and "Erika Mustermann" not in page
    assert ">16</strong></a>" in client.get("/track/").get_data(as_text=True)
    refused = client.post("/track/campaigns/nrw-gerecht/follow-ups", data={"days": "0"})
    assert refused.status_code == 400


def test_the_board_downloads_replies_as_json(app, client, coordinator):
    _import(app, "gmail_en.eml")
    response = client.get("/track/campaigns/nrw-gerecht/export/replies/download?format=json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    [row] = json.loads(response.data)
    assert row["reference"] == "NRW-2026-0002" and row["kind"] == "reply"
    assert client.get("/track/campaigns/nrw-gerecht/export/secrets/download?format=json").status_code == 404


def test_english_pages_show_the_reply_choices_and_downloads_in_english(app, client, coordinator):
    [reply_id] = _import(app, "outlook_de.eml")
    english = {"Accept-Language": "en-GB"}
    board = client.get("/track/campaigns/nrw-gerecht/letters", headers=english).get_data(as_text=True)
    assert "Letters (CSV)" in board and "Replies (JSON)" in board and "Briefe (CSV)" not in board
    reply = client.get(f"/track/replies/{reply_id}", headers=english).get_data(as_text=True)
    assert "acknowledgement only" in reply and "nur Eingangsbestätigung" not in reply
    german = client.get(f"/track/replies/{reply_id}").get_data(as_text=True)
    assert "nur Eingangsbestätigung" in german  # the options are built once, each page still in its own language


def test_a_reply_logged_with_a_date_that_is_none_says_the_format_and_saves_nothing(app, client, coordinator):
    with app.app_context():
        recipient_id = db.session.scalar(select(Letter.recipient_id).where(Letter.reference_code == "NRW-2026-0006"))
    url = f"/track/campaigns/nrw-gerecht/recipients/{recipient_id}/replies/new"
    data = {"channel": "post", "received_on": "99.99.9999", "text": "Antwort von Łukasz Groß", "quality": "substantive"}
    refused = client.post(url, data=data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Bitte ein gültiges Datum angeben (JJJJ-MM-TT)." in page
    assert "Antwort von Łukasz Groß" in page  # the typed text is kept
    with app.app_context():
        assert db.session.scalar(select(Reply.id)) is None


def test_a_reply_cannot_have_come_before_its_letter_went_out(app, client, coordinator):
    with app.app_context():
        recipient_id = db.session.scalar(select(Letter.recipient_id).where(Letter.reference_code == "NRW-2026-0006"))
    url = f"/track/campaigns/nrw-gerecht/recipients/{recipient_id}/replies/new"
    data = {"channel": "post", "received_on": "2025-12-24", "text": "Antwort von Zoë Müller", "quality": "substantive",
            "stance": "supportive"}  # fmt: skip
    refused = client.post(url, data=data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "die Antwort kann nicht früher eingegangen sein" in page
    assert "Antwort von Zoë Müller" in page
    with app.app_context():
        assert db.session.scalar(select(Reply.id)) is None


def test_a_reply_logged_with_only_a_date_shows_no_time_and_follows_the_letter_sent_late_that_day(
    app, client, coordinator
):
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.reference_code == "NRW-2026-0006"))
        letter.sent_at = datetime(2026, 12, 2, 22, 30)  # 23:30 in Germany
        db.session.add(StateChange(object_type="Letter", object_id=letter.id, from_status="approved",
                                   to_status="sent", created_at=letter.sent_at))  # fmt: skip
        letter.recipient.first_name, letter.recipient.last_name = "Paweł", "Kowalczyk"
        letter.recipient_name = "Dr. Paweł Kowalczyk"
        recipient_id = letter.recipient_id
        db.session.commit()
    data = {"channel": "post", "received_on": "2026-12-02", "text": "Brief: Ich prüfe das Anliegen gern.",
            "quality": "substantive", "stance": "supportive"}  # fmt: skip
    response = client.post(f"/track/campaigns/nrw-gerecht/recipients/{recipient_id}/replies/new", data=data)
    assert response.status_code == 302
    reply_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<dd>02.12.2026 · Post</dd>" in reply_page and "02.12.2026, 13:00" not in reply_page
    history = client.get(f"/track/campaigns/nrw-gerecht/recipients/{recipient_id}").get_data(as_text=True)
    timeline = history.split('<ol class="history">', 1)[1]
    reply_entry = timeline.index('<time datetime="2026-12-02">02.12.2026</time>: <strong>Antwort (Post)</strong>')
    sent_entry = timeline.index('<time datetime="2026-12-02T22:30:00Z">02.12.2026, 23:30</time>: <strong>Brief NRW')
    assert reply_entry < sent_entry  # newest first: the reply came after the letter it answers


def test_an_upload_over_the_limit_names_it_and_leads_back_to_the_inbox(app, client, coordinator):
    # About 0.1 MB: the bodies below stay under the size from which the test client spools them to a file.
    app.config["MAX_CONTENT_LENGTH"] = 103 * 1024
    inbox = client.get("/track/inbox").get_data(as_text=True)
    assert 'id="files-limit">Zusammen höchstens 0,1 MB je Hochladen.</small>' in inbox
    assert re.search(r'<input[^>]*aria-describedby="[^"]*files-limit', inbox)
    big = {"files": [(io.BytesIO("From: Łukasz <l@example.org>\n\n".encode() + b"x" * 200_000), "groß.eml")]}
    refused = client.post(
        "/track/inbox",
        data=big,
        content_type="multipart/form-data",
        headers={"Referer": "http://localhost/track/inbox"},
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 413
    assert "Die Datei ist zu groß. Höchstens 0,1 MB lassen sich auf einmal hochladen." in page
    assert '<a href="/track/inbox">Zurück zur Seite, von der Sie hochgeladen haben</a>' in page
    english = client.post(
        "/track/inbox", data={"files": [(io.BytesIO(b"x" * 200_000), "big.eml")]},
        content_type="multipart/form-data", headers={"Referer": "https://evil.example.org/x", "Accept-Language": "en"},
    ).get_data(as_text=True)  # fmt: skip
    assert "0.1 MB" in english and "evil.example.org" not in english


def test_the_history_names_the_quality_and_the_stance_of_a_reply(app, client, coordinator):
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.reference_code == "NRW-2026-0006"))
        recipient_id = letter.recipient_id
    data = {"channel": "post", "received_on": "2026-03-10", "text": "Brief von Frau Schröder.",
            "quality": "unclassified", "stance": "unclear"}  # fmt: skip
    client.post(f"/track/campaigns/nrw-gerecht/recipients/{recipient_id}/replies/new", data=data)
    url = f"/track/campaigns/nrw-gerecht/recipients/{recipient_id}"
    german = client.get(url).get_data(as_text=True)
    assert "– Qualität: nicht eingeordnet, Haltung: nicht eingeordnet" in german
    english = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "– Quality: not classified, stance: not classified" in english
    assert "not classified, not classified" not in english
