"""The customer's privacy pages (issue 17): the form ("send me my data", "forget me"), its
neutral answer, and the mailed link's page with one button (a ``GET`` never acts: mail
scanners fetch links). Served with the order page's headers (a link's URL holds a secret)."""

from __future__ import annotations

from typing import Literal

from ticketing.pages.rendering import Language, render_page

State = Literal[
    "form", "sent", "confirm_export", "confirm_erasure", "export", "erasure", "gone", "refused"
]


def render_privacy_page(language: Language, state: State, action: str | None = None) -> str:
    """The page for ``state``; ``action`` (a path or web link) is where its form posts."""
    if action is not None and not action.startswith(("https://", "http://", "/")):
        raise ValueError("a privacy page posts to a web link")
    return render_page("privacy_portal.html", language, state=state, action=action)
