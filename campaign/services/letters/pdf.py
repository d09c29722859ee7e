"""PDF rendering with WeasyPrint, confined to the assets in letters/ and data: URIs (no network, no other files).

WeasyPrint takes more than a second to import, so it is imported by the first render, not with this module:
web workers, CLI calls and job workers that never make a PDF do not pay for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from campaign.services.letters.assets import BASE_URL, LETTERS_DIR, PRINT_BASE_CSS

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from campaign.services.letters.fetcher import LetterAssetFetcher

__all__ = ["LETTERS_DIR", "Typesetter", "new_font_config", "render_pdf"]


def new_font_config() -> FontConfiguration:
    """A WeasyPrint font configuration, to share between the documents one process renders."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _stylesheets(
    stylesheets: tuple[Path, ...], fetcher: LetterAssetFetcher, font_config: FontConfiguration
) -> list[CSS]:
    from weasyprint import CSS

    return [
        CSS(filename=str(sheet), url_fetcher=fetcher, font_config=font_config)
        for sheet in (PRINT_BASE_CSS, *stylesheets)
    ]


def render_pdf(
    html: str,
    *,
    stylesheets: tuple[Path, ...] = (),
    pdf_variant: str | None = None,
    fetcher: LetterAssetFetcher | None = None,
    font_config: FontConfiguration | None = None,
) -> bytes:
    """Render an HTML document (relative URLs resolve inside letters/) to PDF bytes.

    Title and author come from the document's <title> and <meta name="author">. Pass a shared
    `font_config` when rendering many documents in one process, so fonts are loaded once
    (or use a Typesetter, which also keeps the parsed stylesheets).
    """
    from weasyprint import HTML

    from campaign.services.letters.fetcher import LetterAssetFetcher

    fetcher = fetcher or LetterAssetFetcher()
    font_config = font_config or new_font_config()
    sheets = _stylesheets(stylesheets, fetcher, font_config)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    return document.write_pdf(stylesheets=sheets, font_config=font_config, **options)


class Typesetter:
    """Renders many documents with the same stylesheets in one process: fonts loaded and CSS parsed only once.

    Parsing the print CSS (with its @font-face rules) took about a sixth of a one-page letter's time when it
    was done for every document; a bulk render process keeps one Typesetter for its whole life.
    """

    def __init__(self, stylesheets: tuple[Path, ...] = ()) -> None:
        from campaign.services.letters.fetcher import LetterAssetFetcher

        self.fetcher = LetterAssetFetcher()
        self.font_config = new_font_config()
        self.sheets = _stylesheets(stylesheets, self.fetcher, self.font_config)

    def render(self, html: str, *, pdf_variant: str | None = None) -> tuple[bytes, int]:
        """The document's PDF bytes and its page count."""
        from weasyprint import HTML

        options = {"pdf_variant": pdf_variant} if pdf_variant else {}
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=self.fetcher).render(
            stylesheets=self.sheets, font_config=self.font_config, **options
        )
        return document.write_pdf(**options), len(document.pages)
