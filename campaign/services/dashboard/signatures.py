"""Confirmed signatures per day, pre-aggregated so the dashboard costs the same at 10,000 or 1,000,000 signatures.

SignatureDay holds, per campaign and German calendar day, the signatures confirmed that day which still count.
A signature enters or leaves the count only by getting a confirmed_at or a withdrawn_at timestamp (see
definitions.COUNTED_SIGNATURE), so a refresh recounts just the days of signatures stamped since the last refresh
(with a margin for transactions that committed late) and of rows added since then; both are index look-ups.
The first refresh of a campaign reads its signatures once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Campaign, Signature, SignatureDay, SignatureDayState
from campaign.services.common.dates import GERMAN_TIMEZONE, german_day
from campaign.services.dashboard.definitions import COUNTED_SIGNATURE

# Rows stamped up to this long before the last refresh are looked at again: their transaction may have
# committed only after it.
MARGIN = timedelta(minutes=10)


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int
    # Signatures up to and including this day.
    total: int


def hour_bucket(session: Session, column: Any) -> Any:
    """The UTC hour a stored time falls in, computed by the database (German days begin on a whole UTC hour)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("hour", column)
    return func.strftime("%Y-%m-%d %H:00:00", column)


def per_german_day(session: Session, column: Any, *conditions: Any) -> dict[date, int]:
    """Rows per German day of `column`: grouped by hour in the database, so few rows reach Python."""
    bucket = hour_bucket(session, column)
    counter: Counter[date] = Counter()
    for hour, count in session.execute(select(bucket, func.count()).where(*conditions).group_by(bucket)):
        stamp = hour if isinstance(hour, datetime) else datetime.fromisoformat(hour)
        counter[german_day(stamp)] += count
    return dict(counter)


def _utc_bounds(day: date) -> tuple[datetime, datetime]:
    """The naive UTC times at which a German day begins and the next one begins."""
    start, end = (datetime.combine(moment, time(), GERMAN_TIMEZONE) for moment in (day, day + timedelta(days=1)))
    return start.astimezone(UTC).replace(tzinfo=None), end.astimezone(UTC).replace(tzinfo=None)


def _upsert(session: Session, table: type, values: list[dict], keys: list[str]) -> None:
    """Insert or overwrite rows: two dashboards refreshing at once write the same values, and neither fails."""
    if not values:
        return
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(values)
    changed = {column: statement.excluded[column] for column in values[0] if column not in keys}
    session.execute(statement.on_conflict_do_update(index_elements=keys, set_=changed))


def _count_days(session: Session, campaign: Campaign, days: set[date]) -> dict[date, int]:
    """Recount the given days from the signatures (one index range per day)."""
    counts = {}
    for day in sorted(days):
        start, end = _utc_bounds(day)
        counts[day] = session.scalar(
            select(func.count(Signature.id)).where(
                Signature.campaign_id == campaign.id,
                Signature.confirmed_at >= start,
                Signature.confirmed_at < end,
                COUNTED_SIGNATURE,
            )
        )
    return counts


def _count_all(session: Session, campaign: Campaign) -> dict[date, int]:
    """Every day of the campaign, read once (the first refresh)."""
    return per_german_day(session, Signature.confirmed_at, Signature.campaign_id == campaign.id, COUNTED_SIGNATURE)


def refresh_signature_days(session: Session, campaign: Campaign, *, now: datetime | None = None) -> None:
    """Bring the campaign's SignatureDay rows up to date (cheap when little changed since the last refresh)."""
    now = now or utcnow()
    # Read as plain values: the upsert below changes the row behind the session's back.
    state = session.execute(
        select(SignatureDayState.last_signature_id, SignatureDayState.refreshed_at).where(
            SignatureDayState.campaign_id == campaign.id
        )
    ).first()
    newest = session.scalar(select(func.max(Signature.id))) or 0
    if state is None:
        counts = _count_all(session, campaign)
        session.execute(delete(SignatureDay).where(SignatureDay.campaign_id == campaign.id))
    else:
        since = state.refreshed_at - MARGIN
        touched = session.scalars(
            select(Signature.confirmed_at).where(
                Signature.campaign_id == campaign.id,
                Signature.confirmed_at.is_not(None),
                or_(
                    Signature.id > state.last_signature_id,
                    Signature.confirmed_at >= since,
                    Signature.withdrawn_at >= since,
                ),
            )
        )
        counts = _count_days(session, campaign, {german_day(stamp) for stamp in touched})
    rows = [{"campaign_id": campaign.id, "day": day, "confirmed": count} for day, count in counts.items()]
    _upsert(session, SignatureDay, rows, ["campaign_id", "day"])
    state_row = {"campaign_id": campaign.id, "last_signature_id": newest, "refreshed_at": now}
    _upsert(session, SignatureDayState, [state_row], ["campaign_id"])
    session.flush()


def signature_days(session: Session, campaign: Campaign, *, refresh: bool = True) -> list[DayCount]:
    """Confirmed signatures per day with the running total, oldest day first (days without any left out)."""
    if refresh:
        refresh_signature_days(session, campaign)
    rows = session.execute(
        select(SignatureDay.day, SignatureDay.confirmed)
        .where(SignatureDay.campaign_id == campaign.id, SignatureDay.confirmed > 0)
        .order_by(SignatureDay.day)
    )
    days, total = [], 0
    for day, count in rows:
        total += count
        days.append(DayCount(day, count, total))
    return days


def confirmed_total(session: Session, campaign: Campaign, *, refresh: bool = True) -> int:
    """The campaign's confirmed signatures: the sum of its days."""
    if refresh:
        refresh_signature_days(session, campaign)
    return session.scalar(
        select(func.coalesce(func.sum(SignatureDay.confirmed), 0)).where(SignatureDay.campaign_id == campaign.id)
    )
