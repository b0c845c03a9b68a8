"""Visitor vouchers of exhibitors (seed 000): batches, vouchers, registrations, statements.

A visitor voucher is redeemed by registering online for a free ticket in one's own name; it is
not a gift voucher of a campaign (those are redeemed at a merchant's terminal).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)

from ticketing.domain.emails import MailAddress
from ticketing.domain.fields import ONE_LINE, Amount, Name, OptionalName

if TYPE_CHECKING:
    from decimal import Decimal

MAX_BATCH = 100_000
BatchStatus = Literal["pending", "generating", "ready", "failed"]
BatchStep = Literal["generating", "writing_file", "ready", "failed"]
ExtensionState = Literal["running", "done", "failed"]
# what writing a batch's Excel file takes: a base plus a share per code (100,000 codes take
# about 4 s on a laptop; this leaves room for a slower Lambda)
FILE_SECONDS_BASE = 2.0
FILE_SECONDS_PER_CODE = 0.0002
CODES_SHARE = 95  # of a batch's percent: its codes; the rest is its Excel file
VoucherState = Literal["issued", "redeemed", "expired"]


def _day_or_moment(value: Any) -> date | datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a day of the calendar") from None
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(_DAY_OR_MOMENT) from None
    else:
        raise ValueError(_DAY_OR_MOMENT)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a time needs its UTC offset, e.g. 2026-12-24T18:00:00+01:00")
    return moment


def _iso(value: date | datetime | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


_DAY_OR_MOMENT = (
    "give a day (2026-12-24, counted whole in the event's time zone) "
    "or a moment with its offset (2026-12-24T18:00:00+01:00)"
)
# A day ("2026-12-24", inclusive, in the event's time zone) or a moment with its offset.
DayOrMoment = Annotated[
    date | datetime,
    PlainValidator(_day_or_moment),
    PlainSerializer(_iso, return_type=str),
    WithJsonSchema({"type": "string", "description": _DAY_OR_MOMENT}),
]


def starts(value: DayOrMoment, zone: str) -> datetime:
    """The moment a validity starts: a day starts at its midnight in the event's zone."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(0), ZoneInfo(zone))


def ends(value: DayOrMoment, zone: str) -> datetime:
    """The moment a validity ends: a day counts whole, up to the next midnight."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value + timedelta(days=1), time(0), ZoneInfo(zone))


class BatchOrder(BaseModel):
    """What an exhibitor asks for: a number of online voucher codes."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    quantity: int = Field(ge=1, le=MAX_BATCH, strict=True)
    label: Annotated[str, Field(max_length=200), ONE_LINE] = ""
    valid_from: DayOrMoment | None = Field(default=None, description="Defaults to now")
    valid_until: DayOrMoment | None = Field(
        default=None, description="Defaults to the end of the event; a day counts whole"
    )


class Extension(BaseModel):
    """An organizer moves a voucher's (or a batch's) end (seed 001, "Gutscheine verlängern")."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    valid_until: DayOrMoment
    beyond_event_end: bool = Field(
        default=False, description="Allow an end after the event's end (say so explicitly)"
    )


class BatchExtension(BaseModel):
    """A whole batch's validity being moved by the worker (a job of the batch, one at a time):
    the codes are walked chunk by chunk from ``next_chunk`` on."""

    model_config = ConfigDict(defer_build=True)

    job_id: str
    state: ExtensionState
    valid_until: datetime
    by: str  # the API key that asked
    total: int  # the batch's codes
    done: int = 0  # codes walked: changed + skipped
    changed: int = 0
    skipped: int = 0  # redeemed, so never changed
    next_chunk: int = 0
    started_at: datetime
    progress_at: datetime
    finished_at: datetime | None = None
    failure: str | None = None
    restarts: int = 0  # rescues since its last step


class VoucherBatch(BaseModel):
    model_config = ConfigDict(defer_build=True)

    batch_id: str
    organizer_id: str
    event_id: str
    exhibitor_id: str
    label: str
    quantity: int
    valid_from: datetime | None = None
    valid_until: datetime
    status: BatchStatus
    generated: int = 0
    # the last write that moved the batch on; restarts: rescues since then (see worker.rescue)
    progress_at: datetime | None = None
    restarts: int = 0
    failure: str | None = None
    failed_at: datetime | None = None
    created_at: datetime
    ready_at: datetime | None = None
    started_at: datetime | None = None  # the first codes written
    # "writing_file" from the moment the worker starts the Excel file (a conditional write)
    step: Literal["generating", "writing_file"] | None = None
    step_at: datetime | None = None
    extension: BatchExtension | None = None


def _percent(part: int, whole: int, scale: float = 100) -> float:
    """``part`` of ``whole`` on a scale, one decimal, rounded down (never the whole early)."""
    return 0.0 if whole <= 0 else float(min(scale, int(part * scale * 10 / whole) / 10))


def batch_step(batch: VoucherBatch) -> BatchStep:
    if batch.status in ("ready", "failed"):
        return batch.status
    return batch.step or "generating"


def batch_percent(batch: VoucherBatch) -> float:
    """0-100, one decimal: the codes count for ``CODES_SHARE``, the file for the rest; 100
    only when ready."""
    step = batch_step(batch)
    if step == "ready":
        return 100.0
    if step == "writing_file":
        return float(CODES_SHARE)
    return _percent(batch.generated, batch.quantity, CODES_SHARE)


def file_seconds(quantity: int) -> float:
    return FILE_SECONDS_BASE + FILE_SECONDS_PER_CODE * quantity


def batch_seconds_left(batch: VoucherBatch, now: datetime) -> int | None:
    """An estimate of the seconds until ready, from the rate since the first codes were
    written; None when unknown (nothing written yet) or done."""
    step = batch_step(batch)
    if step in ("ready", "failed"):
        return None
    if step == "writing_file":
        since = (now - (batch.step_at or now)).total_seconds()
        return max(1, round(file_seconds(batch.quantity) - since))
    if batch.started_at is None or batch.generated <= 0:
        return None
    elapsed = (now - batch.started_at).total_seconds()
    if elapsed <= 0:
        return None
    rate = batch.generated / elapsed
    codes = (batch.quantity - batch.generated) / rate
    return max(1, round(codes + file_seconds(batch.quantity)))


def extension_percent(extension: BatchExtension) -> float:
    if extension.state == "done":
        return 100.0
    return min(99.9, _percent(extension.done, extension.total))


def extension_seconds_left(extension: BatchExtension, now: datetime) -> int | None:
    if extension.state != "running" or extension.done <= 0:
        return None
    elapsed = (now - extension.started_at).total_seconds()
    if elapsed <= 0:
        return None
    return max(1, round((extension.total - extension.done) * elapsed / extension.done))


class RegistrationForm(BaseModel):
    """What a visitor types to redeem a voucher (seed 000: online registration first)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    first_name: Name
    last_name: Name
    email: MailAddress
    company: OptionalName = Field(default=None, description="Left blank: no company")
    event_id: str | None = Field(default=None, max_length=64, description="The page's event")
    contact_consent: bool = Field(
        default=False,
        description="The visitor agrees that the exhibitor who invited them may write to them",
    )
    answers: dict[str, Any] = Field(
        default_factory=dict,
        max_length=100,
        description="Answers to the event's order questions (seed 002): question id -> answer",
    )


class Registration(BaseModel):
    """A visitor voucher redeemed: who registered it, for which order, and whether they came."""

    model_config = ConfigDict(defer_build=True)

    code: str
    first_name: str
    last_name: str
    email: str
    company: str | None = None
    order_number: str
    redeemed_at: datetime
    checked_in_at: datetime | None = None
    # another registration of the fair names the same person and company: shown to the
    # exhibitor, never refused (two people can share a name)
    possible_duplicate: bool = False
    # issue 16: agreed on /redeem that the inviting exhibitor may write again (off by default)
    contact_consent: bool = False
    # seed 002: the answers to the order's questions (the exhibitor sees the shared ones)
    answers: dict[str, str | bool | list[str]] = Field(default_factory=dict)


def namesake(first_name: str, last_name: str, company: str | None) -> str:
    """Whom a registration names, spelled one way (case, width and spaces aside) and kept as a
    digest: registrations of one fair with one namesake may be one person twice."""
    spelled = (
        " ".join(unicodedata.normalize("NFKC", part).casefold().split())
        for part in (first_name, last_name, company or "")
    )
    return hashlib.sha256("\x1f".join(spelled).encode()).hexdigest()[:32]


class ValidityChange(BaseModel):
    model_config = ConfigDict(defer_build=True)

    previous: datetime
    current: datetime
    at: datetime
    by: str  # the API key that made it


class VisitorVoucher(BaseModel):
    model_config = ConfigDict(defer_build=True)

    code: str
    batch_id: str
    organizer_id: str
    event_id: str
    exhibitor_id: str
    valid_from: datetime | None = None
    valid_until: datetime
    state: VoucherState = "issued"
    expired_at: datetime | None = None
    registration: Registration | None = None
    validity_changes: list[ValidityChange] = Field(default_factory=list)


class Statement(BaseModel):
    """Seed 000: exhibitors pay only for vouchers used at the fair, also after cancelling."""

    model_config = ConfigDict(defer_build=True)

    exhibitor_id: str
    exhibitor_name: str
    event_id: str
    cancelled: bool
    issued: int
    redeemed: int
    used: int
    billable: int
    unit_price: Amount
    currency: str
    total: Amount


def billable(used: int) -> int:
    return used


def statement_total(used: int, unit_price: Decimal) -> Decimal:
    return unit_price * billable(used)
