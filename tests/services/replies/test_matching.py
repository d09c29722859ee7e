"""Matching in the issue's order, addresses in their canonical form, and what an assignment teaches."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.models import LetterStatus, RecipientAddress, ReplyKind
from campaign.services.common.errors import ServiceError
from campaign.services.replies.ingest import import_message
from campaign.services.replies.matching import Clues, match_mail, reply_address_for
from campaign.services.replies.records import assign_reply
from tests.factories_replies import REPLY_ADDRESS, make_reply, message_id, read_mail


def test_the_message_id_wins_over_a_code_and_a_code_in_the_subject_over_one_in_the_text(letters, db_session):
    clues = Clues(message_ids=[message_id(1)], texts=["AW: NRW-2026-0002", "Unser Zeichen: NRW-2026-0003"])
    assert match_mail(db_session, clues).letter is letters[1]
    by_code = match_mail(db_session, Clues(texts=["AW: nrw-2026-0002", "Unser Zeichen: NRW-2026-0003"]))
    assert by_code.letter is letters[2] and by_code.method == "reference"


def test_the_reply_address_matches_whatever_the_case(letters, db_session):
    clues = Clues(delivered_to=["Antworten+nrw-2026-0005@Kampagne.Example.org"])
    match = match_mail(db_session, clues, reply_address=REPLY_ADDRESS)
    assert match.letter is letters[5] and match.method == "reply_address"
    assert not match_mail(db_session, clues).found  # without REPLY_ADDRESS set, no such rule
    assert reply_address_for(REPLY_ADDRESS, "NRW-2026-0005") == "antworten+NRW-2026-0005@kampagne.example.org"
    assert reply_address_for("", "NRW-2026-0005") == ""


def test_the_sender_matches_in_canonical_form(letters, db_session):
    match = match_mail(db_session, Clues(senders=["Stefan.Braun+kampagne@googlemail.com"]))
    assert match.letter is letters[15] and match.method == "sender"


def test_a_sender_without_a_sent_letter_is_only_a_hint(letters, db_session):
    letters[4].status = LetterStatus.DRAFT
    db_session.flush()
    match = match_mail(db_session, Clues(senders=["ayse.yilmaz@example.de"]))
    assert not match.found and match.recipient is letters[4].recipient


def test_assigning_teaches_the_address_and_assigns_other_inbox_mail_from_it(letters, db_session):
    first = import_message(db_session, read_mail("unmatched_de.eml"))
    second = make_reply(db_session, None, from_address=first.from_address, sender_domain=first.sender_domain)
    result = assign_reply(db_session, first, letters[13], learn_address=True)
    assert result.learned.recipient is letters[13].recipient and result.also_assigned == [second]
    assert second.letter is letters[13] and second.match_method == "sender"
    assert letters[13].status is LetterStatus.REPLIED


def test_an_address_already_learned_for_someone_else_is_refused(letters, db_session):
    reply = import_message(db_session, read_mail("unmatched_de.eml"))
    db_session.add(
        RecipientAddress(recipient=letters[1].recipient, email=reply.from_address, email_canonical=reply.from_address)
    )
    db_session.flush()
    with pytest.raises(ServiceError, match="schon Erika Mustermann zugeordnet"):
        assign_reply(db_session, reply, letters[13], learn_address=True)


def test_assigning_an_unmatched_bounce_marks_the_letter_bounced(letters, db_session):
    bounce = make_reply(db_session, None, kind=ReplyKind.BOUNCE, failed_address="", body_text="550 User unknown")
    assign_reply(db_session, bounce, letters[14])
    assert letters[14].status is LetterStatus.BOUNCED and letters[14].recipient.email_failed_at is not None


def test_a_letter_that_was_never_sent_cannot_be_assigned(letters, db_session):
    letters[2].status = LetterStatus.DRAFT
    reply = make_reply(db_session, None)
    with pytest.raises(ServiceError, match="noch nicht verschickt"):
        assign_reply(db_session, reply, letters[2])
    assert db_session.scalar(select(RecipientAddress)) is None
