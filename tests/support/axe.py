"""Accessibility checks with axe-core (vendored in tests/data/axe), injected into a Playwright page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

AXE_DIR = Path(__file__).resolve().parent.parent / "data" / "axe"
SEVERE = ("serious", "critical")


def axe_violations(page: Any, impacts: tuple[str, ...] = SEVERE) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A/AA rules, German messages) on the page; the violations of the given impacts.

    The script is evaluated through the DevTools protocol, which the page's CSP does not govern, so the
    app's CSP stays as strict as in production while the check runs.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate((AXE_DIR / "axe.min.js").read_text(encoding="utf-8"))
        locale = json.loads((AXE_DIR / "de.json").read_text(encoding="utf-8"))
        page.evaluate("locale => window.axe.configure({locale})", locale)
    result = page.evaluate(
        """() => window.axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
        })"""
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]],
        }
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]
