"""Orders and their positions: bookings made outside the shop (seed 001), later also vouchers.

An order has one position per ticket. Each position carries two secrets: the ticket secret the
QR code shows at the entrance, and a separate download token for its direct link, so that a
forwarded download link is not a ticket and a photographed QR code is not a download link.
"""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from ticketing.domain.fields import ERASED, ONE_LINE, Amount, Input, Money, Name, Slug, TaxRate
from ticketing.domain.ids import random_token
from ticketing.i18n.languages import Language

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ticketing.domain.events import Event

Payment = Literal["free", "cash", "transfer"]
PaymentStatus = Literal["open", "paid"]
Delivery = Literal["email", "post"]

MAX_QUANTITY = 500
POSITIONS_PER_ITEM = 100

# What the platform charges an organizer for sending an order by post, net of nothing: a fee
# line on the order, never on the customer's total.
POSTAGE = Decimal("1.80")
POSTAGE_TAX_RATE = Decimal("19")

_ORDER_NUMBER = re.compile(r"^(\d{2}[A-Z]{2})-(\d{6})-(\d{6})$")
_SECRET_CHARS = 26  # 26 x 5 bits = 130 bits from secrets


class Submitter(Input):
    """Who made the booking on the organizer's side (seed: "Anbieterdaten")."""

    company: Name | None = None
    email: EmailStr


class Customer(Input):
    """The ticket holder. A visitor redeeming a voucher gives no address."""

    first_name: Name
    last_name: Name
    street: Name | None = None
    zip: str | None = Field(default=None, min_length=4, max_length=10, pattern=r"^[A-Za-z0-9 -]+$")
    city: Name | None = None
    phone: Annotated[str, Field(min_length=3, max_length=40), ONE_LINE] | None = None
    email: EmailStr | None = None
    company: Name | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class BookedCustomer(Customer):
    """A customer booked by the organizer (seed 001's form): the address is required."""

    street: Name = Field(description="Street and number")
    zip: str = Field(min_length=4, max_length=10, pattern=r"^[A-Za-z0-9 -]+$")
    city: Name


class Attendee(Input):
    """The person one ticket names (issue 11): only they may enter with it."""

    first_name: Name
    last_name: Name
    answers: dict[str, Any] = Field(
        default_factory=dict,
        max_length=100,
        description="Answers to the ticket's questions (seed 002): question id -> answer",
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class BookingRequest(Input):
    """A booking created by the organizer outside the shop."""

    submitter: Submitter
    customer: BookedCustomer
    quantity: int = Field(ge=1, le=MAX_QUANTITY, strict=True)
    attendees: list[Attendee] = Field(
        default_factory=list,
        max_length=MAX_QUANTITY,
        description="The name on each ticket, one per ticket (as many as quantity); "
        "empty: every ticket names the customer",
    )
    price_option: Slug
    answers: dict[str, Any] = Field(
        default_factory=dict,
        max_length=100,
        description="Answers to the event's order questions (seed 002): question id -> answer",
    )
    payment: Payment
    delivery: Delivery
    show_price: bool = True
    notify_customer: bool = Field(
        default=True,
        description="False: the confirmation goes to the submitter instead of the customer",
    )
    notify_submitter: bool = Field(
        default=False,
        description="True: the submitter gets a copy of the customer's confirmation",
    )


class Position(BaseModel):
    """One ticket of an order."""

    model_config = ConfigDict(defer_build=True)

    position_id: str
    price_option: str
    price_option_name: str
    price: Money
    tax_rate: TaxRate
    holder_name: str
    secret: str
    download_token: str
    checked_in_at: datetime | None = None
    # seed 002: the attendee's answers to the ticket's questions, by question id, and what the
    # ticket prints of the order's and its own answers: (question, answer) in the event's
    # language, as they were when it was booked
    answers: dict[str, str | bool | list[str]] = Field(default_factory=dict)
    printed_answers: list[tuple[str, str]] = Field(default_factory=list)


class Fee(BaseModel):
    model_config = ConfigDict(defer_build=True)

    kind: Literal["postage"]
    amount: Money
    tax_rate: TaxRate
    charged_to: Literal["organizer"] = "organizer"


class EmailChange(BaseModel):
    """A correction of the order's e-mail address, kept on the order (who, when, from, to)."""

    model_config = ConfigDict(defer_build=True)

    previous: str | None
    current: str
    at: datetime
    by: str  # the API key that made it


class ConsentChange(BaseModel):
    """Seed 003: the holder switched reminders off or on, and when."""

    model_config = ConfigDict(defer_build=True)

    reminders: bool
    at: datetime


class Order(BaseModel):
    model_config = ConfigDict(defer_build=True)

    order_number: str
    organizer_id: str
    event_id: str
    created_at: datetime
    language: Language
    currency: str
    submitter: Submitter | None = None
    customer: Customer
    quantity: int
    price_option: str
    payment: Payment
    payment_status: PaymentStatus
    paid_at: datetime | None = None
    delivery: Delivery
    show_price: bool
    notify_customer: bool
    # the submitter asked for a copy of the confirmation (a booking outside the shop)
    notify_submitter: bool = False
    total: Amount
    fees: list[Fee] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    self_service_secret: str
    invoice_number: str | None = None
    invoiced_at: datetime | None = None
    # set when the order came from an exhibitor's visitor voucher (seed 000)
    voucher_code: str | None = None
    exhibitor_id: str | None = None
    email_changes: list[EmailChange] = Field(default_factory=list)
    # seed 003: reminders are transactional and on by default; the holder may switch them off
    reminders: bool = True
    consent_changes: list[ConsentChange] = Field(default_factory=list)
    # seed 002: the answers to the event's order questions, by question id
    answers: dict[str, str | bool | list[str]] = Field(default_factory=dict)

    @property
    def erased(self) -> bool:
        """Whether an erasure (or retention) took the customer: only the marker is left."""
        return self.customer.email is None and self.customer.first_name == ERASED

    @property
    def reachable(self) -> bool:
        """Whether the order has an address to mail at all: an erased customer has none."""
        return bool(self.customer.email) or self.submitter is not None

    @property
    def mail_recipient(self) -> str:
        """The customer, unless the organizer chose to receive the mail itself."""
        if (self.notify_customer or self.submitter is None) and self.customer.email:
            return str(self.customer.email)
        assert self.submitter is not None
        return str(self.submitter.email)

    @property
    def copy_recipient(self) -> str | None:
        """The submitter, when it asked for a copy and the confirmation goes to someone else."""
        if not self.notify_submitter or self.submitter is None:
            return None
        submitter = str(self.submitter.email)
        return None if submitter.casefold() == self.mail_recipient.casefold() else submitter

    @classmethod
    def for_event(cls, event: Event, order_number: str, at: datetime, **fields: Any) -> Order:
        """A new order of ``event``: its tenant, language and currency come from the event."""
        return cls(
            order_number=order_number,
            organizer_id=event.organizer_id,
            event_id=event.event_id,
            created_at=at,
            language=event.language,
            currency=event.currency,
            **fields,
        )

    def position(self, position_id: str) -> Position | None:
        return next((p for p in self.positions if p.position_id == position_id), None)


PORTAL_MAILS_PER_DAY = 3


def secret_matches(given: str, stored: str) -> bool:
    """Constant-time comparison of a presented secret with the stored one."""
    return hmac.compare_digest(given.encode(), stored.encode())


def order_prefix(organizer_id: str) -> str:
    """Two digits that tell organizers' orders apart at a glance, then BE (booking)."""
    digits = sum(ord(c) for c in organizer_id) % 100
    return f"{digits:02d}BE"


def new_order_number(prefix: str, booked_on: date) -> str:
    """``12BE-090125-655140``: prefix, booking date (ddmmyy), six random digits.

    Unique by a conditional write, not by luck: a collision is retried with new digits.
    """
    return f"{prefix}-{booked_on:%d%m%y}-{secrets.randbelow(1_000_000):06d}"


def normalize_order_number(text: str) -> str | None:
    """The order number a person typed, in canonical form; None if it cannot be one."""
    candidate = re.sub(r"\s+", "", text).upper()
    return candidate if _ORDER_NUMBER.match(candidate) else None


def new_position_ids(count: int) -> list[str]:
    """Ids like ``6jjf7gj``, unique within their order."""
    ids: list[str] = []
    while len(ids) < count:
        candidate = random_token(7)
        if candidate not in ids:
            ids.append(candidate)
    return ids


def new_ticket_secret(order_number: str, position_id: str) -> str:
    """What the QR code holds: where the ticket is, plus 130 random bits that prove it."""
    return f"{order_number}.{position_id}.{random_token(_SECRET_CHARS)}"


def new_self_service_secret() -> str:
    return random_token(_SECRET_CHARS)


def parse_ticket_reference(value: str) -> tuple[str, str] | None:
    """(order number, position id) of a ticket secret or download token; None if malformed."""
    parts = value.strip().split(".")
    if len(parts) != 3 or len(parts[2]) != _SECRET_CHARS:
        return None
    number = normalize_order_number(parts[0])
    if number is None or not re.fullmatch(r"[0-9a-z]{7}", parts[1]):
        return None
    return number, parts[1]


def search_key(text: str) -> str:
    """Case- and accent-free form of a name: ``Müller`` and ``muller`` both give ``muller``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in stripped.casefold() if c.isalnum())


def positions_for(
    order_number: str,
    quantity: int,
    option_id: str,
    option_name: str,
    unit_price: Decimal,
    tax_rate: Decimal,
    holder_name: str,
    *,
    holder_names: Sequence[str] = (),
) -> list[Position]:
    """``quantity`` new tickets, each naming ``holder_name``, or the ``holder_names`` one by one
    (as many as ``quantity``) when given."""
    if holder_names and len(holder_names) != quantity:
        raise ValueError(f"{len(holder_names)} holder names for {quantity} tickets")
    names = list(holder_names) or [holder_name] * quantity
    return [
        Position(
            position_id=position_id,
            price_option=option_id,
            price_option_name=option_name,
            price=unit_price,
            tax_rate=tax_rate,
            holder_name=name,
            secret=new_ticket_secret(order_number, position_id),
            download_token=new_ticket_secret(order_number, position_id),
        )
        for position_id, name in zip(new_position_ids(quantity), names, strict=True)
    ]


def unit_price_for(payment: Payment, option_price: Decimal) -> Decimal:
    """Free bookings cost 0.00; cash and transfer cost the option's price (seed 001)."""
    return Decimal("0.00") if payment == "free" else option_price


def initial_payment_status(payment: Payment) -> PaymentStatus:
    """Nothing to collect for free bookings; cash and transfer stay open until marked paid."""
    return "paid" if payment == "free" else "open"


def postage_fees(delivery: Delivery) -> list[Fee]:
    if delivery != "post":
        return []
    return [Fee(kind="postage", amount=POSTAGE, tax_rate=POSTAGE_TAX_RATE)]


def anonymized(order: Order) -> Order:
    """The order as an erasure leaves it: the marker for the person, every amount kept."""
    customer = Customer(first_name=ERASED, last_name=ERASED)
    positions = [p.model_copy(update={"holder_name": ERASED}) for p in order.positions]
    return order.model_copy(
        update={"customer": customer, "positions": positions, "email_changes": []}
    )
