"""The purge: unconfirmed signatures past their period deleted, personal data past its retention period erased."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.db import utcnow
from campaign.models import Campaign, OutboxMessage, Signature, SignatureStatus
from campaign.services.common.translation import N_
from campaign.services.privacy.erasure import delete_orphaned_supporters, erase_signatures
from campaign.services.writing.privacy import purge_letters

_S = SignatureStatus


@dataclass(frozen=True)
class PurgeReport:
    unconfirmed_deleted: int
    ended_erased: int
    expired_erased: int
    supporters_deleted: int
    letters_deleted: int = 0
    letters_anonymised: int = 0


def purge(session: Session, now: datetime | None = None) -> PurgeReport:
    """Apply the retention rules (UNCONFIRMED_SIGNATURE_DAYS, WITHDRAWN_RETENTION_DAYS, SIGNATURE_RETENTION_DAYS)."""
    now = now or utcnow()
    unconfirmed_before = now - timedelta(days=int(setting("UNCONFIRMED_SIGNATURE_DAYS")))
    pending = list(
        session.scalars(
            select(Signature.id).where(Signature.status == _S.PENDING, Signature.created_at < unconfirmed_before)
        )
    )
    if pending:
        # Never confirmed, so never counted: nothing of them is kept, not even the anonymous row.
        session.execute(delete(OutboxMessage).where(OutboxMessage.signature_id.in_(pending)))
        session.execute(delete(Signature).where(Signature.id.in_(pending)).execution_options(synchronize_session=False))
    ended_before = now - timedelta(days=int(setting("WITHDRAWN_RETENTION_DAYS")))
    ended = list(
        session.scalars(
            select(Signature.id).where(
                Signature.status.in_([_S.WITHDRAWN, _S.REMOVED]), Signature.withdrawn_at < ended_before
            )
        )
    )
    ended_count = erase_signatures(session, ended, note=N_("Aufbewahrungsfrist nach Widerruf abgelaufen"))
    deadline_before = (now - timedelta(days=int(setting("SIGNATURE_RETENTION_DAYS")))).date()
    expired = list(
        session.scalars(
            select(Signature.id)
            .join(Campaign, Campaign.id == Signature.campaign_id)
            .where(Signature.status == _S.CONFIRMED, Campaign.deadline < deadline_before)
        )
    )
    expired_count = erase_signatures(session, expired, note="Aufbewahrungsfrist nach Kampagnenende abgelaufen")
    letters_deleted, letters_anonymised = purge_letters(session, now)
    supporters = delete_orphaned_supporters(session)
    session.flush()
    return PurgeReport(len(pending), ended_count, expired_count, supporters, letters_deleted, letters_anonymised)
