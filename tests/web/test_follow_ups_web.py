"""The follow-up screens: the follow-up template, follow-ups from the due list, approval and sending, reminders."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from campaign.db import db
from campaign.models import Campaign, Letter, LetterStatus, OutboxMessage, ReferenceCounter, Role
from campaign.services.campaigns.editing import duplicate_campaign
from campaign.services.common.dates import today_in_germany
from campaign.services.letters.references import reference_prefix
from campaign.services.replies.follow_up_letters import follow_up_template
from campaign.services.replies.followups import agreed_follow_ups, due_counts
from tests.factories import make_campaign, make_recipient
from tests.factories_replies import (
    MAIL_FROM,
    REPLY_ADDRESS,
    make_reply,
    make_reply_campaign,
    make_sent_letter,
    message_id,
)

URL = "/track/campaigns/nrw-gerecht/follow-ups"
SUBJECT = "Nachfrage: {{ erster_brief.betreff }}"
BODY = "{{ anrede }},\n\nam {{ erster_brief.versandt_am }} schrieben wir Ihnen ({{ erster_brief.zeichen }})."


def _campaign() -> Campaign:
    """The campaign under URL; by its slug, since the other campaign of the fixture has a sent letter too (a letter
    picked without an order may be that one)."""
    return db.session.scalar(select(Campaign).where(Campaign.slug == "nrw-gerecht"))


@pytest.fixture
def app(app_factory):
    app = app_factory(REPLY_ADDRESS=REPLY_ADDRESS, MAIL_FROM=MAIL_FROM)
    with app.app_context():
        letters = make_reply_campaign(db.session)
        # The test letters were numbered by hand: new codes go on from the last one, as in real use.
        prefix = reference_prefix(letters[1].campaign, today_in_germany())
        db.session.add(ReferenceCounter(prefix=prefix, last_number=100))
        other = make_campaign(db.session)
        make_sent_letter(db.session, other, make_recipient(db.session, last_name="Ğüneş"), "AND-2026-0001")
        db.session.commit()
    return app


@pytest.fixture
def coordinator(login):
    return login(Role.COORDINATOR)


def _ids(app, *numbers: int) -> list[int]:
    with app.app_context():
        codes = [f"NRW-2026-{number:04d}" for number in numbers]
        return list(db.session.scalars(select(Letter.id).where(Letter.reference_code.in_(codes))))


def _follow_ups(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Letter.id)).where(Letter.follow_up_of_id.is_not(None)))


def _save_template(client):
    response = client.post(f"{URL}/template", data={"subject": SUBJECT, "body": BODY})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_the_template_page_starts_from_a_working_follow_up_and_previews_it(app, client, coordinator):
    page = client.get(f"{URL}/template").get_data(as_text=True)
    assert "{{ erster_brief.versandt_am }}" in page and "Unser Zeichen des ersten Briefs" in page
    _save_template(client)
    page = client.get(f"{URL}/template").get_data(as_text=True)
    assert "Die Vorlage für Nachfragen ist gespeichert (Version 1)." in page
    # The preview: the longest-waiting due letter (all went out on 2 March; the first by code).
    assert "Für Erika Mustermann" in page and "Nachfrage: Ihr Leitantrag" in page
    assert "am 2. März 2026 schrieben wir Ihnen (NRW-2026-0001)." in page


@pytest.mark.parametrize(
    ("subject", "body", "message"),
    [
        (SUBJECT, "", "Bitte einen Brieftext angeben."),
        ("", BODY, "Bitte einen Betreff angeben."),
        (SUBJECT, "Text, der bleibt {{ ''.__class__.__mro__ }}", "interne Attribute"),
        (SUBJECT, "Text, der bleibt {% include 'x' %}", "Andere Vorlagen einzubinden"),
        (SUBJECT, "Text, der bleibt {{ erster_brief.geheim }}", "„erster_brief.geheim“ gibt es nicht"),
        (SUBJECT, "Text, der bleibt {{ ", "Syntaxfehler in Zeile 1"),
    ],
)
def test_an_empty_or_hostile_template_is_refused_with_the_text_kept(app, client, coordinator, subject, body, message):
    response = client.post(f"{URL}/template", data={"subject": subject, "body": body})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    if body.startswith("Text"):
        assert "Text, der bleibt" in page
    with app.app_context():
        assert follow_up_template(db.session, _campaign()) is None


def test_a_missing_subject_and_a_syntax_error_come_in_one_answer(app, client, coordinator):
    response = client.post(f"{URL}/template", data={"subject": "", "body": "Grüße aus Łódź, ß é ğ {{ "})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Bitte einen Betreff angeben." in page and "Syntaxfehler in Zeile 1" in page
    with app.app_context():
        assert follow_up_template(db.session, _campaign()) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope": "selected"}, "Bitte mindestens einen Brief auswählen."),
        ({"scope": "selected", "letters": "abc"}, "Die Auswahl der Briefe ist ungültig."),
        ({"letters": "1"}, "Bitte eine der Schaltflächen wählen."),
        ({"scope": "alles"}, "Bitte eine der Schaltflächen wählen."),
    ],
)
def test_generating_without_a_valid_choice_changes_nothing(app, client, coordinator, data, message):
    _save_template(client)
    page = client.post(f"{URL}/generate", data=data, follow_redirects=True).get_data(as_text=True)
    assert message in page and _follow_ups(app) == 0


def test_another_campaigns_letters_are_refused(app, client, coordinator):
    _save_template(client)
    with app.app_context():
        foreign = db.session.scalar(select(Letter.id).where(Letter.reference_code == "AND-2026-0001"))
    data = {"scope": "selected", "letters": [str(foreign), *map(str, _ids(app, 1))]}
    page = client.post(f"{URL}/generate", data=data, follow_redirects=True).get_data(as_text=True)
    assert "gehört nicht zu dieser Kampagne" in page and _follow_ups(app) == 0


def test_without_a_template_the_due_list_asks_for_one(app, client, coordinator):
    page = client.get(URL).get_data(as_text=True)
    assert "Vorlage für Nachfragen schreiben" in page and "Nachfragen an alle Briefe ohne Antwort erzeugen" not in page
    page = client.post(f"{URL}/generate", data={"scope": "all"}, follow_redirects=True).get_data(as_text=True)
    assert "Bitte zuerst die Vorlage für Nachfragen schreiben" in page and _follow_ups(app) == 0


def test_a_coordinator_makes_approves_and_sends_follow_ups_to_chosen_due_letters(app, client, coordinator):
    assert "NRW, jetzt erst gerecht: 17 Nachfragen fällig." in client.get("/track/").get_data(as_text=True)
    _save_template(client)
    chosen = _ids(app, 1, 2)
    page = client.post(
        f"{URL}/generate", data={"scope": "selected", "letters": [str(i) for i in chosen]}, follow_redirects=True
    ).get_data(as_text=True)
    assert "2 Nachfragen als Entwurf erzeugt." in page
    assert "NRW-2026-0101" in page and "NRW-2026-0102" in page and page.count("keine Antwort") == 15
    # Twice the same click adds nothing.
    again = client.post(
        f"{URL}/generate", data={"scope": "selected", "letters": [str(i) for i in chosen]}, follow_redirects=True
    ).get_data(as_text=True)
    assert "hat schon eine Nachfrage (NRW-2026-0101)" in again and _follow_ups(app) == 2
    assert "NRW, jetzt erst gerecht: 15 Nachfragen fällig." in client.get("/track/").get_data(as_text=True)

    page = client.post(f"{URL}/approve", follow_redirects=True).get_data(as_text=True)
    assert "2 Nachfragen freigegeben." in page
    response = client.post(f"{URL}/send")
    assert response.status_code == 302 and "/organise/jobs/" in response.headers["Location"]
    with app.app_context():
        first_ids = {
            letter.follow_up_of.reference_code: letter
            for letter in db.session.scalars(select(Letter).where(Letter.follow_up_of_id.is_not(None)))
        }
        assert {letter.status for letter in first_ids.values()} == {LetterStatus.SENT}
        raw = db.session.scalar(
            select(OutboxMessage.raw).where(OutboxMessage.letter_id == first_ids["NRW-2026-0001"].id)
        )
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert message["In-Reply-To"] == message_id(1) and message["Subject"].startswith("Nachfrage: ")
        assert "(NRW-2026-0001)." in message.get_body(("plain",)).get_content()
    page = client.get(URL).get_data(as_text=True)
    assert page.count("Nachfrage gesendet am") == 2
    board = client.get("/track/campaigns/nrw-gerecht/letters").get_data(as_text=True)
    assert "17 Briefe, angezeigt 1–17." in board and board.count("Nachfrage gesendet am") == 2
    history = client.get(f"/track/campaigns/nrw-gerecht/recipients/{_recipient(app, 1)}").get_data(as_text=True)
    assert "Nachfrage NRW-2026-0101" in history and "zum Brief NRW-2026-0001" in history


def _recipient(app, number: int) -> int:
    with app.app_context():
        return db.session.scalar(select(Letter.recipient_id).where(Letter.reference_code == f"NRW-2026-{number:04d}"))


def test_all_due_letters_at_once_and_nothing_left_to_send_is_said(app, client, coordinator):
    _save_template(client)
    page = client.post(f"{URL}/generate", data={"scope": "all"}, follow_redirects=True).get_data(as_text=True)
    assert "17 Nachfragen als Entwurf erzeugt." in page and "Zurzeit ist nichts fällig." in page
    page = client.post(f"{URL}/send", follow_redirects=True).get_data(as_text=True)
    assert "Es gibt keine freigegebenen Nachfragen per E-Mail." in page
    page = client.post(f"{URL}/posted", follow_redirects=True).get_data(as_text=True)
    assert "Es gibt keine freigegebenen Nachfragen, die per Post gehen." in page


def test_the_follow_up_template_is_no_letter_template_and_goes_with_a_copy_of_the_campaign(app, client, coordinator):
    _save_template(client)
    with app.app_context():
        campaign = _campaign()
        template = follow_up_template(db.session, campaign)
        copy = duplicate_campaign(db.session, campaign, title="Kopie mit Nachfrage")
        db.session.commit()
        copied = follow_up_template(db.session, copy)
        assert (copied.current_version.subject, copied.current_version.body) == (SUBJECT, BODY)
        assert copy.templates == []
        template_id = template.id
    assert client.get(f"/organise/templates/{template_id}").status_code == 404


def test_an_agreed_follow_up_is_listed_apart_with_the_way_to_its_answer_and_the_buttons_agree(app, client, coordinator):
    _save_template(client)
    client.post(f"{URL}/generate", data={"scope": "all"})  # every unanswered letter has its follow-up now
    today = today_in_germany()
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.reference_code == "NRW-2026-0003"))
        letter.recipient_name = "Dr. Paweł Kowalczyk"
        reply_id = make_reply(db.session, letter, follow_up_on=today).id
        db.session.commit()
    page = client.get(URL).get_data(as_text=True)
    agreed = page.split("Vereinbarte Termine zum Nachfassen", 1)[1].split("</table>", 1)[0]
    assert "Dr. Paweł Kowalczyk" in agreed and f"Nachfassen vereinbart zum {today:%d.%m.%Y}" in agreed
    assert f'href="/track/replies/{reply_id}">Antwort öffnen</a>' in agreed
    assert "Eine Nachfrage aus der Vorlage passt dazu nicht" in page and "<td>–</td>" not in page
    assert "Zurzeit ist nichts fällig." not in page
    # No letter without an answer is due: no buttons, and asking anyway says what is meant, not „nothing is due“.
    assert "Nachfragen an Ausgewählte erzeugen" not in page and 'type="checkbox" name="letters"' not in page
    refused = client.post(f"{URL}/generate", data={"scope": "all"}, follow_redirects=True).get_data(as_text=True)
    assert "Keine Nachfrage erzeugt: Kein Brief ohne Antwort ist fällig. Vereinbarte Termine" in refused
    assert "Dr. Paweł Kowalczyk" in refused and "Es ist keine fällig" not in refused


def test_agreed_follow_ups_and_unanswered_letters_count_the_same_on_the_overview(app, client, coordinator):
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.reference_code == "NRW-2026-0003"))
        make_reply(db.session, letter, follow_up_on=today_in_germany())
        make_reply(db.session, None, follow_up_on=today_in_germany()).campaign_id = _campaign().id
        db.session.commit()
    page = client.get(URL).get_data(as_text=True)
    listed = page.count('type="checkbox" name="letters"') + page.count("Antwort öffnen</a>")
    assert listed == 17
    assert "NRW, jetzt erst gerecht: 17 Nachfragen fällig." in client.get("/track/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("days", "message"),
    [("0", "Zahl muss zwischen 1 und 365 liegen."), ("366", "Zahl muss zwischen 1 und 365 liegen."),
     ("", "Bitte eine Zahl angeben."), ("drei", "Keine gültige, ganze Zahl.")],
)  # fmt: skip
def test_the_follow_up_period_outside_its_range_names_the_range(app, client, coordinator, days, message):
    response = client.post(URL, data={"days": days})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    if days == "0":
        assert "Bitte eine Zahl angeben." not in page


def test_a_follow_up_agreed_for_today_is_due_in_the_german_evening_too(app):
    late_evening = datetime(2026, 12, 2, 23, 30)  # UTC: already 3 December in Germany
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.reference_code == "NRW-2026-0003"))
        make_reply(db.session, letter, follow_up_on=date(2026, 12, 3))
        campaign = _campaign()
        [agreed] = agreed_follow_ups(db.session, campaign, now=late_evening)
        assert agreed.reason == "Nachfassen vereinbart zum 03.12.2026" and agreed.days_waiting == 0
        assert due_counts(db.session, [campaign], now=late_evening)[campaign.id] >= 1
