"""What the render pool's fork server loads once, so that every render process starts with it (shared, not copied).

Imported only by the fork server (see pool.RenderPool): WeasyPrint itself (more than a second of imports) and the
German hyphenation patterns, whose parsing took 1.3 s in each render process's first letter before it was done here.
"""

from __future__ import annotations

import pyphen
import weasyprint  # noqa: F401  (imported for its side effect: loaded once in the fork server)

# Pyphen keeps parsed patterns in a module-level cache keyed by file, which forked processes inherit.
pyphen.Pyphen(lang=pyphen.language_fallback("de"))  # as WeasyPrint asks for <html lang="de">
