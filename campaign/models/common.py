"""Column helpers shared by the models: timestamps and the state-machine contract."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import utcnow


class TimestampMixin:
    """created_at / updated_at in naive UTC."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class StatefulMixin:
    """A model with a `status` enum and a table of allowed transitions (see services.states)."""

    TRANSITIONS: ClassVar[dict[enum.Enum, frozenset[enum.Enum]]]
    status: Mapped[enum.Enum]

    @classmethod
    def allowed_next(cls, current: enum.Enum) -> frozenset[enum.Enum]:
        """The states reachable from `current` in one step."""
        return cls.TRANSITIONS.get(current, frozenset())

    def can_become(self, new_status: enum.Enum) -> bool:
        """Whether the move from the current status to `new_status` is allowed."""
        return new_status in self.allowed_next(self.status)
