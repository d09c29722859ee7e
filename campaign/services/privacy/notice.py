"""The privacy notice's facts, from the instance settings: who is responsible, how to reach them, the periods."""

from __future__ import annotations

from dataclasses import dataclass

from limits import parse_many
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.models import Campaign, CampaignStatus, Organisation
from campaign.services.sending.messages import parse_mailbox

# The rate limits counted per client address (and, at the login, per e-mail address entered).
RATE_LIMIT_SETTINGS = (
    "SIGN_RATE_LIMIT",
    "WRITE_PREVIEW_RATE_LIMIT",
    "LOGIN_RATE_LIMIT",
    "LOGIN_ACCOUNT_ADDRESS_RATE_LIMIT",
    "LOGIN_ACCOUNT_RATE_LIMIT",
)


@dataclass(frozen=True)
class PrivacyNotice:
    # Who is responsible: PRIVACY_CONTROLLER, else the name and address of each organisation whose campaign pages
    # are public (empty only when there is none).
    controllers: tuple[str, ...]
    contact: str
    unconfirmed_days: int
    withdrawn_days: int
    retention_days: int
    # 0: the reverse proxy keeps no access log.
    access_log_days: int = 14
    # The longest window of the rate limits: a counter expires at the end of its window (Flask-Limiter's fixed
    # windows, kept in RATELIMIT_STORAGE_URL), so none is kept longer.
    rate_limit_seconds: int = 3600

    @property
    def rate_limit_hours(self) -> int | None:
        """The longest window in whole hours, or None when it is not a whole number of hours (then minutes)."""
        return self.rate_limit_seconds // 3600 if self.rate_limit_seconds % 3600 == 0 else None

    @property
    def rate_limit_minutes(self) -> int:
        return -(-self.rate_limit_seconds // 60)


def longest_rate_limit_window() -> int:
    """Seconds of the longest window among the configured rate limits („10 per minute; 100 per hour“ → 3600)."""
    windows = [limit.get_expiry() for name in RATE_LIMIT_SETTINGS for limit in parse_many(str(setting(name) or ""))]
    return max(windows, default=0)


def _campaigning_organisations(session: Session) -> tuple[str, ...]:
    """The address blocks of the organisations that run a campaign the public can see (not a draft, not archived)."""
    # A subquery rather than JOIN + DISTINCT: PostgreSQL cannot compare the JSON columns DISTINCT would compare.
    public_campaigns = select(Campaign.organisation_id).where(
        Campaign.status.in_((CampaignStatus.ACTIVE, CampaignStatus.CLOSED))
    )
    statement = select(Organisation).where(Organisation.id.in_(public_campaigns)).order_by(Organisation.name)
    return tuple(
        "\n".join(line for line in (item.name, item.street, f"{item.postcode} {item.city}".strip()) if line)
        for item in session.scalars(statement)
    )


def privacy_notice(session: Session) -> PrivacyNotice:
    """The values /privacy shows; the contact falls back to the sender address of the campaign's mail.

    Art. 13 GDPR asks for the controller's name and address: without PRIVACY_CONTROLLER, the organisations named
    on the campaigns stand in (and `campaign run`/`up` warn in production).
    """
    contact = setting("PRIVACY_CONTACT") or parse_mailbox(setting("MAIL_FROM"))[1]
    controller = (setting("PRIVACY_CONTROLLER") or "").strip()
    return PrivacyNotice(
        controllers=(controller,) if controller else _campaigning_organisations(session),
        contact=contact,
        unconfirmed_days=int(setting("UNCONFIRMED_SIGNATURE_DAYS")),
        withdrawn_days=int(setting("WITHDRAWN_RETENTION_DAYS")),
        retention_days=int(setting("SIGNATURE_RETENTION_DAYS")),
        access_log_days=int(setting("ACCESS_LOG_DAYS")),
        rate_limit_seconds=longest_rate_limit_window(),
    )
