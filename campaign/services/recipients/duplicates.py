"""Finding the same person twice: identities, an in-memory index for imports, and a look-up in the database."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from campaign.models import Recipient
from campaign.services.common.text import fold_text

ItemT = TypeVar("ItemT")


@dataclass(frozen=True)
class Identity:
    """What makes two recipient records the same person: canonical e-mail, or name plus street and postcode."""

    email: str
    name: str
    address: str

    @classmethod
    def of(cls, values: Mapping[str, Any] | Recipient) -> Identity:
        get = values.get if isinstance(values, Mapping) else lambda name, default="": getattr(values, name, default)
        names = [
            fold_text(get("first_name", "") or ""),
            fold_text(get("last_name", "") or ""),
            fold_text(get("group_name", "") or ""),
        ]
        if not any(names):
            names.append(fold_text(get("organisation", "") or ""))
        street = fold_text(get("street", "") or "")
        street = re.sub(r"(strasse|str)(?=\d|$)", "str", street)
        return cls(
            email=get("email_canonical", "") or "",
            name="|".join(names),
            address=f"{street}|{fold_text(get('postcode', '') or '')}",
        )


class DuplicateIndex(Generic[ItemT]):
    """Finds an earlier record with the same identity (same e-mail, or same name and address)."""

    def __init__(self) -> None:
        self._by_email: dict[str, ItemT] = {}
        self._by_name: dict[tuple[str, str], list[tuple[str, ItemT]]] = {}

    def add(self, identity: Identity, item: ItemT) -> None:
        if identity.email:
            self._by_email.setdefault(identity.email, item)
        if identity.name.strip("|"):
            self._by_name.setdefault((identity.name, identity.address), []).append((identity.email, item))

    def find(self, identity: Identity) -> ItemT | None:
        if identity.email and identity.email in self._by_email:
            return self._by_email[identity.email]
        for email, item in self._by_name.get((identity.name, identity.address), []):
            # Same name and address but two different e-mail addresses: two people (e.g. namesakes at one office).
            if not (identity.email and email and identity.email != email):
                return item
        return None


def existing_recipients_index(session: Session) -> DuplicateIndex[int]:
    """An index of every stored recipient's identity, by id (one query, for imports of thousands of rows)."""
    index: DuplicateIndex[int] = DuplicateIndex()
    columns = (
        Recipient.id,
        Recipient.email_canonical,
        Recipient.first_name,
        Recipient.last_name,
        Recipient.group_name,
        Recipient.organisation,
        Recipient.street,
        Recipient.postcode,
    )
    for row in session.execute(select(*columns).order_by(Recipient.id)):
        index.add(Identity.of(row._asdict()), row.id)
    return index


def find_duplicate(session: Session, values: Mapping[str, Any], *, exclude_id: int | None = None) -> Recipient | None:
    """A stored recipient that is the same person as `values` (cleaned), other than `exclude_id`."""
    identity = Identity.of(values)
    conditions = [Recipient.postcode == values.get("postcode", "")]
    if identity.email:
        conditions.append(Recipient.email_canonical == identity.email)
    statement = select(Recipient).where(or_(*conditions))
    if exclude_id is not None:
        statement = statement.where(Recipient.id != exclude_id)
    index: DuplicateIndex[Recipient] = DuplicateIndex()
    for candidate in session.scalars(statement.order_by(Recipient.id)):
        index.add(Identity.of(candidate), candidate)
    return index.find(identity)
