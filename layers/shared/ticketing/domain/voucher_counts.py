"""A voucher batch's counts (issue 16): codes made, assigned to a recipient, invited by mail,
registered and used. A module of its own, so that a batch's answer does not load the
invitations' models (cold start)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Counts(BaseModel):
    model_config = ConfigDict(defer_build=True)

    codes: int = 0
    assigned: int = 0
    invited: int = 0
    registered: int = 0
    used: int = 0
