"""One voucher per person and fair (seed 000), on the fakes: spellings of one mailbox are one
person, look-alike addresses are refused, and namesakes are flagged for the exhibitor."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair, an_exhibitor, issued_vouchers
from ticketing.domain.emails import mailbox, mixes_scripts
from ticketing.domain.errors import Conflict
from ticketing.domain.visitor_vouchers import RegistrationForm
from ticketing.services.visitor_vouchers.registration import register

CLIENT = "203.0.113.20"


def form(email: str, first: str = "Erika", last: str = "Mustermann", company: str = "Forst") -> Any:
    return RegistrationForm(first_name=first, last_name=last, email=email, company=company)


@pytest.mark.parametrize(
    "spelling",
    [
        "Erika+fair@Example.org",
        "ERIKA@EXAMPLE.ORG",
        "\uff25\uff32\uff29\uff2b\uff21@example.org",  # fullwidth throughout
        "erika@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.org",
        " erika@example.org ",
    ],
)
def test_spellings_of_one_mailbox_are_one_person(spelling: str) -> None:
    assert mailbox(spelling) == "erika@example.org"


def test_an_international_domain_is_compared_in_its_ascii_form() -> None:
    assert mailbox("Erika@Bücher.de") == mailbox("erika@xn--bcher-kva.de")


@pytest.mark.parametrize(
    "look_alike",
    [
        "erik\u0430@example.org",  # Cyrillic a in the local part
        "erika@ex\u0430mple.org",  # Cyrillic a in the domain
        "\u0435rika@example.org",  # Cyrillic e
        "\uff45rika@example.org",  # one fullwidth e
        "erika@\uff45xample.org",
    ],
)
def test_an_address_that_mixes_scripts_is_refused(look_alike: str) -> None:
    assert mixes_scripts(look_alike)
    with pytest.raises(ValidationError) as refused:
        form(look_alike)
    assert refused.value.errors()[0]["loc"] == ("email",)


@pytest.mark.parametrize("address", ["张伟@例子.中国", "ivan@пример.рф", "たなか漢字@example.jp"])
def test_an_address_in_one_script_is_taken(address: str) -> None:
    assert not mixes_scripts(address)
    assert str(form(address).email)


def registered_codes(platform: FakePlatform, count: int) -> list[str]:
    event = a_fair(platform)
    _, codes = issued_vouchers(platform, event, an_exhibitor(platform, event), count)
    return codes


def test_a_second_voucher_for_the_same_mailbox_spelled_otherwise_is_refused(
    platform: FakePlatform,
) -> None:
    first, second = registered_codes(platform, 2)
    register(platform.registration_desk(), CLIENT, first, form("erika@example.org"))

    with pytest.raises(Conflict):
        register(
            platform.registration_desk(),
            CLIENT,
            second,
            form("\uff25\uff32\uff29\uff2b\uff21+2@EXAMPLE.org"),
        )


def test_registrations_naming_the_same_person_are_both_flagged_not_refused(
    platform: FakePlatform,
) -> None:
    first, second, third = registered_codes(platform, 3)
    desk = platform.registration_desk()
    register(desk, CLIENT, first, form("erika@example.org"))
    register(desk, CLIENT, second, form("erika.m@example.com", " ERIKA ", "mustermann", "forst"))
    register(desk, CLIENT, third, form("max@example.org", "Max"))

    flags = {
        code: platform.vouchers.get_voucher(code).registration.possible_duplicate  # type: ignore[union-attr]
        for code in (first, second, third)
    }
    assert flags == {first: True, second: True, third: False}


def test_a_namesake_registering_meanwhile_still_flags_both(platform: FakePlatform) -> None:
    first, second = registered_codes(platform, 2)
    desk = platform.registration_desk()

    # the first visitor's commit lands between the second's look-up and its commit
    platform.db.before_next_commit(
        lambda: register(desk, "203.0.113.21", first, form("erika@example.org"))
    )
    register(desk, CLIENT, second, form("erika@example.com"))

    flags = [
        platform.vouchers.get_voucher(c).registration.possible_duplicate  # type: ignore[union-attr]
        for c in (first, second)
    ]
    assert flags == [True, True]
