"""Which role may call a use case."""

from __future__ import annotations

from ticketing.domain.errors import NotAllowed
from ticketing.domain.identity import Principal, Role


def require(principal: Principal, *roles: Role) -> None:
    """Refuse a caller whose role is not among ``roles``.

    403 rather than 404: which routes exist is no secret; which objects exist is.
    """
    if principal.role not in roles:
        allowed = " or ".join(r.value for r in roles)
        raise NotAllowed(
            f"this needs a key with role {allowed}; yours has role {principal.role.value}"
        )
