"""A batch before rendering: its formats and sort orders, the print order of recipients, the names of its files.

Kept apart from `run` (which loads pypdf and the render pool): sending a letter by e-mail and queueing a
campaign's letters need these, not the PDF machinery.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import case, select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Recipient, Target
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import slugify
from campaign.services.letters.layout import PrintableLetter

FORMATS = ("pdf", "zip", "merged")
SORTS = ("postcode", "region")


def letter_filename(letter: PrintableLetter) -> str:
    """NRW-2026-0001-ayse-karadag.pdf"""
    slug = slugify(letter.recipient_name, 60)
    return f"{letter.reference_code}-{slug}.pdf" if slug else f"{letter.reference_code}.pdf"


def output_file(root: Path, campaign: Campaign, fmt: str, job_id: int) -> Path:
    """Where a job's output goes: <root>/<campaign slug>/<slug>-briefe-<job>.zip, -druck-<job>.pdf or a folder."""
    names = {"zip": f"{campaign.slug}-briefe-{job_id}.zip", "merged": f"{campaign.slug}-druck-{job_id}.pdf"}
    return root / campaign.slug / names.get(fmt, f"{campaign.slug}-briefe-{job_id}")


def recipient_order(session: Session, campaign: Campaign, sort: str = "postcode") -> list[int]:
    """The ids of the campaign's recipients in print order: by postcode, or grouped by region (Unterbezirk)."""
    if sort not in SORTS:
        raise ServiceError(
            _("Unbekannte Sortierung „%(sort)s“. Möglich: %(value)s.", sort=sort, value=", ".join(SORTS))
        )
    by_postcode = (Recipient.postcode, Recipient.last_name, Recipient.first_name, Recipient.group_name, Recipient.id)
    order = by_postcode
    if sort == "region":
        order = (case((Recipient.unterbezirk == "", 1), else_=0), Recipient.unterbezirk, *by_postcode)
    statement = (
        select(Recipient.id)
        .join(Target, Target.recipient_id == Recipient.id)
        .where(Target.campaign_id == campaign.id)
        .order_by(*order)
    )
    return list(session.scalars(statement))


def recipients_in_order(session: Session, ids: Sequence[int]) -> list[Recipient]:
    """The recipients with these ids in the order of `ids` (a part of `recipient_order`); deleted ones are left out.

    `WHERE id IN (…)` returns rows in whatever order the database likes, and the letters' reference codes are
    numbered in the order they are prepared: without this, „Unser Zeichen“ would not follow the print order.
    """
    by_id = {recipient.id: recipient for recipient in session.scalars(select(Recipient).where(Recipient.id.in_(ids)))}
    return [by_id[recipient_id] for recipient_id in ids if recipient_id in by_id]
