"""The exhibitor's console on fakes (issue 13 item 2): its event, ordering a batch through the
form, the download overview with its progress (JSON for the script) and Excel download, who
redeemed (filtered, as Excel) and the statement, in three languages; tenancy and the script's
serving and CSP."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import openpyxl
import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit import worlds
from tests.unit.test_console_pages import request, set_cookies, signed_in
from ticketing.console.rendering import content_security_policy
from ticketing.console.static import static_url
from ticketing.domain.events import Event
from ticketing.domain.parties import Exhibitor
from ticketing.services import staff
from ticketing.services.checkins import check_in
from ticketing.services.visitor_vouchers.registration import register
from ticketing.services.visitor_vouchers.worker import generate

BATCHES = "/console/exhibitor/batches"


# the signed-in exhibitor's world (tests.unit.worlds), under the names its tests ask for
environment = worlds.environment
platform = worlds.platform
stores = worlds.exhibitor_stores
fair = worlds.exhibitor_fair
exhibitor = worlds.exhibitor
contact = worlds.contact
cookies = worlds.exhibitor_cookies
csrf_of = worlds.csrf_of


def get(stores: Any, path: str, cookies: dict[str, str], **query: str) -> dict[str, Any]:
    return request(stores, "GET", path, cookies=cookies, query=query or None)


def order(stores: Any, cookies: dict[str, str], lang: str = "de", **fields: str) -> Any:
    form = get(stores, "/console/exhibitor/order", cookies, lang=lang)
    assert form["statusCode"] == 200
    once = re.search(r'name="once" value="([^"]+)"', form["body"])
    assert once is not None
    body = {"csrf": csrf_of(form["body"]), "once": once.group(1), **fields}
    chosen = {**cookies, "console_lang": lang}  # what the GET with ?lang= remembered
    return request(stores, "POST", "/console/exhibitor/order", urlencode(body), cookies=chosen)


def ordered_batch_id(answer: dict[str, Any]) -> str:
    assert answer["statusCode"] == 303, answer["body"][:2000]
    location = answer["headers"]["Location"]
    assert location.startswith(f"{BATCHES}/bat_") or location.startswith(f"{BATCHES}/")
    return str(location.rsplit("/", 1)[1])


def test_home_shows_the_event_the_exhibitor_and_the_links(
    stores: Any, fair: Event, exhibitor: Exhibitor, cookies: dict[str, str]
) -> None:
    home = get(stores, "/console", cookies, lang="en")
    assert home["statusCode"] == 200
    body = home["body"]
    for text in (fair.name, fair.venue, exhibitor.name, "Jul 2030"):
        assert text in body
    for path in ("order", "batches", "redemptions", "statement"):
        assert f'href="/console/exhibitor/{path}"' in body
    assert 'href="/console/staff"' not in body  # no organizer's page in its navigation
    assert "<script" not in body  # a page without progress loads no script


def test_ordering_through_the_form_redirects_to_the_batch_with_a_notice(
    stores: Any, fair: Event, cookies: dict[str, str]
) -> None:
    answer = order(stores, cookies, quantity="1.000", label="Juli", valid_until="2030-07-10")
    batch_id = ordered_batch_id(answer)
    batch = stores.visitor_vouchers.batches.get_batch(batch_id)
    assert (batch.quantity, batch.label, batch.status) == (1000, "Juli", "pending")
    assert batch.valid_until.date().isoformat() == "2030-07-11"  # the day counts whole
    assert stores.visitor_vouchers.queue.batch_ids == [batch_id]
    notice = set_cookies(answer)["console_notice"]
    page = get(stores, f"{BATCHES}/{batch_id}", {**cookies, "console_notice": notice})
    assert page["statusCode"] == 200
    assert 'role="status">1.000 Gutscheine bestellt (Juli)' in page["body"]
    assert "<dd>10.07.2030</dd>" in page["body"]  # the last day it is valid, as ordered
    [entry] = stores.activity.of("EVENT", fair.event_id)
    assert entry.message_id == "activity.exhibitor.batch_ordered"
    assert entry.params["quantity"] == "1000"


def test_a_double_click_orders_once(stores: Any, cookies: dict[str, str]) -> None:
    form = get(stores, "/console/exhibitor/order", cookies)
    once = re.search(r'name="once" value="([^"]+)"', form["body"])
    assert once is not None
    body = urlencode({"csrf": csrf_of(form["body"]), "once": once.group(1), "quantity": "5"})
    first = request(stores, "POST", "/console/exhibitor/order", body, cookies=cookies)
    second = request(stores, "POST", "/console/exhibitor/order", body, cookies=cookies)
    assert first["headers"]["Location"] == second["headers"]["Location"]
    assert len(stores.visitor_vouchers.queue.batch_ids) == 1


@pytest.mark.parametrize(
    ("lang", "fields", "field", "said"),
    [
        ("de", {"quantity": "viele"}, "quantity", "Anzahl muss eine ganze Zahl sein."),
        ("en", {"quantity": "0"}, "quantity", "Quantity must be at least 1."),
        ("en", {"quantity": "100001"}, "quantity", "Quantity must be at most 100000."),
        (
            "zh",
            {"quantity": "5", "valid_until": "2030-13-40"},
            "valid_until",
            "请检查有效期至：不是",
        ),
        (
            "de",
            {"quantity": "5", "valid_until": "2020-01-01"},
            "valid_until",
            "Gültig bis muss in der",
        ),
        ("en", {"quantity": "5", "label": "a\nb"}, "label", "Label "),
    ],
)
def test_bad_input_gets_the_form_back_with_the_message_at_the_field(
    stores: Any, cookies: dict[str, str], lang: str, fields: dict[str, str], field: str, said: str
) -> None:
    answer = order(stores, cookies, lang, **fields)
    assert answer["statusCode"] == 422
    body = answer["body"]
    assert f'id="order-{field}-error">{said}' in body
    assert f'aria-describedby="order-{field}-hint order-{field}-error" aria-invalid="true"' in body
    assert stores.visitor_vouchers.queue.batch_ids == []


def test_the_overview_shows_progress_and_the_script_polls_json_until_ready(
    stores: Any, fair: Event, cookies: dict[str, str]
) -> None:
    batch_id = ordered_batch_id(order(stores, cookies, quantity="196", label="Mailing"))
    overview = get(stores, BATCHES, cookies)["body"]
    assert f'data-progress-url="{BATCHES}/{batch_id}/progress"' in overview
    assert re.search(r'<progress id="bar-[^"]+" max="100" value="0.0" aria-label=', overview)
    assert 'aria-live="polite"' in overview
    assert f'<script src="{static_url("exhibitor.js")}" defer></script>' in overview
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in overview
    assert "Aktualisieren" in overview  # without script: a refresh link

    waiting = get(stores, f"{BATCHES}/{batch_id}/progress", cookies, lang="en")
    assert waiting["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(waiting["body"])["step"] == "generating"
    assert json.loads(waiting["body"])["percent"] == 0.0

    # half the codes written: percent and time left, as the API's batch view says them
    ports = stores.visitor_vouchers
    batch = ports.batches.get_batch(batch_id)
    ports.batches.write_codes(batch, 0, [f"CODE{i:04d}" for i in range(98)], stores.clock.now())
    stores.clock.advance(timedelta(seconds=3))
    half = json.loads(get(stores, f"{BATCHES}/{batch_id}/progress", cookies, lang="en")["body"])
    assert (half["percent"], half["done"], half["download"]) == (47.5, False, None)
    assert half["seconds_left"] is not None
    assert half["text"] == f"47.5 % done – about {half['seconds_left']} seconds left"

    generate(ports.batches, stores.events, stores.docs, stores.clock, batch_id)
    ready = json.loads(get(stores, f"{BATCHES}/{batch_id}/progress", cookies)["body"])
    assert (ready["percent"], ready["step"], ready["done"]) == (100.0, "ready", True)
    assert ready["download"] == f"{BATCHES}/{batch_id}/download"
    assert ready["text"].startswith("100 % – fertig")
    done = get(stores, BATCHES, cookies)["body"]
    assert "data-progress-url" not in done
    assert "<script" not in done
    assert f'href="{BATCHES}/{batch_id}/download" data-progress-download>' in done


def test_the_download_redirects_to_the_presigned_file_once_ready(
    stores: Any, cookies: dict[str, str]
) -> None:
    batch_id = ordered_batch_id(order(stores, cookies, quantity="20"))
    early = get(stores, f"{BATCHES}/{batch_id}/download", cookies)
    assert early["statusCode"] == 303
    assert early["headers"]["Location"] == f"{BATCHES}/{batch_id}"
    ports = stores.visitor_vouchers
    generate(ports.batches, stores.events, stores.docs, stores.clock, batch_id)
    answer = get(stores, f"{BATCHES}/{batch_id}/download", cookies)
    assert answer["statusCode"] == 303
    location = answer["headers"]["Location"]
    assert location.startswith("https://documents.fake.invalid/vouchers/")
    key = f"vouchers/{ports.batches.get_batch(batch_id).exhibitor_id}/{batch_id}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(stores.docs.get(key))).active
    assert sheet.max_row == 21  # a heading and 20 codes


def test_another_exhibitors_batch_is_not_found(
    stores: Any, platform: FakePlatform, fair: Event, cookies: dict[str, str]
) -> None:
    batch_id = ordered_batch_id(order(stores, cookies, quantity="3"))
    other = samples.an_exhibitor(fair, "Sägewerk Maier")
    other = other.model_copy(update={"email": "info@maier.example"})
    platform.access.add_party(other, None)
    user = staff.exhibitor_contact(stores.people, other)
    assert user is not None
    theirs = signed_in(stores, user)
    for path in ("", "/progress", "/download"):
        assert get(stores, f"{BATCHES}/{batch_id}{path}", theirs)["statusCode"] == 404
    assert batch_id not in get(stores, BATCHES, theirs)["body"]


def test_an_organizers_staff_member_does_not_see_the_exhibitor_pages(stores: Any) -> None:
    admin = staff.add_first_admin(stores.people, stores.clock, "org_1", "ada@example.org", "Ada")
    theirs = signed_in(stores, admin)
    for path in ("/console/exhibitor/order", BATCHES, "/console/exhibitor/statement"):
        assert get(stores, path, theirs)["statusCode"] == 403


def registered(platform: FakePlatform, fair: Event, exhibitor: Exhibitor) -> None:
    """Three visitors registered codes of the exhibitor, the first came to the fair."""
    from tests.unit.services.given import a_visitor, issued_vouchers

    _, codes = issued_vouchers(platform, fair, exhibitor, 5)
    people = [("erika@example.org", "Müller", "Waldbau Schmidt"), ("max@example.org", "Ng", None)]
    people.append(("jana@example.org", "Novák", "Forst AG"))
    orders = []
    for code, (email, last, company) in zip(codes, people, strict=False):
        form = a_visitor(email).model_copy(update={"last_name": last, "company": company})
        orders.append(register(platform.registration_desk(), "203.0.113.9", code, form, print))
    secret = orders[0].order.positions[0].secret
    check_in(platform.orders, platform.clock, samples.organizer_of(fair), secret, platform.events)


def test_who_redeemed_filters_by_text_and_check_in_and_downloads_excel(
    stores: Any, platform: FakePlatform, fair: Event, exhibitor: Exhibitor, cookies: dict[str, str]
) -> None:
    registered(platform, fair, exhibitor)
    path = "/console/exhibitor/redemptions"
    every = get(stores, path, cookies, lang="en")["body"]
    assert "3 of 3 redemptions" in every
    for name in ("Erika Müller", "Erika Ng", "Erika Novák", "Waldbau Schmidt", "Forst AG"):
        assert name in every
    assert '<th scope="col">Checked in</th>' in every
    assert '<label for="filter-q">Name or company</label>' in every

    folded = get(stores, path, cookies, q="MULLER")["body"]  # no umlaut, any case
    assert "1 von 3 Einlösungen" in folded
    assert "Erika Müller" in folded
    came = get(stores, path, cookies, checked_in="yes")["body"]
    assert "Erika Müller" in came
    assert "Erika Ng" not in came
    not_yet = get(stores, path, cookies, checked_in="no", q="forst")["body"]
    assert "Erika Novák" in not_yet
    assert "Erika Müller" not in not_yet

    sheet = get(stores, path, cookies, format="xlsx", checked_in="no")
    assert sheet["statusCode"] == 200
    assert sheet["isBase64Encoded"] is True
    headers = sheet["headers"]
    assert headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert headers["Content-Disposition"] == (
        f'attachment; filename="redemptions-{fair.event_id}.xlsx"'
    )
    import base64

    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(sheet["body"])))
    assert book.active is not None
    assert book.active.max_row == 3  # a heading and the two who have not come yet


def test_the_statement_says_the_figures_and_what_they_mean(
    stores: Any, platform: FakePlatform, fair: Event, exhibitor: Exhibitor, cookies: dict[str, str]
) -> None:
    registered(platform, fair, exhibitor)
    path = "/console/exhibitor/statement"
    german = get(stores, path, cookies, lang="de")["body"]
    figures = re.findall(r'<td class="number">(?:<strong>)?([^<]+)', german)
    assert figures == ["5", "3", "1", "1", "12,00 €", "12,00 €"]
    assert "Sie zahlen nur für Gutscheine, die auf der Messe genutzt werden" in german
    assert "auch wenn Sie Ihre Teilnahme stornieren" in german
    english = get(stores, path, cookies, lang="en")["body"]
    assert "You pay only for vouchers used at the fair, also if you cancel." in english
    chinese = get(stores, path, cookies, lang="zh")["body"]
    assert "即使您取消参展也是如此" in chinese


def test_the_script_is_served_with_its_hash_and_allowed_by_the_policy(stores: Any) -> None:
    url = static_url("exhibitor.js")
    path, version = url.split("?v=")
    answer = request(stores, "GET", path, query={"v": version})  # no session needed
    assert answer["statusCode"] == 200
    assert answer["headers"]["Content-Type"] == "text/javascript; charset=utf-8"
    assert answer["headers"]["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "data-progress-url" in answer["body"]
    stale = request(stores, "GET", path, query={"v": "old"})
    assert stale["headers"]["Cache-Control"] == "no-cache"
    for other in ("/console/static/nothing.js", "/console/static/../templates/console.css"):
        assert request(stores, "GET", other)["statusCode"] == 404
    policy = content_security_policy()
    assert "script-src 'self';" in policy
    assert "connect-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_a_cancelled_exhibitor_is_told_on_the_form_and_home_page(
    stores: Any, platform: FakePlatform, fair: Event, exhibitor: Exhibitor, cookies: dict[str, str]
) -> None:
    from ticketing.services.access import cancel_exhibitor

    organizer = samples.organizer_of(fair)
    cancel_exhibitor(platform.access, platform.clock, organizer, exhibitor.exhibitor_id)
    answer = order(stores, cookies, "en", quantity="10")
    assert answer["statusCode"] == 409
    assert '<p class="problem" role="alert">your participation was cancelled' in answer["body"]
    assert stores.visitor_vouchers.queue.batch_ids == []
    home = get(stores, "/console", cookies, lang="en")["body"]
    assert "Your participation was cancelled: you cannot order new vouchers." in home
