"""Start-up check of the system libraries the PDF pipeline needs, with a clear message if one is missing.

Run as a script (`python campaign/checks.py [--warn]`), not with -m: importing the package loads WeasyPrint.
`make test` runs it strictly; `make run` (and the install step) with --warn, since the app works without
HarfBuzz-Subset while the test suite, which turns warnings into errors, does not.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

INSTALL_HINT = (
    "WeasyPrint braucht die Systembibliotheken Pango und HarfBuzz. Unter Debian/Ubuntu: "
    "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; "
    "unter macOS: brew install pango."
)
HARFBUZZ_SUBSET_HINT = (
    "WeasyPrint findet die Bibliothek HarfBuzz-Subset nicht (ohne sie bricht schon das Einsammeln der "
    "Tests ab, und PDFs enthalten ganze Schriften). Unter Debian/Ubuntu: sudo apt-get install "
    "libharfbuzz-subset0; unter macOS: brew install harfbuzz."
)


@dataclass(frozen=True)
class Problem:
    message: str  # one line, German, with the install command
    pdfs_work: bool  # True: only the tests (warnings as errors) stop; the app still renders PDFs


def check_pdf_libraries() -> Problem | None:
    """None if WeasyPrint loads without an error or a warning, else what is wrong.

    The import runs in a fresh interpreter with warnings as errors, as in the test suite: in this process
    WeasyPrint may be loaded already, and a module warns only when it is first imported.
    """
    probe = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import weasyprint"], capture_output=True, text=True, check=False
    )
    return None if probe.returncode == 0 else explain_failure(probe.stderr)


def explain_failure(output: str) -> Problem:
    """What importing WeasyPrint printed when it failed, explained (its last line names the cause)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    cause = lines[-1] if lines else "ohne Meldung abgebrochen"
    if "HarfBuzz-Subset" in cause:
        # WeasyPrint only warns: PDFs embed whole fonts, but the suite's warnings-as-errors stops it.
        return Problem(HARFBUZZ_SUBSET_HINT, pdfs_work=True)
    return Problem(f"{INSTALL_HINT} ({cause})", pdfs_work=False)


def main(argv: list[str]) -> int:
    """Print the problem, if any, and exit 1; with --warn a problem that leaves PDFs working exits 0."""
    problem = check_pdf_libraries()
    if problem is None:
        return 0
    if "--warn" in argv and problem.pdfs_work:
        print(f"Warnung: {problem.message}", file=sys.stderr)
        return 0
    print(f"Fehler: {problem.message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
