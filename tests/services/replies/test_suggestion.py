"""The suggested quality: standard replies of an office, refusals, acknowledgements, substantive answers, nothing."""

from __future__ import annotations

import pytest

from campaign.models import ReplyKind, ReplyQuality
from campaign.services.replies.ingest import import_message
from campaign.services.replies.suggestion import suggest_quality, text_fingerprint
from tests.factories_replies import make_reply, read_mail

FORM_LETTER = (
    "Sehr geehrte Frau {name},\n\nvielen Dank für Ihre Zuschrift zum Leitantrag. Die Fraktion berät den Antrag in "
    "ihrer Sitzung am {day}. März und wird alle Hinweise sorgfältig prüfen. Wir bitten um Geduld.\n\n"
    "Mit freundlichen Grüßen\nFraktionsbüro"
)


@pytest.mark.parametrize(
    ("name", "quality"),
    [
        ("outlook_de.eml", ReplyQuality.SUBSTANTIVE),
        ("outlook_en.eml", ReplyQuality.REFUSAL),
        ("office_address_de.eml", ReplyQuality.ACKNOWLEDGEMENT),
        ("auto_reply_headers.eml", ReplyQuality.AUTO_REPLY),
        ("unmatched_de.eml", ReplyQuality.UNCLASSIFIED),
    ],
)
def test_the_test_mails_get_the_rules_suggestion(letters, db_session, name, quality):
    reply = import_message(db_session, read_mail(name))
    assert reply.suggested_quality is quality
    assert reply.quality in {ReplyQuality.UNCLASSIFIED, ReplyQuality.AUTO_REPLY}  # a person confirms it


def _reply(session, letter, text, **values):
    values.setdefault("sender_domain", "landtag.example.org")
    return make_reply(session, letter, body_text=text, text_fingerprint=text_fingerprint(text), **values)


def test_the_same_form_letter_from_one_office_is_a_standard_reply(letters, db_session):
    _reply(db_session, letters[1], FORM_LETTER.format(name="Schmidt", day=12))
    second = _reply(db_session, letters[6], FORM_LETTER.format(name="Łukasiewicz", day=19))
    assert suggest_quality(db_session, second) is ReplyQuality.STANDARD
    elsewhere = _reply(db_session, letters[3], FORM_LETTER.format(name="Ilgaz", day=12), sender_domain="spd.example")
    assert suggest_quality(db_session, elsewhere) is not ReplyQuality.STANDARD


def test_a_text_like_a_confirmed_standard_reply_of_the_office_is_one(letters, db_session):
    confirmed = FORM_LETTER.format(name="Schmidt", day=12)
    _reply(db_session, letters[1], confirmed, quality=ReplyQuality.STANDARD)
    edited = confirmed.replace("sorgfältig prüfen", "genau prüfen").replace("Geduld", "etwas Geduld")
    assert suggest_quality(db_session, _reply(db_session, letters[6], edited)) is ReplyQuality.STANDARD
    different = "Sehr geehrte Damen und Herren,\n\n" + " ".join(["Ich halte die Kürzung für falsch."] * 10)
    assert suggest_quality(db_session, _reply(db_session, letters[7], different)) is ReplyQuality.SUBSTANTIVE


@pytest.mark.parametrize(
    ("text", "quality"),
    [
        ("Vielen Dank für Ihr Schreiben, wir haben es erhalten.", ReplyQuality.ACKNOWLEDGEMENT),
        ("Thank you for your letter. We have received it and will reply.", ReplyQuality.ACKNOWLEDGEMENT),
        ("Vielen Dank für Ihr Schreiben. Ich unterstütze den Änderungsantrag 3.", ReplyQuality.UNCLASSIFIED),
        ("Wir bitten um Verständnis, dass Frau Demir zu Anträgen keine Stellung nimmt.", ReplyQuality.REFUSAL),
        ("Ok.", ReplyQuality.UNCLASSIFIED),
        # The salutation on the same line as the answer: the answer is read, not dropped with the line.
        ("Guten Tag, wir haben Ihr Schreiben erhalten und leiten es weiter.", ReplyQuality.ACKNOWLEDGEMENT),
        (
            "Sehr geehrte Frau Doğan, sehr geehrter Herr Weiß, vielen Dank für Ihre E-Mail.",
            ReplyQuality.ACKNOWLEDGEMENT,
        ),
        (" ".join(["Die Beratung muss bleiben, das sehe ich genauso."] * 6), ReplyQuality.SUBSTANTIVE),
    ],
)
def test_short_texts_by_their_wording_and_long_ones_as_substantive(letters, db_session, text, quality):
    reply = _reply(db_session, letters[2], text, sender_domain=f"office{len(text)}.example")
    assert suggest_quality(db_session, reply) is quality


def test_a_bounce_gets_no_suggestion(letters, db_session):
    reply = _reply(db_session, letters[11], "550 5.1.1 User unknown", kind=ReplyKind.BOUNCE)
    assert suggest_quality(db_session, reply) is ReplyQuality.UNCLASSIFIED


def test_the_fingerprint_ignores_salutation_names_numbers_and_reference_codes():
    one = "Sehr geehrter Herr Yılmaz,\n\ndanke für Ihr Schreiben NRW-2026-0001 vom 2. März.\n\nViele Grüße\nBüro"
    two = "Sehr geehrte Frau Groß,\n\ndanke für Ihr Schreiben NRW-2026-0417 vom 9. März.\n\nViele Grüße\nBüro B"
    assert text_fingerprint(one) == text_fingerprint(two) != text_fingerprint("danke, aber nein")


def test_a_one_line_answer_after_its_salutation_has_a_fingerprint():
    """A form letter of one line is recognised as a standard reply the second time, like a longer one."""
    one = text_fingerprint("Guten Tag, wir haben Ihr Schreiben erhalten und leiten es weiter.")
    two = text_fingerprint("Guten Tag,   wir haben Ihr Schreiben erhalten und leiten es weiter.")
    assert one == two != ""
