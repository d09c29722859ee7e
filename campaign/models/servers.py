"""How the connections to outside servers went lately: the SMTP server of the outbox, the IMAP mailbox of replies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import db


class ServerState(db.Model):
    """One outside server the workers talk to; written by every attempt to reach it, read by the status pages."""

    __tablename__ = "server_states"

    # "smtp" or "imap": one row per kind of server, whichever address the settings name now.
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    # host:port (and mailbox), never a password.
    address: Mapped[str] = mapped_column(String(500), default="")
    last_success_at: Mapped[datetime | None]
    # The first failure since the last success; None while the server answers.
    failing_since: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")

    @property
    def failing(self) -> bool:
        return self.failing_since is not None
