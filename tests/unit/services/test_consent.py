"""Consent on fakes (issue 15): the order page's switches, double opt-in by the link's page
and its POST, unsubscribing (also by RFC 8058's one-click), the organizer's changes in its
tenant, reminders read from the consent store, and suppression from SES reports."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_booked_order, a_fair
from ticketing.domain.errors import NotAllowed, NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.services import consent
from ticketing.services.reminders import send_reminders
from ticketing.services.suppression import record_sns_message

TOMORROW = ("2026-05-05T09:00:00+02:00", "2026-05-05T18:00:00+02:00")


def desk(platform: FakePlatform) -> consent.ConsentDesk:
    return consent.ConsentDesk(
        platform.consents,
        platform.mail_tokens,
        platform.orders,
        platform.orders,
        platform.mail,
        platform.clock,
    )


def token_of(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[1]


def test_reminders_switch_at_once_in_the_store_and_on_the_order(platform: FakePlatform) -> None:
    order = a_booked_order(platform, a_fair(platform), email="erika@example.org")

    consent.set_preferences(desk(platform), order, reminders=False, marketing=None)

    held = platform.consents.get(order.organizer_id, "erika@example.org")
    assert held.reminders is False
    assert [(e.what, e.value, e.channel) for e in held.history] == [
        ("reminders", False, "order_page")
    ]
    stored = platform.orders.get(order.order_number)
    assert stored is not None
    assert stored.reminders is False
    assert platform.mail.requests == []


def test_marketing_on_sends_a_confirmation_and_only_its_link_turns_it_on(
    platform: FakePlatform,
) -> None:
    order = a_booked_order(platform, a_fair(platform), email="erika@example.org")

    consent.set_preferences(desk(platform), order, reminders=None, marketing=True)

    assert platform.consents.get(order.organizer_id, "erika@example.org").marketing is False
    (mail,) = platform.mail.requests
    assert (mail.template, mail.mail_class, mail.to) == (
        "marketing_confirmation",
        "confirmation",
        ["erika@example.org"],
    )
    secret = token_of(mail.context["confirm_url"])
    # the page (a GET) changes nothing
    consent.valid_link(platform.mail_tokens, platform.clock, secret, "marketing_opt_in")
    assert platform.consents.get(order.organizer_id, "erika@example.org").marketing is False

    confirmed = consent.confirm_opt_in(desk(platform), secret)

    assert confirmed.marketing is True
    assert confirmed.history[-1].channel == "double_opt_in"
    with pytest.raises(NotFound):  # once
        consent.confirm_opt_in(desk(platform), secret)
    # only the digest is kept, never the secret
    assert secret not in platform.mail_tokens.tokens


def test_an_opt_in_link_expires_after_seven_days(platform: FakePlatform) -> None:
    order = a_booked_order(platform, a_fair(platform))
    consent.set_preferences(desk(platform), order, reminders=None, marketing=True)
    secret = token_of(platform.mail.requests[0].context["confirm_url"])
    platform.clock.advance(timedelta(days=7, seconds=1))
    with pytest.raises(NotFound):
        consent.confirm_opt_in(desk(platform), secret)


def test_unsubscribing_by_the_page_or_one_click_turns_marketing_off(
    platform: FakePlatform,
) -> None:
    at = platform.clock.now()
    platform.consents.change("org_1", "erika@example.org", "marketing", True, at, "double_opt_in")
    url = consent.new_unsubscribe_url(platform.mail_tokens, at, "org_1", "Erika@example.org")
    secret = token_of(url)

    off = consent.unsubscribe(desk(platform), secret, "one_click")
    again = consent.unsubscribe(desk(platform), secret, "unsubscribe")  # changes nothing

    assert off.marketing is False
    assert again.marketing is False
    assert [(e.what, e.value, e.channel) for e in again.history] == [
        ("marketing", True, "double_opt_in"),
        ("marketing", False, "one_click"),
    ]
    with pytest.raises(NotFound):
        consent.unsubscribe(desk(platform), "x" * 43, "one_click")
    with pytest.raises(NotFound):  # an unsubscribe link is no opt-in link
        consent.confirm_opt_in(desk(platform), secret)


def test_the_organizer_changes_consent_in_its_own_tenant_only(platform: FakePlatform) -> None:
    organizer = Principal(
        role=Role.ORGANIZER, subject_id="org_1", organizer_id="org_1", key_id="k1"
    )
    other = Principal(role=Role.ORGANIZER, subject_id="org_2", organizer_id="org_2", key_id="k2")
    exhibitor = Principal(
        role=Role.EXHIBITOR, subject_id="exh_1", organizer_id="org_1", key_id="k3"
    )

    changed = consent.organizer_changes(
        platform.consents,
        platform.clock,
        organizer,
        "Erika@Example.org",
        {"reminders": False, "marketing": True},
    )

    assert (changed.reminders, changed.marketing) == (False, True)
    assert {e.channel for e in changed.history} == {"organizer"}
    assert consent.organizer_reads(platform.consents, organizer, "erika@example.org") == changed
    theirs = consent.organizer_reads(platform.consents, other, "erika@example.org")
    assert (theirs.reminders, theirs.marketing, theirs.history) == (True, False, [])
    with pytest.raises(NotAllowed):
        consent.organizer_reads(platform.consents, exhibitor, "erika@example.org")


def test_reminders_follow_the_consent_store_and_keep_the_orders_old_switch(
    platform: FakePlatform,
) -> None:
    fair = a_fair(platform, starts_at=TOMORROW[0], ends_at=TOMORROW[1])
    willing = a_booked_order(platform, fair, email="erika@example.org")
    asked_organizer = a_booked_order(platform, fair, email="max@example.org")
    switched_before = a_booked_order(platform, fair, email="jana@example.org")
    platform.orders.set_reminders(switched_before.order_number, False, platform.clock.now())
    consent.change_by_organizer(
        platform.consents,
        platform.clock,
        fair.organizer_id,
        "max@example.org",
        {"reminders": False},
    )

    sent = send_reminders(platform.reminding())

    assert (sent.holders, sent.holders_without_consent) == (1, 2)
    assert [(m.order_number, m.mail_class) for m in platform.mail.requests] == [
        (willing.order_number, "reminder")
    ]
    assert asked_organizer.order_number not in {m.order_number for m in platform.mail.requests}


def sns_message(report: dict[str, object]) -> str:
    return json.dumps(report)


def test_a_complaint_and_a_permanent_bounce_suppress_and_a_transient_one_does_not(
    platform: FakePlatform,
) -> None:
    complaint = {
        "eventType": "Complaint",
        "complaint": {
            "complainedRecipients": [{"emailAddress": "Erika@example.org"}],
            "complaintFeedbackType": "abuse",
        },
    }
    permanent = {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "NoEmail",
            "bouncedRecipients": [{"emailAddress": "max@example.org"}],
        },
    }
    transient = {
        "eventType": "Bounce",
        "bounce": {"bounceType": "Transient", "bouncedRecipients": [{"emailAddress": "j@x.org"}]},
    }
    store = platform.suppressions
    assert record_sns_message(store, platform.clock, sns_message(complaint), "m1") == 1
    assert record_sns_message(store, platform.clock, sns_message(permanent), "m2") == 1
    assert record_sns_message(store, platform.clock, sns_message(transient), "m3") == 0
    assert record_sns_message(store, platform.clock, "not json", "m4") == 0
    assert record_sns_message(store, platform.clock, sns_message({"eventType": "Send"}), "m5") == 0

    erika = store.get("erika@example.org")
    assert erika is not None
    assert (erika.reason, erika.source, erika.detail) == (
        "complaint",
        "ses:m1",
        "abuse",
    )
    max_ = store.get("max@example.org")
    assert max_ is not None
    assert (max_.reason, max_.detail) == ("bounce", "NoEmail")
    assert store.get("j@x.org") is None
