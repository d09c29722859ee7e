"""The privacy notice's facts, from the instance settings: who is responsible, how to reach them, the periods."""

from __future__ import annotations

from dataclasses import dataclass

from limits import parse_many

from campaign.config import setting
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
    controller: str
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


def privacy_notice() -> PrivacyNotice:
    """The values /privacy shows; the contact falls back to the sender address of the campaign's mail."""
    contact = setting("PRIVACY_CONTACT") or parse_mailbox(setting("MAIL_FROM"))[1]
    return PrivacyNotice(
        controller=setting("PRIVACY_CONTROLLER") or "",
        contact=contact,
        unconfirmed_days=int(setting("UNCONFIRMED_SIGNATURE_DAYS")),
        withdrawn_days=int(setting("WITHDRAWN_RETENTION_DAYS")),
        retention_days=int(setting("SIGNATURE_RETENTION_DAYS")),
        access_log_days=int(setting("ACCESS_LOG_DAYS")),
        rate_limit_seconds=longest_rate_limit_window(),
    )
