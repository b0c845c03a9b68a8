"""The console's invitations (issue 16 item 6) on fakes: the exhibitor pastes its list,
previews the letter with a real row, sends and follows the tracking list; the organizer edits
the sample letter and sees the summary per exhibitor; another exhibitor finds nothing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit import worlds
from tests.unit.services.given import issued_vouchers
from tests.unit.test_console_pages import request, set_cookies, signed_in
from ticketing.domain.events import Event
from ticketing.domain.parties import Exhibitor
from ticketing.services import staff
from ticketing.services.visitor_vouchers import invite_worker

BASE = "/console/exhibitor/invitations"
LIST = "first_name;last_name;email;language\nAda;Lovelace;ada@example.org;en\nBad;Row;nope;en\n"


# the exhibitor's world (tests.unit.worlds), under the names its tests ask for
environment = worlds.environment
platform = worlds.platform
stores = worlds.exhibitor_stores
fair = worlds.exhibitor_fair
exhibitor = worlds.exhibitor
csrf_of = worlds.csrf_of


def post(stores: Any, path: str, cookies: dict[str, str], **fields: str) -> dict[str, Any]:
    form = request(stores, "GET", path, cookies=cookies)
    assert form["statusCode"] == 200, form["body"][:500]
    body = urlencode({"csrf": csrf_of(form["body"]), **fields})
    return request(stores, "POST", path, body, cookies=cookies)


def test_the_organizer_sets_the_letter_and_the_exhibitor_previews_sends_and_tracks(
    platform: FakePlatform, stores: Any, fair: Event, exhibitor: Exhibitor
) -> None:
    admin = staff.add_first_admin(
        stores.people, stores.clock, fair.organizer_id, "ada.admin@example.org", "Ada"
    )
    staff_cookies = signed_in(stores, admin)
    event_page = f"/console/invitations/{fair.event_id}"
    assert (
        fair.event_id
        in request(stores, "GET", "/console/invitations", cookies=staff_cookies)["body"]
    )
    bad = post(
        stores, event_page, staff_cookies, language="en", subject="Hi {vorname}", body="{code}"
    )
    assert bad["statusCode"] == 422
    assert "{vorname}" in bad["body"]
    saved = post(
        stores,
        event_page,
        staff_cookies,
        language="en",
        subject="Welcome {first_name}",
        body="Dear {first_name} {last_name}, your code: {code}",
    )
    assert saved["statusCode"] == 303
    batch, _ = issued_vouchers(platform, fair, exhibitor, 3)
    user = staff.exhibitor_contact(stores.people, exhibitor)
    assert user is not None
    cookies = signed_in(stores, user)
    page = f"{BASE}/{batch.batch_id}"
    assert batch.batch_id in request(stores, "GET", BASE, cookies=cookies)["body"]

    shown = post(stores, page, cookies, recipients=LIST, action="preview")
    assert shown["statusCode"] == 200
    assert "Dear Ada Lovelace, your code: 0000-0000-0000-0A" in shown["body"]
    assert "Welcome Ada" in shown["body"]
    assert not list(stores.invitations.store.invitations(batch.batch_id))

    sent = post(stores, page, cookies, recipients=LIST, action="send")
    assert sent["statusCode"] == 303, sent["body"][:3000]
    notice = set_cookies(sent)["console_notice"]
    [(batch_id, job_id)] = stores.invitations.queue.queued
    worker = invite_worker.Inviting(
        stores.invitations.store,
        stores.visitor_vouchers.batches,
        stores.events,
        stores.access,
        platform.mail,
        platform.clock,
    )
    assert invite_worker.run_job(worker, batch_id, job_id) == "done"
    after = request(stores, "GET", page, cookies={**cookies, "console_notice": notice})
    assert "1 invitations are being sent" in after["body"] or "1 Einladungen" in after["body"]
    assert 'data-email="ada@example.org"' in after["body"]
    assert "nope" in after["body"]  # the bad row, named with its row number
    assert [m.to for m in platform.mail.requests] == [["ada@example.org"]]
    [entry] = [
        e
        for e in stores.activity.of("EVENT", fair.event_id)
        if e.message_id == "activity.invitations.sent"
    ]
    assert entry.params["count"] == "1"

    summary = request(stores, "GET", event_page, cookies=staff_cookies)["body"]
    assert f'data-exhibitor="{exhibitor.exhibitor_id}"' in summary
    file = request(stores, "GET", f"{page}/invitations.xlsx", cookies=cookies)
    assert file["statusCode"] == 200

    other = samples.an_exhibitor(fair, name="Andere GmbH").model_copy(
        update={"email": "messe@andere.example"}
    )
    platform.access.add_party(other, None)
    someone = staff.exhibitor_contact(stores.people, other)
    assert someone is not None
    theirs = signed_in(stores, someone)
    assert request(stores, "GET", page, cookies=theirs)["statusCode"] == 404
