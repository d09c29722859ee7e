"""Supporters' letters under data protection: export, erasure of a writer whose letter went out, the purge."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from campaign.db import db, utcnow
from campaign.models import Letter, OutboxMessage, Supporter, SupporterLetter
from campaign.services.privacy.purge import purge
from campaign.services.writing.letters import access_token
from campaign.services.writing.mails import KIND_CONFIRMATION
from tests.factories_writing import link_in, write_form
from tests.writing.conftest import outbox

OWN = "Ich lebe seit dreißig Jahren in Köln-Kalk und kenne die Not in den Unterkünften aus der Nähe."


def _send(client, app, written, **values) -> None:
    client.post(f"/c/{written.slug}/write", data=write_form(written, own_text=OWN, **values))
    client.post(link_in(outbox(app, KIND_CONFIRMATION)[-1].raw, "confirm"))


def test_export_lists_the_letter_with_its_consent(client, app, written, runner):
    _send(client, app, written)
    result = runner.invoke(args=["privacy", "export", "Guelsen@Example.org"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    [letter] = data["supporter_letters"]
    assert letter["writer"]["street"] == "Fliederweg 3" and letter["consent_version"] == "brief-2026-12-01"
    assert "Ich willige ein" in letter["consent_text"] and "Köln-Kalk" in letter["letter_as_sent"]


def test_erasing_a_writer_keeps_the_letter_as_sent_and_removes_them(client, app, written, runner):
    _send(client, app, written)
    with app.app_context():
        before = db.session.scalar(select(Letter)).body_text
        seed_letter = db.session.scalar(select(SupporterLetter))
        access = f"/c/{written.slug}/write/answer/" + access_token(seed_letter)
    assert client.get(access).status_code == 200
    result = runner.invoke(args=["privacy", "erase", "guelsen@example.org"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        letter = db.session.scalar(select(Letter))
        assert letter.body_text == before  # the office's letter stays as it went out
        assert letter.supporter_id is not None  # … and still counts as a supporter's letter
        written_row = db.session.scalar(select(SupporterLetter))
        assert written_row.email == "" and written_row.street == "" and written_row.supporter_id is None
        supporter = db.session.get(Supporter, letter.supporter_id)
        assert supporter.email == "" and supporter.first_name == "" and supporter.erased_at is not None
        assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "guelsen@example.org")) is None
        assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.letter_id == letter.id)) is None
    assert "ungültig" in client.get(access).text
    again = runner.invoke(args=["privacy", "export", "guelsen@example.org"])
    assert '"found": false' in again.output


def test_erasing_a_writer_whose_letter_was_not_confirmed_leaves_nothing(client, app, written, runner):
    client.post(f"/c/{written.slug}/write", data=write_form(written, own_text=OWN))
    runner.invoke(args=["privacy", "erase", "guelsen@example.org"])
    with app.app_context():
        assert db.session.query(SupporterLetter).count() == 0
        assert db.session.query(Supporter).count() == 0


def test_the_purge_drops_unconfirmed_letters_and_old_writers_details(client, app, written):
    client.post(f"/c/{written.slug}/write", data=write_form(written, own_text=OWN, email="spaet@example.org"))
    _send(client, app, written)
    with app.app_context():
        report = purge(db.session, utcnow() + timedelta(days=8))
        db.session.commit()
        assert report.letters_deleted == 1
        assert db.session.query(SupporterLetter).count() == 1
        report = purge(db.session, utcnow() + timedelta(days=400))
        db.session.commit()
        assert report.letters_anonymised == 1
        written_row = db.session.scalar(select(SupporterLetter))
        assert written_row.email == "" and written_row.letter_text
        assert db.session.query(Supporter).filter(Supporter.email != "").count() == 0
        assert db.session.scalar(select(Letter)).body_text


def test_withdrawing_consent_on_the_letters_page(client, app, written):
    _send(client, app, written)
    [mail] = outbox(app, KIND_CONFIRMATION)
    page = link_in(mail.raw, "letter")
    shown = client.get(page)
    assert "Einwilligung widerrufen" in shown.text
    assert "Angaben zu diesem Brief sind gelöscht" in client.post(page + "/withdraw").text
    with app.app_context():
        written_row = db.session.scalar(select(SupporterLetter))
        assert written_row.email == "" and written_row.supporter_id is None
        assert db.session.scalar(select(Letter)).body_text  # the office keeps what it received
    assert "ungültig" in client.get(page).text
    assert client.post(page + "/withdraw").status_code == 404


def test_withdrawing_an_unconfirmed_letter_deletes_it(client, app, written):
    client.post(f"/c/{written.slug}/write", data=write_form(written, own_text=OWN))
    page = link_in(outbox(app, KIND_CONFIRMATION)[-1].raw, "letter")
    client.post(page + "/withdraw")
    with app.app_context():
        assert db.session.query(SupporterLetter).count() == 0


def test_the_privacy_notice_describes_own_letters(client):
    text = client.get("/privacy").text
    assert "Wenn Sie einen eigenen Brief schreiben" in text
    assert "Eigene Briefe, die Sie nicht bestätigen, löschen wir nach 7 Tagen." in text
