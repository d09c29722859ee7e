"""Start-up check of the system libraries the PDF pipeline needs, with a clear message if one is missing."""

from __future__ import annotations

import sys

INSTALL_HINT = (
    "WeasyPrint braucht die Systembibliotheken Pango und HarfBuzz. Unter Debian/Ubuntu: "
    "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; "
    "unter macOS: brew install pango."
)


def check_pdf_libraries() -> str | None:
    """None if WeasyPrint can load its libraries, else a one-line German explanation."""
    try:
        import weasyprint  # noqa: F401  (importing loads Pango through cffi)
    except OSError as exc:
        return f"{INSTALL_HINT} ({exc})"
    return None


if __name__ == "__main__":
    problem = check_pdf_libraries()
    if problem:
        print(f"Fehler: {problem}", file=sys.stderr)
        sys.exit(1)
