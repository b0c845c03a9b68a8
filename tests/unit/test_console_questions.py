"""An event's questions in the console on fakes (seed 002): the organizer adds, edits and
removes them one form post at a time (no script), bad definitions come back at their field,
an edit made from an older form is not lost silently, and another tenant sees none of it."""

from __future__ import annotations

import re
from typing import Any

from tests.fakes import samples
from tests.unit import worlds
from tests.unit.test_console_backoffice import NOW, ORG, get, post  # noqa: F401
from ticketing.domain.people import User
from ticketing.services import staff

# the signed-in organizer's world (tests.unit.worlds), under the names its tests ask for
environment = worlds.environment
stores = worlds.organizer_stores
cookies = worlds.organizer_cookies
fair = worlds.organizer_fair


QUESTION: dict[str, str] = {
    "id": "branche",
    "label_de": "Branche",
    "label_en": "Industry",
    "label_zh": "行业",
    "type": "choice",
    "scope": "order",
    "options": "forst | Forstwirtschaft | Forestry\nholz | Holzbau | Timber | 木结构",
    "required": "on",
    "share_with_exhibitor": "on",
    "version": "0",
}


def path(fair: Any, rest: str = "") -> str:
    return f"/console/events/{fair.event_id}/questions{rest}"


def test_the_organizer_adds_edits_and_removes_a_question(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    added = post(stores, cookies, path(fair), QUESTION)
    assert added["statusCode"] == 303, added["body"]

    form = stores.questions.get(fair.event_id)
    [question] = form.questions
    assert (question.type, question.required, question.share_with_exhibitor) == (
        "choice",
        True,
        True,
    )
    assert question.option("holz").label.zh == "木结构"  # type: ignore[union-attr]
    listed = get(stores, cookies, path(fair))["body"]
    assert "Branche" in listed
    assert "Ausstellern gezeigt" in listed

    edit_page = get(stores, cookies, path(fair, "/branche"))["body"]
    assert 'name="original_id" value="branche"' in edit_page
    assert "holz | Holzbau | Timber | 木结构" in edit_page
    edited = {**QUESTION, "original_id": "branche", "label_de": "Ihre Branche", "version": "1"}
    assert post(stores, cookies, path(fair), edited)["statusCode"] == 303
    assert stores.questions.get(fair.event_id).questions[0].label.de == "Ihre Branche"
    assert [a.message_id for a in stores.activity.of("EVENT", fair.event_id)].count(
        "activity.event.questions"
    ) == 2

    removed = post(stores, cookies, path(fair, "/branche/remove"), {"version": "2"})
    assert removed["statusCode"] == 303
    assert stores.questions.get(fair.event_id).questions == []


def test_a_bad_definition_comes_back_at_its_field(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    no_options = post(stores, cookies, path(fair), {**QUESTION, "options": ""})
    bad_id = post(stores, cookies, path(fair), {**QUESTION, "id": "Große Frage"})
    no_label = post(stores, cookies, path(fair), {**QUESTION, "label_en": ""})
    unknown_option = post(
        stores, cookies, path(fair), {**QUESTION, "scope": "attendee", "price_options": "vip"}
    )

    assert no_options["statusCode"] == 422
    assert bad_id["statusCode"] == 422
    assert 'id="f-id" name="id"' in bad_id["body"]
    assert re.search(r'id="f-id"[^>]*aria-invalid="true"', bad_id["body"])
    assert re.search(r'id="f-label-en"[^>]*aria-invalid="true"', no_label["body"])
    assert unknown_option["statusCode"] == 422
    assert re.search(r'id="f-price-options"[^>]*aria-invalid="true"', unknown_option["body"])
    assert stores.questions.get(fair.event_id).questions == []


def test_an_edit_from_an_older_form_is_refused_not_lost(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    post(stores, cookies, path(fair), QUESTION)  # version 0 -> 1

    late = post(
        stores, cookies, path(fair), {**QUESTION, "id": "mobil", "type": "phone", "options": ""}
    )

    assert late["statusCode"] == 409
    assert "inzwischen geändert" in late["body"]
    assert [q.id for q in stores.questions.get(fair.event_id).questions] == ["branche"]


def test_another_organizers_staff_see_no_questions(stores: Any, fair: Any) -> None:
    from tests.unit.test_console_pages import signed_in

    other: User = staff.add_first_admin(
        stores.people, stores.clock, "org_other", "eve@example.org", "Eve Other"
    )
    theirs = signed_in(stores, other)

    assert get(stores, theirs, path(fair))["statusCode"] == 404
    assert post(stores, theirs, path(fair), QUESTION)["statusCode"] == 404
    assert samples.ORGANIZER_ID != "org_other"


def test_the_booking_form_asks_the_order_and_attendee_questions(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    from tests.unit.test_console_backoffice import booking

    post(stores, cookies, path(fair), QUESTION)
    lunch = {
        "id": "essen",
        "label_de": "Mittagessen",
        "label_en": "Lunch",
        "type": "text",
        "scope": "attendee",
        "required": "on",
        "version": "1",
    }
    assert post(stores, cookies, path(fair), lunch)["statusCode"] == 303
    new = f"/console/events/{fair.event_id}/bookings/new"
    shown = get(stores, cookies, new)["body"]
    assert 'name="answers.branche"' in shown
    assert 'name="attendee_0.answers.essen"' in shown

    people = {
        "attendee_0.first_name": "Ewa",
        "attendee_0.last_name": "Nowak",
        "attendee_1.first_name": "Jan",
        "attendee_1.last_name": "Kowalski",
        "attendee_0.answers.essen": "vegetarisch",
    }
    missing = post(
        stores, cookies, new, booking(fair.event_id, "k-1", **people, **{"answers.branche": "holz"})
    )
    assert missing["statusCode"] == 422
    assert re.search(r'id="f-attendee-1-answers-essen"[^>]*aria-invalid="true"', missing["body"])
    assert "Bitte beantworten Sie „Mittagessen“." in missing["body"]

    people["attendee_1.answers.essen"] = "alles"
    booked = post(
        stores, cookies, new, booking(fair.event_id, "k-2", **people, **{"answers.branche": "holz"})
    )
    assert booked["statusCode"] == 303, booked["body"]
    [order] = stores.orders.db.orders.values()
    assert order.answers == {"branche": "holz"}
    detail = get(stores, cookies, f"/console/orders/{order.order_number}")["body"]
    assert "Holzbau" in detail
    assert "Mittagessen: alles" in detail
