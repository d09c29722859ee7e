"""Finding recipients: the filters of the recipients page, one page of results, and the values to filter by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, cast, exists, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from campaign.models import Recipient, RecipientList, recipient_list_members
from campaign.services.common.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from campaign.services.common.search import contains_text
from campaign.services.common.text import collapse_spaces


@dataclass(frozen=True)
class RecipientFilter:
    """What the recipients page filters by; empty values mean "any"."""

    text: str = ""
    list_id: int | None = None
    tag: str = ""
    function: str = ""
    unterbezirk: str = ""
    kreis: str = ""
    wahlkreis: str = ""
    kommune: str = ""
    has_email: bool | None = None
    has_postal_address: bool | None = None

    @property
    def is_empty(self) -> bool:
        return self == RecipientFilter()


@dataclass(frozen=True)
class FilterChoices:
    """The values the filter form offers, taken from the recipients that exist."""

    lists: list[RecipientList]
    tags: list[str]
    functions: list[str]
    unterbezirke: list[str]
    kreise: list[str]
    wahlkreise: list[str]
    kommunen: list[str]


def _tag_condition(session: Session, tag: str) -> Any:
    """Recipients whose JSON tag array contains `tag` (exact element match on SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(Recipient.tags, JSONB).contains([tag])
    elements = func.json_each(Recipient.tags).table_valued("value")
    return exists(select(1).select_from(elements).where(elements.c.value == tag))


def filtered_statement(session: Session, filters: RecipientFilter) -> Select[tuple[Recipient]]:
    """A select of the recipients matching every given filter."""
    statement = select(Recipient)
    conditions: list[Any] = []
    if filters.text:
        text = collapse_spaces(filters.text)
        searched = (
            Recipient.first_name,
            Recipient.last_name,
            Recipient.group_name,
            Recipient.organisation,
            Recipient.email,
            Recipient.city,
        )
        conditions.append(or_(*(contains_text(column, text) for column in searched)))
    if filters.list_id is not None:
        members = select(recipient_list_members.c.recipient_id).where(
            recipient_list_members.c.list_id == filters.list_id
        )
        conditions.append(Recipient.id.in_(members))
    if filters.tag:
        conditions.append(_tag_condition(session, filters.tag.strip().lower()))
    if filters.function:
        conditions.append(contains_text(Recipient.function, collapse_spaces(filters.function)))
    for name in ("unterbezirk", "kreis", "wahlkreis", "kommune"):
        value = getattr(filters, name)
        if value:
            conditions.append(getattr(Recipient, name) == value)
    if filters.has_email is not None:
        conditions.append(Recipient.email != "" if filters.has_email else Recipient.email == "")
    if filters.has_postal_address is not None:
        complete = and_(Recipient.street != "", Recipient.postcode != "", Recipient.city != "")
        conditions.append(complete if filters.has_postal_address else ~complete)
    return statement.where(*conditions)


def _ordered(statement: Select[Any]) -> Select[Any]:
    return statement.order_by(
        Recipient.last_name, Recipient.first_name, Recipient.group_name, Recipient.organisation, Recipient.id
    )


def search_recipients(
    session: Session, filters: RecipientFilter, *, page: int = 1, per_page: int = DEFAULT_PAGE_SIZE
) -> Page[Recipient]:
    """One page of the matching recipients, sorted by name; a page past the end shows the last page."""
    return paginate(session, _ordered(filtered_statement(session, filters)), page=page, per_page=per_page)


def filtered_ids(session: Session, filters: RecipientFilter) -> list[int]:
    statement = filtered_statement(session, filters).with_only_columns(Recipient.id).order_by(Recipient.id)
    return list(session.scalars(statement))


def _distinct(session: Session, column: Any) -> list[str]:
    return list(session.scalars(select(column).where(column != "").distinct().order_by(column)))


def filter_choices(session: Session) -> FilterChoices:
    tags: set[str] = set()
    for row_tags in session.scalars(select(Recipient.tags)):
        tags.update(row_tags or [])
    return FilterChoices(
        lists=list(session.scalars(select(RecipientList).order_by(RecipientList.name))),
        tags=sorted(tags),
        functions=_distinct(session, Recipient.function),
        unterbezirke=_distinct(session, Recipient.unterbezirk),
        kreise=_distinct(session, Recipient.kreis),
        wahlkreise=_distinct(session, Recipient.wahlkreis),
        kommunen=_distinct(session, Recipient.kommune),
    )
