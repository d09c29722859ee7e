"""The print pipeline's own files in letters/ (layouts, print CSS, fonts), and the rule that PDFs read only those."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

LETTERS_DIR = Path(__file__).resolve().parents[3] / "letters"
BASE_URL = LETTERS_DIR.as_uri() + "/"
# Fonts and shared print rules for every PDF we make (letters, briefings, amendment drafts).
PRINT_BASE_CSS = LETTERS_DIR / "print-base.css"
LETTER_STYLESHEET = LETTERS_DIR / "din5008.css"
LAYOUT_TEMPLATE = "layout.html"


def letters_file(url: str) -> Path | None:
    """The file inside letters/ that a file: URL names, or None for any other URL or a file outside letters/."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        return None
    # resolve() follows symlinks, so a link inside letters/ cannot point outside it.
    path = Path(unquote(parts.path)).resolve()
    return path if path.is_relative_to(LETTERS_DIR) and path.is_file() else None
