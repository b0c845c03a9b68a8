"""Tenants and the keys they hand out: organizers, exhibitors, merchants, terminals, issuers."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.api.caller import caller
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.domain.parties import (
    ExhibitorDraft,
    IssuerDraft,
    MerchantDraft,
    OrganizerDraft,
    TerminalDraft,
)
from ticketing.services import access

app = make_resolver()
store = DynamoAccessStore()
events = DynamoEventStore()
mail = SqsMailQueue()

_PRIVATE = {"organizer_id"}


def _created(party: dict[str, Any], created: access.Created[Any]) -> tuple[dict[str, Any], int]:
    return {**party, "api_key": created.api_key, "key_id": created.key_id}, 201


@app.get("/me")
def whoami() -> dict[str, Any]:
    principal = caller(app)
    return {
        "role": principal.role.value,
        "subject_id": principal.subject_id,
        "organizer_id": principal.organizer_id,
        "key_id": principal.key_id,
        "scope": principal.scope,
    }


@app.post("/organizers")
def onboard_organizer(draft: OrganizerDraft) -> tuple[dict[str, Any], int]:
    created = access.onboard_organizer(store, mail, clock.current(), caller(app), draft)
    return _created(created.party.model_dump(mode="json"), created)


@app.get("/organizers")
def list_organizers() -> dict[str, Any]:
    organizers = access.list_organizers(store, caller(app))
    return {"organizers": [o.model_dump(mode="json") for o in organizers]}


@app.post("/organizers/<organizer_id>/keys")
def add_organizer_key(organizer_id: str) -> tuple[dict[str, Any], int]:
    created = access.add_organizer_key(store, clock.current(), caller(app), organizer_id)
    return _created({"organizer_id": created.party.organizer_id}, created)


@app.post("/exhibitors")
def create_exhibitor(draft: ExhibitorDraft) -> tuple[dict[str, Any], int]:
    created = access.create_exhibitor(store, events, mail, clock.current(), caller(app), draft)
    return _created(created.party.model_dump(mode="json", exclude=_PRIVATE), created)


@app.post("/exhibitors/<exhibitor_id>/cancel")
def cancel_exhibitor(exhibitor_id: str) -> dict[str, Any]:
    exhibitor = access.cancel_exhibitor(store, clock.current(), caller(app), exhibitor_id)
    return exhibitor.model_dump(mode="json", exclude=_PRIVATE)


@app.get("/exhibitors")
def list_exhibitors() -> dict[str, Any]:
    exhibitors = access.list_exhibitors(store, caller(app))
    return {"exhibitors": [e.model_dump(mode="json", exclude=_PRIVATE) for e in exhibitors]}


@app.post("/merchants")
def create_merchant(draft: MerchantDraft) -> tuple[dict[str, Any], int]:
    merchant = access.create_merchant(store, clock.current(), caller(app), draft)
    return merchant.model_dump(mode="json", exclude=_PRIVATE), 201


@app.get("/merchants")
def list_merchants() -> dict[str, Any]:
    merchants = access.list_merchants(store, caller(app))
    return {"merchants": [m.model_dump(mode="json", exclude=_PRIVATE) for m in merchants]}


@app.post("/merchants/<merchant_id>/terminals")
def create_terminal(merchant_id: str, draft: TerminalDraft) -> tuple[dict[str, Any], int]:
    created = access.create_terminal(store, clock.current(), caller(app), merchant_id, draft)
    return _created(created.party.model_dump(mode="json", exclude=_PRIVATE), created)


@app.post("/issuers")
def create_issuer(draft: IssuerDraft) -> tuple[dict[str, Any], int]:
    created = access.create_issuer(store, clock.current(), caller(app), draft)
    return _created(created.party.model_dump(mode="json", exclude=_PRIVATE), created)


@app.delete("/api-keys/<key_id>")
def revoke_key(key_id: str) -> Response[str]:
    access.revoke_key(store, clock.current(), caller(app), key_id)
    return Response(status_code=204, body="")


handler = lambda_handler(app)
