"""What the handler tests of ``test_order_handlers`` and ``test_voucher_handlers`` share: the
demo organizer and its INTERFORST fair seeded through the product's own stores, sample events
changed for a case, and reading the proxy responses the handlers return."""

from __future__ import annotations

import base64
import copy
import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

ORGANIZER_ID = "org_demo00000000000"
EVENT_ID = "evt_demo00000000000"
PROBLEM_JSON = "application/problem+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the order number the sample events carry in their paths; tests put a real one in
PLACEHOLDER_ORDER = "72BE-040526-000001"


# ------------------------------------------------------------------------------ responses


def body_of(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def header(response: dict[str, Any], name: str) -> str:
    headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
    if name.lower() in headers:
        return str(headers[name.lower()])
    multi = {k.lower(): v for k, v in (response.get("multiValueHeaders") or {}).items()}
    return str(multi[name.lower()][0])


def binary_body(response: dict[str, Any]) -> bytes:
    assert response["isBase64Encoded"] is True
    return base64.b64decode(response["body"])


def workbook_rows(data: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


# ------------------------------------------------------------------------------ requests


def with_query(event: dict[str, Any], **query: str) -> dict[str, Any]:
    changed = copy.deepcopy(event)
    changed["queryStringParameters"] = dict(query)
    changed["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()}
    return changed


def in_path(event: dict[str, Any], placeholder: str, value: str, name: str) -> dict[str, Any]:
    """A sample event with ``value`` in place of the placeholder of its path parameter."""
    changed = copy.deepcopy(event)
    changed["path"] = changed["path"].replace(placeholder, value)
    changed["requestContext"]["path"] = changed["requestContext"]["path"].replace(
        placeholder, value
    )
    changed["pathParameters"] = {name: value}
    return changed


# ------------------------------------------------------------------------------ seeding


def seed_organizer() -> None:
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.domain.parties import Organizer

    DynamoAccessStore().add_party(
        Organizer(
            organizer_id=ORGANIZER_ID,
            name="Demo Messe GmbH",
            email="kontakt@demo-messe.example",
            language="de",
            street="Messeplatz 1",
            zip="81829",
            city="München",
            country="Deutschland",
            vat_id="DE123456789",
            created_at=datetime(2026, 5, 1, 8, 0, tzinfo=UTC),
        ),
        None,
    )


def seed_interforst(
    year: int,
    capacity: int,
    prices: Sequence[tuple[str, str, str, int]],
    event_id: str = EVENT_ID,
    **extra: Any,
) -> None:
    """The demo organizer's INTERFORST ``year``, 8 to 12 July in Munich, with ``prices`` as
    (id, name, price, tax rate); ``extra`` are further fields of the event."""
    from ticketing.adapters.event_store import DynamoEventStore
    from ticketing.domain.events import Event, PriceOption

    DynamoEventStore().add(
        Event(
            event_id=event_id,
            organizer_id=ORGANIZER_ID,
            created_at=datetime(2026, 5, 2, 9, 0, tzinfo=UTC),
            name=f"INTERFORST {year}",
            venue="Messe München",
            starts_at=datetime.fromisoformat(f"{year}-07-08T09:00:00+02:00"),
            ends_at=datetime.fromisoformat(f"{year}-07-12T17:00:00+02:00"),
            timezone="Europe/Berlin",
            currency="EUR",
            language="de",
            capacity=capacity,
            price_options=[
                PriceOption(id=id_, name=name, price=Decimal(price), tax_rate=tax_rate)
                for id_, name, price, tax_rate in prices
            ],
            **extra,
        )
    )
