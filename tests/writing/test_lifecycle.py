"""After writing: confirm links (forged, expired, reused), moderation, posting it yourself, variation, questionnaire."""

from __future__ import annotations

import email
import time
from datetime import timedelta
from email.policy import default

from sqlalchemy import select

from campaign.db import db, utcnow
from campaign.jobs.writing import send_due_questionnaires
from campaign.models import (
    Letter,
    LetterStatus,
    QuestionnaireAnswer,
    Reply,
    ReplyChannel,
    ReplyQuality,
    SupporterLetter,
    SupporterLetterStatus,
    WritingSettings,
)
from campaign.services.writing.mails import KIND_CONFIRMATION, KIND_LETTER, KIND_QUESTIONNAIRE, KIND_REMINDER
from tests.factories_writing import MAIL_FROM, link_in, make_writing_campaign, write_form
from tests.writing.conftest import outbox

OWN = "Ich arbeite seit zwölf Jahren in der Beratung in Köln-Nippes und sehe jeden Tag, was fehlt."


def _write(client, app, written, **values) -> str:
    response = client.post(f"/c/{written.slug}/write", data=write_form(written, **values))
    assert response.status_code == 302, response.text
    return link_in(outbox(app, KIND_CONFIRMATION)[-1].raw, "confirm")


def _letter(app) -> SupporterLetter:
    with app.app_context():
        letter = db.session.scalar(select(SupporterLetter).order_by(SupporterLetter.id.desc()))
        db.session.expunge_all()
        return letter


def _settings(app, written, **values) -> None:
    with app.app_context():
        settings = db.session.get(WritingSettings, written.campaign_id)
        for name, value in values.items():
            setattr(settings, name, value)
        db.session.commit()


def test_forged_and_foreign_tokens_open_nothing(client, app, written):
    path = _write(client, app, written, own_text=OWN)
    forged = path[:-3] + ("abc" if not path.endswith("abc") else "xyz")
    assert "ungültig" in client.post(forged).text
    assert "ungültig" in client.get(f"/c/{written.slug}/write/confirm/gefaelscht").text
    assert "ungültig" in client.get(f"/c/{written.slug}/write/letter/gefaelscht").text
    assert "ungültig" in client.get(f"/c/{written.slug}/write/answer/gefaelscht").text
    assert _letter(app).status is SupporterLetterStatus.PENDING
    # The confirm token is not the page token: it opens no letter page.
    token = path.rsplit("/", 1)[1]
    assert "ungültig" in client.get(f"/c/{written.slug}/write/letter/{token}").text


def test_an_expired_confirm_link_says_so_and_sends_nothing(app_factory):
    app = app_factory(JOBS_URL="memory://", MAIL_FROM=MAIL_FROM, UNCONFIRMED_SIGNATURE_DAYS=0)
    with app.app_context():
        written = make_writing_campaign(db.session)
        db.session.commit()
    client = app.test_client()
    path = _write(client, app, written, own_text=OWN)
    time.sleep(1.1)  # itsdangerous counts whole seconds
    assert "abgelaufen" in client.post(path).text
    assert _letter(app).status is SupporterLetterStatus.PENDING
    assert outbox(app, KIND_LETTER) == []


def test_held_letters_wait_for_approval(client, app, written, login):
    _settings(app, written, moderated=True)
    path = _write(client, app, written, own_text=OWN)
    assert "sieht ihn kurz durch" in client.post(path).text
    assert _letter(app).status is SupporterLetterStatus.HELD
    assert outbox(app, KIND_LETTER) == []


def test_posting_it_yourself(client, app, written):
    path = _write(client, app, written, recipient=written.postal_id, postcode="50733", delivery="post", own_text=OWN)
    done = client.post(path)
    assert "Drucken Sie ihn jetzt aus" in done.text
    letter = _letter(app)
    assert letter.status is SupporterLetterStatus.TO_POST and letter.reference_code
    page = next(line for line in done.text.split('"') if "/write/letter/" in line)
    pdf = client.get(page + ".pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    client.post(page)
    with app.app_context():
        record = db.session.scalar(select(Letter))
        assert record.status is LetterStatus.SENT and record.delivery == "post"
        assert "Fliederweg 3" in record.body_text
    assert outbox(app, KIND_LETTER) == []


def test_e_mail_is_refused_for_a_recipient_without_address(client, app, written):
    response = client.post(
        f"/c/{written.slug}/write",
        data=write_form(written, recipient=written.postal_id, postcode="50733", delivery="email", own_text=OWN),
    )
    assert response.status_code == 400 and "keine E-Mail-Adresse" in response.text


def _send(client, app, written, **values) -> None:
    client.post(_write(client, app, written, **values))


def test_identical_text_is_warned_about_and_can_be_blocked(client, app, written):
    _send(client, app, written, email="erste@example.org")
    data = write_form(written, email="zweite@example.org")
    data["step"] = "preview"
    warned = client.post(f"/c/{written.slug}/write", data=data)
    assert "gleicht fast wörtlich einem Brief" in warned.text
    data["step"] = "submit"
    assert client.post(f"/c/{written.slug}/write", data=data).status_code == 302  # a warning, not a block
    _settings(app, written, block_similar=True)
    blocked = client.post(f"/c/{written.slug}/write", data={**data, "email": "dritte@example.org"})
    assert blocked.status_code == 400 and "mehr in eigenen Worten" in blocked.text
    with app.app_context():
        assert db.session.query(SupporterLetter).count() == 2
    # In their own words, the same person gets through.
    own = write_form(written, email="dritte@example.org", own_text=OWN + " Bitte ändern Sie den Antrag!")
    assert client.post(f"/c/{written.slug}/write", data=own).status_code == 302


def test_questionnaire_after_the_set_days_and_the_answer_becomes_a_reply(client, app, written):
    _send(client, app, written, own_text=OWN)
    with app.app_context():
        assert send_due_questionnaires(utcnow() + timedelta(days=13)).questionnaires == 0
        assert send_due_questionnaires(utcnow() + timedelta(days=14, minutes=1)).questionnaires == 1
        assert send_due_questionnaires(utcnow() + timedelta(days=14, minutes=2)).questionnaires == 0
    [mail] = outbox(app, KIND_QUESTIONNAIRE)
    path = link_in(mail.raw, "answer")
    page = client.get(path)
    assert "antworten+" in page.text and "Noch keine Antwort" in page.text
    assert client.post(path, data={"answer": "vielleicht"}).status_code == 400
    client.post(path, data={"answer": QuestionnaireAnswer.NO_REPLY.value})
    with app.app_context():
        later = utcnow() + timedelta(days=28, minutes=5)
        assert send_due_questionnaires(later).reminders == 1
        assert send_due_questionnaires(later).reminders == 0
    assert len(outbox(app, KIND_REMINDER)) == 1
    saved = client.post(path, data={"answer": "answered", "text": "Sehr geehrte Frau Ćwikłińska, danke …"})
    assert "Ihre Antwort ist gespeichert" in saved.text
    with app.app_context():
        reply = db.session.scalar(select(Reply))
        assert reply.channel is ReplyChannel.SUPPORTER_REPORT
        assert reply.suggested_quality is ReplyQuality.SUBSTANTIVE and "danke" in reply.body_text
        assert reply.letter.status is LetterStatus.REPLIED
    # Changing the answer changes the same reply.
    client.post(path, data={"answer": "acknowledged", "text": ""})
    with app.app_context():
        assert db.session.query(Reply).count() == 1
        assert db.session.scalar(select(Reply)).suggested_quality is ReplyQuality.ACKNOWLEDGEMENT


def test_the_questionnaire_runs_every_hour_on_the_workers():
    from datetime import datetime

    from campaign.jobs import huey
    from campaign.jobs.queue import enqueue_job  # noqa: F401  (registers every periodic task)
    from campaign.jobs.writing import questionnaires_hourly

    def due(minute: datetime) -> bool:
        return any(isinstance(task, questionnaires_hourly.task_class) for task in huey.read_periodic(minute))

    assert due(datetime(2026, 3, 2, 9, 23)) and due(datetime(2026, 3, 2, 0, 23))
    assert not due(datetime(2026, 3, 2, 9, 24))


def _text(mail) -> tuple[str, str]:
    message = email.message_from_bytes(mail.raw, policy=default)
    return message["Subject"], message.get_body(preferencelist=("plain",)).get_content()


def test_the_mails_to_a_writer_are_in_the_language_of_the_pages_written_on(client, app, written):
    client.post(f"/c/{written.slug}/write", data=write_form(written, own_text=OWN), headers={"Accept-Language": "en"})
    assert _letter(app).locale == "en"
    subject, text = _text(outbox(app, KIND_CONFIRMATION)[-1])
    assert subject.startswith("Please confirm: your letter to") and "Please confirm with this link" in text
    assert "click “Confirm the letter”" in text and "withdrawing your consent" in text
    client.post(link_in(outbox(app, KIND_CONFIRMATION)[-1].raw, "confirm"))
    with app.app_context():
        # The questionnaire is made by the worker, weeks later and outside any request: still in English.
        assert send_due_questionnaires(utcnow() + timedelta(days=14, minutes=1)).questionnaires == 1
    subject, text = _text(outbox(app, KIND_QUESTIONNAIRE)[-1])
    assert subject.startswith("Did ") and subject.endswith(" reply?")
    assert "Did you get a reply?" in text and "Four answers, one click" in text
    # The letter itself goes to the office in German, whatever the language of the pages.
    subject, text = _text(outbox(app, KIND_LETTER)[-1])
    assert "hat diesen Brief selbst geschrieben" in text


def test_a_letter_written_on_german_pages_gets_german_mails(client, app, written):
    _send(client, app, written, own_text=OWN)
    assert _letter(app).locale == "de"
    with app.app_context():
        send_due_questionnaires(utcnow() + timedelta(days=14, minutes=1))
    subject, text = _text(outbox(app, KIND_QUESTIONNAIRE)[-1])
    assert subject.startswith("Hat ") and "Haben Sie eine Antwort bekommen?" in text
