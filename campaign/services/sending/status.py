"""Whether the outbox's mail server can be reached, and what waits for it: the status the sending pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import OutboxMessage, OutboxStatus, ServerState
from campaign.services.common.servers import SMTP, server_state

WAITING = (OutboxStatus.PENDING, OutboxStatus.FAILED, OutboxStatus.SENDING)


@dataclass(frozen=True)
class MailServerStatus:
    """The mail server's last known state, the e-mails that wait in the outbox and when the next attempt is due."""

    state: ServerState | None
    waiting: int
    next_attempt_at: datetime | None

    @property
    def failing(self) -> bool:
        return self.state is not None and self.state.failing


def mail_server_status(session: Session) -> MailServerStatus:
    """The status for the pages: held (paused) mail counts as waiting but sets no next attempt."""
    waiting = session.scalar(select(func.count()).where(OutboxMessage.status.in_(WAITING))) or 0
    next_attempt = session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)), OutboxMessage.held.is_(False)
        )
    )
    return MailServerStatus(state=server_state(session, SMTP), waiting=waiting, next_attempt_at=next_attempt)
