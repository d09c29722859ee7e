"""Tables of a campaign for download (`campaign export SLUG --what …`, the download buttons): a small registry.

Each entry names the columns (English JSON keys, German headings) and a function that yields one row per item;
`campaign.services.common.tabular` turns them into CSV, XLSX or JSON. Another table is one more entry in TABLES.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from campaign.models import Campaign
from campaign.services.common.errors import ServiceError
from campaign.services.common.tabular import Column, export_table
from campaign.services.exports import letters, recipients, replies, signatures


@dataclass(frozen=True)
class Table:
    title: str  # in the file, German like its column headings
    columns: Sequence[Column]
    rows: Callable[[Session, Campaign], Iterable[Mapping[str, Any]]]
    link: object  # lazy translated text: the download link in the page's language


TABLES: dict[str, Table] = {
    "letters": Table("Briefe", letters.COLUMNS, letters.rows, _l("Briefe")),
    "replies": Table("Antworten", replies.COLUMNS, replies.rows, _l("Antworten")),
    "recipients": Table("Empfänger", recipients.COLUMNS, recipients.rows, _l("Empfänger:innen")),
    "signatures": Table("Mitzeichnungen", signatures.COLUMNS, signatures.rows, _l("Mitzeichnungen")),
}


def export_campaign_table(session: Session, campaign: Campaign, what: str, fmt: str) -> bytes:
    """The campaign's table `what` in format `fmt` (csv, xlsx, json); a ServiceError names what is possible."""
    table = TABLES.get(what)
    if table is None:
        raise ServiceError(
            _("Unbekannte Tabelle „%(what)s“; möglich sind %(value)s.", what=what, value=", ".join(sorted(TABLES)))
        )
    return export_table(fmt, table.columns, table.rows(session, campaign), title=f"{table.title} {campaign.slug}")


def file_name(campaign: Campaign, what: str, fmt: str) -> str:
    return f"{campaign.slug}-{what}.{fmt}"
