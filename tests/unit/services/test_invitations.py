"""Exhibitors invite their customers (issue 16) on the fakes: the letter, a list, each code
given once (also by two workers at once), the mails, the tracking list and writing again."""

from __future__ import annotations

import contextvars
import threading
from typing import Any

import pytest

from tests.fakes import samples
from tests.fakes.invitations import FakeInvitationQueue, FakeInvitationStore
from tests.fakes.notifications import FakeNotificationQueue, FakeNotificationStore
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair, an_exhibitor, issued_vouchers
from ticketing.domain.consent import Suppression
from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.events import Event
from ticketing.domain.invitations import LetterText, MessageDraft, fill
from ticketing.domain.notifications import to_html, to_text
from ticketing.domain.parties import Exhibitor
from ticketing.domain.visitor_vouchers import RegistrationForm, VoucherBatch
from ticketing.domain.voucher_codes import display, new_code
from ticketing.services import notifications
from ticketing.services.mail_policy import MailPolicy
from ticketing.services.visitor_vouchers import invitation_tracking as tracking
from ticketing.services.visitor_vouchers import invite_worker, inviting
from ticketing.services.visitor_vouchers.registration import register

LETTER = (
    "{salutation} {first_name} {last_name},\n\n{exhibitor} invites you to {event}.\n\n"
    "Your code: **{code}** ({link}), valid until {valid_until}."
)


def a_batch(
    platform: FakePlatform, event: Event, exhibitor: Exhibitor, count: int
) -> tuple[VoucherBatch, list[str]]:
    """A ready batch of ``count`` codes, chunk by chunk, as the worker leaves it."""
    if count <= platform.batches.codes_per_write:
        return issued_vouchers(platform, event, exhibitor, count)
    batch = samples.a_batch(event, exhibitor.exhibitor_id, count, created_at=platform.clock.now())
    platform.batches.add_batch(batch)
    codes = [new_code() for _ in range(count)]
    size = platform.batches.codes_per_write
    for chunk, start in enumerate(range(0, count, size)):
        platform.batches.write_codes(batch, chunk, codes[start : start + size])
    platform.batches.finish_batch(batch, platform.clock.now())
    return platform.batches.get_batch(batch.batch_id) or batch, codes


class World:
    def __init__(self, platform: FakePlatform, codes: int = 5) -> None:
        self.platform = platform
        self.store = FakeInvitationStore(platform.db, platform.suppressions)
        self.queue = FakeInvitationQueue()
        self.event: Event = a_fair(platform)
        self.exhibitor: Exhibitor = an_exhibitor(platform, self.event)
        self.batch: VoucherBatch
        self.batch, self.codes = a_batch(platform, self.event, self.exhibitor, codes)
        self.me = samples.exhibitor_principal(self.exhibitor)
        inviting.set_letter(
            self.desk(),
            samples.organizer_of(self.event),
            self.event.event_id,
            LetterText(language="en", subject="Welcome, {first_name}", body=LETTER),
        )

    def desk(self) -> inviting.InvitationDesk:
        p = self.platform
        return inviting.InvitationDesk(
            self.store, p.batches, p.access, p.events, self.queue, p.idempotency, p.clock
        )

    def worker(self) -> invite_worker.Inviting:
        p = self.platform
        return invite_worker.Inviting(
            self.store,
            p.batches,
            p.events,
            p.access,
            p.mail,
            p.clock,
            MailPolicy(p.consents, p.suppressions),
        )

    def tracking(self) -> tracking.Tracking:
        p = self.platform
        return tracking.Tracking(self.store, p.batches, p.vouchers, p.figures, p.access, p.events)

    def invite(self, rows: list[dict[str, Any]], resend: bool = False, run: bool = True) -> Any:
        job, _ = inviting.invite(self.desk(), self.me, self.batch.batch_id, rows, resend)
        if run and job.state == "running":
            assert invite_worker.run_job(self.worker(), self.batch.batch_id, job.job_id) == "done"
        return self.store.get_job(self.batch.batch_id, job.job_id)


def person(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "first_name": f"Erika{n}",
        "last_name": "Muster",
        "email": f"e{n}@example.org",
        "language": "en",
        **extra,
    }


def test_two_of_three_go_out_each_with_its_own_code_and_a_bad_row_is_named(
    platform: FakePlatform,
) -> None:
    world = World(platform)
    rows = [person(1), {"first_name": "X", "last_name": "Y", "email": "not-an-address"}, person(2)]

    job = world.invite(rows)

    assert [(b.row, b.reason) for b in job.bad_rows] == [(2, "the e-mail address is not valid")]
    assert (job.state, job.invited, job.assigned) == ("done", 2, 2)
    mails = platform.mail.requests
    assert len(mails) == 2
    codes = {m.context["body_text"].split("**")[0] for m in mails}
    given = [c for c in world.codes if any(display(c) in m.context["body_text"] for m in mails)]
    assert len(given) == 2
    assert len(codes) >= 1
    first = next(m for m in mails if m.to == ["e1@example.org"])
    assert first.klass == "confirmation"
    assert first.context["sender_name"] == world.exhibitor.name
    assert first.context["reply_to"] == str(world.exhibitor.email)
    assert first.context["subject_line"] == "Welcome, Erika1"
    assert "Erika1 Muster" in first.context["body_text"]


def test_the_same_addresses_again_send_nothing_and_say_so(platform: FakePlatform) -> None:
    world = World(platform)
    world.invite([person(1), person(2)])

    again = world.invite([person(1), {**person(2), "email": "E2@Example.org"}])

    assert again.state == "done"
    assert again.total == 0
    assert [r.row for r in again.already_invited] == [1, 2]
    assert len(platform.mail.requests) == 2


def test_a_list_bigger_than_the_free_codes_is_refused_as_a_whole(platform: FakePlatform) -> None:
    world = World(platform)
    world.invite([person(1), person(2)])

    with pytest.raises(Conflict) as refused:
        world.invite([person(n) for n in range(3, 7)])

    assert refused.value.params == {"needed": 4, "free": 3, "missing": 1}
    assert world.queue.queued[-1:] != []
    assert len(platform.mail.requests) == 2


def test_resend_mails_the_same_code_again_once(platform: FakePlatform) -> None:
    world = World(platform)
    world.invite([person(1)])
    [first] = platform.mail.requests

    job = world.invite([person(1)], resend=True)
    # a redelivery of the last step changes nothing
    world.store.resend(
        world.store.invited(world.exhibitor.exhibitor_id, ["e1@example.org"])["e1@example.org"],
        job.job_id,
    )

    assert job.invited == 1
    assert job.assigned == 0
    assert len(platform.mail.requests) == 2
    assert platform.mail.requests[1].context["body_text"] == first.context["body_text"]
    assert platform.mail.requests[1].request_id != first.request_id


def test_a_repeated_step_queues_the_same_request_id_so_the_mailer_sends_once(
    platform: FakePlatform,
) -> None:
    world = World(platform)
    job, _ = inviting.invite(world.desk(), world.me, world.batch.batch_id, [person(1)])
    recipients = world.store.job_recipients(world.batch.batch_id, job.job_id, 0)
    context = invite_worker._Context(  # the step ran, then the worker stopped before its write
        world.worker(),
        job,
        world.batch,
        world.event,
        world.exhibitor,
        invite_worker._Picker(world.store, world.batch.batch_id, 1, job.job_id),
    )
    invite_worker._invite_all(context, recipients, 1)

    assert invite_worker.run_job(world.worker(), world.batch.batch_id, job.job_id) == "done"

    ids = [m.request_id for m in platform.mail.requests]
    assert len(ids) == 2
    assert len(set(ids)) == 1
    stored = world.store.get_job(world.batch.batch_id, job.job_id)
    assert stored is not None
    assert (stored.assigned, stored.invited) == (1, 1)


def test_two_workers_assigning_from_one_batch_at_once_never_give_a_code_twice(
    platform: FakePlatform,
) -> None:
    world = World(platform, codes=300)
    jobs = [
        inviting.invite(
            world.desk(), world.me, world.batch.batch_id, [person(n + 1000 * j) for n in range(150)]
        )[0]
        for j in range(2)
    ]
    start = threading.Barrier(2)

    def work(job_id: str) -> None:
        start.wait()
        invite_worker.run_job(world.worker(), world.batch.batch_id, job_id, writers=4)

    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(work, j.job_id)) for j in jobs
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    given = [i.code for i in world.store.invitations(world.batch.batch_id)]
    assert len(given) == 300
    assert len(set(given)) == 300
    assert world.store.counts(world.batch.batch_id).assigned == 300
    assert len({m.request_id for m in platform.mail.requests}) == 300


def test_unknown_placeholders_and_a_letter_without_its_code_are_refused(
    platform: FakePlatform,
) -> None:
    world = World(platform)
    organizer = samples.organizer_of(world.event)

    with pytest.raises(InvalidRequest) as unknown:
        inviting.set_letter(
            world.desk(),
            organizer,
            world.event.event_id,
            LetterText(language="de", subject="Hallo {vorname}", body="{code} {firma}"),
        )
    with pytest.raises(InvalidRequest) as no_code:
        inviting.set_letter(
            world.desk(),
            organizer,
            world.event.event_id,
            LetterText(language="de", subject="Hallo", body="Kommen Sie!"),
        )

    assert unknown.value.params == {"names": "{vorname}, {firma}"}
    assert no_code.value.message_id == "problem.invitation.no_code"


def test_a_name_is_text_in_the_letter_never_a_link() -> None:
    body = fill(
        "Hello {first_name}, {link}",
        {"first_name": "[x](https://evil.example)", "link": "https://t.example/redeem?code=A"},
    )

    html = to_html(body)
    assert "evil.example" in html
    assert 'href="https://evil' not in html
    assert '<a href="https://t.example/redeem?code=A">' in html
    assert to_text(body).startswith("Hello [x](https://evil.example),")


def test_another_exhibitors_batch_answers_as_missing(platform: FakePlatform) -> None:
    world = World(platform)
    other = an_exhibitor(platform, world.event)

    with pytest.raises(NotFound):
        inviting.invite(
            world.desk(), samples.exhibitor_principal(other), world.batch.batch_id, [person(1)]
        )


def test_the_tracking_list_shows_who_registered_and_by_whom(platform: FakePlatform) -> None:
    world = World(platform)
    world.invite([person(1), person(2)])
    code = next(
        i.code for i in world.store.invitations(world.batch.batch_id) if i.email == "e1@example.org"
    )
    form = RegistrationForm(
        first_name="Erika1", last_name="Muster", email="e1@example.org", contact_consent=True
    )
    register(platform.registration_desk(), "203.0.113.9", code, form, lambda _: None)

    rows, counts = tracking.tracking(world.tracking(), world.me, world.batch.batch_id)

    by_mail = {r.email: r for r in rows}
    assert by_mail["e1@example.org"].registered_at is not None
    assert by_mail["e1@example.org"].registered_by is None
    assert by_mail["e2@example.org"].registered_at is None
    assert by_mail["e2@example.org"].mail_state == "sent"
    assert counts.model_dump() == {
        "codes": 5,
        "assigned": 2,
        "invited": 2,
        "registered": 1,
        "used": 0,
    }

    total, per = tracking.summary(
        world.tracking(), samples.organizer_of(world.event), world.event.event_id
    )
    assert total.assigned == 2
    assert per[0]["name"] == world.exhibitor.name

    desk = notifications.Desk(
        FakeNotificationStore(platform.db),
        platform.events,
        platform.access,
        platform.orders,
        platform.idempotency,
        platform.mail,
        FakeNotificationQueue(),
        platform.clock,
        "https://tickets.example",
        "review@example.com",
    )
    message, consenting, _ = tracking.write_again(
        world.tracking(),
        desk,
        world.me,
        world.event.event_id,
        MessageDraft(subject="Hi", body="See you"),
    )
    assert (message.state, message.audience, consenting) == (
        "submitted",
        "exhibitor_registrants",
        1,
    )


def test_a_suppressed_address_gets_no_mail_and_a_bounce_after_sending_shows(
    platform: FakePlatform,
) -> None:
    world = World(platform)
    platform.suppressions.suppress(
        Suppression(
            address="e1@example.org", reason="complaint", source="ses", at=platform.clock.now()
        )
    )
    world.invite([person(1), person(2)])
    platform.suppressions.suppress(
        Suppression(
            address="e2@example.org", reason="bounce", source="ses", at=platform.clock.now()
        )
    )

    rows, _ = tracking.tracking(world.tracking(), world.me, world.batch.batch_id)

    assert [m.to for m in platform.mail.requests] == [["e2@example.org"]]
    assert {r.email: r.mail_state for r in rows} == {
        "e1@example.org": "suppressed",
        "e2@example.org": "bounced",
    }


def test_an_exhibitors_own_text_is_what_its_recipients_get(platform: FakePlatform) -> None:
    world = World(platform)
    own = LetterText(
        language="en", subject="From us, {first_name}", body="Stand {stand}: {link}", stand="B12"
    )
    inviting.set_letter(world.desk(), world.me, world.event.event_id, own)

    world.invite([person(1)])

    [mail] = platform.mail.requests
    assert mail.context["subject_line"] == "From us, Erika1"
    assert mail.context["body_text"].startswith("Stand B12: https://tickets.example/redeem?code=")
    sample = inviting.letters(world.desk(), samples.organizer_of(world.event), world.event.event_id)
    assert sample["en"]["sample"].subject == "Welcome, {first_name}"
