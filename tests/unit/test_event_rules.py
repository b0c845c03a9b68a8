"""What an organizer can get wrong when describing an event, and what they are told."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from ticketing.domain.events import EventDraft


def interforst(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "INTERFORST 2026",
        "venue": "Messe München, Halle A1",
        "starts_at": "2026-07-12T09:00:00+02:00",
        "ends_at": "2026-07-16T18:00:00+02:00",
        "timezone": "Europe/Berlin",
        "currency": "EUR",
        "language": "de",
        "capacity": 5000,
        "price_options": [
            {"id": "day", "name": "Tageskarte", "price": "25.00", "tax_rate": "7"},
            {
                "id": "visitor-voucher",
                "name": "Besucher-Gutschein",
                "price": "12.00",
                "tax_rate": "19",
            },
        ],
        "voucher_price_option": "visitor-voucher",
    }
    body.update(changes)
    return body


def problems(body: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        EventDraft.model_validate(body)
    return {".".join(str(p) for p in e["loc"]): e["msg"] for e in caught.value.errors()}


def test_the_seed_event_is_valid() -> None:
    event = EventDraft.model_validate(interforst())
    assert event.price_options[0].price == 25
    assert str(event.price_options[1].tax_rate) == "19"


def test_negative_price_is_refused_with_a_reason() -> None:
    options = [{"id": "day", "name": "Tag", "price": "-1.00", "tax_rate": "7"}]
    found = problems(interforst(price_options=options, voucher_price_option=None))
    assert "must not be negative" in found["price_options.0.price"]


def test_float_prices_are_refused_in_favour_of_decimal_strings() -> None:
    options = [{"id": "day", "name": "Tag", "price": 25.5, "tax_rate": "7"}]
    found = problems(interforst(price_options=options, voucher_price_option=None))
    assert "decimal string" in found["price_options.0.price"]


def test_prices_have_at_most_two_decimals() -> None:
    options = [{"id": "day", "name": "Tag", "price": "25.001", "tax_rate": "7"}]
    found = problems(interforst(price_options=options, voucher_price_option=None))
    assert "two decimals" in found["price_options.0.price"]


def test_any_tax_rate_between_0_and_100_is_allowed() -> None:
    options = [{"id": "day", "name": "Tag", "price": "10.00", "tax_rate": "7.7"}]
    event = EventDraft.model_validate(interforst(price_options=options, voucher_price_option=None))
    assert str(event.price_options[0].tax_rate) == "7.7"
    options[0]["tax_rate"] = "101"
    assert (
        "between 0 and 100"
        in problems(interforst(price_options=options))["price_options.0.tax_rate"]
    )


def test_capacity_over_a_million_is_absurd() -> None:
    assert "1000000" in problems(interforst(capacity=1_000_001))["capacity"]


def test_times_need_an_offset_and_the_end_follows_the_start() -> None:
    assert "offset" in problems(interforst(starts_at="2026-07-12T09:00:00"))["starts_at"]
    found = problems(interforst(ends_at="2026-07-01T09:00:00+02:00"))
    assert any("ends_at must be after starts_at" in m for m in found.values())


def test_unknown_time_zone_names_the_expected_form() -> None:
    assert "IANA" in problems(interforst(timezone="Mars/Olympus"))["timezone"]


def test_voucher_price_option_must_be_one_of_the_options() -> None:
    found = problems(interforst(voucher_price_option="vip"))
    assert any("'vip' is not one of the price options" in m for m in found.values())


def test_duplicate_price_option_ids_are_refused() -> None:
    option = {"id": "day", "name": "Tag", "price": "10.00", "tax_rate": "7"}
    found = problems(interforst(price_options=[option, option], voucher_price_option=None))
    assert any("repeated: day" in m for m in found.values())


def test_unknown_fields_are_refused() -> None:
    assert "bogus" in problems(interforst(bogus=1))
