"""PDF rendering with WeasyPrint, confined to the assets in letters/ and data: URIs (no network, no other files)."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

LETTERS_DIR = Path(__file__).resolve().parents[3] / "letters"
BASE_URL = LETTERS_DIR.as_uri() + "/"
# Fonts and shared print rules for every PDF we make (letters, briefings, amendment drafts).
PRINT_BASE_CSS = LETTERS_DIR / "print-base.css"


class LetterAssetFetcher(URLFetcher):
    """Serves data: URIs and files inside letters/; refuses everything else and remembers what it refused."""

    def __init__(self) -> None:
        super().__init__(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False)
        self.blocked: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            # resolve() follows symlinks, so a link inside letters/ cannot point outside it.
            path = Path(unquote(urlsplit(url).path)).resolve()
            if path.is_relative_to(LETTERS_DIR) and path.is_file():
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
        self.blocked.append(url)
        raise ValueError(f"Ressource gesperrt (nur letters/ und data: sind erlaubt): {url}")


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
    fetcher = fetcher or LetterAssetFetcher()
    font_config = font_config or FontConfiguration()
    sheets = [
        CSS(filename=str(sheet), url_fetcher=fetcher, font_config=font_config)
        for sheet in (PRINT_BASE_CSS, *stylesheets)
    ]
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    return document.write_pdf(stylesheets=sheets, font_config=font_config, **options)
