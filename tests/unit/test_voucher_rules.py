"""The rules of visitor vouchers (seed 000) on their own: codes people type, one voucher ticket
per person, and what an exhibitor is billed. Pure domain, no AWS."""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import permutations

import pytest
from pydantic import ValidationError

from ticketing.domain.emails import mailbox as claim_email
from ticketing.domain.visitor_vouchers import MAX_BATCH, BatchOrder, statement_total
from ticketing.domain.voucher_codes import (
    ALPHABET,
    CODE_CHARS,
    canonical,
    check_character,
    display,
    new_code,
)

# a code as the module's docstring prints it, with its right check character
PAYLOAD = "7KQ2M9XD4HTBW"
CODE = PAYLOAD + check_character(PAYLOAD)


def code_for(payload: str) -> str:
    return payload + check_character(payload)


def swapped(code: str, i: int) -> str:
    chars = list(code)
    chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


# ------------------------------------------------------------------------------ the codes


def test_a_code_has_14_characters_from_the_alphabet() -> None:
    assert len(ALPHABET) == 32
    assert not set("ILOU") & set(ALPHABET)
    for _ in range(1000):
        code = new_code()
        assert len(code) == CODE_CHARS == 14
        assert set(code) <= set(ALPHABET)
        assert canonical(code) == code


def test_codes_are_unique_over_10000_draws() -> None:
    codes = {new_code() for _ in range(10_000)}

    assert len(codes) == 10_000


def test_a_code_displays_in_groups_of_4_4_4_2() -> None:
    assert display("7KQ2M9XD4HTBW2") == "7KQ2-M9XD-4HTB-W2"
    shape = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$")
    for _ in range(100):
        code = new_code()
        assert shape.match(display(code))
        assert canonical(display(code)) == code


@pytest.mark.parametrize(
    "typed",
    [
        CODE.lower(),
        display(CODE),
        display(CODE).lower(),
        " ".join(display(CODE).split("-")),
        f"  {CODE[:7]} {CODE[7:]}  ",
        "-".join(CODE),
        CODE[:5].lower() + CODE[5:],
        display(CODE).replace("-", "_"),
        display(CODE).replace("-", "."),
        display(CODE).replace("-", "\t"),
    ],
)
def test_canonical_ignores_case_spaces_and_dashes(typed: str) -> None:
    assert canonical(typed) == CODE


def test_canonical_reads_o_as_0_and_i_or_l_as_1() -> None:
    code = code_for("01234567890A1")
    assert code.count("0") >= 2
    assert code.count("1") >= 2

    assert canonical(code.replace("0", "O")) == code
    assert canonical(code.replace("0", "o")) == code
    assert canonical(code.replace("1", "I")) == code
    assert canonical(code.replace("1", "l")) == code
    assert canonical(code.replace("1", "L").replace("0", "O").lower()) == code


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "hello",
        CODE[:-1],  # a character short
        CODE + "0",  # one too many
        CODE[:-1] + "U",  # not in the alphabet
        CODE[:3] + "!" + CODE[4:],
        CODE[:-1] + ALPHABET[(ALPHABET.index(CODE[-1]) + 1) % 32],  # the wrong check
    ],
)
def test_canonical_refuses_what_cannot_be_a_code(typed: str) -> None:
    assert canonical(typed) is None


@pytest.mark.parametrize("code", [CODE, code_for("0000000000000"), code_for("ZZZZZZZZZZZZZ")])
def test_every_single_character_substitution_is_rejected(code: str) -> None:
    accepted = [
        mutated
        for position in range(CODE_CHARS)
        for letter in ALPHABET
        if letter != code[position]
        and canonical(mutated := code[:position] + letter + code[position + 1 :]) is not None
    ]

    assert accepted == []


def test_random_codes_reject_every_single_character_substitution() -> None:
    for _ in range(30):
        code = new_code()
        for position in range(CODE_CHARS):
            for letter in ALPHABET.replace(code[position], ""):
                assert canonical(code[:position] + letter + code[position + 1 :]) is None


def test_adjacent_swaps_are_rejected_except_0_with_z() -> None:
    """Every pair of different neighbours at every place, the check character included."""
    accepted = set()
    # two neighbours within the random part
    for i in range(CODE_CHARS - 2):
        for a, b in permutations(ALPHABET, 2):
            code = code_for(PAYLOAD[:i] + a + b + PAYLOAD[i + 2 :])
            if canonical(swapped(code, i)) is not None:
                accepted.add((i, a, b))
    # the last random character and the check character: every pair of them
    last = CODE_CHARS - 2
    tried = set()
    for a in ALPHABET:
        for first in ALPHABET:
            code = code_for(first + PAYLOAD[1:last] + a)
            tried.add(code[last:])
            if code[-1] != a and canonical(swapped(code, last)) is not None:
                accepted.add((last, a, code[-1]))
    assert len(tried) == 32 * 32  # every pair of last character and check character

    assert {(a, b) for _, a, b in accepted} == {("0", "Z"), ("Z", "0")}
    assert {i for i, _, _ in accepted} == set(range(CODE_CHARS - 1))


def test_the_documented_0_z_swap_gives_another_valid_code() -> None:
    """The one swap the check character cannot see: ``0`` and ``Z`` next to each other."""
    code = code_for("7KQ2M0ZD4HTBW")
    neighbour = swapped(code, 5)

    assert neighbour[5:7] == "Z0"
    assert neighbour != code
    assert canonical(neighbour) == neighbour
    # also where the check character is one of the two
    ending = next(
        c for c in (code_for(x + PAYLOAD[1:-1] + "0") for x in ALPHABET) if c.endswith("0Z")
    )
    assert canonical(swapped(ending, CODE_CHARS - 2)) == ending[:-2] + "Z0"


# ------------------------------------------------------------------------------ orders


@pytest.mark.parametrize("quantity", [1, 250, MAX_BATCH])
def test_a_batch_holds_1_to_100000_codes(quantity: int) -> None:
    assert MAX_BATCH == 100_000
    assert BatchOrder.model_validate({"quantity": quantity}).quantity == quantity


@pytest.mark.parametrize("quantity", [0, -1, MAX_BATCH + 1, "5", 2.5, True, None])
def test_a_batch_of_another_quantity_is_refused(quantity: object) -> None:
    with pytest.raises(ValidationError) as refused:
        BatchOrder.model_validate({"quantity": quantity})

    assert [e["loc"] for e in refused.value.errors()] == [("quantity",)]


# ------------------------------------------------------------------------------ people and money


@pytest.mark.parametrize(
    ("email", "claimed"),
    [
        ("erika@example.org", "erika@example.org"),
        ("Erika@Example.ORG", "erika@example.org"),
        ("Erika+fair@Example.org", "erika@example.org"),
        ("Erika+x@EXAMPLE.org", "erika@example.org"),
        ("erika+a+b@example.org", "erika@example.org"),
        ("  erika@example.org ", "erika@example.org"),
        ("erika.musterfrau@example.org", "erika.musterfrau@example.org"),
    ],
)
def test_claim_email_lowercases_and_drops_plus_tags(email: str, claimed: str) -> None:
    assert claim_email(email) == claimed


def test_different_people_claim_different_addresses() -> None:
    assert claim_email("erika@example.org") != claim_email("max@example.org")
    assert claim_email("erika@example.org") != claim_email("erika@example.com")


@pytest.mark.parametrize(
    ("used", "total"),
    [(0, "0.00"), (1, "12.00"), (7, "84.00"), (1000, "12000.00")],
)
def test_statement_total_bills_used_vouchers_only(used: int, total: str) -> None:
    billed = statement_total(used, Decimal("12.00"))

    assert billed == Decimal(total)
    assert str(billed) == total


def test_the_example_code_shown_to_visitors_is_a_valid_code() -> None:
    from ticketing.pages.redeem import CODE_EXAMPLE

    assert canonical(CODE_EXAMPLE) is not None
