"""Response rates per segment of recipients: function, region, list, tag, and the channel a letter went by."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Channel, Letter, Recipient, RecipientList, recipient_list_members
from campaign.services.common.labels import label
from campaign.services.dashboard.definitions import answered_flag, letter_sent, rate, substantive_flag

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


# Segment name → (title, the column grouped by); tags and lists are handled apart (many per recipient).
COLUMNS = {
    "function": (_l("Funktion"), Recipient.function),
    "unterbezirk": (_l("Unterbezirk"), Recipient.unterbezirk),
    "kreis": (_l("Kreis"), Recipient.kreis),
    "wahlkreis": (_l("Wahlkreis"), Recipient.wahlkreis),
    "channel": (_l("Versandweg"), Letter.channel),
}
SEGMENT_NAMES = (*COLUMNS, "list", "tag")


def _sorted(rows: Iterable[SegmentRow]) -> list[SegmentRow]:
    """Largest segment first; "not given" last."""
    return sorted(rows, key=lambda row: (row.key == NONE_GIVEN, -row.sent, row.key))


def _totals(session: Session, campaign: Campaign, key: Any, *joins: Any) -> list[SegmentRow]:
    statement = select(key, func.count(Letter.id), func.sum(answered_flag()), func.sum(substantive_flag()))
    statement = statement.select_from(Letter).outerjoin(Recipient, Recipient.id == Letter.recipient_id)
    for target, on in joins:
        statement = statement.outerjoin(target, on)
    statement = statement.where(Letter.campaign_id == campaign.id, letter_sent()).group_by(key)
    return [
        SegmentRow(str(getattr(value, "value", value) or NONE_GIVEN), sent, int(answered or 0), int(subst or 0))
        for value, sent, answered, subst in session.execute(statement)
    ]


def _merge(rows: list[SegmentRow]) -> list[SegmentRow]:
    """Rows of the same key (NULL and "" both mean "not given") added up."""
    merged: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        sums = merged[row.key]
        sums[0] += row.sent
        sums[1] += row.answered
        sums[2] += row.substantive
    return [SegmentRow(key, *sums) for key, sums in merged.items()]


def _by_tag(session: Session, campaign: Campaign) -> list[SegmentRow]:
    """Tags live in a JSON list per recipient: a letter counts once in each of its recipient's tags."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = session.execute(
        select(Recipient.tags, answered_flag(), substantive_flag())
        .select_from(Letter)
        .outerjoin(Recipient, Recipient.id == Letter.recipient_id)
        .where(Letter.campaign_id == campaign.id, letter_sent())
    )
    for tags, answered, substantive in rows:
        for tag in dict.fromkeys(tags or [NONE_GIVEN]):
            entry = sums[tag]
            entry[0] += 1
            entry[1] += answered
            entry[2] += substantive
    return [SegmentRow(key, *values) for key, values in sums.items()]


def segment(session: Session, campaign: Campaign, name: str) -> Segment:
    """One segment table; a letter to a recipient on two lists (or with two tags) counts in both rows."""
    if name == "tag":
        return Segment(name, _l("Schlagwort"), _sorted(_by_tag(session, campaign)))
    if name == "list":
        joins = (
            (recipient_list_members, recipient_list_members.c.recipient_id == Recipient.id),
            (RecipientList, RecipientList.id == recipient_list_members.c.list_id),
        )
        rows = _totals(session, campaign, RecipientList.name, *joins)
        return Segment(name, _l("Liste"), _sorted(_merge(rows)))
    title, column = COLUMNS[name]
    return Segment(name, title, _sorted(_merge(_totals(session, campaign, column))))


def all_segments(session: Session, campaign: Campaign) -> list[Segment]:
    return [segment(session, campaign, name) for name in SEGMENT_NAMES]
