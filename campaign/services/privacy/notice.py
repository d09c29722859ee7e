"""The privacy notice's facts, from the instance settings: who is responsible, how to reach them, the periods."""

from __future__ import annotations

from dataclasses import dataclass

from campaign.config import setting
from campaign.services.sending.messages import parse_mailbox


@dataclass(frozen=True)
class PrivacyNotice:
    controller: str
    contact: str
    unconfirmed_days: int
    withdrawn_days: int
    retention_days: int


def privacy_notice() -> PrivacyNotice:
    """The values /privacy shows; the contact falls back to the sender address of the campaign's mail."""
    contact = setting("PRIVACY_CONTACT") or parse_mailbox(setting("MAIL_FROM"))[1]
    return PrivacyNotice(
        controller=setting("PRIVACY_CONTROLLER") or "",
        contact=contact,
        unconfirmed_days=int(setting("UNCONFIRMED_SIGNATURE_DAYS")),
        withdrawn_days=int(setting("WITHDRAWN_RETENTION_DAYS")),
        retention_days=int(setting("SIGNATURE_RETENTION_DAYS")),
    )
