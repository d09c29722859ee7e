"""The DIN 5008 print layout: printable letters as plain data, their HTML document, the PDF, and page ranges."""

from __future__ import annotations

import atexit
import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from flask_babel import gettext as _
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from campaign.services.common.errors import ServiceError
from campaign.services.letters.assets import LAYOUT_TEMPLATE, LETTER_STYLESHEET, LETTERS_DIR
from campaign.services.letters.pdf import Typesetter, render_pdf

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

    from campaign.services.letters.fetcher import LetterAssetFetcher

# The layout sets the closing under every letter's text, before the signatories.
CLOSING = "Mit freundlichen Grüßen"
LAYOUT_MODES = ("full", "master", "overlay")


@dataclass(frozen=True)
class PrintableLetter:
    """Everything the print layout needs, as plain picklable data (what the bulk workers receive).

    `greeting_html` is the salutation paragraph when the template opens with it, split off from `body_html`,
    so that letters differing only in address, reference code, date and greeting share one layout
    (see campaign.services.letters.batch); otherwise it is empty and `body_html` holds the whole text.
    """

    reference_code: str
    subject: str
    greeting_html: str
    body_html: str
    address_lines: tuple[str, ...]
    date_text: str
    return_line: str
    sender_name: str
    sender_contact: tuple[tuple[str, str], ...]
    letterhead_note: str
    signatories: tuple[tuple[str, str], ...]
    endnotes: tuple[tuple[int, str, str], ...]
    recipient_name: str
    postcode: str = ""
    region: str = ""
    closing: str = CLOSING
    # The organisation's logo and signature images as data: URIs ("" for none), and its footer lines.
    logo_uri: str = ""
    signature_images: tuple[str, ...] = ()
    footer_lines: tuple[str, ...] = ()
    # DIN 5008 names the sender's reference „Unser Zeichen“; a person writing for themselves writes „Mein Zeichen“.
    reference_label: str = "Unser Zeichen"

    # The fields only the address zone, the reference code and the greeting show (see layout.html, mode "overlay").
    PERSONAL_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"reference_code", "greeting_html", "address_lines", "recipient_name", "postcode", "region"}
    )  # fmt: skip

    @property
    def title(self) -> str:
        """The PDF title of this letter on its own."""
        return f"{self.subject} – {self.recipient_name}" if self.recipient_name else self.subject

    def shape_key(self, co_signers: Sequence[str] = ()) -> str:
        """A hash of everything but the personal fields: letters with equal keys have identical page layouts."""
        shared = [(name, getattr(self, name)) for name in sorted(self.__dataclass_fields__)]
        shared = [item for item in shared if item[0] not in self.PERSONAL_FIELDS]
        return hashlib.sha256(repr((shared, tuple(co_signers))).encode()).hexdigest()

    def printable(self) -> PrintableLetter:
        """This letter itself (a composed letter turns into one with the same call)."""
        return self


class Printable(Protocol):
    """A letter that can be laid out: a PrintableLetter, or a composed letter that makes one."""

    def printable(self) -> PrintableLetter: ...


def _layout_environment() -> Environment:
    # A plain (not sandboxed) environment for our own layout files in letters/; never used for web pages
    # and never given organiser text as template source, only as autoescaped values.
    return Environment(
        loader=FileSystemLoader(str(LETTERS_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_LAYOUT_ENV = _layout_environment()


def letter_anchor(index: int) -> str:
    """The id of the index-th letter in a document; it becomes a PDF named destination used to split chunks."""
    return f"brief-{index}"


def layout_html(letters: Sequence[PrintableLetter], *, mode: str = "full", co_signers: Sequence[str] = ()) -> str:
    """The HTML document for printable letters.

    "full" sets complete letters. For the bulk path, "master" sets one letter without its personal fields
    (address, information block; the greeting only holds its place) and "overlay" sets just those fields,
    one page per letter, in exactly the same positions, to be printed over the master's first page.
    """
    if mode not in LAYOUT_MODES:
        raise ValueError(f"unknown layout mode {mode!r}")
    if not letters:
        raise ServiceError(_("Es gibt keine Briefe zum Setzen."))
    first = letters[0]
    title = first.title if len(letters) == 1 else f"{first.subject} ({len(letters)} Briefe)"
    return _LAYOUT_ENV.get_template(LAYOUT_TEMPLATE).render(
        letters=[(letter_anchor(index), letter) for index, letter in enumerate(letters)],
        mode=mode,
        co_signers=list(co_signers),
        title=title,
        author=first.sender_name,
    )


def letters_html(letters: Sequence[Printable], *, co_signers: Sequence[str] | None = None) -> str:
    """One HTML document with every letter on new pages, in DIN 5008 Form B layout."""
    return layout_html([letter.printable() for letter in letters], co_signers=co_signers or ())


def render_letters_pdf(
    letters: Sequence[Printable],
    *,
    pdf_variant: str | None = None,
    font_config: FontConfiguration | None = None,
    co_signers: Sequence[str] | None = None,
    fetcher: LetterAssetFetcher | None = None,
) -> bytes:
    """The letters as one PDF (pdf_variant "pdf/a-3b" for archiving); fonts embedded, metadata from the layout.

    Without a font configuration or fetcher of the caller's, the process's warm typesetter sets it: a preview,
    a mail attachment or an open letter then costs the layout only, not loading fonts and parsing the CSS again.
    """
    html = letters_html(letters, co_signers=co_signers)
    if font_config is None and fetcher is None:
        with _SHARED_LOCK:
            return _shared_typesetter().render(html, pdf_variant=pdf_variant)[0]
    return render_pdf(
        html, stylesheets=(LETTER_STYLESHEET,), pdf_variant=pdf_variant, font_config=font_config, fetcher=fetcher
    )


# One typesetter per process for single documents; WeasyPrint objects are not made for use by several threads at
# once (the web server has several), so documents are set one after the other.
_SHARED_LOCK = threading.Lock()
_SHARED: list[Typesetter] = []
# Dropped while the interpreter is still whole: WeasyPrint's font configuration cleans up in __del__, which fails
# when it runs during the final module teardown.
atexit.register(_SHARED.clear)


def _shared_typesetter() -> Typesetter:
    if not _SHARED:
        _SHARED.append(Typesetter((LETTER_STYLESHEET,)))
    return _SHARED[0]
