"""Bounces mark the letter and every recipient with the failing address, whatever reported them."""

from __future__ import annotations

from sqlalchemy import select

from campaign.models import AuditEvent, Letter, LetterStatus
from campaign.services.common.emails import canonical_email
from campaign.services.sending.bounces import clear_failure, failing_recipients, record_bounce
from tests.factories import make_campaign, make_recipient


def _letter(session, recipient, status=LetterStatus.SENT):
    letter = Letter(
        campaign=make_campaign(session), recipient=recipient, reference_code=f"T-{recipient.id}", status=status
    )
    session.add(letter)
    session.flush()
    return letter


def _recipient(session, email, **values):
    return make_recipient(session, email=email, email_canonical=canonical_email(email), **values)


def test_a_bounce_marks_the_letter_and_the_address_as_failing(db_session):
    person = _recipient(db_session, "Weg@Example.org", last_name="Łukasiewicz")
    letter = _letter(db_session, person)
    result = record_bounce(db_session, address="weg@example.org", reason="550 5.1.1 User unknown", letter=letter)
    assert result.letter_bounced and letter.status is LetterStatus.BOUNCED
    assert person.email_failed_at is not None and "550" in person.email_failure
    assert failing_recipients(db_session) == [person]
    actions = db_session.scalars(select(AuditEvent.action)).all()
    assert "recipient.email_failed" in actions


def test_a_refusal_before_sending_bounces_a_queued_letter(db_session):
    letter = _letter(db_session, _recipient(db_session, "a@example.org"), status=LetterStatus.QUEUED)
    assert record_bounce(db_session, address="a@example.org", reason="550", letter=letter).letter_bounced


def test_a_bounce_for_a_draft_or_replied_letter_leaves_the_letter_alone(db_session):
    person = _recipient(db_session, "b@example.org")
    letter = _letter(db_session, person, status=LetterStatus.REPLIED)
    result = record_bounce(db_session, address="b@example.org", reason="550", letter=letter)
    assert not result.letter_bounced and letter.status is LetterStatus.REPLIED
    assert result.failing_recipients == [person]


def test_a_corrected_address_is_no_longer_failing(db_session):
    person = _recipient(db_session, "c@example.org")
    record_bounce(db_session, address="c@example.org", reason="550")
    clear_failure(db_session, person)
    assert failing_recipients(db_session) == [] and person.email_failure == ""
