"""Letters by e-mail through a real SMTP server: headers, four-eyes approval, schedule, pause, retries, bounces."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from campaign.db import db, utcnow
from campaign.jobs.outbox import deliver_due
from campaign.models import AuditEvent, Letter, LetterStatus, OutboxMessage, OutboxStatus
from campaign.services.common.dates import german_time_to_utc, today_in_germany, utc_to_german_time
from campaign.services.common.errors import ServiceError
from campaign.services.sending.lifecycle import (
    approve_letters,
    cancel_queued,
    generate_letters,
    queue_letters,
    retry_failed,
    schedule,
    sending_settings,
    set_paused,
)
from campaign.services.sending.offline import correct_address, mark_delivered
from tests.factories import make_user
from tests.factories_letters import make_organisation, pdf_text
from tests.services.sending.helpers import MAIL, decoded_header, email_campaign, queued_campaign, statuses


def test_a_letter_arrives_from_the_organisation_with_code_reply_to_text_html_and_pdf(smtp_app, mail_server):
    organisation = make_organisation(db.session, name="Flüchtlingsrat Ğüłé\r\nBcc: opfer@example.org", email="")
    campaign = queued_campaign(1, attach_pdf=True, organisation=organisation)
    assert deliver_due().sent == 1
    letter = db.session.scalars(select(Letter).where(Letter.campaign_id == campaign.id)).one()
    [item] = mail_server.received
    message = item.message
    assert item.envelope_from == "kampagne@example.org" and item.recipients == ["person0@example.org"]
    assert message["Bcc"] is None
    sender = "Flüchtlingsrat Ğüłé Bcc: opfer@example.org <kampagne@example.org>"
    assert decoded_header(item.raw, "From") == sender
    assert message["Subject"] == f"Ihr Antrag [{letter.reference_code}]"
    assert message["Reply-To"].addresses[0].addr_spec == f"antworten+{letter.reference_code}@example.org"
    assert message["Message-ID"] == db.session.scalar(select(OutboxMessage.message_id))
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "wir schreiben Ihnen wegen" in text and f"Unser Zeichen: {letter.reference_code}" in text
    assert "<p>" in html and letter.reference_code in html
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename().startswith(letter.reference_code)
    assert letter.reference_code in pdf_text(attachment.get_content())
    assert (letter.status, letter.delivery) == (LetterStatus.SENT, "email") and letter.sent_at is not None


def test_without_pdf_setting_no_attachment_and_organisation_address_as_from(smtp_app, mail_server):
    organisation = make_organisation(db.session, name="Initiative", email="kontakt@initiative.example")
    queued_campaign(1, organisation=organisation)
    deliver_due()
    message = mail_server.received[0].message
    assert list(message.iter_attachments()) == []
    assert str(message["From"]) == "Initiative <kontakt@initiative.example>"
    assert mail_server.received[0].envelope_from == "kampagne@example.org"


def test_four_eyes_approval_needs_someone_other_than_the_generator(smtp_app):
    campaign, _people = email_campaign(2)
    author, second = make_user(db.session), make_user(db.session)
    sending_settings(db.session, campaign).require_second_approver = True
    generate_letters(db.session, campaign, on=today_in_germany(), user=author)
    with pytest.raises(ServiceError, match="zweite Person"):
        approve_letters(db.session, campaign, user=author)
    with pytest.raises(ServiceError, match="zweite Person"):
        approve_letters(db.session, campaign, user=None)
    result = approve_letters(db.session, campaign, user=second)
    assert len(result.done) == 2 and statuses(campaign) == [LetterStatus.APPROVED] * 2
    letter = db.session.scalars(select(Letter)).first()
    assert letter.approved_by_id == second.id and letter.prepared_by_id == author.id


def test_without_four_eyes_the_generator_may_approve(smtp_app):
    campaign, _people = email_campaign(1)
    author = make_user(db.session)
    generate_letters(db.session, campaign, on=today_in_germany(), user=author)
    assert approve_letters(db.session, campaign, user=author).done


def test_scheduled_sending_waits_for_its_time(smtp_app, mail_server):
    campaign, _people = email_campaign(2)
    generate_letters(db.session, campaign, on=today_in_germany())
    approve_letters(db.session, campaign, user=None)
    queue_letters(db.session, campaign, MAIL, user=None, at=utcnow() + timedelta(hours=2))
    db.session.commit()
    assert deliver_due().sent == 0 and mail_server.received == []
    assert statuses(campaign) == [LetterStatus.QUEUED] * 2
    schedule(db.session, campaign, None, user=None)  # "send now"
    db.session.commit()
    assert deliver_due().sent == 2 and statuses(campaign) == [LetterStatus.SENT] * 2


def test_a_time_in_the_past_is_refused(smtp_app):
    campaign, _people = email_campaign(1)
    with pytest.raises(ServiceError, match="Vergangenheit"):
        schedule(db.session, campaign, utcnow() - timedelta(minutes=1), user=None)


def test_paused_sending_holds_everything_until_resumed(smtp_app, mail_server):
    campaign = queued_campaign(2)
    set_paused(db.session, campaign, True, user=None)
    db.session.commit()
    assert deliver_due().sent == 0 and mail_server.received == []
    # Letters queued while paused are held as well.
    set_paused(db.session, campaign, False, user=None)
    db.session.commit()
    assert deliver_due().sent == 2
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert {"sending.pause", "sending.resume", "letters.queue", "letters.approve"} <= set(actions)


def test_letters_queued_while_paused_wait_too(smtp_app, mail_server):
    campaign, _people = email_campaign(1)
    set_paused(db.session, campaign, True, user=None)
    generate_letters(db.session, campaign, on=today_in_germany())
    approve_letters(db.session, campaign, user=None)
    queue_letters(db.session, campaign, MAIL, user=None)
    db.session.commit()
    assert deliver_due().sent == 0


def test_the_rate_limit_holds_across_runs(app_factory, mail_server):
    app = app_factory(MAIL_URL=mail_server.url, MAIL_FROM="Kampagne <kampagne@example.org>", MAIL_RATE_PER_MINUTE=3)
    with app.app_context():
        queued_campaign(5)
        assert deliver_due().sent == 3
        assert deliver_due().sent == 0 and len(mail_server.received) == 3
        # A minute later the next three may go.
        db.session.execute(update(OutboxMessage).values(sent_at=utcnow() - timedelta(seconds=61)))
        db.session.commit()
        assert deliver_due().sent == 2 and len(mail_server.received) == 5


def test_a_refusing_server_fails_the_letter_which_can_be_retried(app_factory, mail_server):
    app = app_factory(MAIL_URL=mail_server.url, MAIL_FROM="k@example.org", OUTBOX_MAX_ATTEMPTS=2)
    with app.app_context():
        campaign = queued_campaign(1)
        mail_server.handler.refuse_rcpt["person0@example.org"] = "451 4.3.0 Try again later"
        deliver_due()
        assert statuses(campaign) == [LetterStatus.QUEUED]
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        deliver_due()
        assert statuses(campaign) == [LetterStatus.FAILED]
        assert db.session.scalar(select(OutboxMessage.status)) is OutboxStatus.DEAD
        mail_server.handler.refuse_rcpt.clear()
        retry_failed(db.session, campaign, user=None)
        db.session.commit()
        assert deliver_due().sent == 1 and statuses(campaign) == [LetterStatus.SENT]
        assert len(mail_server.received) == 1


def test_a_5xx_at_rcpt_bounces_the_letter_and_a_corrected_address_is_sent_again(smtp_app, mail_server):
    campaign = queued_campaign(2)
    mail_server.handler.refuse_rcpt["person0@example.org"] = "550 5.1.1 User unknown"
    deliver_due()
    assert statuses(campaign) == [LetterStatus.BOUNCED, LetterStatus.SENT]
    bounced = db.session.scalars(select(Letter).where(Letter.status == LetterStatus.BOUNCED)).one()
    person = bounced.recipient
    assert "550" in person.email_failure
    with pytest.raises(ServiceError, match="E-Mail"):
        correct_address(db.session, campaign, person, "kein-at-zeichen")
    result = correct_address(db.session, campaign, person, "Richtig.Ğ@example.org")
    assert result.done == [bounced.reference_code] and person.email_failed_at is None
    assert bounced.status is LetterStatus.APPROVED and bounced.recipient_email == "Richtig.Ğ@example.org"
    queue_letters(db.session, campaign, MAIL, user=None)
    db.session.commit()
    assert deliver_due().sent == 1
    assert mail_server.received[-1].recipients == ["Richtig.Ğ@example.org"]


def test_cancelled_letters_are_not_sent_and_can_be_queued_again(smtp_app, mail_server):
    campaign = queued_campaign(2)
    assert len(cancel_queued(db.session, campaign, user=None).done) == 2
    db.session.commit()
    assert deliver_due().sent == 0 and statuses(campaign) == [LetterStatus.APPROVED] * 2
    queue_letters(db.session, campaign, MAIL, user=None)
    db.session.commit()
    assert deliver_due().sent == 2 and len(mail_server.received) == 2


def test_reference_codes_follow_the_print_order_by_postcode(smtp_app):
    """„Unser Zeichen“ counts up in the order the letters are printed, not in the order the people were entered."""
    campaign, people = email_campaign(3)
    for person, postcode in zip(people, ("59000", "55000", "51000"), strict=True):
        person.postcode = postcode
    db.session.commit()
    generate_letters(db.session, campaign, on=today_in_germany())
    letters = db.session.scalars(select(Letter).order_by(Letter.reference_code)).all()
    assert [letter.recipient_id for letter in letters] == [people[2].id, people[1].id, people[0].id]


def test_printed_letters_are_posted_or_handed_over(smtp_app):
    campaign, _people = email_campaign(3)
    generate_letters(db.session, campaign, on=today_in_germany())
    approve_letters(db.session, campaign, user=None)
    letters = db.session.scalars(select(Letter).order_by(Letter.reference_code)).all()
    with pytest.raises(ServiceError, match="Zukunft"):
        mark_delivered(db.session, campaign, how="post", on=today_in_germany() + timedelta(days=1))
    with pytest.raises(ServiceError, match="wählen"):
        mark_delivered(db.session, campaign, how="in_person", on=today_in_germany())
    # Every mistake at once, each for its field.
    with pytest.raises(ServiceError) as both:
        mark_delivered(db.session, campaign, how="in_person", on=today_in_germany() + timedelta(days=1))
    assert set(both.value.by_field()) == {"on", "letters"}
    mark_delivered(db.session, campaign, how="in_person", on=today_in_germany(), codes=[letters[0].reference_code])
    assert (letters[0].status, letters[0].delivery) == (LetterStatus.SENT, "in_person")
    mark_delivered(db.session, campaign, how="post", on=today_in_germany(), codes=[letters[1].reference_code])
    assert letters[1].delivered_on == today_in_germany() and letters[2].status is LetterStatus.APPROVED
    with pytest.raises(ServiceError, match="keinen Brief"):
        mark_delivered(db.session, campaign, how="post", on=today_in_germany(), codes=["NRW-1999-9999"])


def test_a_letter_on_paper_is_sent_at_noon_german_time_of_its_day_and_never_later_than_now(smtp_app):
    campaign, _people = email_campaign(3)
    generate_letters(db.session, campaign, on=today_in_germany())
    approve_letters(db.session, campaign, user=None)
    letters = db.session.scalars(select(Letter).order_by(Letter.reference_code)).all()
    with pytest.raises(ServiceError, match=r"wurde erst am .* erzeugt; er kann nicht früher versandt worden sein"):
        mark_delivered(db.session, campaign, how="post", on=date(2025, 1, 15), codes=[letters[0].reference_code])
    for letter in letters:
        letter.created_at = datetime(2025, 1, 2, 10)
    for letter, day in zip(letters[:2], (date(2025, 1, 15), date(2025, 7, 15)), strict=True):
        mark_delivered(db.session, campaign, how="post", on=day, codes=[letter.reference_code])
    # Noon in Berlin: 11:00 UTC in winter, 10:00 UTC in summer.
    assert [letter.sent_at for letter in letters[:2]] == [datetime(2025, 1, 15, 11), datetime(2025, 7, 15, 10)]
    before, noon_today = utcnow(), german_time_to_utc(datetime.combine(today_in_germany(), time(12)))
    mark_delivered(db.session, campaign, how="in_person", on=today_in_germany(), codes=[letters[2].reference_code])
    # Handed over this morning: sent now, not at the noon to come.
    assert letters[2].sent_at == noon_today or before <= letters[2].sent_at <= utcnow() < noon_today
    assert utc_to_german_time(letters[2].sent_at).date() == today_in_germany()


def test_queueing_skips_letters_without_a_usable_address(smtp_app):
    campaign, people = email_campaign(2)
    people[1].email = ""
    db.session.commit()
    generate_letters(db.session, campaign, on=today_in_germany())
    approve_letters(db.session, campaign, user=None)
    result = queue_letters(db.session, campaign, MAIL, user=None)
    assert len(result.done) == 1 and "keine E-Mail-Adresse" in result.skipped[0]


def test_a_non_ascii_address_to_a_server_without_smtputf8_bounces_instead_of_crashing(app_factory):
    from tests.support.mailserver import MailServer

    server = MailServer(smtputf8=False).start()
    try:
        app = app_factory(MAIL_URL=server.url, MAIL_FROM="k@example.org")
        with app.app_context():
            campaign, people = email_campaign(2)
            people[0].email = "jürgen@example.org"
            db.session.commit()
            generate_letters(db.session, campaign, on=today_in_germany())
            approve_letters(db.session, campaign, user=None)
            queue_letters(db.session, campaign, MAIL, user=None)
            db.session.commit()
            report = deliver_due()
            assert (report.sent, report.dead) == (1, 1) and "SMTPUTF8" in report.errors[0]
            assert sorted(statuses(campaign)) == sorted([LetterStatus.BOUNCED, LetterStatus.SENT])
    finally:
        server.stop()


def test_four_eyes_refuses_the_author_of_the_template_version_too(smtp_app):
    campaign, _people = email_campaign(1)
    writer, second = make_user(db.session), make_user(db.session)
    version = campaign.templates[0].versions[-1]
    version.created_by_id = writer.id
    sending_settings(db.session, campaign).require_second_approver = True
    generate_letters(db.session, campaign, on=today_in_germany(), user=second)
    with pytest.raises(ServiceError, match="zweite Person"):
        approve_letters(db.session, campaign, user=writer)
    with pytest.raises(ServiceError, match="zweite Person"):
        approve_letters(db.session, campaign, user=second)
    assert approve_letters(db.session, campaign, user=make_user(db.session)).done


def test_the_reference_code_stands_in_the_subject_once():
    from campaign.services.sending.letter_mail import letter_subject

    letter = Letter(subject="Ihr Votum zum Leitantrag – NRW-2026-0001", reference_code="NRW-2026-0001")
    assert letter_subject(letter) == "Ihr Votum zum Leitantrag – NRW-2026-0001"  # the template wrote it already
    letter.subject = "Ihr Votum zum Leitantrag"
    assert letter_subject(letter) == "Ihr Votum zum Leitantrag [NRW-2026-0001]"
