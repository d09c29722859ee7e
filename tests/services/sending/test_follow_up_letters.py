"""Follow-up letters („Nachfragen“): the sandboxed template, drafts for due letters only, one per letter, sent
through the outbox to a real SMTP server with In-Reply-To, and answers to them filed under the first letter."""

from __future__ import annotations

import email.utils
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from campaign.db import db, utcnow
from campaign.jobs.outbox import deliver_due
from campaign.models import Letter, LetterKind, LetterStatus, OutboxMessage, Reply, ReplyKind
from campaign.services.common.dates import today_in_germany, utc_to_german_time
from campaign.services.common.errors import ServiceError
from campaign.services.letters.sandbox import TemplateProblem
from campaign.services.letters.templates import save_template_version
from campaign.services.replies import follow_up_letters as follow_ups
from campaign.services.replies.ingest import import_message
from campaign.services.replies.records import assign_reply
from campaign.services.sending.bounces import record_bounce
from campaign.services.sending.lifecycle import approve_letters, generate_letters, queue_letters
from campaign.services.sending.offline import correct_address
from tests.services.sending.helpers import MAIL, email_campaign

SUBJECT = "Nachfrage: {{ erster_brief.betreff }}"
BODY = (
    "{{ anrede }},\n\nunser Brief {{ erster_brief.zeichen }} vom {{ erster_brief.versandt_am }} "
    "an {{ empfaenger.voller_name }} zum Antrag „{{ antrag.titel }}“ ist noch unbeantwortet."
)


def sent_campaign(recipients: int = 3, *, days_ago: int = 30):
    """A campaign whose letters went out by e-mail through the SMTP server `days_ago` days ago."""
    campaign, _people = email_campaign(recipients)
    generate_letters(db.session, campaign, on=today_in_germany())
    approve_letters(db.session, campaign, user=None)
    queue_letters(db.session, campaign, MAIL, user=None)
    db.session.commit()
    assert deliver_due().sent == recipients
    db.session.execute(update(Letter).values(sent_at=utcnow() - timedelta(days=days_ago)))
    db.session.commit()
    letters = list(db.session.scalars(select(Letter).order_by(Letter.reference_code)))
    return campaign, letters


def with_template(campaign):
    follow_ups.save_follow_up_template(db.session, campaign, subject=SUBJECT, body=BODY)


def follow_up_count() -> int:
    return db.session.scalar(select(func.count(Letter.id)).where(Letter.follow_up_of_id.is_not(None)))


@pytest.mark.parametrize(
    ("subject", "body", "message"),
    [
        (SUBJECT, "", "Bitte einen Brieftext angeben."),
        ("", BODY, "Bitte einen Betreff angeben."),
        (SUBJECT, "{{ ''.__class__.__mro__ }}", "interne Attribute"),
        (SUBJECT, "{% include 'layout/base.html' %}", "Andere Vorlagen einzubinden"),
        (SUBJECT, "{{ erster_brief.passwort }}", "„erster_brief.passwort“ gibt es nicht"),
        ("{{ config }}", BODY, "Unbekannte Platzhalter: config"),
        (SUBJECT, "{% for x in range(10**9) %}x{% endfor %}", "Potenzieren"),
    ],
)
def test_a_bad_or_hostile_follow_up_template_is_refused_and_nothing_is_stored(smtp_app, subject, body, message):
    campaign, _people = email_campaign(1)
    with pytest.raises(TemplateProblem, match=message):
        follow_ups.save_follow_up_template(db.session, campaign, subject=subject, body=body)
    assert follow_ups.follow_up_template(db.session, campaign) is None


def test_only_the_follow_up_template_may_use_the_first_letters_fields(smtp_app):
    campaign, _people = email_campaign(1)
    version = follow_ups.save_follow_up_template(db.session, campaign, subject=SUBJECT, body=BODY)
    assert version.number == 1 and version.template.is_follow_up
    db.session.expire(campaign)
    [main] = campaign.templates  # the follow-up template is no template a target could get
    assert not main.is_follow_up
    with pytest.raises(TemplateProblem, match="nur in der Vorlage für Nachfragen"):
        save_template_version(db.session, main, subject="Ihr Antrag", body="Zu {{ erster_brief.zeichen }}")


def test_follow_ups_are_made_for_due_letters_only_once_each(smtp_app, mail_server):
    campaign, (due, answered, recent) = sent_campaign(3)
    db.session.execute(update(Letter).where(Letter.id == recent.id).values(sent_at=utcnow() - timedelta(days=2)))
    db.session.add(Reply(letter=answered, campaign_id=campaign.id, recipient=answered.recipient, received_at=utcnow()))
    answered.status = LetterStatus.REPLIED
    with pytest.raises(ServiceError, match="Vorlage für Nachfragen"):
        follow_ups.generate_follow_ups(db.session, campaign, on=today_in_germany())
    with_template(campaign)

    result = follow_ups.generate_follow_ups(db.session, campaign, on=today_in_germany())
    [letter] = db.session.scalars(select(Letter).where(Letter.follow_up_of_id.is_not(None))).all()
    assert result.done == [letter.reference_code] and letter.follow_up_of == due
    assert letter.reference_code not in (due.reference_code, answered.reference_code, recent.reference_code)
    assert letter.status is LetterStatus.DRAFT and letter.kind is LetterKind.FOLLOW_UP
    assert letter.channel == due.channel and letter.recipient_email == due.recipient_email
    assert letter.subject == f"Nachfrage: {due.subject}"
    sent_on = utc_to_german_time(due.sent_at).date()  # the letter's date is German time (after 23:00 UTC: tomorrow)
    assert f"unser Brief {due.reference_code} vom {sent_on.day}." in letter.body_text

    # Again: nothing new, for all or for the one already followed up; the due list no longer has it.
    with pytest.raises(ServiceError, match="Kein Brief ohne Antwort ist fällig"):
        follow_ups.generate_follow_ups(db.session, campaign, on=today_in_germany())
    with pytest.raises(ServiceError, match=f"hat schon eine Nachfrage \\({letter.reference_code}\\)"):
        follow_ups.generate_follow_ups(db.session, campaign, [due.id], on=today_in_germany())
    with pytest.raises(ServiceError, match="ist beantwortet"):
        follow_ups.generate_follow_ups(db.session, campaign, [answered.id], on=today_in_germany())
    with pytest.raises(ServiceError, match="ist selbst eine Nachfrage"):
        follow_ups.generate_follow_ups(db.session, campaign, [letter.id], on=today_in_germany())
    assert follow_up_count() == 1


def test_letters_of_another_campaign_or_none_at_all_are_refused(smtp_app, mail_server):
    campaign, (first, *_rest) = sent_campaign(2)
    other, _people = email_campaign(1)
    with_template(campaign)
    with_template(other)
    with pytest.raises(ServiceError, match="gehört nicht zu dieser Kampagne"):
        follow_ups.generate_follow_ups(db.session, other, [first.id], on=today_in_germany())
    with pytest.raises(ServiceError, match="gehört nicht zu dieser Kampagne"):
        follow_ups.generate_follow_ups(db.session, campaign, [first.id, 999_999], on=today_in_germany())
    with pytest.raises(ServiceError, match="mindestens einen Brief"):
        follow_ups.generate_follow_ups(db.session, campaign, [], on=today_in_germany())
    assert follow_up_count() == 0


def test_generating_the_campaigns_letters_again_leaves_follow_ups_alone(smtp_app, mail_server):
    campaign, _letters = sent_campaign(2)
    with_template(campaign)
    follow_ups.generate_follow_ups(db.session, campaign, on=today_in_germany())
    before = {letter.reference_code: letter.body_text for letter in db.session.scalars(select(Letter))}
    generate_letters(db.session, campaign, on=today_in_germany())
    after = {letter.reference_code: letter.body_text for letter in db.session.scalars(select(Letter))}
    assert after == before and follow_up_count() == 2


def test_editing_the_template_refreshes_unsent_follow_ups_only(smtp_app, mail_server):
    campaign, _letters = sent_campaign(1)
    with_template(campaign)
    follow_ups.generate_follow_ups(db.session, campaign, on=today_in_germany())
    follow_ups.approve_follow_ups(db.session, campaign, user=None)
    follow_ups.save_follow_up_template(db.session, campaign, subject=SUBJECT, body="{{ anrede }},\n\nNeuer Text.")
    result = follow_ups.refresh_follow_ups(db.session, campaign, on=today_in_germany())
    [letter] = db.session.scalars(select(Letter).where(Letter.follow_up_of_id.is_not(None))).all()
    assert result.done == [letter.reference_code] and "Neuer Text." in letter.body_text
    assert letter.status is LetterStatus.DRAFT  # changed text needs approving again
    assert letter.template_version.number == 2


def test_a_follow_up_goes_out_in_the_first_letters_thread_and_its_answer_counts_for_the_first(smtp_app, mail_server):
    campaign, [first] = sent_campaign(1)
    first_id = db.session.scalar(select(OutboxMessage.message_id).where(OutboxMessage.letter_id == first.id))
    with_template(campaign)
    follow_ups.generate_follow_ups(db.session, campaign, [first.id], on=today_in_germany())
    follow_ups.approve_follow_ups(db.session, campaign, user=None)
    codes = follow_ups.sendable_follow_ups(db.session, campaign)
    queue_letters(db.session, campaign, MAIL, user=None, codes=codes)
    db.session.commit()
    assert deliver_due().sent == 1

    [item] = mail_server.received[1:]
    message = item.message
    follow_up = db.session.scalar(select(Letter).where(Letter.follow_up_of_id == first.id))
    assert item.recipients == [first.recipient_email]
    assert message["In-Reply-To"] == first_id and message["References"] == first_id
    assert message["Subject"] == f"Nachfrage: {first.subject} [{follow_up.reference_code}]"
    assert first.reference_code in message.get_body(("plain",)).get_content()
    assert follow_up.status is LetterStatus.SENT

    answer = (
        f"From: {first.recipient_name} <{first.recipient_email}>\r\n"
        f"To: kampagne@example.org\r\nSubject: Re: {message['Subject']}\r\n"
        f"Message-ID: <antwort.1@example.org>\r\nIn-Reply-To: {message['Message-ID']}\r\n"
        f"References: {first_id} {message['Message-ID']}\r\n"
        f"Date: {email.utils.formatdate()}\r\n\r\nEntschuldigung, ich antworte bis Freitag.\r\n"
    ).encode()
    reply = import_message(db.session, answer)
    assert reply.kind is ReplyKind.REPLY and reply.match_method == "message_id"
    assert reply.letter == first and reply.follow_up == follow_up
    assert (first.status, follow_up.status) == (LetterStatus.REPLIED, LetterStatus.REPLIED)


def test_a_bounced_follow_up_stays_with_the_follow_up(smtp_app, mail_server):
    campaign, [first] = sent_campaign(1)
    with_template(campaign)
    follow_ups.generate_follow_ups(db.session, campaign, on=today_in_germany())
    follow_ups.approve_follow_ups(db.session, campaign, user=None)
    queue_letters(db.session, campaign, MAIL, user=None, codes=follow_ups.sendable_follow_ups(db.session, campaign))
    db.session.commit()
    deliver_due()
    follow_up = db.session.scalar(select(Letter).where(Letter.follow_up_of_id == first.id))
    mid = db.session.scalar(select(OutboxMessage.message_id).where(OutboxMessage.letter_id == follow_up.id))
    bounce = (
        "Return-path: <>\r\nFrom: Mail Delivery System <Mailer-Daemon@mail.example.net>\r\n"
        f"X-Failed-Recipients: {first.recipient_email}\r\nTo: kampagne@example.org\r\n"
        "Subject: Mail delivery failed: returning message to sender\r\nMessage-Id: <bounce.1@example.net>\r\n"
        f"Date: {email.utils.formatdate()}\r\n\r\n"
        "A message that you sent could not be delivered to one or more of its\r\n"
        "recipients. This is a permanent error. The following address(es) failed:\r\n\r\n"
        f"  {first.recipient_email}\r\n    mailbox is full: retry timeout exceeded\r\n\r\n"
        "------ This is a copy of the message, including all the headers. ------\r\n\r\n"
        f"From: Kampagne <kampagne@example.org>\r\nTo: <{first.recipient_email}>\r\n"
        f"Subject: {follow_up.subject}\r\nMessage-ID: {mid}\r\n\r\nText\r\n"
    ).encode()
    reply = import_message(db.session, bounce)
    assert reply.kind is ReplyKind.BOUNCE and reply.letter == follow_up and reply.follow_up is None
    assert first.status is LetterStatus.SENT


def test_a_recipient_deleted_meanwhile_is_named_and_skipped(smtp_app, mail_server):
    campaign, (gone, kept) = sent_campaign(2)
    with_template(campaign)
    db.session.delete(gone.recipient)
    db.session.flush()
    db.session.expire_all()
    result = follow_ups.generate_follow_ups(db.session, campaign, on=today_in_germany())
    assert len(result.done) == 1 and result.skipped == [f"{gone.reference_code}: die Empfänger:in gibt es nicht mehr"]
    assert db.session.scalar(select(Letter.follow_up_of_id).where(Letter.follow_up_of_id.is_not(None))) == kept.id


def _sent_follow_up(campaign) -> Letter:
    follow_ups.generate_follow_ups(db.session, campaign, on=today_in_germany())
    follow_ups.approve_follow_ups(db.session, campaign, user=None)
    queue_letters(db.session, campaign, MAIL, user=None, codes=follow_ups.sendable_follow_ups(db.session, campaign))
    db.session.commit()
    assert deliver_due().sent == 1
    return db.session.scalar(select(Letter).where(Letter.follow_up_of_id.is_not(None)))


def test_mail_assigned_by_hand_to_a_follow_up_counts_for_the_first_letter(smtp_app, mail_server):
    campaign, [first] = sent_campaign(1)
    with_template(campaign)
    follow_up = _sent_follow_up(campaign)
    mail = (
        "From: Büro Muster <buero@fraktion.example.org>\r\nTo: kampagne@example.org\r\nSubject: Ihre Nachfrage\r\n"
        f"Message-ID: <buero.1@fraktion.example.org>\r\nDate: {email.utils.formatdate()}\r\n\r\n"
        "Die Abgeordnete wird Ihnen antworten.\r\n"
    ).encode()
    reply = import_message(db.session, mail)
    assert reply.letter is None  # an office address nobody knows: the inbox
    assign_reply(db.session, reply, follow_up, learn_address=True)
    assert (reply.letter, reply.follow_up, reply.match_method) == (first, follow_up, "manual")
    assert (first.status, follow_up.status) == (LetterStatus.REPLIED, LetterStatus.REPLIED)


def test_a_corrected_address_sends_a_bounced_follow_up_again_in_the_thread(smtp_app, mail_server):
    campaign, [first] = sent_campaign(1)
    with_template(campaign)
    follow_up = _sent_follow_up(campaign)
    record_bounce(db.session, address=first.recipient_email, reason="550 User unknown", letter=follow_up, source="test")
    assert follow_up.status is LetterStatus.BOUNCED and first.status is LetterStatus.SENT
    result = correct_address(db.session, campaign, first.recipient, "neu.ğ@example.org", resend=MAIL)
    db.session.commit()
    assert result.done == [follow_up.reference_code] and follow_up.recipient_email == "neu.ğ@example.org"
    assert "Nachfrage" in follow_up.subject and first.recipient_email != "neu.ğ@example.org"
    assert deliver_due().sent == 1
    [again] = mail_server.received[2:]
    assert again.recipients == ["neu.ğ@example.org"]
    first_id = db.session.scalar(select(OutboxMessage.message_id).where(OutboxMessage.letter_id == first.id))
    assert again.message["In-Reply-To"] == first_id
