"""A new person's signature on PostgreSQL in one statement: supporter, signature and confirmation mail together.

Most sign requests come from people who have not signed before. For them the three rows go in with one statement
of data-modifying CTEs, each INSERT fed by the one before: the campaign as the caller read it (id, slug, title,
deadline) must still be open and unchanged, the supporter must be new (ON CONFLICT DO NOTHING), then its signature,
then the mail. When a link of the chain finds nothing to do (the address is known, a racing request was first, the
campaign closed or changed) nothing is written, and the caller takes the general path, statement by statement,
which answers each of those cases. The campaign may therefore come from a short-lived cache: a stale copy cannot
sign a closed campaign or put an old title into a mail, it only sends the request down the general path.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from sqlalchemy import Connection, Row, Table, bindparam, insert, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert

from campaign.models import Campaign, CampaignStatus, OutboxMessage, Signature, Supporter

# How long a process keeps a campaign it read for signing (seconds).
CAMPAIGN_TTL_SECONDS = 30
_CAMPAIGN_COLUMNS = ("id", "slug", "title", "deadline")
_campaigns: dict[tuple[Any, str], tuple[float, Row]] = {}


def cached_campaign(connection: Connection, slug: str, query) -> Row | None:
    """The campaign row `query` finds for `slug`, read at most every CAMPAIGN_TTL_SECONDS per process and database."""
    key = (connection.engine.url, slug)
    now = time.monotonic()
    hit = _campaigns.get(key)
    if hit is not None and now - hit[0] < CAMPAIGN_TTL_SECONDS:
        return hit[1]
    row = connection.execute(query, {"slug": slug}).first()
    if row is not None:
        if len(_campaigns) > 1000:  # slugs are few; this only bounds what a flood of made-up slugs could leave
            _campaigns.clear()
        _campaigns[key] = (now, row)
    return row


def forget_campaign(connection: Connection, slug: str) -> None:
    """Read the campaign afresh next time (it changed since it was cached)."""
    _campaigns.pop((connection.engine.url, slug), None)


def insert_new(
    connection: Connection, campaign: Row, supporter: dict[str, Any], signature: dict[str, Any], mail: dict[str, Any]
) -> int | None:
    """Insert supporter, signature (without campaign and supporter ids) and outbox row; the signature's id, or
    None when nothing was written."""
    supporter, mail = _with_defaults(Supporter.__table__, supporter), _with_defaults(OutboxMessage.__table__, mail)
    signature = _with_defaults(Signature.__table__, signature, skip=("campaign_id", "supporter_id"))
    statement = _statement(tuple(supporter), tuple(signature), tuple(mail))
    params = {f"campaign_{name}": getattr(campaign, name) for name in _CAMPAIGN_COLUMNS}
    for prefix, row in (("supporter", supporter), ("signature", signature), ("mail", mail)):
        params.update({f"{prefix}_{name}": value for name, value in row.items()})
    return connection.execute(statement, params).scalar()


def _with_defaults(table: Table, row: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The row with the models' Python-side defaults filled in (an INSERT inside a CTE does not apply them)."""
    missing = [column for column in table.c if column.name not in row and column.name not in skip]
    filled = dict(row)
    for column in missing:
        if column.default is not None and not column.primary_key:
            # SQLAlchemy wraps a callable default into one that takes the execution context (unused by ours).
            filled[column.name] = column.default.arg(None) if column.default.is_callable else column.default.arg
    return filled


def _values(table: Table, names: tuple[str, ...], prefix: str) -> list:
    return [bindparam(f"{prefix}_{name}", type_=table.c[name].type) for name in names]


@functools.cache
def _statement(supporter: tuple[str, ...], signature: tuple[str, ...], mail: tuple[str, ...]):
    """The statement for rows with these columns, built once (its compiled form is cached with it)."""
    campaigns, supporters = Campaign.__table__, Supporter.__table__
    signatures, outbox = Signature.__table__, OutboxMessage.__table__
    unchanged = [campaigns.c[name] == bindparam(f"campaign_{name}") for name in ("id", "slug", "title")]
    open_campaign = (
        select(campaigns.c.id)
        .where(*unchanged, campaigns.c.deadline.is_not_distinct_from(bindparam("campaign_deadline")))
        .where(campaigns.c.status == CampaignStatus.ACTIVE, campaigns.c.open_letter.is_(True))
        .cte("open_campaign")
    )
    new_supporter = _insert(
        supporters, supporter, select(*_values(supporters, supporter, "supporter")).select_from(open_campaign)
    )
    new_signature = _insert(
        signatures,
        ("campaign_id", "supporter_id", *signature),
        select(open_campaign.c.id, new_supporter.c.id, *_values(signatures, signature, "signature")).select_from(
            open_campaign.join(new_supporter, true())
        ),
    )
    new_mail = _insert(
        outbox,
        ("signature_id", *mail),
        select(new_signature.c.id, *_values(outbox, mail, "mail")),
        returning="signature_id",
        on_conflict=False,
    )
    return select(new_mail.c.signature_id)


def _insert(table: Table, names: tuple[str, ...], source, *, returning: str = "id", on_conflict: bool = True):
    """INSERT INTO table (names) SELECT … [ON CONFLICT DO NOTHING] RETURNING one column, as a CTE new_<table>."""
    statement = pg_insert(table) if on_conflict else insert(table)
    statement = statement.from_select(names, source, include_defaults=False)
    if on_conflict:
        statement = statement.on_conflict_do_nothing()
    return statement.returning(table.c[returning]).cte(f"new_{table.name}")
