"""The mail policy on fakes (issue 15): every class against every consent and suppression;
the mailer applies it to every mail; marketing carries its unsubscribe link and headers."""

from __future__ import annotations

import inspect
from typing import get_args

import pytest

from tests.fakes.mail_policy import (
    FakeConsentStore,
    FakeMailTokens,
    FakeSuppressionStore,
    FakeWithheldMails,
)
from tests.fakes.platform import FakePlatform
from ticketing.domain.consent import Consent, Suppression
from ticketing.mail.messages import TEMPLATE_CLASS, MailClass, MailRequest, Template
from ticketing.services import ports_mail
from ticketing.services.mail import deliver
from ticketing.services.mail_policy import (
    Enforcement,
    MailPolicy,
    NoConsent,
    Send,
    Suppressed,
    check,
    decide,
)

CLASSES: tuple[MailClass, ...] = get_args(MailClass)
ORG = "org_1"


def consent(reminders: bool, marketing: bool) -> Consent:
    return Consent(
        organizer_id=ORG, address="a@example.org", reminders=reminders, marketing=marketing
    )


SUPPRESSIONS = {
    None: None,
    "bounce": Suppression(
        address="a@example.org", reason="bounce", source="ses:1", at=FakePlatform().clock.now()
    ),
    "complaint": Suppression(
        address="a@example.org", reason="complaint", source="ses:2", at=FakePlatform().clock.now()
    ),
}


@pytest.mark.parametrize("mail_class", CLASSES)
@pytest.mark.parametrize("reminders", [True, False])
@pytest.mark.parametrize("marketing", [True, False])
@pytest.mark.parametrize("suppressed", list(SUPPRESSIONS))
def test_every_class_against_every_consent_and_suppression(
    mail_class: MailClass, reminders: bool, marketing: bool, suppressed: str | None
) -> None:
    decision = decide(mail_class, consent(reminders, marketing), SUPPRESSIONS[suppressed])

    if suppressed is not None:
        assert decision == Suppressed(suppressed)  # nothing to a suppressed address
    elif mail_class == "reminder":
        assert decision == (Send() if reminders else NoConsent("reminders"))
    elif mail_class == "marketing":
        assert decision == (Send() if marketing else NoConsent("marketing"))
    else:  # transactional: a confirmation goes out even without reminder consent
        assert decision == Send()


def test_without_an_organizer_the_defaults_hold() -> None:
    assert decide("reminder", None, None) == Send()
    assert decide("marketing", None, None) == NoConsent("marketing")
    policy = MailPolicy(FakeConsentStore(), FakeSuppressionStore())
    assert check(policy, "marketing", "a@example.org", None) == NoConsent("marketing")
    assert check(policy, "reminder", "a@example.org", ORG) == Send()


def test_check_reads_the_stores_by_mailbox() -> None:
    policy = MailPolicy(FakeConsentStore(), FakeSuppressionStore())
    at = FakePlatform().clock.now()
    policy.consents.change(ORG, "erika@example.org", "marketing", True, at, "double_opt_in")
    assert check(policy, "marketing", "Erika+fair@EXAMPLE.org", ORG) == Send()
    assert check(policy, "marketing", "erika@example.org", "org_2") == NoConsent("marketing")
    policy.suppressions.suppress(
        Suppression(address="erika@example.org", reason="complaint", source="ses:1", at=at)
    )
    assert check(policy, "confirmation", "ERIKA@example.org", ORG) == Suppressed("complaint")


def test_every_template_has_a_class_and_a_notification_must_name_its_own() -> None:
    for template in get_args(Template):
        if template != "notification":
            assert template in TEMPLATE_CLASS, template
    with pytest.raises(ValueError, match="mail_class"):
        MailRequest(template="notification", to=["a@example.org"], request_id="n-1")
    with pytest.raises(ValueError, match="one address"):
        MailRequest(
            template="notification",
            mail_class="marketing",
            to=["a@example.org", "b@example.org"],
            organizer_id=ORG,
            request_id="n-2",
        )
    request = MailRequest(template="event_reminder", to=["a@example.org"], request_id="r-1")
    assert MailRequest.model_validate_json(request.model_dump_json()).mail_class == "reminder"


@pytest.fixture
def enforcement() -> Enforcement:
    return Enforcement(
        MailPolicy(FakeConsentStore(), FakeSuppressionStore()),
        FakeMailTokens(),
        FakeWithheldMails(),
    )


def notification(mail_class: MailClass, to: str = "erika@example.org") -> MailRequest:
    return MailRequest(
        template="marketing_confirmation",  # a self-contained template, as a notification is
        mail_class=mail_class,
        organizer_id=ORG,
        to=[to],
        request_id=f"{mail_class}-1",
        order_number="72BE-1",
        context={"customer_name": "Erika", "confirm_url": "https://tickets.example.org/x"},
    )


def test_the_mailer_withholds_a_suppressed_address_and_shows_why_on_the_order(
    enforcement: Enforcement,
) -> None:
    platform = FakePlatform()
    enforcement.policy.suppressions.suppress(
        Suppression(
            address="erika@example.org", reason="complaint", source="ses:1", at=platform.clock.now()
        )
    )
    request = notification("confirmation")

    sent = deliver(
        platform.mailer, platform.sent_mail, platform.clock, request, None, None, enforcement
    )

    assert sent is False
    assert platform.mailer.sent == []
    (withheld,) = enforcement.withheld.for_order("72BE-1")
    assert (withheld.outcome, withheld.reason, withheld.mail_class) == (
        "suppressed",
        "complaint",
        "confirmation",
    )
    # handled: a redelivery of the request neither sends nor records it again
    assert platform.sent_mail.was_sent(request.request_id)


def test_the_mailer_sends_marketing_only_with_consent_and_with_its_unsubscribe_link(
    enforcement: Enforcement,
) -> None:
    platform = FakePlatform()
    request = notification("marketing")
    assert not deliver(
        platform.mailer, platform.sent_mail, platform.clock, request, None, None, enforcement
    )
    assert [w.outcome for w in enforcement.withheld.for_order("72BE-1")] == ["no_consent"]

    enforcement.policy.consents.change(
        ORG, "erika@example.org", "marketing", True, platform.clock.now(), "double_opt_in"
    )
    again = request.model_copy(update={"request_id": "marketing-2"})
    assert deliver(
        platform.mailer, platform.sent_mail, platform.clock, again, None, None, enforcement
    )
    (mail,) = platform.mailer.sent
    headers = dict(mail.mail.headers)
    url = headers["List-Unsubscribe"].strip("<>")
    assert "/consent/unsubscribe/" in url
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in mail.mail.text
    assert url in mail.mail.html
    (token,) = enforcement.tokens.tokens.values()  # type: ignore[attr-defined]
    assert (token.purpose, token.organizer_id, token.address) == (
        "unsubscribe",
        ORG,
        "erika@example.org",
    )


def test_transactional_mail_has_no_unsubscribe_headers(enforcement: Enforcement) -> None:
    platform = FakePlatform()
    assert deliver(
        platform.mailer,
        platform.sent_mail,
        platform.clock,
        notification("information"),
        None,
        None,
        enforcement,
    )
    (mail,) = platform.mailer.sent
    assert mail.mail.headers == ()
    assert "/consent/unsubscribe/" not in mail.mail.text


def test_a_request_to_several_addresses_goes_to_those_not_suppressed(
    enforcement: Enforcement,
) -> None:
    platform = FakePlatform()
    enforcement.policy.suppressions.suppress(
        Suppression(
            address="max@example.org", reason="bounce", source="ses:1", at=platform.clock.now()
        )
    )
    request = MailRequest(
        template="marketing_confirmation",
        to=["erika@example.org", "Max@example.org"],
        request_id="both",
        order_number="72BE-1",
        context={"customer_name": "Erika", "confirm_url": "https://tickets.example.org/x"},
    )
    assert deliver(
        platform.mailer, platform.sent_mail, platform.clock, request, None, None, enforcement
    )
    assert [m.to for m in platform.mailer.sent] == [["erika@example.org"]]
    assert [w.address for w in enforcement.withheld.for_order("72BE-1")] == ["max@example.org"]


@pytest.mark.parametrize(
    ("port", "fake"),
    [
        (ports_mail.ConsentStore, FakeConsentStore),
        (ports_mail.SuppressionStore, FakeSuppressionStore),
        (ports_mail.MailTokens, FakeMailTokens),
        (ports_mail.WithheldMails, FakeWithheldMails),
    ],
)
def test_the_fakes_have_every_method_of_their_port(port: type, fake: type) -> None:
    for name, member in vars(port).items():
        if name.startswith("_") or not callable(member):
            continue
        assert inspect.signature(getattr(fake, name)).parameters.keys() == (
            inspect.signature(member).parameters.keys()
        ), name
