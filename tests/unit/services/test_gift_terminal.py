"""Merchants' terminals validate, redeem and reverse gift vouchers (seed 004), on the fakes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from tests.unit import worlds
from ticketing.domain.errors import Conflict, Expired, NotAllowed, NotFound, TooManyAttempts
from ticketing.domain.gift_vouchers import (
    Accept,
    Tier,
    display,
    new_code,
)
from ticketing.domain.identity import Principal, Role
from ticketing.services import gift_stats, gift_terminal, merchants
from ticketing.services.terminal_guard import LOCK_SECONDS, MAX_FAILURES

NOW = datetime(2026, 10, 10, 12, 0, tzinfo=UTC)
ORG = "org_music"
ORGANIZER = Principal(Role.ORGANIZER, ORG, ORG, "key_org")
ISSUER = Principal(Role.ISSUER, "iss_club", ORG, "key_iss")


@dataclass
class World(worlds.GiftWorld):
    """The music club's campaign in A, B and C at cinemas and KTVs (tests.unit.worlds)."""

    pauses: list[float] = field(default_factory=list)

    @property
    def desk(self) -> gift_terminal.TerminalDesk:
        return self.terminal_desk


@pytest.fixture
def world() -> World:
    tiers = [
        Tier(id="A", name="A", value=Decimal("100")),
        Tier(id="B", name="B", value=Decimal("50")),
        Tier(id="C", name="C", value=Decimal("20")),
    ]
    accept = Accept(categories=["cinema", "ktv"], cities=["南京", "北京"])
    campaign = worlds.music_campaign(NOW, ORG, tiers, accept)
    made: World = World.build(NOW, campaign)
    return made


def _pause(world: World) -> Callable[[float], None]:
    return world.pauses.append


def test_a_cinema_validates_redeems_and_a_ktv_is_told_where_it_was_used(world: World) -> None:
    cinema = world.merchant("南京新街口影城", "南京", "cinema", "0.45")
    ktv = world.merchant("北京钱柜KTV", "北京", "ktv", "0.55")
    at_cinema, at_ktv = world.terminal(cinema), world.terminal(ktv)
    voucher = world.voucher("B")

    checked = gift_terminal.validate(world.desk, at_cinema, display(voucher.code))
    assert (checked.acceptable, checked.voucher.value, checked.state) == (
        True,
        Decimal("50.00"),
        "issued",
    )
    first = gift_terminal.redeem(world.desk, at_cinema, voucher.code, "till-1-0001")
    again = gift_terminal.redeem(world.desk, at_cinema, voucher.code, "till-1-0001")
    assert (first.created, again.created) == (True, False)
    assert again.redemption.redemption_id == first.redemption.redemption_id
    assert first.redemption.payable == Decimal("22.50")

    with pytest.raises(Conflict) as used:
        gift_terminal.redeem(world.desk, at_ktv, voucher.code, "ktv-0001")
    assert used.value.extensions["merchant"] == {
        "merchant_id": cinema.merchant_id,
        "name": "南京新街口影城",
    }
    assert used.value.extensions["redeemed_at"] == NOW.isoformat()
    later = gift_terminal.validate(world.desk, at_ktv, voucher.code)
    assert (later.acceptable, later.reason, later.state) == (False, "redeemed", "redeemed")

    # the ledger says what happened, the counters agree with it
    kinds = [e.kind for e in world.gifts.get_voucher(voucher.code).ledger]  # type: ignore[union-attr]
    assert (kinds.count("redeemed"), kinds.count("validated")) == (1, 2)
    stats = gift_stats.campaign_stats(world.campaigns, world.gifts, ISSUER, "cmp_music", "city")
    assert [(g.key, g.counters.redeemed, g.counters.value_redeemed) for g in stats.groups] == [
        ("南京", 1, Decimal("50.00"))
    ]


def test_refusals_say_why(world: World) -> None:
    cinema = world.merchant("南京影城", "南京", "cinema", "0.45")
    terminal = world.terminal(cinema)
    with pytest.raises(Expired):
        gift_terminal.redeem(
            world.desk, terminal, world.voucher(valid_until=NOW - timedelta(hours=1)).code, None
        )
    with pytest.raises(Conflict) as early:
        gift_terminal.redeem(
            world.desk, terminal, world.voucher(valid_from=NOW + timedelta(days=1)).code, None
        )
    assert early.value.message_id == "problem.terminal.not_yet_valid"
    for name, city, category in (("深圳KTV", "深圳", "ktv"), ("南京书店", "南京", "bookshop")):
        elsewhere = world.terminal(world.merchant(name, city, category, "0.5"))
        with pytest.raises(NotAllowed):
            gift_terminal.redeem(world.desk, elsewhere, world.voucher().code, None)
    no_rate = world.terminal(world.merchant("南京无比例影城", "南京", "cinema", None))
    assert gift_terminal.validate(world.desk, no_rate, world.voucher().code).reason == "not_set_up"


def test_unknown_and_malformed_codes_answer_alike_and_lock_the_terminal(world: World) -> None:
    terminal = world.terminal(world.merchant("南京影城", "南京", "cinema", "0.45"))
    good = world.voucher()
    for attempt in range(MAX_FAILURES - 1):
        typed = "not a code" if attempt % 2 else new_code()
        with pytest.raises(NotFound):
            gift_terminal.validate(world.desk, terminal, typed, _pause(world))
    assert world.pauses[-1] > 0  # slowed down before it is refused
    with pytest.raises(TooManyAttempts) as locked:
        gift_terminal.validate(world.desk, terminal, new_code(), _pause(world))
    assert locked.value.retry_after == LOCK_SECONDS
    # locked: even a good code is refused before any lookup, for 15 minutes
    with pytest.raises(TooManyAttempts):
        gift_terminal.redeem(world.desk, terminal, good.code, None)
    world.clock.advance(timedelta(seconds=LOCK_SECONDS + 1))
    assert gift_terminal.redeem(world.desk, terminal, good.code, None).created


def test_the_lock_shows_to_the_organizer_and_a_revoked_terminal_key_stops(world: World) -> None:
    cinema = world.merchant("南京影城", "南京", "cinema", "0.45")
    terminal = world.terminal(cinema)
    for _ in range(MAX_FAILURES):
        with pytest.raises((NotFound, TooManyAttempts)):
            gift_terminal.validate(world.desk, terminal, new_code(), _pause(world))
    shown = merchants.show_merchant(
        world.access, world.locks, world.clock, ORGANIZER, cinema.merchant_id
    )
    assert [t.locked_until for t in shown.terminals] == [NOW + timedelta(seconds=LOCK_SECONDS)]
    revoked = merchants.revoke_terminal(
        world.access, world.access, world.clock, ORGANIZER, cinema.merchant_id, terminal.subject_id
    )
    assert revoked.revoked_at == NOW
    assert world.access.get_key(terminal.key_id).revoked_at == NOW  # type: ignore[union-attr]
    with pytest.raises(Conflict):
        merchants.revoke_terminal(
            world.access,
            world.access,
            world.clock,
            ORGANIZER,
            cinema.merchant_id,
            terminal.subject_id,
        )
    other = Principal(Role.ORGANIZER, "org_other", "org_other", "key_other")
    with pytest.raises(NotFound):
        merchants.show_merchant(world.access, world.locks, world.clock, other, cinema.merchant_id)


def test_a_reversal_within_15_minutes_puts_the_voucher_back_once(world: World) -> None:
    cinema = world.merchant("南京影城", "南京", "cinema", "0.45")
    till, other_till = world.terminal(cinema), world.terminal(cinema)
    ktv = world.terminal(world.merchant("北京KTV", "北京", "ktv", "0.6"))
    voucher = world.voucher("A")
    redeemed = gift_terminal.redeem(world.desk, till, voucher.code, "k1").redemption
    with pytest.raises(NotFound):
        gift_terminal.reverse(world.desk, ktv, redeemed.redemption_id)
    world.clock.advance(timedelta(minutes=14))
    back = gift_terminal.reverse(world.desk, other_till, redeemed.redemption_id)
    assert back.reversed_at is not None
    with pytest.raises(Conflict):
        gift_terminal.reverse(world.desk, till, redeemed.redemption_id)
    totals = gift_stats.campaign_stats(
        world.campaigns, world.gifts, ORGANIZER, "cmp_music", "merchant"
    )
    assert (totals.totals.redeemed, totals.groups) == (0, [])
    # usable again; a settlement lists the reversed one without paying it
    again = gift_terminal.redeem(world.desk, till, voucher.code, "k2").redemption
    world.clock.advance(timedelta(minutes=16))
    with pytest.raises(Conflict):
        gift_terminal.reverse(world.desk, till, again.redemption_id)
    settled = merchants.settlement(
        world.access, world.redemptions, ORGANIZER, cinema.merchant_id, NOW, NOW + timedelta(days=1)
    )
    assert (settled.redemptions, settled.face_value, settled.payable) == (
        1,
        Decimal("100.00"),
        Decimal("45.00"),
    )
    assert [line.payable for line in settled.lines] == [Decimal("0.00"), Decimal("45.00")]


def test_many_terminals_racing_for_one_code_redeem_it_once(world: World) -> None:
    cinema = world.merchant("南京影城", "南京", "cinema", "0.45")
    tills = [world.terminal(cinema) for _ in range(8)]
    voucher = world.voucher()
    won: list[str] = []
    refused: list[Exception] = []
    start = threading.Barrier(len(tills))

    def attempt(till: Principal) -> None:
        start.wait()
        try:
            won.append(
                gift_terminal.redeem(world.desk, till, voucher.code, None).redemption.redemption_id
            )
        except Conflict as error:
            refused.append(error)

    threads = [threading.Thread(target=attempt, args=(t,)) for t in tills]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(won), len(refused)) == (1, len(tills) - 1)
    stats = gift_stats.campaign_stats(world.campaigns, world.gifts, ORGANIZER, "cmp_music", "tier")
    assert stats.totals.redeemed == 1


def test_a_terminal_finds_no_voucher_of_another_tenant(world: World) -> None:
    cinema = world.merchant("南京影城", "南京", "cinema", "0.45")
    terminal = world.terminal(cinema)
    stranger = Principal(Role.TERMINAL, terminal.subject_id, "org_other", "k", cinema.merchant_id)
    with pytest.raises(NotFound):
        gift_terminal.validate(world.desk, stranger, world.voucher().code)
