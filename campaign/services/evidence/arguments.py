"""Argument sets and arguments: edit, duplicate, link to provisions, cite sources, filter and reorder."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import (
    Argument,
    ArgumentSet,
    Campaign,
    CampaignArgument,
    Citation,
    Motion,
    Provision,
    Source,
    SourceQuote,
    Stance,
    User,
)
from campaign.services.common import audit
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import same_name, unique_slug
from campaign.services.evidence.sources import PAGE_MAX, title_sort_key

SET_TITLE_MAX = 300
CLAIM_MAX = 500
TAG_MAX = 80
PARAGRAPH_MAX = 10_000
_COPY_SUFFIX = re.compile(r" \(Kopie(?: \d+)?\)$")


@dataclass
class ArgumentData:
    """The editable fields of an argument, as the form delivers them."""

    claim: str
    paragraph: str = ""
    tags: list[str] = field(default_factory=list)
    stance: Stance = Stance.OPPOSE
    provision_ids: list[int] = field(default_factory=list)


def parse_tags(text: str) -> list[str]:
    """„Kommunen, Finanzen ,kommunen“ → ["kommunen", "finanzen"]: trimmed, lower case, without repeats."""
    tags: list[str] = []
    for raw in (text or "").split(","):
        tag = " ".join(raw.split()).lower()
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            raise ServiceError(
                _(
                    "Das Schlagwort „%(value)s…“ ist zu lang (höchstens %(TAG_MAX)s Zeichen).",
                    value=tag[:30],
                    TAG_MAX=TAG_MAX,
                )
            )
        if tag not in tags:
            tags.append(tag)
    return tags


# Argument sets --------------------------------------------------------------------------------------------------


def check_set_title(session: Session, title: str, *, own_id: int | None = None) -> str:
    """The cleaned title, if no other set has it; ServiceError (for the field `title`) otherwise. Writes nothing."""
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError(_("Bitte einen Titel für das Argumentationsset angeben."), "title")
    if len(title) > SET_TITLE_MAX:
        raise ServiceError(
            _("Der Titel ist zu lang (höchstens %(SET_TITLE_MAX)s Zeichen).", SET_TITLE_MAX=SET_TITLE_MAX), "title"
        )
    others = session.scalars(select(ArgumentSet.title).where(ArgumentSet.id != (own_id if own_id is not None else -1)))
    if any(same_name(other, title) for other in others):
        raise ServiceError(_("Es gibt bereits ein Argumentationsset mit dem Titel „%(title)s“.", title=title), "title")
    return title


def list_sets(session: Session) -> list[tuple[ArgumentSet, int]]:
    """Every argument set by title, with its number of arguments."""
    counts = (
        select(Argument.argument_set_id, func.count(Argument.id).label("n"))
        .group_by(Argument.argument_set_id)
        .subquery()
    )
    rows = session.execute(
        select(ArgumentSet, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.argument_set_id == ArgumentSet.id)
        .order_by(func.lower(ArgumentSet.title))
    )
    return [(argument_set, count) for argument_set, count in rows]


def create_set(session: Session, title: str, description: str = "", *, user: User | None = None) -> ArgumentSet:
    """A new, empty argument set with a unique title."""
    argument_set = ArgumentSet(title=check_set_title(session, title), description=(description or "").strip())
    session.add(argument_set)
    session.flush()
    audit.record(session, "argument_set.create", argument_set, user=user, title=argument_set.title)
    return argument_set


def update_set(
    session: Session, argument_set: ArgumentSet, title: str, description: str = "", *, user: User | None = None
) -> ArgumentSet:
    """Rename or re-describe a set."""
    title = check_set_title(session, title, own_id=argument_set.id)
    description = (description or "").strip()
    changes = {
        name: [old, new]
        for name, old, new in (
            ("title", argument_set.title, title),
            ("description", argument_set.description, description),
        )
        if old != new
    }
    argument_set.title, argument_set.description = title, description
    session.flush()
    if changes:
        audit.record(session, "argument_set.update", argument_set, user=user, changes=changes)
    return argument_set


def copy_title(session: Session, title: str) -> str:
    """„Titel (Kopie)“, or „Titel (Kopie 2)“ … when that is taken; a copy of a copy counts on."""
    base = _COPY_SUFFIX.sub("", title)
    taken = {value.lower() for value in session.scalars(select(ArgumentSet.title))}
    number = 1
    while True:
        suffix = " (Kopie)" if number == 1 else f" (Kopie {number})"
        candidate = base[: SET_TITLE_MAX - len(suffix)].rstrip() + suffix
        if candidate.lower() not in taken:
            return candidate
        number += 1


def duplicate_set(session: Session, original: ArgumentSet, *, user: User | None = None) -> ArgumentSet:
    """A deep copy of a set: every argument with its tags, provision links and citations."""
    copy = ArgumentSet(title=copy_title(session, original.title), description=original.description)
    session.add(copy)
    for argument in original.arguments:
        copy.arguments.append(
            Argument(
                key=argument.key,
                position=argument.position,
                claim=argument.claim,
                paragraph=argument.paragraph,
                tags=list(argument.tags or []),
                stance=argument.stance,
                provisions=list(argument.provisions),
                citations=[
                    Citation(source=citation.source, quote=citation.quote, page=citation.page, position=index)
                    for index, citation in enumerate(argument.citations)
                ],
            )
        )
    session.flush()
    audit.record(
        session, "argument_set.duplicate", copy, user=user, original_id=original.id, arguments=len(copy.arguments)
    )
    return copy


# Arguments ------------------------------------------------------------------------------------------------------


def _provisions(session: Session, ids: list[int]) -> list[Provision]:
    wanted = list(dict.fromkeys(int(value) for value in ids))
    found = {
        provision.id: provision for provision in session.scalars(select(Provision).where(Provision.id.in_(wanted)))
    }
    missing = [value for value in wanted if value not in found]
    if missing:
        raise ServiceError(_("Mindestens ein gewählter Kernpunkt existiert nicht mehr. Bitte die Auswahl prüfen."))
    return sorted(found.values(), key=lambda provision: (provision.motion_id, provision.position, provision.id))


def _clean_argument(data: ArgumentData) -> tuple[str, str]:
    claim = " ".join((data.claim or "").split())
    if not claim:
        raise ServiceError(_("Bitte die Kernaussage des Arguments angeben."))
    if len(claim) > CLAIM_MAX:
        raise ServiceError(_("Die Kernaussage ist zu lang (höchstens %(CLAIM_MAX)s Zeichen).", CLAIM_MAX=CLAIM_MAX))
    paragraph = (data.paragraph or "").replace("\r\n", "\n").strip()
    if len(paragraph) > PARAGRAPH_MAX:
        raise ServiceError(
            _("Der Briefabsatz ist zu lang (höchstens %(PARAGRAPH_MAX)s Zeichen).", PARAGRAPH_MAX=PARAGRAPH_MAX)
        )
    return claim, paragraph


def _fields(argument: Argument) -> dict[str, object]:
    return {
        "claim": argument.claim,
        "paragraph": argument.paragraph,
        "tags": list(argument.tags or []),
        "stance": argument.stance.value,
        "provisions": sorted(provision.id for provision in argument.provisions),
    }


def create_argument(
    session: Session, argument_set: ArgumentSet, data: ArgumentData, *, user: User | None = None
) -> Argument:
    """Append an argument to the end of a set."""
    claim, paragraph = _clean_argument(data)
    keys = {argument.key for argument in argument_set.arguments}
    argument = Argument(
        argument_set=argument_set,
        key=unique_slug(claim, keys.__contains__, fallback="argument"),
        position=max((argument.position for argument in argument_set.arguments), default=-1) + 1,
        claim=claim,
        paragraph=paragraph,
        tags=[tag for tag in dict.fromkeys(tag.strip().lower() for tag in data.tags) if tag],
        stance=Stance(data.stance),
        provisions=_provisions(session, data.provision_ids),
    )
    session.add(argument)
    session.flush()
    audit.record(session, "argument.create", argument, user=user, argument_set_id=argument_set.id, claim=claim)
    return argument


def update_argument(session: Session, argument: Argument, data: ArgumentData, *, user: User | None = None) -> Argument:
    """Change an argument's text, tags, stance and provision links."""
    claim, paragraph = _clean_argument(data)
    before = _fields(argument)
    argument.claim, argument.paragraph = claim, paragraph
    argument.tags = [tag for tag in dict.fromkeys(tag.strip().lower() for tag in data.tags) if tag]
    argument.stance = Stance(data.stance)
    argument.provisions = _provisions(session, data.provision_ids)
    session.flush()
    after = _fields(argument)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        audit.record(session, "argument.update", argument, user=user, changes=changes)
    return argument


def delete_argument(session: Session, argument: Argument, *, user: User | None = None) -> None:
    """Delete an argument; refused while a campaign has chosen it for its letters."""
    used = session.scalar(
        select(func.count()).select_from(CampaignArgument).where(CampaignArgument.argument_id == argument.id)
    )
    if used:
        raise ServiceError(
            _(
                "Das Argument „%(claim)s“ ist in %(used)s Kampagne(n) für die Briefe ausgewählt. Entfernen Sie "
                "es dort zuerst.",
                claim=argument.claim,
                used=used,
            )
        )
    argument_set = argument.argument_set
    audit.record(session, "argument.delete", argument, user=user, argument_set_id=argument_set.id, claim=argument.claim)
    argument_set.arguments.remove(argument)
    session.flush()
    _renumber(argument_set)
    session.flush()


def _renumber(argument_set: ArgumentSet) -> list[Argument]:
    ordered = sorted(argument_set.arguments, key=lambda argument: (argument.position, argument.id))
    for index, argument in enumerate(ordered):
        argument.position = index
    return ordered


def move_argument(session: Session, argument: Argument, direction: str, *, user: User | None = None) -> bool:
    """Swap an argument with its neighbour above ("up") or below ("down"); False at either end."""
    if direction not in {"up", "down"}:
        raise ServiceError(_("Unbekannte Richtung."))
    ordered = _renumber(argument.argument_set)
    index = ordered.index(argument)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        session.flush()
        return False
    ordered[index].position, ordered[other].position = other, index
    argument.argument_set.arguments.sort(key=lambda item: item.position)
    session.flush()
    audit.record(session, "argument.move", argument, user=user, direction=direction, position=argument.position)
    return True


# Citations ------------------------------------------------------------------------------------------------------


def add_citation(
    session: Session,
    argument: Argument,
    source: Source,
    *,
    quote: SourceQuote | None = None,
    page: str = "",
    user: User | None = None,
) -> Citation:
    """Cite a source (optionally one of its passages, and a page) as evidence for an argument."""
    page = " ".join((page or "").split())
    if len(page) > PAGE_MAX:
        raise ServiceError(_("Die Seitenangabe ist zu lang (höchstens %(PAGE_MAX)s Zeichen).", PAGE_MAX=PAGE_MAX))
    if quote is not None and quote.source_id != source.id:
        raise ServiceError(_("Die gewählte Textstelle gehört nicht zu dieser Quelle."))
    if not page and quote is not None:
        page = quote.page
    for existing in argument.citations:
        if (existing.source_id, existing.quote_id, existing.page) == (source.id, quote.id if quote else None, page):
            raise ServiceError(_("Diese Quelle ist mit dieser Textstelle bereits als Beleg eingetragen."))
    citation = Citation(
        source=source,
        quote=quote,
        page=page,
        position=max((existing.position for existing in argument.citations), default=-1) + 1,
    )
    argument.citations.append(citation)
    session.flush()
    audit.record(
        session,
        "citation.create",
        citation,
        user=user,
        argument_id=argument.id,
        source_id=source.id,
        quote_id=quote.id if quote else None,
        page=page,
    )
    return citation


def remove_citation(session: Session, citation: Citation, *, user: User | None = None) -> None:
    """Take a source off an argument (the source itself stays in the library)."""
    argument = citation.argument
    audit.record(
        session,
        "citation.delete",
        citation,
        user=user,
        argument_id=argument.id,
        source_id=citation.source_id,
        quote_id=citation.quote_id,
    )
    argument.citations.remove(citation)
    session.flush()


# Filters --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArgumentFilter:
    """What the set page is narrowed to (all None: every argument)."""

    tag: str | None = None
    provision_id: int | None = None
    source_id: int | None = None

    @property
    def active(self) -> bool:
        return any(value is not None for value in (self.tag, self.provision_id, self.source_id))


def filter_arguments(argument_set: ArgumentSet, wanted: ArgumentFilter) -> list[Argument]:
    """The set's arguments, in order, that carry the tag, link the provision and cite the source asked for."""
    tag = wanted.tag.strip().lower() if wanted.tag else None
    return [
        argument
        for argument in sorted(argument_set.arguments, key=lambda item: (item.position, item.id))
        if (tag is None or tag in (argument.tags or []))
        and (wanted.provision_id is None or any(p.id == wanted.provision_id for p in argument.provisions))
        and (wanted.source_id is None or any(c.source_id == wanted.source_id for c in argument.citations))
    ]


@dataclass(frozen=True)
class FilterChoices:
    """The tags, provisions and sources used in a set: the options of its filter form."""

    tags: list[str]
    provisions: list[Provision]
    sources: list[Source]


def filter_choices(argument_set: ArgumentSet) -> FilterChoices:
    tags = sorted({tag for argument in argument_set.arguments for tag in (argument.tags or [])})
    provisions = {p.id: p for argument in argument_set.arguments for p in argument.provisions}
    sources = {c.source.id: c.source for argument in argument_set.arguments for c in argument.citations}
    return FilterChoices(
        tags=tags,
        provisions=sorted(provisions.values(), key=lambda p: (p.motion.title, p.position, p.id)),
        sources=sorted(sources.values(), key=lambda source: title_sort_key(source.title)),
    )


def provisions_by_motion(session: Session, *, keep: Sequence[Provision] = ()) -> list[tuple[Motion, list[Provision]]]:
    """Provisions grouped by motion (by title): those of active motions, plus archived ones in `keep`."""
    kept = {provision.id for provision in keep}
    groups: list[tuple[Motion, list[Provision]]] = []
    for motion in session.scalars(select(Motion).order_by(func.lower(Motion.title), Motion.id)):
        provisions = [p for p in motion.provisions if motion.archived_at is None or p.id in kept]
        if provisions:
            groups.append((motion, provisions))
    return groups


def motions_of_set(session: Session, argument_set: ArgumentSet) -> list[Motion]:
    """The motions a set argues about: those its arguments link to, then those of campaigns using it."""
    found: dict[int, Motion] = {}
    for argument in argument_set.arguments:
        for provision in argument.provisions:
            found.setdefault(provision.motion.id, provision.motion)
    for campaign in session.scalars(select(Campaign).where(Campaign.argument_set_id == argument_set.id)):
        if campaign.motion is not None:
            found.setdefault(campaign.motion.id, campaign.motion)
    return sorted(found.values(), key=lambda motion: motion.title.lower())
