"""Links between the pages of a paginated list, keeping the list's other URL values."""

from __future__ import annotations

from typing import Any

from flask import url_for

from campaign.services.common.pagination import Page


def page_links(endpoint: str, page: Page, **values: Any) -> dict[str, str | None]:
    """The previous, next, first and last page's URL (None where that link would lead nowhere new)."""

    def link(number: int) -> str:
        return url_for(endpoint, **values, page=number)

    return {
        "previous": link(page.page - 1) if page.has_previous else None,
        "next": link(page.page + 1) if page.has_next else None,
        "first": link(1) if page.page > 2 else None,
        "last": link(page.pages) if page.page < page.pages - 1 else None,
    }
