"""Voucher validity on the fakes: extensions by the organizer (seed 001, "Gutscheine
verlängern") and the hourly expiry sweep."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair, a_visitor, an_exhibitor, issued_vouchers
from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.events import Event
from ticketing.domain.identity import Principal, Role
from ticketing.domain.visitor_vouchers import Extension, VisitorVoucher
from ticketing.domain.voucher_codes import display
from ticketing.services.visitor_vouchers.extension import Walking, extend_codes
from ticketing.services.visitor_vouchers.registration import register
from ticketing.services.visitor_vouchers.validity import expire_due, extend_batch, extend_voucher


def vouchers_of(platform: FakePlatform, count: int, ends_in: timedelta) -> tuple[Event, list[str]]:
    event = a_fair(platform)
    end = platform.clock.now() + ends_in
    _, codes = issued_vouchers(platform, event, an_exhibitor(platform, event), count, end)
    return event, codes


def redeem(platform: FakePlatform, code: str) -> None:
    register(platform.registration_desk(), "203.0.113.10", code, a_visitor(), lambda _: None)


def extended(platform: FakePlatform, event: Event, code: str, **extension: object) -> object:
    return extend_voucher(
        platform.validity(),
        samples.organizer_of(event),
        display(code),
        Extension.model_validate(extension),
    )


def test_a_voucher_is_extended_to_a_day_counted_whole_in_the_fairs_time_zone(
    platform: FakePlatform,
) -> None:
    event, [code] = vouchers_of(platform, 1, timedelta(days=30))

    changed = extended(platform, event, code, valid_until=date(2030, 7, 10))

    assert changed.valid_until == datetime(2030, 7, 10, 22, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    [change] = changed.validity_changes  # type: ignore[attr-defined]
    assert (change.at, change.by) == (platform.clock.now(), "key_organizer")


def test_an_extension_is_never_into_the_past_nor_before_the_start(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    starts = platform.clock.now() + timedelta(days=10)
    _, [code] = issued_vouchers(
        platform, event, an_exhibitor(platform, event), 1, starts + timedelta(days=30), starts
    )

    with pytest.raises(InvalidRequest) as past:
        extended(platform, event, code, valid_until=date(2026, 5, 1))
    with pytest.raises(InvalidRequest) as before_start:
        extended(platform, event, code, valid_until=starts - timedelta(days=1))

    assert past.value.detail == "valid_until must not be in the past"
    assert before_start.value.detail == "valid_until must be after valid_from"
    assert platform.vouchers.get_voucher(code).validity_changes == []  # type: ignore[union-attr]


def test_an_extension_past_the_fairs_end_must_say_so(platform: FakePlatform) -> None:
    event, [code] = vouchers_of(platform, 1, timedelta(days=30))

    with pytest.raises(InvalidRequest) as refused:
        extended(platform, event, code, valid_until=date(2030, 12, 31))
    changed = extended(platform, event, code, valid_until=date(2030, 12, 31), beyond_event_end=True)

    assert "beyond_event_end" in refused.value.detail
    assert changed.valid_until > event.ends_at  # type: ignore[attr-defined]


def test_a_redeemed_voucher_cannot_be_extended(platform: FakePlatform) -> None:
    event, [code] = vouchers_of(platform, 1, timedelta(days=30))
    redeem(platform, code)

    with pytest.raises(Conflict):
        extended(platform, event, code, valid_until=date(2030, 7, 10))


def test_a_voucher_redeemed_while_it_was_extended_keeps_its_end(platform: FakePlatform) -> None:
    event, [code] = vouchers_of(platform, 1, timedelta(days=30))
    before = platform.vouchers.get_voucher(code)
    real_extend = platform.vouchers.extend

    def redeemed_first(
        voucher: VisitorVoucher, valid_until: datetime, at: datetime, by: str
    ) -> bool:
        redeem(platform, code)  # a visitor registers between the read and the write
        return real_extend(voucher, valid_until, at, by)

    platform.vouchers.extend = redeemed_first  # type: ignore[method-assign]
    with pytest.raises(Conflict):
        extended(platform, event, code, valid_until=date(2030, 7, 10))

    assert platform.vouchers.get_voucher(code).valid_until == before.valid_until  # type: ignore[union-attr]


def test_an_expired_voucher_extended_is_issued_again(platform: FakePlatform) -> None:
    event, [code] = vouchers_of(platform, 1, timedelta(hours=1))
    platform.clock.advance(timedelta(hours=2))
    expire_due(platform.vouchers, platform.clock)

    changed = extended(platform, event, code, valid_until=date(2030, 7, 10))

    assert (changed.state, changed.expired_at) == ("issued", None)  # type: ignore[attr-defined]


def test_a_voucher_of_another_organizer_is_not_found(platform: FakePlatform) -> None:
    _, [code] = vouchers_of(platform, 1, timedelta(days=30))
    stranger = Principal(Role.ORGANIZER, "org_other", "org_other", "key_other")

    with pytest.raises(NotFound):
        extend_voucher(
            platform.validity(), stranger, code, Extension(valid_until=date(2030, 7, 10))
        )


def test_a_batch_extension_skips_redeemed_vouchers_and_moves_the_batchs_end(
    platform: FakePlatform,
) -> None:
    # the request starts a job (the worker walks the codes); the end moves when it is done
    event, codes = vouchers_of(platform, 3, timedelta(days=30))
    redeem(platform, codes[1])
    batch_id = platform.vouchers.get_voucher(codes[0]).batch_id  # type: ignore[union-attr]

    started = extend_batch(
        platform.validity(),
        samples.organizer_of(event),
        batch_id,
        Extension(valid_until=date(2030, 7, 10)),
    )
    assert started.extension is not None
    assert (started.extension.state, started.extension.done, started.extension.total) == (
        "running",
        0,
        3,
    )
    assert platform.batch_queue.extensions == [(batch_id, started.extension.job_id)]
    walking = Walking(platform.vouchers, platform.batches, platform.clock)
    assert extend_codes(walking, batch_id, started.extension.job_id) == "done"

    batch = platform.batches.get_batch(batch_id)
    assert batch is not None
    assert batch.extension is not None
    end = datetime(2030, 7, 10, 22, 0, tzinfo=UTC)
    assert (batch.extension.changed, batch.extension.skipped, batch.valid_until) == (2, 1, end)
    assert [platform.vouchers.get_voucher(c).valid_until == end for c in codes] == [  # type: ignore[union-attr]
        True,
        False,
        True,
    ]


def test_the_expiry_sweep_expires_what_has_ended_once(platform: FakePlatform) -> None:
    _, ended = vouchers_of(platform, 3, timedelta(hours=1))
    _, running = vouchers_of(platform, 2, timedelta(days=3))
    redeem(platform, ended[0])
    platform.clock.advance(timedelta(hours=2))

    first = expire_due(platform.vouchers, platform.clock)
    second = expire_due(platform.vouchers, platform.clock)

    assert (first.due, first.expired) == (2, 2)
    assert (second.due, second.expired, second.read) == (0, 0, 0)
    states = [platform.vouchers.get_voucher(c).state for c in ended + running]  # type: ignore[union-attr]
    assert states == ["redeemed", "expired", "expired", "issued", "issued"]
