"""State machines of letters, signatures and outbox messages: allowed moves are logged, others refused."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from campaign.models import (
    Letter,
    LetterStatus,
    OutboxMessage,
    OutboxStatus,
    Signature,
    SignatureStatus,
    StateChange,
)
from campaign.services.common.states import TransitionError, transition
from tests.factories import make_campaign, make_user

_codes = itertools.count(1)


def _letter(session, campaign, status):
    letter = Letter(campaign=campaign, reference_code=f"T-{next(_codes)}", status=status)
    session.add(letter)
    session.flush()
    return letter


def _signature(session, campaign, status):
    number = next(_codes)
    signature = Signature(
        campaign=campaign,
        status=status,
        consent_version="v1",
        confirm_token_hash=f"c{number}",
        withdraw_token_hash=f"w{number}",
    )
    session.add(signature)
    session.flush()
    return signature


def _outbox(session, _campaign, status):
    message = OutboxMessage(
        kind="test", message_id=f"<{next(_codes)}@test>", to_address="a@example.org", raw=b"x", status=status
    )
    session.add(message)
    session.flush()
    return message


MACHINES = [
    (Letter, LetterStatus, _letter),
    (Signature, SignatureStatus, _signature),
    (OutboxMessage, OutboxStatus, _outbox),
]


def _all_pairs():
    for model, states, build in MACHINES:
        for old, new in itertools.product(states, states):
            allowed = new in model.TRANSITIONS[old]
            yield pytest.param(build, old, new, allowed, id=f"{model.__name__}:{old.value}->{new.value}")


@pytest.mark.parametrize(("build", "old", "new", "allowed"), list(_all_pairs()))
def test_every_transition_is_allowed_or_refused_by_the_table(db_session, build, old, new, allowed):
    campaign = make_campaign(db_session)
    user = make_user(db_session)
    obj = build(db_session, campaign, old)
    if allowed:
        transition(db_session, obj, new, user=user, note="Test")
        assert obj.status is new
        change = db_session.scalars(select(StateChange).where(StateChange.object_id == obj.id)).one()
        assert (change.object_type, change.from_status, change.to_status, change.user_id) == (
            type(obj).__name__, old.value, new.value, user.id,
        )  # fmt: skip
    else:
        with pytest.raises(TransitionError, match="nicht erlaubt"):
            transition(db_session, obj, new)
        assert obj.status is old
        assert db_session.scalars(select(StateChange)).all() == []


def test_letter_lifecycle_follows_the_documented_path(db_session):
    letter = _letter(db_session, make_campaign(db_session), LetterStatus.DRAFT)
    path = [LetterStatus.APPROVED, LetterStatus.QUEUED, LetterStatus.FAILED, LetterStatus.QUEUED, LetterStatus.SENT]
    for status in [*path, LetterStatus.REPLIED]:
        transition(db_session, letter, status)
    assert letter.is_frozen
    history = db_session.scalars(select(StateChange.to_status).order_by(StateChange.id)).all()
    assert history == [status.value for status in [*path, LetterStatus.REPLIED]]


def test_every_state_is_in_the_transition_table():
    for model, states, _build in MACHINES:
        assert set(model.TRANSITIONS) == set(states), model.__name__
