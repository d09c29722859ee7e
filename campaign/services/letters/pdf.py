"""PDF rendering with WeasyPrint, confined to the assets in letters/ and data: URIs (no network, no other files).

WeasyPrint takes more than a second to import, so it is imported by the first render, not with this module:
web workers, CLI calls and job workers that never make a PDF do not pay for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from campaign.services.letters.assets import BASE_URL, LETTERS_DIR, PRINT_BASE_CSS

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

    from campaign.services.letters.fetcher import LetterAssetFetcher

__all__ = ["LETTERS_DIR", "new_font_config", "render_pdf"]


def new_font_config() -> FontConfiguration:
    """A WeasyPrint font configuration, to share between the documents one process renders."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


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
    `font_config` when rendering many documents in one process, so fonts are loaded once.
    """
    from weasyprint import CSS, HTML

    from campaign.services.letters.fetcher import LetterAssetFetcher

    fetcher = fetcher or LetterAssetFetcher()
    font_config = font_config or new_font_config()
    sheets = [
        CSS(filename=str(sheet), url_fetcher=fetcher, font_config=font_config)
        for sheet in (PRINT_BASE_CSS, *stylesheets)
    ]
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    return document.write_pdf(stylesheets=sheets, font_config=font_config, **options)
