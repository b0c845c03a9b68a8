"""Issue 10: names are one line. A line break in an event's or an organizer's name once stopped
every mail of the event; every one-line text of the models refuses control characters and
line separators, naming the field, and keeps what a person writes (accents, CJK, dashes)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from ticketing.domain.events import EventDraft, PriceOption
from ticketing.domain.fields import ONE_LINE_MESSAGE
from ticketing.domain.gift_parties import IssuerDraft, MerchantDraft, TerminalDraft
from ticketing.domain.orders import BookedCustomer, Customer, Submitter
from ticketing.domain.parties import ExhibitorDraft, OrganizerDraft
from ticketing.domain.visitor_vouchers import BatchOrder, RegistrationForm

NOT_ONE_LINE = {
    "LF": "\n",
    "CR": "\r",
    "CRLF": "\r\n",
    "tab": "\t",
    "NUL": "\x00",
    "escape": "\x1b",
    "DEL": "\x7f",
    "next line U+0085": "\x85",
    "C1 U+009B": "\x9b",
    "line separator U+2028": "\u2028",
    "paragraph separator U+2029": "\u2029",
}
EVENT: dict[str, Any] = {
    "name": "INTERFORST 2030",
    "venue": "Messe München",
    "starts_at": "2030-07-12T09:00:00+02:00",
    "ends_at": "2030-07-16T18:00:00+02:00",
    "timezone": "Europe/Berlin",
    "currency": "EUR",
    "capacity": 100,
    "price_options": [{"id": "day", "name": "Tageskarte", "price": "25.00", "tax_rate": "7"}],
}
PERSON = {"first_name": "Erika", "last_name": "Mustermann", "email": "erika@example.org"}
ADDRESS = {"street": "Messeplatz 1", "zip": "81829", "city": "München"}
# (model, a valid body, the one-line fields of it)
MODELS: list[tuple[type[BaseModel], dict[str, Any], list[str]]] = [
    (EventDraft, EVENT, ["name", "venue"]),
    (PriceOption, EVENT["price_options"][0], ["name"]),
    (
        OrganizerDraft,
        {"name": "Demo Messe GmbH", "email": "a@example.org", "vat_id": "DE123", **ADDRESS},
        ["name", "street", "city", "vat_id", "country"],
    ),
    (ExhibitorDraft, {"name": "Huber KG", "email": "a@example.org", "event_id": "e"}, ["name"]),
    (MerchantDraft, {"name": "Café Ost"}, ["name", "city", "category"]),
    (TerminalDraft, {}, ["label"]),
    (IssuerDraft, {"name": "Stadtmarketing"}, ["name"]),
    (Submitter, {"email": "a@example.org"}, ["company"]),
    (Customer, PERSON, ["first_name", "last_name", "company", "street", "city", "phone"]),
    (BookedCustomer, {**PERSON, **ADDRESS}, ["street", "city"]),
    (RegistrationForm, PERSON, ["first_name", "last_name", "company"]),
    (BatchOrder, {"quantity": 1}, ["label"]),
]
CASES = [
    pytest.param(model, body, field, char, id=f"{model.__name__}.{field}-{what}")
    for model, body, fields in MODELS
    for field in fields
    for what, char in NOT_ONE_LINE.items()
]


@pytest.mark.parametrize(("model", "body", "field", "char"), CASES)
def test_a_one_line_field_refuses_control_characters_and_line_separators(
    model: type[BaseModel], body: dict[str, Any], field: str, char: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        model.model_validate({**body, field: f"Fair{char}X Name"})

    [error] = refused.value.errors()
    assert error["loc"] == (field,)
    assert error["msg"] == f"Value error, {ONE_LINE_MESSAGE}"


@pytest.mark.parametrize(
    "name",
    ["Müller-Lüdenscheidt", "Ōsaka 大阪 展览会", "O'Brien & Söhne", "Café\u200dBar", "A\u00a0B"],
)
def test_what_a_person_writes_on_one_line_is_kept(name: str) -> None:
    assert EventDraft.model_validate({**EVENT, "name": name}).name == name


def test_blanks_around_a_name_are_stripped_not_refused() -> None:
    assert EventDraft.model_validate({**EVENT, "name": "\n INTERFORST\r\n"}).name == "INTERFORST"


def test_a_line_break_in_a_price_option_is_refused_naming_its_place() -> None:
    options = [{**EVENT["price_options"][0], "name": "Tages\nkarte"}]

    with pytest.raises(ValidationError) as refused:
        EventDraft.model_validate({**EVENT, "price_options": options})

    assert [e["loc"] for e in refused.value.errors()] == [("price_options", 0, "name")]


def test_the_length_limits_keep_their_own_messages() -> None:
    with pytest.raises(ValidationError) as refused:
        Customer.model_validate({**PERSON, "company": "", "phone": "12"})

    assert {e["type"] for e in refused.value.errors()} == {"string_too_short"}


@pytest.mark.parametrize("company", ["", "  ", None])
def test_a_blank_company_on_the_registration_form_is_no_company(company: str | None) -> None:
    assert RegistrationForm.model_validate({**PERSON, "company": company}).company is None


def test_a_record_stored_before_the_rule_can_still_be_read() -> None:
    """The stores may read old items with ``context={"stored": True}``: no 500 on a GET."""
    old = EventDraft.model_validate({**EVENT, "name": "Fair\nX"}, context={"stored": True})

    assert old.name == "Fair\nX"
