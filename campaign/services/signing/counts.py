"""Counting confirmed signatures without a hot row: ±1 on one of a few shard rows, the count is their sum.

A confirmation never updates the campaign row (the petitions site that fell over did exactly that). Two
confirmations meet on the same row only when they pick the same shard, and reading the count sums at most
SHARDS small rows, however many signatures there are.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from campaign.models import Signature, SignatureCount, SignatureStatus

SHARDS = 16


def add(session: Session, campaign_id: int, delta: int) -> None:
    """Add `delta` to one random shard of the campaign (created on first use), in the caller's transaction."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(SignatureCount).values(campaign_id=campaign_id, shard=secrets.randbelow(SHARDS), confirmed=delta)
    statement = statement.on_conflict_do_update(
        index_elements=["campaign_id", "shard"],
        set_={"confirmed": SignatureCount.confirmed + statement.excluded.confirmed},
    )
    session.execute(statement)


def confirmed_count(session: Session, campaign_id: int) -> int:
    """The campaign's confirmed signatures (withdrawn and removed ones subtracted, erased ones kept)."""
    return session.scalar(
        select(func.coalesce(func.sum(SignatureCount.confirmed), 0)).where(SignatureCount.campaign_id == campaign_id)
    )


def confirmed_counts(session: Session, campaign_ids: Iterable[int]) -> dict[int, int]:
    """The counts of several campaigns at once (the start page lists them all)."""
    ids = list(campaign_ids)
    counts = dict.fromkeys(ids, 0)
    rows = session.execute(
        select(SignatureCount.campaign_id, func.sum(SignatureCount.confirmed))
        .where(SignatureCount.campaign_id.in_(ids))
        .group_by(SignatureCount.campaign_id)
    )
    counts.update({campaign_id: int(total or 0) for campaign_id, total in rows})
    return counts


def counted_by_rows(session: Session, campaign_id: int) -> int:
    """The count from the signatures themselves: confirmed ones, and erased ones that were confirmed and never
    withdrawn (an erasure removes the person, not their signature from the count). For checks and repair."""
    counted = case(
        (Signature.status == SignatureStatus.CONFIRMED, 1),
        (
            (Signature.status == SignatureStatus.ERASED)
            & Signature.confirmed_at.is_not(None)
            & Signature.withdrawn_at.is_(None),
            1,
        ),
        else_=0,
    )
    return session.scalar(select(func.coalesce(func.sum(counted), 0)).where(Signature.campaign_id == campaign_id))
