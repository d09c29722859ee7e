"""Whether the replies mailbox (IMAP_URL) can be fetched: the last successful fetch, the error, the next attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.models import ServerState
from campaign.services.common.servers import IMAP, server_state


@dataclass(frozen=True)
class MailboxStatus:
    """The mailbox's last known state and when the workers poll it next (every IMAP_POLL_INTERVAL seconds)."""

    state: ServerState | None
    next_attempt_at: datetime | None

    @property
    def failing(self) -> bool:
        return self.state is not None and self.state.failing


def mailbox_status(session: Session) -> MailboxStatus | None:
    """None without IMAP_URL: replies then come only by upload and `campaign replies import`."""
    if not setting("IMAP_URL"):
        return None
    state = server_state(session, IMAP)
    tried = [moment for moment in (state.last_success_at, state.last_failure_at) if moment] if state else []
    interval = timedelta(seconds=int(setting("IMAP_POLL_INTERVAL")))
    return MailboxStatus(state=state, next_attempt_at=max(tried) + interval if tried else None)
