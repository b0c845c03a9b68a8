"""Tenants and the keys they hand out: organizers, exhibitors, merchants, terminals, issuers."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.outbox import DynamoOutbox
from ticketing.adapters.people_store import DynamoPeopleStore
from ticketing.adapters.terminal_locks import DynamoTerminalLocks
from ticketing.api import answers
from ticketing.api.caller import caller
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.api.terminal_views import merchant_view
from ticketing.domain.gift_parties import IssuerDraft, MerchantDraft, TerminalDraft
from ticketing.domain.identity import Role
from ticketing.domain.parties import ExhibitorDraft, OrganizerChange, OrganizerDraft
from ticketing.services import access, merchants, staff
from ticketing.services.outbox import Outgoing

app = make_resolver()
store = DynamoAccessStore()
events = DynamoEventStore()
mail = Outgoing(DynamoOutbox(), SqsMailQueue())  # welcomes go through the outbox
locks = DynamoTerminalLocks()
people = DynamoPeopleStore()

_PRIVATE = {"organizer_id"}


def _created(party: dict[str, Any], created: access.Created[Any]) -> tuple[dict[str, Any], int]:
    return {**party, "api_key": created.api_key, "key_id": created.key_id}, 201


@app.get(
    "/me",
    summary="Who this key belongs to: role, subject and scope (an organizer: its settings too)",
)
def whoami() -> dict[str, Any]:
    principal = caller(app)
    answer: dict[str, Any] = {
        "role": principal.role.value,
        "subject_id": principal.subject_id,
        "organizer_id": principal.organizer_id,
        "key_id": principal.key_id,
        "scope": principal.scope,
    }
    if principal.role is Role.ORGANIZER and principal.organizer_id is not None:
        organizer = store.get_organizer(principal.organizer_id)
        if organizer is not None:
            answer["organizer"] = organizer.model_dump(mode="json")
    return answer


@app.post(
    "/organizers",
    summary="Onboard an organizer (a tenant)",
    responses={201: {"description": "The organizer, with its first API key (shown only now)"}},
)
def onboard_organizer(draft: OrganizerDraft) -> tuple[dict[str, Any], int]:
    created = access.onboard_organizer(store, mail, clock.current(), caller(app), draft)
    # its address becomes the first admin of the console (made once; issue 13)
    staff.first_admin_of(people, clock.current(), created.party)
    return _created(created.party.model_dump(mode="json"), created)


@app.get("/organizers", summary="List the organizers")
def list_organizers() -> dict[str, Any]:
    organizers = access.list_organizers(store, caller(app))
    return {"organizers": [o.model_dump(mode="json") for o in organizers]}


@app.patch(
    "/organizers/<organizer_id>",
    summary="Change an organizer's settings (address, tax ids, bank details, links)",
    responses={
        200: {"description": "The organizer as it is now"},
        404: {"description": "No such organizer, or another organizer's"},
    },
)
def change_organizer(organizer_id: str, change: OrganizerChange) -> dict[str, Any]:
    organizer = access.change_organizer(store, caller(app), organizer_id, change)
    return organizer.model_dump(mode="json")


@app.post(
    "/organizers/<organizer_id>/keys",
    summary="Give an organizer another API key",
    responses={201: {"description": "The new API key (shown only now)"}},
)
def add_organizer_key(organizer_id: str) -> tuple[dict[str, Any], int]:
    created = access.add_organizer_key(store, clock.current(), caller(app), organizer_id)
    return _created({"organizer_id": created.party.organizer_id}, created)


@app.post(
    "/exhibitors",
    summary="Register an exhibitor of an event",
    responses={
        201: {"description": "The exhibitor, with its API key (shown only now)"},
        404: {"description": "No such event"},
    },
)
def create_exhibitor(draft: ExhibitorDraft) -> tuple[dict[str, Any], int]:
    created = access.create_exhibitor(store, events, mail, clock.current(), caller(app), draft)
    # its contact may sign in to the console with this address (made once; issue 13)
    event = events.get(created.party.event_id)
    staff.exhibitor_contact(people, created.party, event.language if event else "de")
    return _created(created.party.model_dump(mode="json", exclude=_PRIVATE), created)


@app.post(
    "/exhibitors/<exhibitor_id>/cancel",
    summary="Cancel an exhibitor's participation",
    responses={
        200: {"description": "The cancelled exhibitor"},
        409: {"description": "Cancelled before"},
    },
)
def cancel_exhibitor(exhibitor_id: str) -> dict[str, Any]:
    exhibitor = access.cancel_exhibitor(store, clock.current(), caller(app), exhibitor_id)
    return exhibitor.model_dump(mode="json", exclude=_PRIVATE)


@app.get("/exhibitors", summary="List the exhibitors")
def list_exhibitors() -> dict[str, Any]:
    exhibitors = access.list_exhibitors(store, caller(app))
    return {"exhibitors": [e.model_dump(mode="json", exclude=_PRIVATE) for e in exhibitors]}


@app.post(
    "/merchants",
    summary="Register a merchant that accepts gift vouchers",
    responses={201: {"description": "The merchant"}},
)
def create_merchant(draft: MerchantDraft) -> tuple[dict[str, Any], int]:
    merchant = access.create_merchant(store, clock.current(), caller(app), draft)
    return merchant.model_dump(mode="json", exclude=_PRIVATE), 201


@app.get("/merchants", summary="List the merchants")
def list_merchants() -> dict[str, Any]:
    merchants = access.list_merchants(store, caller(app))
    return {"merchants": [m.model_dump(mode="json", exclude=_PRIVATE) for m in merchants]}


@app.get(
    "/merchants/<merchant_id>",
    summary="A merchant with its terminals: which are revoked, which are locked and until when",
    responses={404: {"description": "No such merchant (or another organizer's)"}},
)
def show_merchant(merchant_id: str) -> dict[str, Any]:
    view = merchants.show_merchant(store, locks, clock.current(), caller(app), merchant_id)
    return merchant_view(view)


@app.delete(
    "/merchants/<merchant_id>/terminals/<terminal_id>",
    summary="Revoke a terminal: its key stops working at once",
    responses={
        204: answers.empty("Revoked"),
        404: {"description": "No such terminal of this merchant"},
        409: {"description": "Revoked before"},
    },
)
def revoke_terminal(merchant_id: str, terminal_id: str) -> Response[str]:
    merchants.revoke_terminal(store, store, clock.current(), caller(app), merchant_id, terminal_id)
    return Response(status_code=204, body="")


@app.post(
    "/merchants/<merchant_id>/terminals",
    summary="Register a merchant's verification terminal",
    responses={201: {"description": "The terminal, with its API key (shown only now)"}},
)
def create_terminal(merchant_id: str, draft: TerminalDraft) -> tuple[dict[str, Any], int]:
    created = access.create_terminal(store, clock.current(), caller(app), merchant_id, draft)
    return _created(created.party.model_dump(mode="json", exclude=_PRIVATE), created)


@app.post(
    "/issuers",
    summary="Register a partner system that issues gift vouchers",
    responses={201: {"description": "The issuer, with its API key (shown only now)"}},
)
def create_issuer(draft: IssuerDraft) -> tuple[dict[str, Any], int]:
    created = access.create_issuer(store, clock.current(), caller(app), draft)
    return _created(created.party.model_dump(mode="json", exclude=_PRIVATE), created)


@app.delete(
    "/api-keys/<key_id>",
    summary="Revoke an API key",
    responses={
        204: answers.empty("Revoked: the key stops working at once"),
        409: {"description": "Revoked before"},
    },
)
def revoke_key(key_id: str) -> Response[str]:
    access.revoke_key(store, clock.current(), caller(app), key_id)
    return Response(status_code=204, body="")


handler = lambda_handler(app)
