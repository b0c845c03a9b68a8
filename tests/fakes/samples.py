"""Sample objects for tests on the fakes and on the port contracts: an organizer with its
fair, orders for it, an exhibitor with a batch of visitor vouchers, and who calls.

The fair is INTERFORST 2030 in Munich (8 to 12 July, Europe/Berlin), as in the handler tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from ticketing.domain.events import Event, PriceOption
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.domain.orders import (
    BookedCustomer,
    BookingRequest,
    Customer,
    Order,
    Submitter,
    new_order_number,
    new_self_service_secret,
    order_prefix,
    positions_for,
)
from ticketing.domain.parties import Exhibitor, Organizer
from ticketing.domain.visitor_vouchers import VoucherBatch

ORGANIZER_ID = "org_demo00000000000"
CREATED = datetime(2026, 5, 2, 9, 0, tzinfo=UTC)
PRICES = [
    PriceOption(id="day", name="Tageskarte", price=Decimal("25.00"), tax_rate=Decimal("7")),
    PriceOption(
        id="visitor-voucher",
        name="Besuchergutschein",
        price=Decimal("12.00"),
        tax_rate=Decimal("19"),
    ),
]


def an_organizer(organizer_id: str = ORGANIZER_ID) -> Organizer:
    return Organizer(
        organizer_id=organizer_id,
        name="Demo Messe GmbH",
        email="kontakt@demo-messe.example",
        language="de",
        created_at=CREATED,
    )


def a_fair(
    capacity: int = 100,
    organizer_id: str = ORGANIZER_ID,
    starts_at: str = "2030-07-08T09:00:00+02:00",
    ends_at: str = "2030-07-12T17:00:00+02:00",
    timezone: str = "Europe/Berlin",
) -> Event:
    return Event(
        event_id=new_id("evt"),
        organizer_id=organizer_id,
        created_at=CREATED,
        name="INTERFORST 2030",
        venue="Messe München",
        starts_at=datetime.fromisoformat(starts_at),
        ends_at=datetime.fromisoformat(ends_at),
        timezone=timezone,
        currency="EUR",
        language="de",
        capacity=capacity,
        price_options=PRICES,
        voucher_price_option="visitor-voucher",
    )


def an_order_number(event: Event, booked_on: date = date(2026, 5, 4)) -> str:
    return new_order_number(order_prefix(event.organizer_id), booked_on)


def an_order(
    event: Event,
    quantity: int = 1,
    number: str | None = None,
    at: datetime = datetime(2026, 5, 4, 10, 0, tzinfo=UTC),
    last_name: str = "Mustermann",
    email: str = "erika@example.org",
) -> Order:
    """A free booking of ``quantity`` day tickets, mailed to the customer."""
    number = number or an_order_number(event)
    customer = Customer(first_name="Erika", last_name=last_name, email=email)
    return Order.for_event(
        event,
        number,
        at,
        customer=customer,
        quantity=quantity,
        price_option="day",
        payment="free",
        payment_status="paid",
        delivery="email",
        show_price=True,
        notify_customer=True,
        total=Decimal("0.00"),
        positions=positions_for(
            number, quantity, "day", "Tageskarte", Decimal("0.00"), Decimal("7"), "Erika Mustermann"
        ),
        self_service_secret=new_self_service_secret(),
    )


def a_booking_request(quantity: int = 1, payment: str = "cash", **customer: str) -> BookingRequest:
    return BookingRequest.model_validate(
        {
            "submitter": Submitter(company="Demo Messe GmbH", email="kasse@demo-messe.example"),
            "customer": BookedCustomer.model_validate(
                {
                    "first_name": "Erika",
                    "last_name": "Mustermann",
                    "street": "Heidestraße 17",
                    "zip": "51147",
                    "city": "Köln",
                    "email": "erika@example.org",
                    **customer,
                }
            ),
            "quantity": quantity,
            "price_option": "day",
            "payment": payment,
            "delivery": "email",
        }
    )


def an_exhibitor(event: Event, name: str = "Forstmaschinen Huber") -> Exhibitor:
    return Exhibitor(
        exhibitor_id=new_id("exh"),
        organizer_id=event.organizer_id,
        event_id=event.event_id,
        name=name,
        email="messe@huber.example",
        created_at=CREATED,
    )


def a_batch(
    event: Event,
    exhibitor_id: str,
    quantity: int,
    valid_until: datetime | None = None,
    created_at: datetime = datetime(2026, 5, 4, 10, 0, tzinfo=UTC),
) -> VoucherBatch:
    return VoucherBatch(
        batch_id=new_id("bat"),
        organizer_id=event.organizer_id,
        event_id=event.event_id,
        exhibitor_id=exhibitor_id,
        label="Stammkunden",
        quantity=quantity,
        valid_from=created_at,
        valid_until=valid_until or event.ends_at,
        status="pending",
        created_at=created_at,
    )


def organizer_of(event: Event) -> Principal:
    return Principal(Role.ORGANIZER, event.organizer_id, event.organizer_id, "key_organizer")


def exhibitor_principal(exhibitor: Exhibitor) -> Principal:
    return Principal(
        Role.EXHIBITOR,
        exhibitor.exhibitor_id,
        exhibitor.organizer_id,
        "key_exhibitor",
        scope=exhibitor.event_id,
    )
