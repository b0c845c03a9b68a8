"""The pages behind the links of consent mails (issue 15): a page with one button, whose
``POST`` confirms marketing consent or unsubscribes; and what each answers afterwards.

A ``GET`` never changes anything: mail scanners fetch links. Served with the order page's
headers (the URL holds a secret: no cache, no Referer, no index).
"""

from __future__ import annotations

from typing import Literal

from ticketing.pages.rendering import Language, render_page

State = Literal["confirm", "confirmed", "unsubscribe", "unsubscribed", "gone"]


def render_consent_page(language: Language, state: State, action: str | None = None) -> str:
    """The page for ``state``; ``action`` (the link's own URL) is where its button posts."""
    if action is not None and not action.startswith(("https://", "http://", "/")):
        raise ValueError("a consent page posts to a web link")
    return render_page("consent.html", language, state=state, action=action)
