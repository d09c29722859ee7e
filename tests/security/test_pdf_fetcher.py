"""The PDF renderer's URL fetcher against ways around "letters/ and data: only": other schemes, encoded and
relative climbs out of letters/, loopback and link-local hosts.

The URL-map crawl renders every PDF over records full of <img>, <link>, @import and url() pointing at a loopback
server and at files, and checks that nothing was fetched; this checks the fetcher itself, URL by URL.
"""

from __future__ import annotations

import pytest

from campaign.services.letters.assets import BASE_URL, PRINT_BASE_CSS
from campaign.services.letters.fetcher import LetterAssetFetcher
from campaign.services.letters.pdf import render_pdf
from tests.factories_letters import pdf_text

REFUSED = [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "file://localhost/etc/passwd",
    f"{BASE_URL}../pyproject.toml",
    f"{BASE_URL}%2e%2e/pyproject.toml",
    f"{BASE_URL}..%2Fpyproject.toml",
    f"{BASE_URL}",  # the folder itself
    f"{BASE_URL}does-not-exist.css",
    "file:///proc/self/environ",
    "http://127.0.0.1:1/",
    "http://[::1]:1/",
    "http://169.254.169.254/latest/meta-data/",
    "https://example.org/x.png",
    "ftp://127.0.0.1/x",
    "gopher://127.0.0.1:6379/_INFO",
    "jar:file:///etc/passwd!/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_the_fetcher_refuses_everything_outside_letters(url):
    fetcher = LetterAssetFetcher()
    with pytest.raises(ValueError, match="gesperrt"):
        fetcher.fetch(url)
    assert fetcher.blocked == [url]


def test_the_fetcher_serves_the_letters_assets_and_data_uris():
    fetcher = LetterAssetFetcher()
    assert fetcher.fetch(PRINT_BASE_CSS.as_uri()).read() == PRINT_BASE_CSS.read_bytes()
    assert fetcher.fetch("data:text/plain,hallo").read() == b"hallo"
    assert fetcher.blocked == []


def test_markup_that_reaches_weasyprint_fetches_nothing():
    # As if hostile HTML had slipped past every escape into a document: each way to make WeasyPrint load a URL.
    html = (
        "<html><head><style>@import url('file:///etc/passwd'); body { background: url(http://127.0.0.1:1/bg); }"
        "@font-face { font-family: x; src: url(http://127.0.0.1:1/font.woff); }</style>"
        "<link rel=stylesheet href='http://127.0.0.1:1/x.css'></head><body><p>Text</p>"
        "<img src='file:///etc/hostname'><img src='../pyproject.toml'><object data='file:///etc/passwd'></object>"
        "<svg><image href='http://127.0.0.1:1/i.png' width='5' height='5'/></svg>"
        "<iframe src='file:///etc/passwd'></iframe><embed src='file:///etc/passwd'></body></html>"
    )
    fetcher = LetterAssetFetcher()
    text = pdf_text(render_pdf(html, fetcher=fetcher))
    assert "root:" not in text and "Text" in text
    assert {"file:///etc/passwd", "http://127.0.0.1:1/bg", "http://127.0.0.1:1/x.css"} <= set(fetcher.blocked)
    assert all("127.0.0.1" in url or url.startswith("file:") for url in fetcher.blocked)
