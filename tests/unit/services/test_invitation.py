"""Who invites, for the redemption page: the event and exhibitor of a known code, nothing for
any other, and unknown codes count as guesses like at the registration."""

from __future__ import annotations

from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair, an_exhibitor, issued_vouchers
from ticketing.domain.voucher_codes import check_character, display, new_code
from ticketing.services.throttle import MAX_FAILURES
from ticketing.services.visitor_vouchers.invitation import Invitation, Invitations, who_invites

CLIENT = "198.51.100.7"


def desk(platform: FakePlatform) -> Invitations:
    return Invitations(
        platform.vouchers, platform.events, platform.access, platform.attempts, platform.clock
    )


def no_pause(_: float) -> None:
    return None


def test_a_known_code_names_the_event_and_the_exhibitor(platform: FakePlatform) -> None:
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    _, [code] = issued_vouchers(platform, event, exhibitor, 1)

    found = who_invites(desk(platform), CLIENT, display(code).lower(), no_pause)

    assert found == Invitation(
        event_name=event.name, exhibitor_name=exhibitor.name, event_id=event.event_id
    )


def test_no_code_or_a_typo_shows_nothing_and_costs_no_lookup(platform: FakePlatform) -> None:
    code = new_code()
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")

    assert who_invites(desk(platform), CLIENT, None, no_pause) is None
    assert who_invites(desk(platform), CLIENT, typo, no_pause) is None
    assert platform.attempts.recent(CLIENT, 0, 10**15) == []


def test_an_unknown_code_shows_nothing_and_counts_as_a_guess(platform: FakePlatform) -> None:
    body = new_code()[:-1]
    unknown = body + check_character(body)

    assert who_invites(desk(platform), CLIENT, unknown, no_pause) is None
    assert len(platform.attempts.recent(CLIENT, 0, 10**15)) == 1


def test_a_client_refused_for_guessing_is_shown_nothing_even_for_a_known_code(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    _, [code] = issued_vouchers(platform, event, exhibitor, 1)
    for _ in range(MAX_FAILURES):
        body = new_code()[:-1]
        who_invites(desk(platform), CLIENT, body + check_character(body), no_pause)

    assert who_invites(desk(platform), CLIENT, code, no_pause) is None
    assert who_invites(desk(platform), "203.0.113.9", code, no_pause) is not None
