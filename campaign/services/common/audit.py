"""The audit log: who changed what, and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from campaign.models import AuditEvent, User


def record(session: Session, action: str, obj: Any, *, user: User | None = None, **details: Any) -> AuditEvent:
    """Add an audit event for `action` on `obj` (a model instance, flushed so it has an id)."""
    session.flush()
    event = AuditEvent(
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        user_id=user.id if user else None,
        details=details,
    )
    session.add(event)
    session.flush()
    return event
