"""Motions: their data, creating, editing and archiving them, and replacing the text with provisions following along."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Motion, MotionKind, MotionStatus, Provision, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ErrorCollector, ServiceError
from campaign.services.common.text import check_url, format_thousands, is_slug, unique_slug
from campaign.services.evidence.numbering import NumberedLine, line_count, normalise_text, number_lines

# A motion of a few hundred pages still fits; anything longer is almost certainly a wrong file.
MAX_TEXT_LENGTH = 500_000


@dataclass
class MotionData:
    """The editable fields of a motion, as a form or an import delivers them."""

    title: str
    slug: str = ""
    kind: MotionKind | str = MotionKind.ANTRAG
    party: str = ""
    body: str = ""
    presented_on: date | None = None
    decision_forum: str = ""
    decision_date: date | None = None
    status: MotionStatus | str = MotionStatus.PRESENTED
    source_url: str = ""
    full_text: str = ""


EDITABLE_FIELDS = tuple(name for name in MotionData.__dataclass_fields__)


def clean_text(value: str | None, limit: int, field_name: str, label: str) -> str:
    """The trimmed text, or a ServiceError on `field_name` when it is longer than `limit`."""
    text = (value or "").strip()
    if len(text) > limit:
        raise ServiceError(
            gettext("%(label)s darf höchstens %(limit)s Zeichen lang sein.", label=label, limit=limit), field_name
        )
    return text


def enum_value(enum_class: type, value: Any, field_name: str, label: str) -> Any:
    """`value` as a member of `enum_class`, or a ServiceError naming the field."""
    try:
        return enum_class(value)
    except ValueError as exc:
        raise ServiceError(
            gettext("Unbekannter Wert für %(label)s: „%(value)s“.", label=label, value=value), field_name
        ) from exc


def _slug_taken(session: Session, slug: str, exclude_id: int | None) -> bool:
    owner = session.scalar(select(Motion.id).where(Motion.slug == slug))
    return owner is not None and owner != exclude_id


def check_motion(session: Session, data: MotionData, motion: Motion | None = None) -> None:
    """FieldErrors naming every wrong field of `data`, or nothing; writes nothing (for a form that has its own
    mistakes, so that one answer names all of them)."""
    _clean_motion(session, data, motion)


def _clean_motion(session: Session, data: MotionData, motion: Motion | None) -> dict[str, Any]:
    """Validated column values for `data`; the slug is generated from the title when left empty.

    Every wrong field is named in one FieldErrors, so the form shows all of them at once.
    """
    found = ErrorCollector()
    title = found.check(clean_text, data.title, 300, "title", gettext("Der Titel"), otherwise="")
    if not title and "title" not in found.errors:
        found.add("title", gettext("Bitte einen Titel angeben."))
    full_text = normalise_text(data.full_text)
    if len(full_text) > MAX_TEXT_LENGTH:
        found.add(
            "full_text",
            gettext(
                "Der Antragstext ist zu lang (%(value)s Zeichen; erlaubt sind %(MAX_TEXT_LENGTH)s).",
                value=format_thousands(len(full_text)),
                MAX_TEXT_LENGTH=format_thousands(MAX_TEXT_LENGTH),
            ),
        )
    if data.presented_on and data.decision_date and data.decision_date < data.presented_on:
        found.add("decision_date", gettext("Der Entscheidungstermin liegt vor dem Datum der Vorlage."))
    slug = found.check(_clean_slug, session, data.slug, title, motion.id if motion else None, otherwise="")
    values = {
        "title": title,
        "slug": slug,
        "kind": found.check(enum_value, MotionKind, data.kind, "kind", gettext("die Art")),
        "party": found.check(clean_text, data.party, 120, "party", gettext("Die Partei")),
        "body": found.check(clean_text, data.body, 200, "body", gettext("Das Gremium")),
        "presented_on": data.presented_on,
        "decision_forum": found.check(
            clean_text, data.decision_forum, 200, "decision_forum", gettext("Das Beschlussgremium")
        ),
        "decision_date": data.decision_date,
        "status": found.check(enum_value, MotionStatus, data.status, "status", gettext("den Status")),
        "source_url": found.check(check_url, data.source_url, "source_url"),
        "full_text": full_text,
    }
    found.raise_if_any()
    return values


def _clean_slug(session: Session, value: str | None, title: str, exclude_id: int | None) -> str:
    """The given short name if it is well-formed and free; made from the title when left empty."""
    slug = (value or "").strip().lower()
    if not slug:
        return unique_slug(
            title, lambda candidate: _slug_taken(session, candidate, exclude_id), fallback="antrag", max_length=110
        )
    if not is_slug(slug):
        raise ServiceError(
            gettext(
                "Die Kurzbezeichnung darf nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche enthalten "
                "(höchstens 120 Zeichen)."
            ),
            "slug",
        )
    if _slug_taken(session, slug, exclude_id):
        raise ServiceError(gettext("Die Kurzbezeichnung „%(slug)s“ ist schon vergeben.", slug=slug), "slug")
    return slug


def motion_data(motion: Motion) -> MotionData:
    """The editable fields of an existing motion (to prefill a form)."""
    return MotionData(**{name: getattr(motion, name) for name in EDITABLE_FIELDS})


def create_motion(session: Session, data: MotionData, *, user: User | None = None, **details: Any) -> Motion:
    """Add a motion; `details` go into the audit entry (e.g. where an import came from)."""
    motion = Motion(**_clean_motion(session, data, None))
    session.add(motion)
    session.flush()
    record(session, "motion.create", motion, user=user, slug=motion.slug, title=motion.title, **details)
    return motion


@dataclass
class Reanchoring:
    """What a new full text did to the provisions: which moved to new lines, which need a look."""

    moved: list[Provision] = field(default_factory=list)
    unresolved: list[Provision] = field(default_factory=list)


@dataclass
class MotionUpdate:
    changed: list[str]
    reanchoring: Reanchoring


def update_motion(session: Session, motion: Motion, data: MotionData, *, user: User | None = None) -> MotionUpdate:
    """Save edited fields; when the text changes, provisions follow their passages to the new line numbers."""
    values = _clean_motion(session, data, motion)
    changed = [name for name, value in values.items() if getattr(motion, name) != value]
    old_text = motion.full_text
    for name in changed:
        setattr(motion, name, values[name])
    reanchoring = Reanchoring()
    if "full_text" in changed:
        reanchoring = _reanchor(motion, old_text)
    if changed:
        record(
            session,
            "motion.update",
            motion,
            user=user,
            changed=changed,
            moved_provisions=[p.id for p in reanchoring.moved],
            unresolved_provisions=[p.id for p in reanchoring.unresolved],
        )
    return MotionUpdate(changed, reanchoring)


def replace_text(
    session: Session, motion: Motion, new_text: str, *, user: User | None = None, action: str = "motion.text", **details
) -> Reanchoring:
    """Replace only the full text (e.g. from an import), moving provisions along with their passages."""
    text = normalise_text(new_text)
    if len(text) > MAX_TEXT_LENGTH:
        raise ServiceError(
            gettext(
                "Der Antragstext ist zu lang (erlaubt sind %(MAX_TEXT_LENGTH)s Zeichen).",
                MAX_TEXT_LENGTH=format_thousands(MAX_TEXT_LENGTH),
            )
        )
    old_text, motion.full_text = motion.full_text, text
    reanchoring = _reanchor(motion, old_text)
    record(
        session,
        action,
        motion,
        user=user,
        chars=len(text),
        lines=line_count(text),
        moved_provisions=[p.id for p in reanchoring.moved],
        unresolved_provisions=[p.id for p in reanchoring.unresolved],
        **details,
    )
    return reanchoring


def _reanchor(motion: Motion, old_text: str) -> Reanchoring:
    """Give each provision the lines its quoted passage has in the new text.

    The passage is searched as running text, so a changed line wrap around it does not matter; if it occurs
    several times, the occurrence closest to the old position wins. A passage that is gone keeps its old
    numbers and is reported, so the organiser can fix the range by hand.
    """
    result = Reanchoring()
    old_lines = number_lines(old_text)
    new_lines = number_lines(motion.full_text)
    new_stream, new_starts = _stream(new_lines)
    _, old_starts = _stream(old_lines)
    for provision in motion.provisions:
        if not provision.line_from or not provision.line_to:
            continue
        passage = old_lines[provision.line_from - 1 : provision.line_to]
        if not passage or provision.line_to > len(old_lines):
            result.unresolved.append(provision)
            continue
        needle = " ".join(line.text for line in passage)
        old_offset = old_starts[provision.line_from - 1]
        best = _closest_occurrence(new_stream, needle, old_offset)
        if best is None:
            result.unresolved.append(provision)
            continue
        first = _line_at(new_starts, best)
        last = _line_at(new_starts, best + len(needle) - 1)
        if (first, last) != (provision.line_from, provision.line_to):
            provision.line_from, provision.line_to = first, last
            result.moved.append(provision)
    return result


def _stream(lines: list[NumberedLine]) -> tuple[str, list[int]]:
    """All lines joined by single spaces, and the offset where each line starts."""
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line.text) + 1
    return " ".join(line.text for line in lines), starts


def _closest_occurrence(haystack: str, needle: str, near: int) -> int | None:
    best, position = None, haystack.find(needle)
    while position != -1:
        if best is None or abs(position - near) < abs(best - near):
            best = position
        position = haystack.find(needle, position + 1)
    return best


def _line_at(starts: list[int], offset: int) -> int:
    """The 1-based number of the line containing character `offset` of the stream."""
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low + 1


def list_motions(session: Session, archived: bool | None = False) -> list[Motion]:
    """Motions by title: only current ones (False), only archived ones (True) or all (None)."""
    query = select(Motion).order_by(Motion.title, Motion.id)
    if archived is True:
        query = query.where(Motion.archived_at.is_not(None))
    elif archived is False:
        query = query.where(Motion.archived_at.is_(None))
    return list(session.scalars(query).all())


def archive_motion(session: Session, motion: Motion, *, user: User | None = None) -> None:
    if motion.archived_at is not None:
        raise ServiceError(gettext("Der Antrag ist bereits archiviert."))
    motion.archived_at = utcnow()
    record(session, "motion.archive", motion, user=user)


def unarchive_motion(session: Session, motion: Motion, *, user: User | None = None) -> None:
    if motion.archived_at is None:
        raise ServiceError(gettext("Der Antrag ist nicht archiviert."))
    motion.archived_at = None
    record(session, "motion.unarchive", motion, user=user)
