"""The mail policy's ports (``services/ports_mail.py``) on the fakes and on DynamoDB (moto):
consent per organizer and address with its history, suppression, single-use link tokens,
withheld mail by order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.mail_policy import (
    FakeConsentStore,
    FakeMailTokens,
    FakeSuppressionStore,
    FakeWithheldMails,
)
from ticketing.domain.consent import Suppression
from ticketing.services.ports_mail import (
    ConsentStore,
    MailToken,
    MailTokens,
    SuppressionStore,
    WithheldMail,
    WithheldMails,
)

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@dataclass
class Ports:
    consents: ConsentStore
    suppressions: SuppressionStore
    tokens: MailTokens
    withheld: WithheldMails


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "fake":
        return Ports(
            FakeConsentStore(), FakeSuppressionStore(), FakeMailTokens(), FakeWithheldMails()
        )
    request.getfixturevalue("aws")
    from ticketing.adapters.consent_store import (
        DynamoConsentStore,
        DynamoMailTokens,
        DynamoSuppressionStore,
    )
    from ticketing.adapters.withheld_mails import DynamoWithheldMails

    return Ports(
        DynamoConsentStore(), DynamoSuppressionStore(), DynamoMailTokens(), DynamoWithheldMails()
    )


def test_consent_has_defaults_changes_per_organizer_and_keeps_its_history(ports: Ports) -> None:
    fresh = ports.consents.get("org_1", "erika@example.org")
    assert (fresh.reminders, fresh.marketing, fresh.history) == (True, False, [])

    on = ports.consents.change(
        "org_1", "erika@example.org", "marketing", True, NOW, "double_opt_in"
    )
    assert (on.reminders, on.marketing) == (True, True)  # the other keeps its default
    later = NOW + timedelta(minutes=5)
    off = ports.consents.change(
        "org_1", "erika@example.org", "reminders", False, later, "organizer"
    )

    assert (off.reminders, off.marketing) == (False, True)
    assert ports.consents.get("org_1", "erika@example.org") == off
    assert [(e.what, e.value, e.at, e.channel) for e in off.history] == [
        ("marketing", True, NOW, "double_opt_in"),
        ("reminders", False, later, "organizer"),
    ]
    # another organizer's consent of the same address is its own
    other = ports.consents.get("org_2", "erika@example.org")
    assert (other.reminders, other.marketing, other.history) == (True, False, [])


def test_a_suppressed_address_is_found_and_a_later_report_replaces_the_reason(
    ports: Ports,
) -> None:
    assert ports.suppressions.get("max@example.org") is None
    bounce = Suppression(address="max@example.org", reason="bounce", source="ses:1", at=NOW)
    ports.suppressions.suppress(bounce)
    assert ports.suppressions.get("max@example.org") == bounce
    complaint = Suppression(
        address="max@example.org", reason="complaint", source="ses:2", at=NOW, detail="abuse"
    )
    ports.suppressions.suppress(complaint)
    assert ports.suppressions.get("max@example.org") == complaint


def test_a_link_token_is_used_once_and_not_after_it_expired(ports: Ports) -> None:
    token = MailToken(
        digest="d" * 64,
        purpose="marketing_opt_in",
        organizer_id="org_1",
        address="erika@example.org",
        expires_at=NOW + timedelta(days=7),
        order_number="72BE-1",
    )
    ports.tokens.put(token)
    with pytest.raises(Exception, match=r"(?i)exists|condition"):  # a digest is taken once
        ports.tokens.put(token)
    assert ports.tokens.peek("d" * 64) == token
    assert ports.tokens.peek("e" * 64) is None

    used = ports.tokens.use("d" * 64, NOW + timedelta(hours=1))
    assert used is not None
    assert used.used_at == NOW + timedelta(hours=1)
    assert ports.tokens.use("d" * 64, NOW + timedelta(hours=2)) is None  # once
    assert ports.tokens.use("e" * 64, NOW) is None

    stale = MailToken(
        digest="f" * 64,
        purpose="unsubscribe",
        organizer_id="org_1",
        address="erika@example.org",
        expires_at=NOW,
    )
    ports.tokens.put(stale)
    assert ports.tokens.use("f" * 64, NOW + timedelta(seconds=1)) is None


def test_withheld_mail_is_found_by_its_order_oldest_first(ports: Ports) -> None:
    def withheld(request_id: str, order: str | None, minutes: int) -> WithheldMail:
        return WithheldMail(
            request_id=request_id,
            template="event_reminder",
            mail_class="reminder",
            address="erika@example.org",
            outcome="suppressed",
            reason="complaint",
            at=NOW + timedelta(minutes=minutes),
            order_number=order,
        )

    ports.withheld.record(withheld("reminder-B", "72BE-1", 5))
    ports.withheld.record(withheld("confirm-A", "72BE-1", 0))
    ports.withheld.record(withheld("other", "72BE-2", 0))
    ports.withheld.record(withheld("reminder-B", "72BE-1", 5))  # a redelivery

    found = ports.withheld.for_order("72BE-1")
    assert [w.request_id for w in found] == ["confirm-A", "reminder-B"]
    assert found[1] == withheld("reminder-B", "72BE-1", 5)
    assert ports.withheld.for_order("72BE-3") == []
