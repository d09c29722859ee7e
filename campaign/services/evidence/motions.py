"""Motions and their provisions: the numbered full text (Antragsgrün convention), editing, archiving, ordering."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Motion, MotionKind, MotionStatus, Provision, Stance, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import check_url, format_thousands, is_slug, slugify

LINE_LENGTH = 80
# A motion of a few hundred pages still fits; anything longer is almost certainly a wrong file.
MAX_TEXT_LENGTH = 500_000
MAX_SUMMARY_LENGTH = 5_000


# ---------------------------------------------------------------------------------------------------------------
# Line numbering
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberedLine:
    number: int
    text: str
    # True on the first line of a paragraph, so pages can start a new block there.
    starts_paragraph: bool
    # True when the line goes on with a word that was too long for the previous line (no space between them).
    continues_word: bool = False


# Whitespace that separates words; no-break spaces (U+00A0, U+202F) deliberately keep their words together.
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u202f]+")
# Invisible characters that would count towards the line length without being seen: soft hyphen, zero-width
# space/joiners, byte order mark.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def paragraphs(full_text: str) -> list[str]:
    """The paragraphs of a text: separated by blank lines; line breaks inside a paragraph count as spaces.

    Every kind of line ending (\\n, \\r\\n, \\r, form feed, U+2028 …) is accepted, the text is put in Unicode
    NFC form (so „ü“ is one character however it was typed) and runs of spaces collapse to one.
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", full_text or ""))
    result, current = [], []
    for raw_line in text.splitlines():
        line = _BREAKING_SPACE.sub(" ", raw_line).strip()
        if line:
            current.append(line)
        elif current:
            result.append(" ".join(current))
            current = []
    if current:
        result.append(" ".join(current))
    return result


def _wrap(paragraph: str, width: int) -> list[tuple[str, bool]]:
    """Greedy wrapping at spaces; a word longer than a line starts a new line and is cut at `width`.

    Returns (text, continues_word) per line.
    """
    lines: list[tuple[str, bool]] = []
    current, current_continues = "", False
    for word in paragraph.split(" "):
        if current and len(current) + 1 + len(word) <= width:
            current += " " + word
            continue
        if current:
            lines.append((current, current_continues))
        continues = False
        while len(word) > width:
            cut = width
            # Never separate a letter from a combining mark that follows it.
            while cut > 1 and unicodedata.combining(word[cut]):
                cut -= 1
            lines.append((word[:cut], continues))
            word, continues = word[cut:], True
        current, current_continues = word, continues
    if current:
        lines.append((current, current_continues))
    return lines


def number_lines(full_text: str, width: int = LINE_LENGTH) -> list[NumberedLine]:
    """Wrap each paragraph at `width` characters and number the lines continuously.

    Blank lines separate paragraphs and get no number. Each paragraph is wrapped on its own, so a line's
    number depends only on the paragraphs before it: editing a paragraph never renumbers earlier lines.
    """
    lines: list[NumberedLine] = []
    for paragraph in paragraphs(full_text):
        for index, (text, continues) in enumerate(_wrap(paragraph, width)):
            lines.append(NumberedLine(len(lines) + 1, text, index == 0, continues))
    return lines


def line_count(full_text: str) -> int:
    return len(number_lines(full_text))


def line_range_of(full_text: str, anchor: str, width: int = LINE_LENGTH) -> tuple[int, int] | None:
    """The first and last line of the paragraph that contains `anchor`, or None if no paragraph does."""
    blocks: list[list[NumberedLine]] = []
    for line in number_lines(full_text, width):
        if line.starts_paragraph:
            blocks.append([])
        blocks[-1].append(line)
    for block in blocks:
        if anchor in passage_text(block):
            return block[0].number, block[-1].number
    return None


def quoted_lines(full_text: str, line_from: int | None, line_to: int | None) -> list[NumberedLine]:
    """The numbered lines of a passage (empty if the range is unset)."""
    if not line_from or not line_to:
        return []
    return [line for line in number_lines(full_text) if line_from <= line.number <= line_to]


def passage_text(lines: list[NumberedLine]) -> str:
    """The text of numbered lines as written: lines of a paragraph joined, paragraphs separated by a blank line."""
    text = ""
    for line in lines:
        if not text:
            text = line.text
        elif line.starts_paragraph:
            text += "\n\n" + line.text
        else:
            text += ("" if line.continues_word else " ") + line.text
    return text


def normalise_text(full_text: str) -> str:
    """The text as stored: \\n line endings, NFC, no trailing spaces, no leading or trailing blank lines."""
    text = unicodedata.normalize("NFC", full_text or "")
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")


# ---------------------------------------------------------------------------------------------------------------
# Slugs
# ---------------------------------------------------------------------------------------------------------------


def _unique_slug(session: Session, base: str, exclude_id: int | None = None) -> str:
    base = base or "antrag"
    taken = set(session.scalars(select(Motion.slug).where(Motion.slug.startswith(base))).all())
    if exclude_id is not None:
        own = session.get(Motion, exclude_id)
        taken.discard(own.slug if own else "")
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


# ---------------------------------------------------------------------------------------------------------------
# Motions
# ---------------------------------------------------------------------------------------------------------------


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


def _limited(value: str | None, limit: int, field_name: str, label: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ServiceError(f"{label} darf höchstens {limit} Zeichen lang sein.", field_name)
    return text


def _enum(enum_class: type, value: Any, field_name: str, label: str) -> Any:
    try:
        return enum_class(value)
    except ValueError as exc:
        raise ServiceError(f"Unbekannter Wert für {label}: „{value}“.", field_name) from exc


def _clean_motion(session: Session, data: MotionData, motion: Motion | None) -> dict[str, Any]:
    """Validated column values for `data`; the slug is generated from the title when left empty."""
    title = _limited(data.title, 300, "title", "Der Titel")
    if not title:
        raise ServiceError("Bitte einen Titel angeben.", "title")
    full_text = normalise_text(data.full_text)
    if len(full_text) > MAX_TEXT_LENGTH:
        raise ServiceError(
            f"Der Antragstext ist zu lang ({format_thousands(len(full_text))} Zeichen; "
            f"erlaubt sind {format_thousands(MAX_TEXT_LENGTH)}).",
            "full_text",
        )
    if data.presented_on and data.decision_date and data.decision_date < data.presented_on:
        raise ServiceError("Der Entscheidungstermin liegt vor dem Datum der Vorlage.", "decision_date")
    slug = (data.slug or "").strip().lower()
    exclude_id = motion.id if motion else None
    if slug:
        if not is_slug(slug):
            raise ServiceError(
                "Die Kurzbezeichnung darf nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche enthalten "
                "(höchstens 120 Zeichen).",
                "slug",
            )
        clash = session.scalar(select(Motion.id).where(Motion.slug == slug))
        if clash is not None and clash != exclude_id:
            raise ServiceError(f"Die Kurzbezeichnung „{slug}“ ist schon vergeben.", "slug")
    else:
        slug = _unique_slug(session, slugify(title, 110), exclude_id)
    return {
        "title": title,
        "slug": slug,
        "kind": _enum(MotionKind, data.kind, "kind", "die Art"),
        "party": _limited(data.party, 120, "party", "Die Partei"),
        "body": _limited(data.body, 200, "body", "Das Gremium"),
        "presented_on": data.presented_on,
        "decision_forum": _limited(data.decision_forum, 200, "decision_forum", "Das Beschlussgremium"),
        "decision_date": data.decision_date,
        "status": _enum(MotionStatus, data.status, "status", "den Status"),
        "source_url": check_url(data.source_url, "source_url"),
        "full_text": full_text,
    }


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
        raise ServiceError(f"Der Antragstext ist zu lang (erlaubt sind {format_thousands(MAX_TEXT_LENGTH)} Zeichen).")
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
        raise ServiceError("Der Antrag ist bereits archiviert.")
    motion.archived_at = utcnow()
    record(session, "motion.archive", motion, user=user)


def unarchive_motion(session: Session, motion: Motion, *, user: User | None = None) -> None:
    if motion.archived_at is None:
        raise ServiceError("Der Antrag ist nicht archiviert.")
    motion.archived_at = None
    record(session, "motion.unarchive", motion, user=user)


# ---------------------------------------------------------------------------------------------------------------
# Provisions
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class ProvisionData:
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
        raise ServiceError("Bitte auch die erste Zeile angeben.", "line_from")
    if line_to is None:
        raise ServiceError("Bitte auch die letzte Zeile angeben.", "line_to")
    count = line_count(full_text)
    if count == 0:
        raise ServiceError("Der Antrag hat noch keinen Text; Zeilen lassen sich erst danach markieren.", "line_from")
    if not 1 <= line_from <= count:
        raise ServiceError(f"Die erste Zeile muss zwischen 1 und {count} liegen.", "line_from")
    if not 1 <= line_to <= count:
        raise ServiceError(f"Die letzte Zeile muss zwischen 1 und {count} liegen.", "line_to")
    if line_to < line_from:
        raise ServiceError("Die letzte Zeile darf nicht vor der ersten liegen.", "line_to")


def _clean_provision(motion: Motion, data: ProvisionData) -> dict[str, Any]:
    title = _limited(data.title, 300, "title", "Der Titel")
    if not title:
        raise ServiceError("Bitte einen Titel für den Kernpunkt angeben.", "title")
    check_line_range(motion.full_text, data.line_from, data.line_to)
    return {
        "title": title,
        "summary": _limited(data.summary, MAX_SUMMARY_LENGTH, "summary", "Die Zusammenfassung"),
        "stance": _enum(Stance, data.stance, "stance", "die Haltung"),
        "line_from": data.line_from,
        "line_to": data.line_to,
    }


def _unique_key(motion: Motion, title: str) -> str:
    base = slugify(title, 70) or "kernpunkt"
    taken = {provision.key for provision in motion.provisions}
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def add_provision(session: Session, motion: Motion, data: ProvisionData, *, user: User | None = None) -> Provision:
    """Add a provision at the end of the motion's list."""
    values = _clean_provision(motion, data)
    provision = Provision(key=_unique_key(motion, values["title"]), position=len(motion.provisions), **values)
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
        raise ServiceError("Unbekannte Richtung.")
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


def range_fits(motion: Motion, provision: Provision) -> bool:
    """Whether the provision's line range exists in the current text (False also when it has none)."""
    if not provision.line_from or not provision.line_to:
        return False
    return provision.line_to <= line_count(motion.full_text)
