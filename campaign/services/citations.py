"""One German citation format for sources, used alike in web pages, letters and exports."""

from __future__ import annotations

from dataclasses import dataclass

from campaign.models import DatePrecision, Source
from campaign.services.letters import GERMAN_MONTHS


@dataclass(frozen=True)
class Citation:
    """A formatted citation; `link` is the DOI link or the URL, to be rendered as a hyperlink."""

    text: str
    link: str

    def __str__(self) -> str:
        return f"{self.text} {self.link}".strip()


def format_authors(authors: list[str]) -> str:
    """„Ratzmann, Nora; Rißler, Georg“, with „u. a.“ after three names."""
    if len(authors) > 3:
        return "; ".join(authors[:3]) + " u. a."
    return "; ".join(authors)


def format_date(source: Source) -> str:
    """The publication date as precise as known: „21.10.2025“, „November 2025“, „2025“ or „o. J.“."""
    when = source.published_on
    if when is None:
        return "o. J."
    if source.date_precision is DatePrecision.YEAR:
        return str(when.year)
    if source.date_precision is DatePrecision.MONTH:
        return f"{GERMAN_MONTHS[when.month - 1]} {when.year}"
    return when.strftime("%d.%m.%Y")


def format_citation(source: Source) -> Citation:
    """Authors or publisher (date): „Title“. Publisher. — and the DOI or URL as the link."""
    creator = format_authors(source.authors) or source.publisher or "o. V."
    text = f"{creator} ({format_date(source)}): „{source.title}“."
    if source.authors and source.publisher:
        text += f" {source.publisher}."
    link = f"https://doi.org/{source.doi}" if source.doi else source.url
    return Citation(text=text, link=link)
