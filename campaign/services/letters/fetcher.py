"""The URL fetcher WeasyPrint gets: data: URIs and files inside letters/, nothing else (no network, no other files).

This module imports WeasyPrint; campaign.services.letters.pdf loads it only when a PDF is rendered.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from campaign.services.letters.assets import letters_file


class LetterAssetFetcher(URLFetcher):
    """Serves data: URIs and files inside letters/; refuses everything else and remembers what it refused."""

    def __init__(self) -> None:
        super().__init__(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False)
        self.blocked: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if urlsplit(url).scheme.lower() == "data":
            return super().fetch(url, headers)
        path = letters_file(url)
        if path is not None:
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
        self.blocked.append(url)
        raise ValueError(f"Ressource gesperrt (nur letters/ und data: sind erlaubt): {url}")
