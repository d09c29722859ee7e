"""Test factories: small functions that add a model object to a session and return it."""

from __future__ import annotations

from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from campaign.models import (
    Campaign,
    CampaignStatus,
    FormOfAddress,
    Motion,
    Recipient,
    Role,
    User,
)
from campaign.services.accounts.users import create_user

PASSWORD = "richtig-langes-passwort"
_sequence = count(1)


def make_user(session: Session, role: Role = Role.ORGANISER, email: str | None = None, **values: Any) -> User:
    address = email or f"{role.value}{next(_sequence)}@example.org"
    user = create_user(session, address, role, password=PASSWORD).user
    for name, value in values.items():
        setattr(user, name, value)
    session.flush()
    return user


def make_motion(session: Session, **values: Any) -> Motion:
    number = next(_sequence)
    motion = Motion(slug=f"antrag-{number}", title=f"Antrag {number}", **values)
    session.add(motion)
    session.flush()
    return motion


def make_campaign(session: Session, **values: Any) -> Campaign:
    number = next(_sequence)
    values.setdefault("status", CampaignStatus.ACTIVE)
    campaign = Campaign(slug=f"kampagne-{number}", title=f"Kampagne {number}", **values)
    session.add(campaign)
    session.flush()
    return campaign


def make_recipient(session: Session, **values: Any) -> Recipient:
    values.setdefault("form_of_address", FormOfAddress.FRAU)
    values.setdefault("first_name", "Erika")
    values.setdefault("last_name", "Mustermann")
    recipient = Recipient(**values)
    session.add(recipient)
    session.flush()
    return recipient
