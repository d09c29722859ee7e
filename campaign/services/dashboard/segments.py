"""Response rates per segment of recipients: function, region, list, tag, and the channel a letter went by."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from campaign.models import Campaign, Channel, Letter, Recipient, RecipientList, recipient_list_members
from campaign.services.common.labels import label
from campaign.services.dashboard.definitions import letter_flags, letter_sent, rate

NONE_GIVEN = ""
CHANNELS = {channel.value for channel in Channel}


@dataclass(frozen=True)
class SegmentRow:
    key: str
    sent: int
    answered: int
    substantive: int

    @property
    def label(self) -> str:
        """What the page shows: the key, a channel's German name, or „(ohne Angabe)“."""
        if self.key == NONE_GIVEN:
            return str(_l("(ohne Angabe)"))
        if self.key in CHANNELS:
            return label(Channel(self.key))
        return self.key

    @property
    def response_rate(self) -> float:
        return rate(self.answered, self.sent)

    @property
    def substantive_rate(self) -> float:
        return rate(self.substantive, self.sent)


@dataclass(frozen=True)
class Segment:
    name: str
    title: Any
    rows: list[SegmentRow]


TITLES = {
    "function": _l("Funktion"),
    "unterbezirk": _l("Unterbezirk"),
    "kreis": _l("Kreis"),
    "wahlkreis": _l("Wahlkreis"),
    "list": _l("Liste"),
    "tag": _l("Schlagwort"),
    "channel": _l("Versandweg"),
}
SEGMENT_NAMES = tuple(TITLES)


def _sorted(sums: dict[str, list[int]]) -> list[SegmentRow]:
    """Largest segment first; "not given" last."""
    rows = [SegmentRow(key, *values) for key, values in sums.items()]
    return sorted(rows, key=lambda row: (row.key == NONE_GIVEN, -row.sent, row.key))


# Segment → the column of the letter facts it groups by ("list" joins the memberships, "tag" splits JSON lists).
GROUPED = ("function", "unterbezirk", "kreis", "wahlkreis", "channel", "tags")


def _facts(campaign: Campaign) -> Any:
    """One row per sent letter: its recipient's attributes and whether it was answered (and substantively)."""
    flags = letter_flags(campaign.id)
    return (
        select(
            Letter.recipient_id,
            Recipient.function,
            Recipient.unterbezirk,
            Recipient.kreis,
            Recipient.wahlkreis,
            # Grouped as text: the few distinct tag combinations are split in Python, not every row's list.
            cast(Recipient.tags, String).label("tags"),
            Letter.channel,
            func.coalesce(flags.c.answered, 0).label("answered"),
            func.coalesce(flags.c.substantive, 0).label("substantive"),
        )
        .select_from(Letter)
        .outerjoin(flags, flags.c.letter_id == Letter.id)
        .outerjoin(Recipient, Recipient.id == Letter.recipient_id)
        .where(Letter.campaign_id == campaign.id, letter_sent())
        .cte("letter_facts")
    )


def _grouped(facts: Any) -> Any:
    """Every segment's sums in one statement: the database joins the letters once and groups them seven ways."""
    sums = (func.count(), func.sum(facts.c.answered), func.sum(facts.c.substantive))
    parts = [select(literal(name), cast(facts.c[name], String), *sums).group_by(facts.c[name]) for name in GROUPED]
    by_list = (
        select(literal("list"), RecipientList.name, *sums)
        .select_from(facts)
        .outerjoin(recipient_list_members, recipient_list_members.c.recipient_id == facts.c.recipient_id)
        .outerjoin(RecipientList, RecipientList.id == recipient_list_members.c.list_id)
        .group_by(RecipientList.name)
    )
    return union_all(*parts, by_list)


def _tags(text: str | None) -> list[str]:
    try:
        tags = json.loads(text) if text else []
    except ValueError:
        tags = []
    return list(dict.fromkeys(str(tag) for tag in tags)) or [NONE_GIVEN]


def all_segments(session: Session, campaign: Campaign) -> list[Segment]:
    """Every segment table. A letter to a recipient on two lists (or with two tags) counts in both rows."""
    sums: dict[str, dict[str, list[int]]] = {name: defaultdict(lambda: [0, 0, 0]) for name in SEGMENT_NAMES}
    for name, key, sent, answered, substantive in session.execute(_grouped(_facts(campaign))):
        segment_name = "tag" if name == "tags" else name
        for value in _tags(key) if name == "tags" else [key or NONE_GIVEN]:
            entry = sums[segment_name][value]
            entry[0] += sent
            entry[1] += int(answered or 0)
            entry[2] += int(substantive or 0)
    return [Segment(name, TITLES[name], _sorted(sums[name])) for name in SEGMENT_NAMES]


def segment(session: Session, campaign: Campaign, name: str) -> Segment:
    """One segment table (computed with all the others: they come from the same statement)."""
    return next(item for item in all_segments(session, campaign) if item.name == name)
