"""API keys: random, shown once, stored as a hash, never guessed from their id."""

from __future__ import annotations

import pytest

from ticketing.domain.identity import (
    Principal,
    Role,
    bearer_token,
    hash_secret,
    issue_key,
    parse_key,
    secret_matches,
)


def test_an_issued_key_parses_back_to_its_id_and_matches_its_stored_hash() -> None:
    issued = issue_key()
    parsed = parse_key(issued.token)
    assert parsed is not None
    key_id, secret = parsed
    assert key_id == issued.key_id
    assert secret_matches(secret, issued.secret_hash)
    assert secret not in issued.secret_hash


def test_keys_are_unique_and_carry_256_random_bits() -> None:
    tokens = {issue_key().token for _ in range(200)}
    assert len(tokens) == 200
    secret = parse_key(next(iter(tokens)))[1]  # type: ignore[index]
    assert len(secret) == 43  # 32 bytes, base64url


def test_a_wrong_secret_does_not_match() -> None:
    issued = issue_key()
    assert not secret_matches("x" * 43, issued.secret_hash)
    assert hash_secret("a") != hash_secret("b")


@pytest.mark.parametrize(
    "token",
    [
        "",
        "tk_",
        "tk_short_secret",
        "xx_0123456789abcdef_" + "a" * 43,
        "tk_0123456789ABCDEF_" + "a" * 43,
    ],
)
def test_malformed_keys_are_not_ours(token: str) -> None:
    assert parse_key(token) is None


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc", "abc"),
        ("bearer  abc ", "abc"),
        ("Basic abc", None),
        ("Bearer", None),
        (None, None),
    ],
)
def test_bearer_token_is_read_from_the_authorization_header(
    header: str | None, token: str | None
) -> None:
    assert bearer_token(header) == token


def test_a_principal_sees_only_its_own_tenant_and_staff_sees_all() -> None:
    organizer = Principal(Role.ORGANIZER, "org_a", "org_a", "k1")
    reviewer = Principal(Role.REVIEWER, "rev_1", None, "k2")
    assert organizer.owns("org_a")
    assert not organizer.owns("org_b")
    assert not organizer.owns(None)
    assert reviewer.owns("org_b")
