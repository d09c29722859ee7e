"""Sources and their quoted passages: validation, create, edit, delete (refused while cited)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import Argument, Citation, DatePrecision, Source, SourceKind, SourceQuote, User
from campaign.services.common import audit
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import check_url, unique_slug

TITLE_MAX = 500
PUBLISHER_MAX = 300
DOI_MAX = 200
PAGE_MAX = 40
AUTHOR_MAX = 200

# Crossref's pattern for modern DOIs: "10." + registrant code of 4–9 digits + "/" + a suffix without spaces.
_DOI = re.compile(r"^10\.\d{4,9}(\.\d+)*/\S+$")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


@dataclass
class SourceData:
    """The editable fields of a source, as the form delivers them."""

    title: str
    kind: SourceKind = SourceKind.ARTICLE
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    published_on: date | None = None
    date_precision: DatePrecision | None = None
    url: str = ""
    doi: str = ""
    notes: str = ""


def parse_authors(text: str) -> list[str]:
    """One author per line as „Nachname, Vorname“ (or an organisation without a comma); blank lines are skipped."""
    authors: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        if len(line) > AUTHOR_MAX:
            raise ServiceError(
                _(
                    "Autor:in in Zeile %(number)s ist zu lang (höchstens %(AUTHOR_MAX)s Zeichen).",
                    number=number,
                    AUTHOR_MAX=AUTHOR_MAX,
                )
            )
        parts = [part.strip() for part in line.split(",")]
        if len(parts) > 2 or (len(parts) == 2 and not all(parts)):
            raise ServiceError(
                _(
                    "Autor:in in Zeile %(number)s („%(line)s“) bitte als „Nachname, Vorname“ angeben, eine "
                    "Person pro Zeile.",
                    number=number,
                    line=line,
                )
            )
        authors.append(", ".join(parts))
    return authors


def normalise_doi(text: str) -> str:
    """The bare DOI („10.59350/hpz3x-qh641“), also from a doi.org link or „doi:…“; empty stays empty."""
    doi = (text or "").strip()
    for prefix in _DOI_PREFIXES:
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :].strip()
            break
    if not doi:
        return ""
    if len(doi) > DOI_MAX or not _DOI.match(doi):
        raise ServiceError(
            _("Die DOI ist ungültig. Erwartet wird die Form „10.1234/abc“ (gern auch als https://doi.org/…-Link).")
        )
    return doi


def _clean(data: SourceData) -> SourceData:
    title = " ".join((data.title or "").split())
    if not title:
        raise ServiceError(_("Bitte einen Titel angeben."))
    if len(title) > TITLE_MAX:
        raise ServiceError(_("Der Titel ist zu lang (höchstens %(TITLE_MAX)s Zeichen).", TITLE_MAX=TITLE_MAX))
    publisher = " ".join((data.publisher or "").split())
    if len(publisher) > PUBLISHER_MAX:
        raise ServiceError(
            _("Der Herausgeber ist zu lang (höchstens %(PUBLISHER_MAX)s Zeichen).", PUBLISHER_MAX=PUBLISHER_MAX)
        )
    precision = data.date_precision
    if data.published_on is None and precision is not None:
        raise ServiceError(_("Bitte ein Datum angeben oder die Genauigkeit leer lassen."))
    if data.published_on is not None and precision is None:
        precision = DatePrecision.DAY
    return SourceData(
        title=title,
        kind=SourceKind(data.kind),
        authors=[" ".join(name.split()) for name in data.authors if name and name.strip()],
        publisher=publisher,
        published_on=data.published_on,
        date_precision=precision,
        url=check_url(data.url),
        doi=normalise_doi(data.doi),
        notes=(data.notes or "").strip(),
    )


def _fields(source: Source) -> dict[str, object]:
    return {
        "title": source.title,
        "kind": source.kind.value,
        "authors": list(source.authors or []),
        "publisher": source.publisher,
        "published_on": source.published_on.isoformat() if source.published_on else None,
        "date_precision": source.date_precision.value if source.date_precision else None,
        "url": source.url,
        "doi": source.doi,
        "notes": source.notes,
    }


def title_sort_key(title: str) -> str:
    """Sort titles by their first letter: „Resiliente …“ sorts under R, not after Z."""
    return re.sub(r"^\W+", "", title).casefold()


def list_sources(session: Session) -> list[tuple[Source, int]]:
    """Every source by title, with the number of arguments that cite it."""
    uses = (
        select(Citation.source_id, func.count(func.distinct(Citation.argument_id)).label("uses"))
        .group_by(Citation.source_id)
        .subquery()
    )
    rows = session.execute(
        select(Source, func.coalesce(uses.c.uses, 0)).outerjoin(uses, uses.c.source_id == Source.id).order_by(Source.id)
    )
    return sorted(((source, count) for source, count in rows), key=lambda row: title_sort_key(row[0].title))


def citing_arguments(session: Session, source: Source) -> list[Argument]:
    """The arguments that cite `source`, by set and position."""
    # IN (subquery) rather than DISTINCT: PostgreSQL cannot compare the JSON tags column.
    citing = select(Citation.argument_id).where(Citation.source_id == source.id)
    return list(
        session.scalars(
            select(Argument)
            .where(Argument.id.in_(citing))
            .order_by(Argument.argument_set_id, Argument.position, Argument.id)
        )
    )


def create_source(session: Session, data: SourceData, *, user: User | None = None) -> Source:
    """Add a source after checking every field."""
    clean = _clean(data)
    key = unique_slug(
        clean.title,
        lambda key: session.scalar(select(Source.id).where(Source.key == key)) is not None,
        fallback="quelle",
    )
    source = Source(key=key, **vars(clean))
    session.add(source)
    session.flush()
    audit.record(session, "source.create", source, user=user, title=source.title)
    return source


def update_source(session: Session, source: Source, data: SourceData, *, user: User | None = None) -> Source:
    """Change a source's fields; the audit entry lists what changed, old and new."""
    before = _fields(source)
    for name, value in vars(_clean(data)).items():
        setattr(source, name, value)
    session.flush()
    after = _fields(source)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        audit.record(session, "source.update", source, user=user, changes=changes)
    return source


def _claims(arguments: list[Argument]) -> str:
    shown = ", ".join(f"„{argument.claim}“" for argument in arguments[:3])
    return shown + (f" und {len(arguments) - 3} weitere" if len(arguments) > 3 else "")


def delete_source(session: Session, source: Source, *, user: User | None = None) -> None:
    """Delete a source with its passages; refused while any argument still cites it."""
    arguments = citing_arguments(session, source)
    if arguments:
        raise ServiceError(
            _(
                "Die Quelle „%(title)s“ wird noch von %(arguments)s Argument(en) zitiert (%(arguments2)s). "
                "Entfernen Sie zuerst diese Belege.",
                title=source.title,
                arguments=len(arguments),
                arguments2=_claims(arguments),
            )
        )
    audit.record(session, "source.delete", source, user=user, title=source.title, key=source.key)
    session.delete(source)
    session.flush()


def _clean_quote(text: str, page: str) -> tuple[str, str]:
    text = (text or "").strip()
    page = " ".join((page or "").split())
    if not text:
        raise ServiceError(_("Bitte den Wortlaut der Textstelle angeben."))
    if len(page) > PAGE_MAX:
        raise ServiceError(_("Die Seitenangabe ist zu lang (höchstens %(PAGE_MAX)s Zeichen).", PAGE_MAX=PAGE_MAX))
    return text, page


def add_quote(session: Session, source: Source, text: str, page: str = "", *, user: User | None = None) -> SourceQuote:
    """Append a verbatim passage (with its page) to a source."""
    text, page = _clean_quote(text, page)
    position = max((quote.position for quote in source.quotes), default=-1) + 1
    quote = SourceQuote(source=source, text=text, page=page, position=position)
    session.add(quote)
    session.flush()
    audit.record(session, "source_quote.create", quote, user=user, source_id=source.id, page=page)
    return quote


def update_quote(
    session: Session, quote: SourceQuote, text: str, page: str = "", *, user: User | None = None
) -> SourceQuote:
    """Correct a passage's wording or page."""
    text, page = _clean_quote(text, page)
    changes = {
        name: [old, new] for name, old, new in (("text", quote.text, text), ("page", quote.page, page)) if old != new
    }
    quote.text, quote.page = text, page
    session.flush()
    if changes:
        audit.record(session, "source_quote.update", quote, user=user, source_id=quote.source_id, changes=changes)
    return quote


def delete_quote(session: Session, quote: SourceQuote, *, user: User | None = None) -> None:
    """Delete a passage; refused while an argument cites exactly this passage."""
    citing = select(Citation.argument_id).where(Citation.quote_id == quote.id)
    arguments = list(session.scalars(select(Argument).where(Argument.id.in_(citing)).order_by(Argument.id)))
    if arguments:
        raise ServiceError(
            _(
                "Diese Textstelle wird noch von %(arguments)s Argument(en) zitiert (%(arguments2)s). Entfernen "
                "Sie zuerst diese Belege.",
                arguments=len(arguments),
                arguments2=_claims(arguments),
            )
        )
    audit.record(session, "source_quote.delete", quote, user=user, source_id=quote.source_id, text=quote.text[:200])
    source = quote.source
    source.quotes.remove(quote)
    session.flush()
