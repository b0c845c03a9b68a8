"""The console's pages: each one registered once, with the method, path and kinds of user
who may open it, and its place in the navigation.

A page is a function of a :class:`~ticketing.console.visit.Visit` to an
:class:`~ticketing.console.http.Answer`::

    @page("GET", "/console/staff", kinds={UserKind.ORGANIZER}, nav="console.nav.staff")
    def staff(visit: Visit) -> Answer:
        return visit.render("staff.html", staff=...)

``{name}`` in a path is a path parameter (``visit.params["name"]``, one path segment). The
dispatcher refuses a POST without its session's CSRF token before the page runs, and a user
of another kind (or a staff member who is not an admin, for ``admin_only``) gets the 403 page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ticketing.console.http import Answer
    from ticketing.console.visit import Visit
    from ticketing.domain.people import User, UserKind

Method = Literal["GET", "POST"]
View = Callable[["Visit"], "Answer"]


@dataclass(frozen=True, slots=True)
class Page:
    method: Method
    path: str
    view: View
    kinds: frozenset[UserKind]
    admin_only: bool
    nav: str | None  # the message id of its navigation entry (GET pages only)
    pattern: re.Pattern[str]

    def allows(self, user: User) -> bool:
        return user.kind in self.kinds and (not self.admin_only or user.is_admin)


PAGES: list[Page] = []


def page(
    method: Method,
    path: str,
    *,
    kinds: Collection[UserKind],
    admin_only: bool = False,
    nav: str | None = None,
) -> Callable[[View], View]:
    """Register ``view`` as the page at ``method`` ``path`` for users of ``kinds``."""
    if not path.startswith("/console"):
        raise ValueError(f"a console page lives under /console, not {path}")
    if nav is not None and method != "GET":
        raise ValueError("only a GET page can be in the navigation")
    regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path))

    def register(view: View) -> View:
        if any(p.method == method and p.path == path for p in PAGES):
            raise ValueError(f"{method} {path} is registered twice")
        PAGES.append(
            Page(method, path, view, frozenset(kinds), admin_only, nav, re.compile(f"^{regex}$"))
        )
        return view

    return register


def find(method: str, path: str) -> tuple[Page, dict[str, str]] | None:
    """The page for ``method`` ``path`` and its path parameters, or None."""
    for candidate in PAGES:
        match = candidate.pattern.match(path)
        if candidate.method == method and match:
            return candidate, match.groupdict()
    return None


def navigation(user: User) -> list[Page]:
    """The pages the navigation shows ``user``, in the order they were registered."""
    return [p for p in PAGES if p.nav is not None and p.allows(user)]
