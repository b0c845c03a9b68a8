"""Signing in to the console, sessions and staff, on the fakes (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.fakes.clock import FixedClock
from tests.fakes.people import FakeActivityLog, FakePeople, fake_console_stores
from tests.unit.services.test_fakes_match_ports import members
from ticketing.domain.errors import Conflict, NotAllowed, NotFound, TooManyAttempts
from ticketing.domain.identity import Principal, Role
from ticketing.domain.parties import Exhibitor
from ticketing.domain.people import StaffInvitation, StaffRole, User, UserKind, principal_of
from ticketing.services import ports_console, sign_in, staff
from ticketing.services.sign_in import LinkRefused

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
BROWSER = "b" * 43
ORG = "org_demo"


def _no_pause(_: float) -> None:
    return None


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def stores(clock: FixedClock) -> Any:
    return fake_console_stores(clock)


@pytest.fixture
def admin(stores: Any, clock: FixedClock) -> User:
    return staff.add_first_admin(stores.people, clock, ORG, "ada@example.org", "Ada Admin")


def _ask(stores: Any, email: str, browser: str = BROWSER, client: str = "10.0.0.1") -> str | None:
    """Ask for a link; the token the mail holds, if one went out."""
    before = len(stores.mail.requests)
    sign_in.request_link(stores.desk, client, email, browser, pause=_no_pause)
    if len(stores.mail.requests) == before:
        return None
    return str(stores.mail.requests[-1].context["sign_in_url"]).rsplit("/", 1)[1]


def _open(stores: Any, token: str, browser: str | None = BROWSER) -> sign_in.SignedIn:
    return sign_in.open_link(stores.desk, "10.0.0.1", token, browser, pause=_no_pause)


def test_a_known_address_gets_a_link_and_an_unknown_one_nothing_alike(
    stores: Any, admin: User
) -> None:
    token = _ask(stores, "ADA@example.org")
    assert token is not None
    mail = stores.mail.requests[-1]
    assert mail.template == "console_sign_in"
    assert mail.to == ["ada@example.org"]
    # only the hash of the token and of the browser's cookie are kept
    stored = next(iter(stores.people.links.values()))
    assert token not in stored.model_dump_json()
    assert BROWSER not in stored.model_dump_json()

    assert _ask(stores, "nobody@example.org") is None  # no error, no mail


def test_a_link_signs_in_once(stores: Any, admin: User) -> None:
    token = _ask(stores, "ada@example.org")
    assert token is not None
    signed_in = _open(stores, token)
    assert signed_in.user.user_id == admin.user_id
    found = sign_in.current_session(stores.desk, signed_in.cookie)
    assert found is not None
    assert found[1].user_id == admin.user_id

    with pytest.raises(LinkRefused) as again:
        _open(stores, token)
    assert again.value.reason == "invalid"


def test_a_link_expires_after_fifteen_minutes(stores: Any, admin: User, clock: FixedClock) -> None:
    token = _ask(stores, "ada@example.org")
    assert token is not None
    clock.advance(timedelta(minutes=15))
    with pytest.raises(LinkRefused) as late:
        _open(stores, token)
    assert late.value.reason == "expired"


def test_a_link_works_only_in_the_browser_that_asked(stores: Any, admin: User) -> None:
    token = _ask(stores, "ada@example.org")
    assert token is not None
    for other in (None, "", "c" * 43):
        with pytest.raises(LinkRefused) as refused:
            _open(stores, token, other)
        assert refused.value.reason == "other_browser"
    # refused elsewhere, the link is not used up: the asking browser still signs in
    assert _open(stores, token).user.user_id == admin.user_id


def test_wrong_links_are_throttled_per_address(stores: Any, admin: User) -> None:
    with pytest.raises(TooManyAttempts) as refused:  # noqa: PT012 - the eleventh is refused
        for _ in range(11):
            with pytest.raises((LinkRefused, TooManyAttempts)) as failed:
                _open(stores, "x" * 43)
            if isinstance(failed.value, TooManyAttempts):
                raise failed.value
    assert refused.value.retry_after > 0


def test_links_asked_for_one_mailbox_are_capped(stores: Any, admin: User) -> None:
    for n in range(10):
        assert _ask(stores, "ada@example.org", client=f"10.0.1.{n}") is not None
    with pytest.raises(TooManyAttempts):
        _ask(stores, "ada+again@example.org", client="10.0.2.1")


def test_a_session_ends_after_twelve_idle_hours(
    stores: Any, admin: User, clock: FixedClock
) -> None:
    token = _ask(stores, "ada@example.org")
    assert token is not None
    cookie = _open(stores, token).cookie
    clock.advance(timedelta(hours=11, minutes=59))
    assert sign_in.current_session(stores.desk, cookie) is not None  # and pushes last_seen
    clock.advance(timedelta(hours=11, minutes=59))
    assert sign_in.current_session(stores.desk, cookie) is not None
    clock.advance(timedelta(hours=12))
    assert sign_in.current_session(stores.desk, cookie) is None
    assert stores.people.sessions == {}


def test_last_seen_is_written_at_most_once_a_minute(
    stores: Any, admin: User, clock: FixedClock
) -> None:
    token = _ask(stores, "ada@example.org")
    assert token is not None
    cookie = _open(stores, token).cookie
    for _ in range(5):
        clock.advance(timedelta(seconds=10))
        sign_in.current_session(stores.desk, cookie)
    assert stores.people.touches == 0
    clock.advance(timedelta(seconds=20))
    sign_in.current_session(stores.desk, cookie)
    assert stores.people.touches == 1


def test_a_session_ends_after_seven_days_however_busy(
    stores: Any, admin: User, clock: FixedClock
) -> None:
    token = _ask(stores, "ada@example.org")
    assert token is not None
    cookie = _open(stores, token).cookie
    for _ in range(15):  # 165 hours, never idle for 12
        clock.advance(timedelta(hours=11))
        assert sign_in.current_session(stores.desk, cookie) is not None
    clock.advance(timedelta(hours=11))
    assert sign_in.current_session(stores.desk, cookie) is None


def test_removing_a_colleague_ends_their_sessions_at_once(stores: Any, admin: User) -> None:
    principal = principal_of(admin)
    bob = staff.invite_staff(
        stores.staff_desk,
        principal,
        admin,
        StaffInvitation(email="bob@example.org", name="Bob Staff"),
    )
    assert stores.mail.requests[-1].template == "console_invitation"
    token = _ask(stores, "bob@example.org")
    assert token is not None
    cookie = _open(stores, token).cookie
    assert sign_in.current_session(stores.desk, cookie) is not None

    staff.remove_staff(stores.staff_desk, principal, admin, bob.user_id)

    assert sign_in.current_session(stores.desk, cookie) is None
    assert _ask(stores, "bob@example.org") is None  # and cannot sign in again
    assert [u.user_id for u in staff.list_staff(stores.people, principal)] == [admin.user_id]
    # the address is free: Bob may be invited anew
    staff.invite_staff(
        stores.staff_desk, principal, admin, StaffInvitation(email="bob@example.org", name="Bob")
    )


def test_only_an_admin_manages_staff_and_only_of_their_own_tenant(
    stores: Any, admin: User, clock: FixedClock
) -> None:
    invitation = StaffInvitation(email="carl@example.org", name="Carl", role=StaffRole.STAFF)
    carl = staff.invite_staff(stores.staff_desk, principal_of(admin), admin, invitation)
    with pytest.raises(NotAllowed):
        staff.invite_staff(
            stores.staff_desk,
            principal_of(carl),
            carl,
            StaffInvitation(email="dora@example.org", name="Dora"),
        )
    other = staff.add_first_admin(stores.people, clock, "org_other", "eve@example.org", "Eve")
    with pytest.raises(NotFound):
        staff.remove_staff(stores.staff_desk, principal_of(other), other, carl.user_id)
    with pytest.raises(Conflict):
        staff.remove_staff(stores.staff_desk, principal_of(admin), admin, admin.user_id)
    with pytest.raises(Conflict):  # one user per mailbox
        staff.invite_staff(stores.staff_desk, principal_of(admin), admin, invitation)


def test_a_signed_in_user_is_the_principal_their_party_s_key_is(
    stores: Any, admin: User, clock: FixedClock
) -> None:
    exhibitor = Exhibitor(
        exhibitor_id="exh_1",
        organizer_id=ORG,
        event_id="evt_1",
        name="Forst GmbH",
        email="messe@forst.example",
        created_at=NOW,
    )
    contact = staff.exhibitor_contact(stores.people, exhibitor)
    assert contact is not None
    assert staff.exhibitor_contact(stores.people, exhibitor) is None  # made once
    # as services/access.create_exhibitor makes its key: subject, tenant, scope the event
    assert principal_of(contact) == Principal(
        Role.EXHIBITOR, "exh_1", ORG, f"session:{contact.user_id}", "evt_1", contact.user_id
    )
    organizer = principal_of(admin)
    assert (organizer.role, organizer.subject_id, organizer.organizer_id) == (
        Role.ORGANIZER,
        ORG,
        ORG,
    )
    reviewer = principal_of(staff.add_reviewer(stores.people, clock, "rev@example.org", "Rev"))
    assert reviewer.role is Role.REVIEWER
    assert reviewer.organizer_id is None
    assert contact.kind is UserKind.EXHIBITOR


def test_csrf_tokens_are_compared_whole(stores: Any, admin: User) -> None:
    token = _ask(stores, "ada@example.org")
    assert token is not None
    session = _open(stores, token).session
    assert sign_in.csrf_matches(session, session.csrf)
    for wrong in (None, "", session.csrf[:-1], session.csrf + "x", "x" * len(session.csrf)):
        assert not sign_in.csrf_matches(session, wrong)


def test_the_activity_log_says_who_did_what_when(stores: Any, admin: User) -> None:
    log = stores.activity
    assert isinstance(log, FakeActivityLog)
    staff.record_activity(
        log, stores.clock, principal_of(admin), admin, "ORDER", "12BE-1", "activity.resent"
    )
    key = Principal(Role.ORGANIZER, ORG, ORG, "key_1")
    staff.record_activity(
        log, stores.clock, key, None, "ORDER", "12BE-1", "activity.checked_in", n="2"
    )
    entries = log.of("ORDER", "12BE-1")
    assert [(e.who, e.message_id, e.params) for e in entries] == [
        ("Ada Admin <ada@example.org>", "activity.resent", {}),
        ("key_1", "activity.checked_in", {"n": "2"}),
    ]
    assert log.of("EVENT", "12BE-1") == []


@pytest.mark.parametrize(
    ("port", "fake"),
    [
        (ports_console.People, FakePeople),
        (ports_console.SignInLinks, FakePeople),
        (ports_console.Sessions, FakePeople),
        (ports_console.ActivityLog, FakeActivityLog),
    ],
    ids=lambda c: c.__name__,
)
def test_the_console_fakes_have_every_method_of_their_ports(port: Any, fake: Any) -> None:
    import inspect

    for name, member in members(port).items():
        assert hasattr(fake, name), f"{fake.__name__} has no {name}"
        wanted = list(inspect.signature(member).parameters)
        assert list(inspect.signature(getattr(fake, name)).parameters) == wanted


def test_the_sign_in_form_token_belongs_to_one_browser_cookie() -> None:
    token = sign_in.form_token(BROWSER)
    assert token == sign_in.form_token(BROWSER)  # stateless: the cookie is all it needs
    assert BROWSER not in token
    assert len(token) == 43
    assert sign_in.form_token_matches(BROWSER, token)
    for browser, presented in (
        ("c" * 43, token),  # another browser's cookie
        (BROWSER, token[:-1] + ("A" if token[-1] != "A" else "B")),
        (BROWSER, ""),
        (BROWSER, None),
        (None, token),
        ("", token),
    ):
        assert not sign_in.form_token_matches(browser, presented)
