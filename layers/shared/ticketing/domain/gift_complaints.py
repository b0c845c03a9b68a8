"""Complaints the hotline records about a gift voucher (seed 004: 投诉), and their answers.

A complaint is against a voucher (and the redemption it names, if the voucher was redeemed
when the member called). It is answered once: ``upheld`` or ``rejected``; an upheld complaint
about a redemption may reverse it (the organizer's decision, at any time, unlike a terminal's
reversal within 15 minutes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ticketing.domain.fields import Input

ComplaintStatus = Literal["open", "answered"]
Outcome = Literal["upheld", "rejected"]
ComplaintText = Annotated[str, Field(min_length=1, max_length=2000)]
LEDGER_TEXT = 200  # the first characters of the text, kept on the voucher's ledger entry


class ComplaintDraft(Input):
    """``POST /complaints``: the code as the member reads it out, and what they said."""

    code: str = Field(min_length=1, max_length=200, description="The voucher's code")
    text: ComplaintText


class ComplaintAnswer(Input):
    """``POST /complaints/{id}/answer``; ``reverse`` (only with ``upheld``) puts a redeemed
    voucher back: its redemption is not paid and the voucher can be redeemed again."""

    text: ComplaintText
    outcome: Outcome
    reverse: bool = False


class Complaint(BaseModel):
    model_config = ConfigDict(defer_build=True)

    complaint_id: str
    organizer_id: str
    campaign_id: str
    code: str
    redemption_id: str | None = None
    text: str
    status: ComplaintStatus = "open"
    created_at: datetime
    by: str  # the key (console: ``session:<user>``) that recorded it
    answer: str | None = None
    outcome: Outcome | None = None
    answered_at: datetime | None = None
    answered_by: str | None = None
    reversed: bool = False  # the answer reversed the redemption
