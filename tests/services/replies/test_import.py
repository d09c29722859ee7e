"""Importing test mails in real clients' formats: each lands as the right kind, on the right letter, quote-free."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from campaign.models import LetterStatus, Recipient, Reply, ReplyKind, ReplyQuality
from campaign.services.campaigns.records import campaign_figures
from campaign.services.common.errors import ServiceError
from campaign.services.replies.ingest import import_message, import_messages, iter_mbox, split_mail_file
from tests.factories_replies import EXPECTED, MAILS, read_mail


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_mail_lands_as_its_kind_on_its_letter_without_the_quote(letters, db_session, name):
    expected = EXPECTED[name]
    reply = import_message(db_session, read_mail(name))
    assert reply is not None and reply.kind is expected.kind
    if expected.letter is None:
        assert reply.letter is None and reply.campaign_id is None and reply.match_method == ""
    else:
        assert reply.letter is letters[expected.letter] and reply.match_method == expected.method
        assert reply.campaign_id == letters[expected.letter].campaign_id
    assert expected.says in reply.body_text
    if expected.not_says:
        assert expected.not_says not in reply.body_text
        assert expected.not_says in reply.original_text or name == "html_only_de.eml"


def test_every_test_mail_has_an_expectation():
    mails = {path.name for path in MAILS.glob("*.eml")} - {"gmail_en_duplicate.eml"}
    assert mails == set(EXPECTED)


def test_a_reply_marks_its_letter_answered_and_counts(letters, db_session):
    import_message(db_session, read_mail("outlook_de.eml"))
    assert letters[1].status is LetterStatus.REPLIED
    assert campaign_figures(db_session, letters[1].campaign).replies == 1


def test_auto_replies_are_kept_but_never_count_as_answers(letters, db_session):
    for name in ("auto_reply_headers.eml", "auto_reply_subject.eml"):
        reply = import_message(db_session, read_mail(name))
        assert reply.quality is ReplyQuality.AUTO_REPLY
    assert letters[9].status is LetterStatus.SENT and letters[10].status is LetterStatus.SENT
    assert campaign_figures(db_session, letters[9].campaign).replies == 0


@pytest.mark.parametrize(("name", "number"), [("bounce_dsn.eml", 11), ("bounce_plain.eml", 14)])
def test_a_bounce_marks_the_letter_bounced_and_the_address_failing(letters, db_session, name, number):
    reply = import_message(db_session, read_mail(name))
    letter = letters[number]
    assert letter.status is LetterStatus.BOUNCED
    assert reply.failed_address == letter.recipient_email
    assert letter.recipient.email_failed_at is not None and letter.recipient.email_failure == reply.body_text
    assert campaign_figures(db_session, letter.campaign).replies == 0


def test_the_pdf_attachment_is_kept_with_its_name(letters, db_session):
    reply = import_message(db_session, read_mail("pdf_attachment_de.eml"))
    [attachment] = reply.attachments
    assert attachment.filename == "Stellungnahme Dr. Becker Änderungsantrag.pdf"
    assert attachment.content_type == "application/pdf" and attachment.data.startswith(b"%PDF-")


def test_an_html_only_mail_becomes_text_without_script_or_tracking(letters, db_session):
    reply = import_message(db_session, read_mail("html_only_de.eml"))
    assert "* Die unabhängige Beratung muss erhalten bleiben." in reply.body_text
    for hidden in ("document.location", "tracker.example.com", "font-family", "alert("):
        assert hidden not in reply.original_text


def test_charsets_and_encoded_headers_are_decoded(letters, db_session):
    reply = import_message(db_session, read_mail("outlook_de.eml"))
    assert reply.subject == "AW: Ihr Leitantrag „NRW, jetzt erst gerecht“ – unsere Bitte um Änderungen"
    assert "Kürzungen bei der Flüchtlingsberatung" in reply.body_text
    ayse = import_message(db_session, read_mail("thunderbird_de.eml"))
    assert ayse.from_name == "Ayşe Yılmaz"


def test_a_forwarded_reply_counts_for_its_original_sender(letters, db_session):
    reply = import_message(db_session, read_mail("forwarded_de.eml"))
    assert reply.from_address == "maria.schulz@spd-dortmund.example.de"
    assert reply.forwarded_by == "lena@initiative.example.org"


def test_the_same_message_id_is_stored_once(letters, db_session):
    first = import_message(db_session, read_mail("gmail_en.eml"))
    assert first is not None
    assert import_message(db_session, read_mail("gmail_en_duplicate.eml")) is None
    assert db_session.scalar(select(func.count(Reply.id))) == 1


def _mbox() -> bytes:
    """Every test mail in one mbox file, as mail clients export it (a „From “ line before each message)."""
    parts = []
    for path in sorted(MAILS.glob("*.eml")):
        body = path.read_bytes().replace(b"\r\n", b"\n")
        lines = [b">" + line if line.startswith(b"From ") else line for line in body.split(b"\n")]
        parts.append(b"From MAILER-DAEMON Thu Mar 12 10:00:00 2026\n" + b"\n".join(lines).rstrip(b"\n") + b"\n\n")
    return b"".join(parts)


def test_importing_the_same_mbox_twice_changes_nothing(letters, db_session):
    messages = split_mail_file(_mbox())
    first = import_messages(db_session, messages)
    assert first.imported == len(EXPECTED) and first.duplicates == 1 and first.errors == []
    assert (first.replies, first.auto_replies, first.bounces, first.unmatched) == (13, 2, 2, 1)
    states = {number: letter.status for number, letter in letters.items()}
    failing = db_session.scalar(select(func.count(Recipient.id)).where(Recipient.email_failed_at.is_not(None)))
    second = import_messages(db_session, split_mail_file(_mbox()))
    assert second.imported == 0 and second.duplicates == len(EXPECTED) + 1
    assert db_session.scalar(select(func.count(Reply.id))) == len(EXPECTED)
    assert {number: letter.status for number, letter in letters.items()} == states
    assert db_session.scalar(select(func.count(Recipient.id)).where(Recipient.email_failed_at.is_not(None))) == failing


def test_mbox_lines_escaped_as_from_lines_are_restored():
    mbox = b"From a@b Thu Jan  1 00:00:00 2026\nSubject: x\n\n>From here on\n>>From stays quoted once\n\n"
    [message] = list(iter_mbox(mbox.splitlines(keepends=True)))
    assert b"\nFrom here on\n>From stays quoted once\n" in message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Die Datei ist leer."),
        (b"%PDF-1.4 kein Postfach", "weder eine E-Mail (.eml) noch ein Postfach im mbox-Format"),
        ("Name;Vorname\nMüller;Jan\n".encode(), "weder eine E-Mail"),
    ],
)
def test_a_file_that_is_no_mail_is_refused_with_a_german_message(data, message):
    with pytest.raises(ServiceError, match=re.escape(message)):
        split_mail_file(data)


def test_a_message_without_sender_and_date_is_reported_and_the_rest_imported(letters, db_session):
    broken = b"X-Nothing: here\n\nkein Kopf, kein Absender\n"
    report = import_messages(db_session, [broken, read_mail("gmail_en.eml")], label="postfach.mbox")
    assert report.imported == 1 and len(report.errors) == 1
    assert report.errors[0].startswith("postfach.mbox Nr. 1: ") and "Absender" in report.errors[0]
    assert db_session.scalar(select(func.count(Reply.id)).where(Reply.kind == ReplyKind.REPLY)) == 1
