"""One German citation format for sources, used alike in web pages, letters and exports."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from campaign.models import DatePrecision, Source
from campaign.services.common.dates import german_month

DOI_RESOLVER = "https://doi.org/"
# Characters that would change the meaning of plain text inside a Markdown document.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_STRAIGHT_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Citation:
    """A formatted citation; `link` is the DOI link or the URL, to be rendered as a hyperlink."""

    text: str
    link: str

    def __str__(self) -> str:
        return f"{self.text} {self.link}".strip()

    def html(self) -> Markup:
        """The citation as safe HTML, the link (DOI or URL) as an anchor that shows its address."""
        if not self.link:
            return Markup(escape(self.text))
        anchor = Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(self.link)
        return Markup("{} {}").format(self.text, anchor)

    def markdown(self) -> str:
        """The citation as Markdown: the text escaped, the link as an autolink."""
        text = escape_markdown(self.text)
        return f"{text} <{self.link}>" if self.link else text


def escape_markdown(text: str) -> str:
    """Plain text that Markdown shows as written (no emphasis, links or raw HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def format_authors(authors: list[str]) -> str:
    """„Ratzmann, Nora; Rißler, Georg“, with „u. a.“ after three names."""
    names = [name.strip() for name in authors if name and name.strip()]
    if len(names) > 3:
        return "; ".join(names[:3]) + " u. a."
    return "; ".join(names)


def format_date(source: Source) -> str:
    """The publication date as precise as known: „21.10.2025“, „November 2025“, „2025“ or „o. J.“."""
    when = source.published_on
    if when is None:
        return "o. J."
    if source.date_precision is DatePrecision.YEAR:
        return str(when.year)
    if source.date_precision is DatePrecision.MONTH:
        return german_month(when)
    return when.strftime("%d.%m.%Y")


def format_page(page: str) -> str:
    """„S. 12“ for a page or range; a locator that already names its kind („S. 4“, „Kap. 3“, „Rn. 7“) stays."""
    page = " ".join((page or "").split())
    if not page:
        return ""
    if page[0].isdigit():
        return f"S. {page}"
    return page


def _quoted_title(title: str) -> str:
    # German nesting: quotation marks inside the title become single ones inside „…“.
    inner = " ".join(title.split()).replace("„", "‚").replace("“", "‘")
    inner = _STRAIGHT_QUOTED.sub(r"‚\1‘", inner)
    return f"„{inner}“"


def format_citation(source: Source, *, page: str = "") -> Citation:
    """Authors or publisher (date): „Title“. Publisher, S. 12. — and the DOI or URL as the link.

    The title keeps its own question or exclamation mark instead of a full stop; `page` is the
    locator of one quoted passage (a page number gets „S.“ in front).
    """
    authors = format_authors(source.authors or [])
    publisher = " ".join((source.publisher or "").split())
    creator = authors or publisher or "o. V."
    text = f"{creator} ({format_date(source)}): {_quoted_title(source.title)}"
    if not source.title.rstrip().endswith(("?", "!", ".")):
        text += "."
    tail = [part for part in (publisher if authors else "", format_page(page)) if part]
    if tail:
        text += " " + ", ".join(tail) + "."
    link = f"{DOI_RESOLVER}{source.doi}" if source.doi else (source.url or "")
    return Citation(text=text, link=link)
