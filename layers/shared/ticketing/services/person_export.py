"""What the platform holds about one address under one organizer (issue 17, seed 002).

Read through the person index, so that the work grows with the person's own items; every
kind is always present (an address that has nothing gets empty lists: the same shape).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ticketing.domain.consent import address_key
from ticketing.domain.emails import mailbox
from ticketing.domain.identity import Principal, Role
from ticketing.domain.orders import Order
from ticketing.services.ports import OrderStore
from ticketing.services.ports_mail import ConsentStore
from ticketing.services.ports_privacy import PersonalData, PersonIndex
from ticketing.services.roles import require

EXPORT_KINDS = ("orders", "positions", "voucher_registrations", "consents")
Export = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class ExportDesk:
    people: PersonIndex
    data: PersonalData
    orders: OrderStore
    consents: ConsentStore


def export_person(deps: ExportDesk, principal: Principal, email: str) -> Export:
    """Every kind the platform keeps of ``email`` under the caller's organizer, as rows."""
    require(principal, Role.ORGANIZER)
    organizer_id = principal.organizer_id
    assert organizer_id is not None
    found: Export = {kind: [] for kind in EXPORT_KINDS}
    person = deps.people.person(organizer_id, email)
    for entry in deps.people.entries(organizer_id, person):
        order = deps.orders.get(entry.ref)
        if order is None or order.organizer_id != organizer_id or not _names(order, email):
            continue  # erased, or its address was changed to someone else's since
        found["orders"].append(order_row(order))
        found["positions"].extend(
            {"order_number": order.order_number, **p.model_dump(mode="json", exclude={"secret"})}
            for p in order.positions
        )
        voucher = deps.data.voucher_of(order)
        if voucher is not None and voucher.registration is not None:
            registration = voucher.registration.model_dump(mode="json")
            found["voucher_registrations"].append({"event_id": voucher.event_id, **registration})
    consent = deps.consents.get(organizer_id, address_key(email))
    if consent.history:
        found["consents"].append(consent.model_dump(mode="json"))
    return found


def _names(order: Order, email: str) -> bool:
    return order.customer.email is not None and mailbox(str(order.customer.email)) == mailbox(email)


def order_row(order: Order) -> dict[str, Any]:
    row = order.model_dump(
        mode="json",
        exclude={"positions", "self_service_secret", "submitter", "fees"},
    )
    customer = row.pop("customer")
    return {**{f"customer_{k}": v for k, v in customer.items()}, **row}


def export_workbook(found: Export) -> bytes:
    """One sheet per kind, one column per field (nested values as JSON text)."""
    import json

    from ticketing.documents.excel import Column, Sheet, write_workbook

    sheets = []
    for kind in EXPORT_KINDS:
        rows = found.get(kind, [])
        fields = list(dict.fromkeys(k for row in rows for k in row)) or ["-"]
        values = [
            [
                v if isinstance(v, str | int | float | bool) or v is None else json.dumps(v)
                for v in (row.get(f) for f in fields)
            ]
            for row in rows
        ]
        sheets.append(Sheet(kind, [Column(f, 22) for f in fields], values))
    return write_workbook(sheets, title="Personal data export")
