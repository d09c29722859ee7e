"""Recipient lists: creating, renaming and deleting them, and putting recipients on and off them in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from campaign.models import Recipient, RecipientList, User, recipient_list_members
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.common.pagination import DEFAULT_PAGE_SIZE, Page
from campaign.services.common.text import collapse_spaces, same_name
from campaign.services.recipients.search import RecipientFilter, search_recipients


@dataclass(frozen=True)
class ListSummary:
    recipient_list: RecipientList
    members: int


def _clean_list_name(name: str) -> str:
    cleaned = collapse_spaces(name)
    if not cleaned:
        raise ServiceError(_("Bitte einen Namen für die Liste angeben."))
    limit = _list_name_length()
    if len(cleaned) > limit:
        raise ServiceError(_("Der Listenname darf höchstens %(limit)s Zeichen haben.", limit=limit))
    return cleaned


def _list_name_length() -> int:
    return RecipientList.__table__.c["name"].type.length


def find_list(session: Session, name: str) -> RecipientList | None:
    """The list with this name, ignoring case and extra spaces."""
    return next(
        (candidate for candidate in session.scalars(select(RecipientList)) if same_name(candidate.name, name)), None
    )


def lists_by_id(session: Session, list_ids: Sequence[int]) -> list[RecipientList]:
    """The lists with these ids; ServiceError if one of them is gone (deleted in another tab)."""
    wanted = set(list_ids)
    found = list(session.scalars(select(RecipientList).where(RecipientList.id.in_(wanted))))
    if len(found) != len(wanted):
        raise ServiceError(_("Eine der gewählten Listen gibt es nicht mehr."))
    return found


def list_summaries(session: Session) -> list[ListSummary]:
    counts = (
        select(RecipientList, func.count(recipient_list_members.c.recipient_id))
        .outerjoin(recipient_list_members, recipient_list_members.c.list_id == RecipientList.id)
        .group_by(RecipientList.id)
        .order_by(RecipientList.name)
    )
    return [ListSummary(recipient_list, members) for recipient_list, members in session.execute(counts)]


def check_list_name(session: Session, name: str, recipient_list: RecipientList | None = None) -> str:
    """The cleaned name, if no other list has it; ServiceError (for the field `name`) otherwise. Writes nothing."""
    try:
        cleaned = _clean_list_name(name)
    except ServiceError as exc:
        raise ServiceError(str(exc), "name") from exc
    other = find_list(session, cleaned)
    if other is not None and other is not recipient_list:
        raise ServiceError(_("Eine Liste „%(cleaned)s“ gibt es bereits.", cleaned=cleaned), "name")
    return cleaned


def create_list(session: Session, name: str, description: str = "", *, user: User | None = None) -> RecipientList:
    cleaned = check_list_name(session, name)
    recipient_list = RecipientList(name=cleaned, description=description.strip())
    session.add(recipient_list)
    record(session, "recipient_list.create", recipient_list, user=user, name=cleaned)
    return recipient_list


def get_or_create_list(session: Session, name: str, *, user: User | None = None) -> tuple[RecipientList, bool]:
    """The list with this name, created if missing; the flag says whether it was created."""
    found = find_list(session, _clean_list_name(name))
    if found is not None:
        return found, False
    return create_list(session, name, user=user), True


def rename_list(
    session: Session,
    recipient_list: RecipientList,
    name: str,
    description: str | None = None,
    *,
    user: User | None = None,
) -> None:
    cleaned = check_list_name(session, name, recipient_list)
    old_name = recipient_list.name
    recipient_list.name = cleaned
    if description is not None:
        recipient_list.description = description.strip()
    record(session, "recipient_list.update", recipient_list, user=user, old_name=old_name, name=cleaned)


def delete_list(session: Session, recipient_list: RecipientList, *, user: User | None = None) -> None:
    """Delete a list; its members stay as recipients."""
    record(session, "recipient_list.delete", recipient_list, user=user, name=recipient_list.name)
    session.delete(recipient_list)
    session.flush()


def member_ids(session: Session, recipient_list: RecipientList) -> set[int]:
    statement = select(recipient_list_members.c.recipient_id).where(
        recipient_list_members.c.list_id == recipient_list.id
    )
    return set(session.scalars(statement))


def _chunks(ids: list[int], size: int = 5000) -> Iterable[list[int]]:
    """Slices of at most `size` ids: databases limit the number of parameters in one statement."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _expire_memberships(session: Session, recipient_list: RecipientList) -> None:
    """Membership rows were written directly: let loaded collections reload them."""
    session.expire(recipient_list, ["recipients"])
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Recipient):
            session.expire(obj, ["lists"])


def add_to_list(
    session: Session, recipient_list: RecipientList, recipient_ids: Iterable[int], *, user: User | None = None
) -> int:
    """Put recipients on a list (bulk, for thousands); returns how many were not on it yet."""
    session.flush()
    wanted = set(recipient_ids)
    existing: set[int] = set()
    for chunk in _chunks(sorted(wanted)):
        existing.update(session.scalars(select(Recipient.id).where(Recipient.id.in_(chunk))))
    if existing != wanted:
        raise ServiceError(_("Einige der gewählten Empfänger:innen gibt es nicht mehr."))
    new = sorted(wanted - member_ids(session, recipient_list))
    if new:
        rows = [{"list_id": recipient_list.id, "recipient_id": recipient_id} for recipient_id in new]
        session.execute(insert(recipient_list_members), rows)
        _expire_memberships(session, recipient_list)
        record(session, "recipient_list.add", recipient_list, user=user, added=len(new))
    return len(new)


def remove_from_list(
    session: Session, recipient_list: RecipientList, recipient_ids: Iterable[int], *, user: User | None = None
) -> int:
    """Take recipients off a list; returns how many were on it."""
    session.flush()
    ids = set(recipient_ids) & member_ids(session, recipient_list)
    if ids:
        for chunk in _chunks(sorted(ids)):
            session.execute(
                delete(recipient_list_members).where(
                    recipient_list_members.c.list_id == recipient_list.id,
                    recipient_list_members.c.recipient_id.in_(chunk),
                )
            )
        _expire_memberships(session, recipient_list)
        record(session, "recipient_list.remove", recipient_list, user=user, removed=len(ids))
    return len(ids)


def list_members(
    session: Session, recipient_list: RecipientList, *, page: int = 1, per_page: int = DEFAULT_PAGE_SIZE
) -> Page[Recipient]:
    return search_recipients(session, RecipientFilter(list_id=recipient_list.id), page=page, per_page=per_page)
