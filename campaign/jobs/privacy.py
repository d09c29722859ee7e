"""The daily purge of expired personal data, on the workers."""

from __future__ import annotations

from huey import crontab

from campaign.db import db
from campaign.jobs import huey
from campaign.services.privacy.purge import purge


@huey.app_periodic_task(crontab(hour="3", minute="17"))
def purge_daily() -> None:
    """Unconfirmed signatures past their period, personal data past its retention period (see services.privacy)."""
    purge(db.session)
    db.session.commit()
