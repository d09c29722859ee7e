"""Accessibility checks with axe-core (vendored in tests/data/axe), injected into a Playwright page."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

AXE_DIR = Path(__file__).resolve().parent.parent / "data" / "axe"
SEVERE = ("serious", "critical")


@functools.cache
def _axe_script() -> str:
    return (AXE_DIR / "axe.min.js").read_text(encoding="utf-8")


@functools.cache
def _german_messages() -> dict[str, Any]:
    return json.loads((AXE_DIR / "de.json").read_text(encoding="utf-8"))


# Only the violations, and only what the tests read of them: axe's full result (every rule that passed, with its
# nodes) is megabytes that crossed the DevTools pipe for each page and cost more than the check itself.
RUN_AXE = """() => window.axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
}).then(result => result.violations.map(violation => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map(node => node.target),
})))"""


def axe_violations(page: Any, impacts: tuple[str, ...] = SEVERE) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A/AA rules, German messages) on the page; the violations of the given impacts.

    The script is evaluated through the DevTools protocol, which the page's CSP does not govern, so the
    app's CSP stays as strict as in production while the check runs.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_script())
        page.evaluate("locale => window.axe.configure({locale})", _german_messages())
    return [violation for violation in page.evaluate(RUN_AXE) if violation["impact"] in impacts]
