"""Provisions of a motion: their data, adding, editing, deleting and reordering them, and their line ranges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from campaign.models import Motion, Provision, Stance, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import unique_slug
from campaign.services.evidence.motions import clean_text, enum_value
from campaign.services.evidence.numbering import line_count

MAX_SUMMARY_LENGTH = 5_000


@dataclass
class ProvisionData:
    """The editable fields of a provision, as the form delivers them."""

    title: str
    summary: str = ""
    stance: Stance | str = Stance.OPPOSE
    line_from: int | None = None
    line_to: int | None = None


def check_line_range(full_text: str, line_from: int | None, line_to: int | None) -> None:
    """Both lines or neither; 1 ≤ from ≤ to ≤ the number of lines of the text."""
    if line_from is None and line_to is None:
        return
    if line_from is None:
        raise ServiceError(_("Bitte auch die erste Zeile angeben."), "line_from")
    if line_to is None:
        raise ServiceError(_("Bitte auch die letzte Zeile angeben."), "line_to")
    count = line_count(full_text)
    if count == 0:
        raise ServiceError(_("Der Antrag hat noch keinen Text; Zeilen lassen sich erst danach markieren."), "line_from")
    if not 1 <= line_from <= count:
        raise ServiceError(_("Die erste Zeile muss zwischen 1 und %(count)s liegen.", count=count), "line_from")
    if not 1 <= line_to <= count:
        raise ServiceError(_("Die letzte Zeile muss zwischen 1 und %(count)s liegen.", count=count), "line_to")
    if line_to < line_from:
        raise ServiceError(_("Die letzte Zeile darf nicht vor der ersten liegen."), "line_to")


def _clean_provision(motion: Motion, data: ProvisionData) -> dict[str, Any]:
    title = clean_text(data.title, 300, "title", _("Der Titel"))
    if not title:
        raise ServiceError(_("Bitte einen Titel für den Kernpunkt angeben."), "title")
    check_line_range(motion.full_text, data.line_from, data.line_to)
    return {
        "title": title,
        "summary": clean_text(data.summary, MAX_SUMMARY_LENGTH, "summary", _("Die Zusammenfassung")),
        "stance": enum_value(Stance, data.stance, "stance", _("die Haltung")),
        "line_from": data.line_from,
        "line_to": data.line_to,
    }


def add_provision(session: Session, motion: Motion, data: ProvisionData, *, user: User | None = None) -> Provision:
    """Add a provision at the end of the motion's list."""
    values = _clean_provision(motion, data)
    taken = {provision.key for provision in motion.provisions}
    key = unique_slug(values["title"], taken.__contains__, fallback="kernpunkt", max_length=70)
    provision = Provision(key=key, position=len(motion.provisions), **values)
    motion.provisions.append(provision)
    session.flush()
    record(
        session,
        "provision.create",
        provision,
        user=user,
        motion_id=motion.id,
        title=provision.title,
        lines=[provision.line_from, provision.line_to],
    )
    return provision


def update_provision(session: Session, provision: Provision, data: ProvisionData, *, user: User | None = None) -> None:
    values = _clean_provision(provision.motion, data)
    changed = [name for name, value in values.items() if getattr(provision, name) != value]
    for name in changed:
        setattr(provision, name, values[name])
    if changed:
        record(session, "provision.update", provision, user=user, motion_id=provision.motion_id, changed=changed)


def delete_provision(session: Session, provision: Provision, *, user: User | None = None) -> int:
    """Delete a provision; returns how many arguments lose their link to it."""
    motion = provision.motion
    linked = len(provision.arguments)
    record(
        session,
        "provision.delete",
        provision,
        user=user,
        motion_id=motion.id,
        key=provision.key,
        title=provision.title,
        lines=[provision.line_from, provision.line_to],
        unlinked_arguments=linked,
    )
    motion.provisions.remove(provision)
    session.delete(provision)
    _renumber(motion)
    session.flush()
    return linked


def move_provision(session: Session, provision: Provision, direction: str, *, user: User | None = None) -> bool:
    """Swap with the neighbour above ("up") or below ("down"); False when it is already at that end."""
    if direction not in {"up", "down"}:
        raise ServiceError(_("Unbekannte Richtung."))
    motion = provision.motion
    _renumber(motion)
    ordered = sorted(motion.provisions, key=lambda item: item.position)
    index = ordered.index(provision)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return False
    ordered[index].position, ordered[other].position = ordered[other].position, ordered[index].position
    motion.provisions.sort(key=lambda item: item.position)
    record(session, "provision.move", provision, user=user, motion_id=motion.id, direction=direction)
    return True


def _renumber(motion: Motion) -> None:
    """Positions 0, 1, 2 … in the current order, so moving always swaps real neighbours."""
    for position, provision in enumerate(sorted(motion.provisions, key=lambda item: (item.position, item.id or 0))):
        provision.position = position
    motion.provisions.sort(key=lambda item: item.position)
