"""The customer pages' Content-Security-Policy: nothing inline runs or styles unless the policy
names its SHA-256, as the console's style sheet is named (no keyword allows all inline code).

A page's inline ``<style>`` and ``<script>`` elements are static: each is one block of the
templates named ``inline_style*`` or ``inline_script*`` (see ``templates/_page.html``) whose text
depends on nothing but the page's template and its form (``form_name``). Their hashes are
computed once per process by rendering just those blocks, without the request, so nothing a
request brings into a page can ever be allowed to run: a block that used a value of the request
would fail here (undefined) instead of being allowed. The JSON data blocks
(``<script type="application/json">``) are not executed and need no allowance.

A handler sends a page with :func:`page_headers`: the page module's headers, whose own policy
(the base) allows nothing inline, with the page's hashes added.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from ticketing.pages.rendering import environment

if TYPE_CHECKING:
    from collections.abc import Mapping

    import jinja2

__all__ = ["inline_texts", "page_headers", "page_policy", "source_hash"]

# The forms a page may show (the frame's style and script differ with it); any other page has
# none. The redemption page shows no form once the voucher is redeemed.
FORMS: Final[Mapping[str, tuple[str | None, ...]]] = {
    "redeem": (None, "redeem"),
    "portal": ("portal",),
    "terminal": ("terminal",),
}
STYLE_BLOCKS: Final = "inline_style"
SCRIPT_BLOCKS: Final = "inline_script"
# A page's first tag, after comments: {% extends "_page.html" %} (read, not parsed: cheaper)
_EXTENDS: Final = re.compile(r'\A(?:\s|\{#.*?#\})*\{%-?\s*extends\s+"([^"]+)"\s*-?%\}', re.S)


def page_headers(page: str, headers: Mapping[str, str]) -> dict[str, str]:
    """``headers`` for the page of template ``{page}.html``, its policy allowing the page's
    inline style and script (``headers`` carry the base policy, which allows none)."""
    policy = page_policy(page, headers["Content-Security-Policy"])
    return {**headers, "Content-Security-Policy": policy}


@cache
def page_policy(page: str, base: str) -> str:
    """``base`` (``"default-src 'none'; ..."``, no ``style-src`` or ``script-src``) with the
    hashes of ``page``'s inline style and script elements, in every form the page may show."""
    styles: dict[str, None] = {}
    scripts: dict[str, None] = {}
    for form_name in FORMS.get(page, (None,)):
        for block, text in inline_texts(page, form_name).items():
            (styles if block.startswith(STYLE_BLOCKS) else scripts)[source_hash(text)] = None
    directives = base.split("; ")
    if any(d.startswith(("style-src", "script-src")) or "unsafe" in d for d in directives):
        raise ValueError("a page's base policy allows nothing inline")
    allowed = [f"style-src {' '.join(styles)}"] if styles else []
    allowed += [f"script-src {' '.join(scripts)}"] if scripts else []
    return "; ".join([directives[0], *allowed, *directives[1:]])


@cache
def inline_texts(page: str, form_name: str | None) -> dict[str, str]:
    """The text of each inline block of template ``{page}.html`` showing form ``form_name``,
    by block name, as the page emits it; blocks without text are left out."""
    templates = _chain(f"{page}.html")
    context = templates[0].new_context({"form_name": form_name})
    for ancestor in templates[1:]:  # as jinja's extends does: a page's blocks before its frame's
        for name, block in ancestor.blocks.items():
            context.blocks.setdefault(name, []).append(block)
    texts = {
        name: "".join(blocks[0](context))
        for name, blocks in context.blocks.items()
        if name.startswith((STYLE_BLOCKS, SCRIPT_BLOCKS))
    }
    return {name: text for name, text in texts.items() if text}


def source_hash(text: str) -> str:
    """``text``'s source expression in a policy: ``'sha256-<base64>'``."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _chain(name: str) -> list[jinja2.Template]:
    """The template ``name`` and the templates it extends, itself first."""
    env = environment()
    chain = [env.get_template(name)]
    while extends := _EXTENDS.match(Path(chain[-1].filename or "").read_text(encoding="utf-8")):
        chain.append(env.get_template(extends.group(1)))
    return chain
