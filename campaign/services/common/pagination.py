"""One page of a query's results, and the figures a pager shows."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

ItemT = TypeVar("ItemT")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class Page(Generic[ItemT]):
    items: list[ItemT]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_number(self) -> int:
        """1-based position of the first item shown (0 when empty)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_number(self) -> int:
        return (self.page - 1) * self.per_page + len(self.items)


def paginate(
    session: Session, statement: Select[Any], *, page: int = 1, per_page: int = DEFAULT_PAGE_SIZE
) -> Page[Any]:
    """One page of `statement` (already ordered); a page past the end shows the last page."""
    per_page = max(1, min(per_page, MAX_PAGE_SIZE))
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    page = max(1, min(page, max(1, math.ceil(total / per_page))))
    items = list(session.scalars(statement.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, total, page, per_page)
