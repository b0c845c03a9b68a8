"""The console's ports on the fakes and on DynamoDB (moto): the same scenarios, the same
answers (users one per mailbox, links used once, sessions, the activity log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.fakes.people import FakeActivityLog, FakePeople
from ticketing.domain.errors import Conflict
from ticketing.domain.people import Session, SignInLink, StaffRole, User, UserKind, digest
from ticketing.services.ports_console import Activity

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@dataclass
class ConsolePorts:
    backend: str
    people: Any  # People, SignInLinks and Sessions
    activity: Any


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request: pytest.FixtureRequest) -> ConsolePorts:
    if request.param == "fake":
        return ConsolePorts("fake", FakePeople(), FakeActivityLog())
    request.getfixturevalue("aws")
    from ticketing.adapters.activity_log import DynamoActivityLog
    from ticketing.adapters.people_store import DynamoPeopleStore

    return ConsolePorts("dynamodb", DynamoPeopleStore(), DynamoActivityLog())


def a_user(user_id: str, email: str, organizer_id: str = "org_1", **more: Any) -> User:
    return User(
        user_id=user_id,
        email=email,
        name=f"Name of {user_id}",
        kind=more.pop("kind", UserKind.ORGANIZER),
        role=more.pop("role", StaffRole.STAFF),
        organizer_id=organizer_id,
        created_at=more.pop("created_at", NOW),
        **more,
    )


def test_one_user_per_mailbox_found_by_it_and_listed_with_their_tenant(
    ports: ConsolePorts,
) -> None:
    ada = a_user("usr_ada", "Ada@Example.org", language="zh")
    ports.people.add_user(ada)
    with pytest.raises(Conflict):
        ports.people.add_user(a_user("usr_other", "ada+x@example.org"))
    with pytest.raises(Conflict):
        ports.people.add_user(a_user("usr_ada", "new@example.org"))  # the id is taken
    ports.people.add_user(a_user("usr_bob", "bob@example.org", created_at=NOW + timedelta(1)))
    ports.people.add_user(a_user("usr_eve", "eve@example.org", organizer_id="org_2"))

    found = ports.people.find_by_email("ada@example.org")
    assert found == ada
    assert found.kind is UserKind.ORGANIZER  # the entity's "kind" on the item is not the user's
    assert ports.people.find_by_email("new@example.org") is None
    assert [u.user_id for u in ports.people.list_staff("org_1")] == ["usr_ada", "usr_bob"]


def test_a_removed_user_is_kept_but_found_by_nobody_and_their_address_is_free(
    ports: ConsolePorts,
) -> None:
    ada = a_user("usr_ada", "ada@example.org")
    ports.people.add_user(ada)
    assert ports.people.remove_user(ada, NOW)
    assert not ports.people.remove_user(ada, NOW)
    assert ports.people.find_by_email("ada@example.org") is None
    stored = ports.people.get_user("usr_ada")
    assert stored is not None
    assert stored.removed_at == NOW
    ports.people.add_user(a_user("usr_ada2", "ada@example.org"))
    again = ports.people.find_by_email("ada@example.org")
    assert again is not None
    assert again.user_id == "usr_ada2"


def test_an_exhibitor_contact_keeps_its_exhibitor_and_event(ports: ConsolePorts) -> None:
    contact = a_user(
        "usr_exh_1",
        "messe@forst.example",
        kind=UserKind.EXHIBITOR,
        role=None,
        exhibitor_id="exh_1",
        event_id="evt_1",
    )
    ports.people.add_user(contact)
    assert ports.people.get_user("usr_exh_1") == contact
    assert ports.people.list_staff("org_1") == []  # contacts are not staff


def test_a_sign_in_link_is_used_once(ports: ConsolePorts) -> None:
    link = SignInLink(
        token_hash=digest("token"),
        user_id="usr_ada",
        browser_hash=digest("browser"),
        created_at=NOW,
        valid_until=NOW + timedelta(minutes=15),
    )
    ports.people.add_link(link)
    assert ports.people.get_link(link.token_hash) == link
    assert ports.people.use_link(link.token_hash, NOW)
    assert not ports.people.use_link(link.token_hash, NOW)
    assert not ports.people.use_link(digest("unknown"), NOW)
    used = ports.people.get_link(link.token_hash)
    assert used is not None
    assert used.used_at == NOW


def test_a_session_is_touched_and_ended_and_not_revived(ports: ConsolePorts) -> None:
    session = Session(
        session_hash=digest("cookie"),
        user_id="usr_ada",
        csrf="c" * 43,
        created_at=NOW,
        last_seen=NOW,
    )
    ports.people.add_session(session)
    later = NOW + timedelta(minutes=5)
    ports.people.touch(session, later)
    touched = ports.people.get_session(session.session_hash)
    assert touched is not None
    assert touched.last_seen == later
    ports.people.end_session(session.session_hash)
    assert ports.people.get_session(session.session_hash) is None
    ports.people.touch(session, later)  # a touch after sign-out does not bring it back
    assert ports.people.get_session(session.session_hash) is None


def test_the_activity_log_keeps_each_order_and_event_apart_in_time_order(
    ports: ConsolePorts,
) -> None:
    for minute, subject, subject_id in ((2, "ORDER", "A"), (1, "ORDER", "A"), (1, "EVENT", "A")):
        ports.activity.record(
            Activity(
                subject=subject,  # type: ignore[arg-type]
                subject_id=subject_id,
                at=NOW + timedelta(minutes=minute),
                who="Ada <ada@example.org>",
                message_id="activity.test",
                params={"minute": str(minute)},
                user_id="usr_ada",
            )
        )
    order = ports.activity.of("ORDER", "A")
    assert [a.params["minute"] for a in order] == ["1", "2"]
    assert order[0].who == "Ada <ada@example.org>"
    assert order[0].user_id == "usr_ada"
    assert [a.subject for a in ports.activity.of("EVENT", "A")] == ["EVENT"]
    assert ports.activity.of("ORDER", "B") == []
