"""A collaborator made on first use, so that a cold start loads only what a request touches.

The privacy desks hold a store for every kind of personal data, but one request meets only
some of them: asking for an erasure touches the person index and the erasure's record; an
export or an erasure touches the gift vouchers only of a person who holds some. Each such
store is handed over as ``deferred(make)``: ``make`` (which imports the adapter's module) runs
when the first attribute is asked for, and the store it made answers from then on. Two threads
that ask at once may both make one; the second is dropped, which is harmless for stores that
hold no state but their table and client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")


class _Deferred:
    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], object]) -> None:
        self._make = make
        self._made: object | None = None

    def __getattr__(self, name: str) -> Any:
        made = self._made
        if made is None:
            made = self._made = self._make()
        return getattr(made, name)

    def __repr__(self) -> str:
        return f"deferred({self._made!r})" if self._made is not None else "deferred(not made)"


def deferred(make: Callable[[], T]) -> T:
    """``make()``'s result, made when it is first used (typed as what ``make`` returns)."""
    return cast("T", _Deferred(make))


def made(value: object) -> bool:
    """Whether ``value`` is in use: a plain object is; a deferred one once it has been made."""
    return not isinstance(value, _Deferred) or value._made is not None
