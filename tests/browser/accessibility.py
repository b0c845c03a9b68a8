"""axe-core in the page tests: ``assert_accessible(page)`` fails naming every violation.

axe-core comes with the ``axe-playwright-python`` package (dev extras), which bundles
``axe.min.js`` (axe-core 4.12, MPL-2.0; the wrapper is MIT): nothing is fetched at test time.
The script is evaluated through Playwright's ``page.evaluate`` (the DevTools protocol), which a
page's Content-Security-Policy does not govern, so the pages keep their strict CSP while they
are checked (``add_script_tag`` would be blocked by it and need ``bypass_csp=True``, which also
hides the CSP violations the tests look for).

The rules: WCAG 2.0/2.1 A and AA, and axe's best practices.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def _axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's violations on ``page`` as it is now (rules of :data:`TAGS`)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_script())
    options = json.dumps(
        {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    )
    results: dict[str, Any] = page.evaluate(f"axe.run(document, {options})")
    found: list[dict[str, Any]] = results["violations"]
    return found


def describe(found: list[dict[str, Any]]) -> str:
    """One line per violation: rule id, impact, help, and each element's selector."""
    lines = []
    for violation in found:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(
            f"{violation['id']} ({violation.get('impact')}): {violation['help']} "
            f"-> {'; '.join(targets)}"
        )
    return "\n".join(lines)


def assert_accessible(page: Page, what: str | None = None) -> None:
    """Fail if axe-core finds any violation on ``page``, naming each (id, help, targets)."""
    found = violations(page)
    if found:
        raise AssertionError(
            f"axe-core: {len(found)} violation(s) on {what or page.url}:\n{describe(found)}"
        )
