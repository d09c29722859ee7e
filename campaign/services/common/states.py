"""Explicit state machines: check a transition against the model's table and log it."""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from campaign.models import StateChange, User
from campaign.models.common import StatefulMixin
from campaign.services.common.errors import ServiceError


class TransitionError(ServiceError):
    """A status change the model's transition table does not allow."""


def transition(
    session: Session, obj: StatefulMixin, new_status: enum.Enum, *, user: User | None = None, note: str = ""
) -> None:
    """Move `obj` to `new_status` if allowed, recording the change; raise TransitionError otherwise."""
    old_status = obj.status
    if not obj.can_become(new_status):
        raise TransitionError(
            _(
                "Statuswechsel von „%(old)s“ nach „%(new)s“ ist nicht erlaubt (%(object)s).",
                old=old_status.value,
                new=new_status.value,
                object=(type(obj).__name__ + " " + str(getattr(obj, "id", ""))).strip(),
            )
        )
    obj.status = new_status
    session.flush()  # obj needs its id before the log row can point at it
    session.add(
        StateChange(
            object_type=type(obj).__name__,
            object_id=obj.id,
            from_status=old_status.value,
            to_status=new_status.value,
            user_id=user.id if user else None,
            note=note[:500],
        )
    )
    session.flush()
