"""``PATCH /organizers/{organizer_id}`` and ``GET /me`` on moto (issue 11): the organizer keeps
its address, tax ids and bank details; another organizer's key finds nothing."""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import body_of
from tests.integration.test_handlers import ORGANIZER_ID, as_organizer, seed_organizer


def patch(body: dict[str, Any], organizer_id: str = ORGANIZER_ID) -> dict[str, Any]:
    event = copy.deepcopy(load_event("access/change_organizer.json"))
    event["path"] = f"/organizers/{organizer_id}"
    event["pathParameters"] = {"organizer_id": organizer_id}
    event["body"] = json.dumps(body)
    return event


def test_the_organizer_sets_its_address_and_bank_and_me_shows_them(
    aws: Aws, lambda_context: Any
) -> None:
    seed_organizer()
    access = load_function("access")

    response = access.handler(load_event("access/change_organizer.json"), lambda_context)

    assert response["statusCode"] == 200, response["body"]
    changed = body_of(response)
    assert changed["city"] == "München"
    assert changed["vat_id"] == "DE123456789"
    assert changed["bank"] == {
        "account_holder": "Messe Demo GmbH",
        "iban": "DE89370400440532013000",
        "bic": "COBADEFFXXX",
    }
    me = body_of(access.handler(load_event("access/me.json"), lambda_context))
    assert me["organizer_id"] == ORGANIZER_ID
    assert me["organizer"]["street"] == "Hauptstraße 1"
    assert me["organizer"]["bank"]["iban"] == "DE89370400440532013000"
    assert me["organizer"]["payment_days"] == 14

    cleared = access.handler(patch({"vat_id": None, "tax_number": "143/123/45678"}), lambda_context)

    assert cleared["statusCode"] == 200, cleared["body"]
    assert body_of(cleared)["vat_id"] is None
    assert body_of(cleared)["tax_number"] == "143/123/45678"
    assert body_of(cleared)["city"] == "München"  # not sent: kept


def test_another_organizer_gets_404_and_an_invalid_iban_422(aws: Aws, lambda_context: Any) -> None:
    seed_organizer()
    access = load_function("access")

    intruder = access.handler(
        as_organizer(patch({"city": "Elsewhere"}), "org_other0000000000"), lambda_context
    )
    bad_iban = access.handler(
        patch({"bank": {"account_holder": "X", "iban": "DE89370400440532013001"}}), lambda_context
    )
    unknown = access.handler(
        as_organizer(patch({"city": "X"}, "org_nobody000000000"), "org_nobody000000000"),
        lambda_context,
    )

    assert intruder["statusCode"] == 404, intruder["body"]
    assert bad_iban["statusCode"] == 422, bad_iban["body"]
    assert "IBAN" in bad_iban["body"]
    assert unknown["statusCode"] == 404, unknown["body"]
    me = body_of(access.handler(load_event("access/me.json"), lambda_context))
    assert "city" not in me["organizer"] or me["organizer"]["city"] is None
