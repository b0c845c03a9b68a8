"""What the platform holds about one address under one organizer (issue 17, seed 002).

Read through the person index, so that the work grows with the person's own items; every
kind is always present (an address that has nothing gets empty lists: the same shape). The
``mails`` are those sent (subject, class, ``sent_at``: recorded by the mailer), parked and
withheld, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ticketing.domain.consent import address_key
from ticketing.domain.emails import mailbox
from ticketing.domain.identity import Principal, Role
from ticketing.services.roles import require

if TYPE_CHECKING:
    from ticketing.domain.erasure import PersonEntry
    from ticketing.domain.orders import Order
    from ticketing.i18n import Language
    from ticketing.services.ports import MailFailures, OrderStore
    from ticketing.services.ports_mail import ConsentStore, WithheldMails
    from ticketing.services.ports_privacy import (
        PersonalData,
        PersonalGifts,
        PersonalInvitations,
        PersonIndex,
    )

EXPORT_KINDS = (
    "orders",
    "positions",
    "voucher_registrations",
    "gift_vouchers",
    "complaints",
    "invitations",
    "mails",
    "consents",
)
Export = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class ExportDesk:
    people: PersonIndex
    data: PersonalData
    orders: OrderStore
    consents: ConsentStore
    gifts: PersonalGifts | None = None
    # what is recorded of the mails to the person: each one sent (in the person index, by the
    # mailer) and, per order, parked (no retry would send them) or withheld by the mail policy
    mail_failures: MailFailures | None = None
    withheld: WithheldMails | None = None
    invitations: PersonalInvitations | None = None


def export_person(deps: ExportDesk, principal: Principal, email: str) -> Export:
    """Every kind the platform keeps of ``email`` under the caller's organizer, as rows."""
    require(principal, Role.ORGANIZER)
    organizer_id = principal.organizer_id
    assert organizer_id is not None
    found: Export = {kind: [] for kind in EXPORT_KINDS}
    person = deps.people.person(organizer_id, email)
    for entry in deps.people.entries(organizer_id, person):
        if entry.kind == "invitation":
            found["invitations"].extend(_invitation_rows(deps, organizer_id, email, entry.ref))
            continue
        if entry.kind == "mail":
            found["mails"].extend(_sent_rows(entry))
            continue
        if entry.kind != "order":
            _add_gift_item(deps, found, organizer_id, email, entry.kind, entry.ref)
            continue
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
        found["mails"].extend(_mails(deps, order.order_number))
    consent = deps.consents.get(organizer_id, address_key(email))
    if consent.history:
        found["consents"].append(consent.model_dump(mode="json"))
    found["mails"].sort(key=lambda row: str(row.get("sent_at") or row.get("at")))
    return found


def _sent_rows(entry: PersonEntry) -> list[dict[str, Any]]:
    """A mail the mailer sent to the person: its subject, class, template and time."""
    if entry.mail is None:
        return []
    mail = entry.mail
    return [
        {
            "order_number": mail.order_number,
            "template": mail.template,
            "mail_class": mail.mail_class,
            "subject": mail.subject,
            "outcome": "sent",
            "sent_at": mail.sent_at.isoformat(),
        }
    ]


def _add_gift_item(
    deps: ExportDesk, found: Export, organizer_id: str, email: str, kind: str, ref: str
) -> None:
    """A gift voucher issued to the address (with its ledger), or a complaint about one."""
    if deps.gifts is None:
        return
    if kind == "gift":
        voucher = deps.gifts.gift(ref)
        if voucher is None or voucher.organizer_id != organizer_id:
            return
        if voucher.recipient.email is None or mailbox(voucher.recipient.email) != mailbox(email):
            return  # erased since
        row = voucher.model_dump(mode="json", exclude={"token", "recipient", "version"})
        recipient = {f"recipient_{k}": v for k, v in voucher.recipient.model_dump().items()}
        found["gift_vouchers"].append({**recipient, **row})
        return
    complaint = deps.gifts.complaint(ref)
    if complaint is not None and complaint.organizer_id == organizer_id:
        found["complaints"].append(complaint.model_dump(mode="json"))


def _invitation_rows(
    deps: ExportDesk, organizer_id: str, email: str, ref: str
) -> list[dict[str, Any]]:
    batch_id, _, code = ref.partition("/")
    found = None if deps.invitations is None else deps.invitations.invitation(batch_id, code)
    if found is None or found.organizer_id != organizer_id or found.email == "[erased]":
        return []
    return [found.model_dump(mode="json", exclude={"job_id", "row"})]


def _mails(deps: ExportDesk, number: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for failed in deps.mail_failures.for_order(number) if deps.mail_failures else []:
        rows.append(
            {
                "order_number": number,
                "template": failed.template,
                "mail_class": None,
                "outcome": "failed",
                "reason": failed.reason,
                "at": failed.at.isoformat(),
            }
        )
    for held in deps.withheld.for_order(number) if deps.withheld else []:
        rows.append(
            {
                "order_number": number,
                "template": held.template,
                "mail_class": held.mail_class,
                "outcome": held.outcome,
                "reason": held.reason,
                "at": held.at.isoformat(),
            }
        )
    return sorted(rows, key=lambda row: str(row["at"]))


def _names(order: Order, email: str) -> bool:
    return order.customer.email is not None and mailbox(str(order.customer.email)) == mailbox(email)


def order_row(order: Order) -> dict[str, Any]:
    row = order.model_dump(
        mode="json",
        exclude={"positions", "self_service_secret", "submitter", "fees"},
    )
    customer = row.pop("customer")
    return {**{f"customer_{k}": v for k, v in customer.items()}, **row}


def export_workbook(found: Export, language: Language = "en") -> bytes:
    """One sheet per kind, one column per field (nested values as JSON text); sheet names and
    column titles from the catalogue (``xlsx.person_export.*``), a field without a title of its
    own under its name."""
    import json

    from ticketing.documents.excel import Column, Sheet, write_workbook
    from ticketing.i18n import translate
    from ticketing.i18n.catalogue import catalogue

    titles = catalogue(language)
    sheets = []
    for kind in EXPORT_KINDS:
        rows = found.get(kind, [])
        fields = list(dict.fromkeys(k for row in rows for k in row))
        columns = [Column(titles.get(f"xlsx.person_export.field_{f}", f), 22) for f in fields]
        values = [
            [
                v if isinstance(v, str | int | float | bool) or v is None else json.dumps(v)
                for v in (row.get(f) for f in fields)
            ]
            for row in rows
        ]
        if not fields:
            columns = [Column(translate(language, "xlsx.person_export.empty"), 22)]
        name = translate(language, f"xlsx.person_export.sheet_{kind}")
        sheets.append(Sheet(name, columns, values))
    return write_workbook(sheets, title=translate(language, "xlsx.person_export.title"))
