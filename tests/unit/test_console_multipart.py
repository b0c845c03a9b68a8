"""The console's forms with a file (multipart/form-data, issue 16): the parser, the refusals
(no CSRF token 403, over 4 MB 413, a broken body 400, each a page in the user's language and
never a 500), and the exhibitor's invitation page reading an uploaded CSV or Excel list."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes import samples
from tests.fakes.people import fake_console_stores
from tests.fakes.platform import FakePlatform
from tests.multipart_form import XLSX, encode, workbook
from tests.unit.services.given import issued_vouchers
from tests.unit.test_console_invitations import post
from tests.unit.test_console_pages import request, signed_in
from ticketing.console import multipart
from ticketing.console.dispatch import handle
from ticketing.console.http import Request
from ticketing.domain.events import Event
from ticketing.domain.parties import Exhibitor
from ticketing.services import staff
from ticketing.settings import scoped_environment

BASE = "/console/exhibitor/invitations"
CSV = b"first_name;last_name;email;language\nLina;Berg;lina@example.org;en\n"
ROWS = [
    ("first_name", "last_name", "email", "language"),
    ("Ada", "Lovelace", "ada@example.org", "en"),
    ("Grace", "Hopper", "grace@example.org", "en"),
    ("Alan", "Turing", "alan@example.org", "en"),
]


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    with scoped_environment({"PUBLIC_BASE_URL": "https://tickets.example"}):
        yield


def event_of(body: bytes, content_type: str, cookies: dict[str, str], path: str) -> dict[str, Any]:
    """A POST as API Gateway hands it over: a multipart body base64-encoded."""
    return {
        "httpMethod": "POST",
        "path": path,
        "headers": {
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Content-Type": content_type,
            "Accept-Language": "en",
        },
        "body": base64.b64encode(body).decode(),
        "isBase64Encoded": True,
        "requestContext": {"identity": {"sourceIp": "10.0.0.9"}},
    }


# the parser ---------------------------------------------------------------------------------


def read(event: dict[str, Any]) -> Request:
    """The request as a page sees it (the dispatcher reads a multipart body once the session
    is known)."""
    return Request.from_event(event).with_files()


def test_a_csv_and_an_xlsx_file_arrive_as_filename_type_and_their_very_bytes() -> None:
    book = workbook(ROWS)
    body, content_type = encode(
        {"csrf": "tok", "note": "Grüße"},
        {"file": ("Gäste.xlsx", XLSX, book), "other": ("list.csv", "text/csv", CSV)},
    )
    request = read(event_of(body, content_type, {}, "/console/x"))
    assert request.refused is None
    assert request.form == {"csrf": "tok", "note": "Grüße"}
    assert request.files["file"] == ("Gäste.xlsx", XLSX, book)
    filename, kind, data = request.files["other"]
    assert (filename, kind, data) == ("list.csv", "text/csv", CSV)
    # a text-only body not base64-encoded reads alike; one claimed base64 but not ASCII is 400
    body, content_type = encode({"csrf": "tok"}, {"other": ("list.csv", "text/csv", CSV)})
    plain = {**event_of(body, content_type, {}, "/x"), "body": body.decode()}
    assert read({**plain, "isBase64Encoded": False}).files["other"].data == CSV
    assert read({**plain, "body": "Grüße"}).refused == 400


def test_no_file_chosen_is_an_empty_upload_and_url_encoded_forms_stay_as_they_were() -> None:
    body, content_type = encode({"csrf": "tok"}, {"file": ("", "application/octet-stream", b"")})
    request = read(event_of(body, content_type, {}, "/console/x"))
    assert request.files["file"] == ("", "application/octet-stream", b"")
    form = Request.from_event(
        {
            "httpMethod": "POST",
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            "body": "csrf=tok&a=" + "x" * 20_000,
        }
    )
    assert form.files == {}
    assert form.refused is None
    assert len(form.form["a"]) == 10_000


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"--x\r\n"),  # no boundary
        ("multipart/form-data; boundary=other", b"--x\r\nContent-Disposition: form-data;"),
        ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=a"),
        ("multipart/form-data; boundary=x", b"no parts at all"),
        ("multipart/form-data; boundary=x", b"--x\r\n\r\nno name\r\n--x--\r\n"),
        (
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n\xff\xfe\r\n--x--\r\n',
        ),  # a text field that is no UTF-8
        (
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Type: multipart/mixed; boundary=y"
            b'\r\nContent-Disposition: form-data; name="a"\r\n\r\n'
            b"--y\r\n\r\nz\r\n--y--\r\n--x--\r\n",
        ),
    ],
)
def test_a_body_no_form_sends_is_refused_with_400(content_type: str, body: bytes) -> None:
    assert read(event_of(body, content_type, {}, "/console/x")).refused == 400
    with pytest.raises(multipart.Malformed):
        multipart.parse(content_type, body, 100)


def test_a_body_not_base64_as_it_claims_is_400() -> None:
    broken = {**event_of(b"", "multipart/form-data; boundary=x", {}, "/x"), "body": "!!"}
    assert read(broken).refused == 400


def test_over_4_mb_is_refused_with_413_before_it_is_parsed() -> None:
    big = b"x" * (multipart.MAX_UPLOAD_BYTES + 1)
    body, content_type = encode({"csrf": "tok"}, {"file": ("big.csv", "text/csv", big)})
    measured = Request.from_event(event_of(body, content_type, {}, "/x"))
    assert measured.refused == 413
    assert measured.unread is None  # measured, never decoded
    with pytest.raises(multipart.TooLarge):  # a body not base64-encoded: counted decoded
        multipart.parse(content_type, body, 100)
    with pytest.raises(multipart.TooLarge):
        multipart.parse(content_type, body, 100)
    fits = b"x" * (multipart.MAX_UPLOAD_BYTES - 1024)
    body, content_type = encode({"csrf": "tok"}, {"file": ("fits.csv", "text/csv", fits)})
    assert len(base64.b64encode(body)) <= multipart.MAX_UPLOAD_BASE64
    assert read(event_of(body, content_type, {}, "/x")).files["file"].data == fits


# the dispatcher and the invitation page -----------------------------------------------------


@pytest.fixture
def platform() -> FakePlatform:
    return FakePlatform()


@pytest.fixture
def stores(platform: FakePlatform) -> Any:
    return fake_console_stores(platform.clock, db=platform.db)


@pytest.fixture
def page_and_cookies(platform: FakePlatform, stores: Any) -> tuple[str, dict[str, str], Any]:
    fair: Event = samples.a_fair()
    platform.events.add(fair)
    exhibitor: Exhibitor = samples.an_exhibitor(fair)
    platform.access.add_party(exhibitor, None)
    admin = staff.add_first_admin(
        stores.people, stores.clock, fair.organizer_id, "ada.admin@example.org", "Ada"
    )
    letter = {"subject": "Welcome {first_name}", "body": "Dear {first_name} {last_name}: {code}"}
    event_page = f"/console/invitations/{fair.event_id}"
    saved = post(stores, event_page, signed_in(stores, admin), language="en", **letter)
    assert saved["statusCode"] == 303
    batch, _ = issued_vouchers(platform, fair, exhibitor, 5)
    user = staff.exhibitor_contact(stores.people, exhibitor)
    assert user is not None
    return f"{BASE}/{batch.batch_id}", signed_in(stores, user), batch


def csrf_of(stores: Any, path: str, cookies: dict[str, str]) -> str:
    form = request(stores, "GET", path, cookies=cookies)
    assert form["statusCode"] == 200
    assert 'enctype="multipart/form-data"' in form["body"]
    assert 'type="file" accept=".csv,.xlsx"' in form["body"]
    found = re.search(r'name="csrf" value="([^"]+)"', form["body"])
    assert found is not None
    return found.group(1)


def preview_of(answer: dict[str, Any]) -> str:
    return str(answer["body"]).split('id="preview"', 1)[1].split("</section>", 1)[0]


def send(stores: Any, path: str, cookies: dict[str, str], fields: dict[str, str], file: Any) -> Any:
    body, content_type = encode(fields, {"file": file} if file else {})
    return handle(event_of(body, content_type, cookies, path), stores)


def test_an_uploaded_excel_list_is_previewed_with_its_row_and_sent(
    stores: Any, page_and_cookies: tuple[str, dict[str, str], Any]
) -> None:
    page, cookies, batch = page_and_cookies
    token = csrf_of(stores, page, cookies)
    file = ("gaeste.xlsx", XLSX, workbook(ROWS))
    shown = send(stores, page, cookies, {"csrf": token, "action": "preview"}, file)
    assert shown["statusCode"] == 200, re.findall(r"field-error[^<]*", shown["body"])
    assert "Dear Ada Lovelace: 0000-0000-0000-0A" in shown["body"]  # the file's first row
    assert "data-preview-file" in shown["body"]
    assert "gaeste.xlsx" in shown["body"]
    sent = send(stores, page, cookies, {"csrf": token, "action": "send"}, file)
    assert sent["statusCode"] == 303, sent["body"][:2000]
    [job] = stores.invitations.store.jobs(batch.batch_id)
    assert job.total == 3


def test_a_csv_file_wins_over_the_pasted_list_and_a_bad_file_is_a_422_field_error(
    stores: Any, page_and_cookies: tuple[str, dict[str, str], Any]
) -> None:
    page, cookies, _ = page_and_cookies
    token = csrf_of(stores, page, cookies)
    pasted = "first_name;last_name;email;language\nOtto;Other;other@example.org;en\n"
    fields = {"csrf": token, "action": "preview", "recipients": pasted}
    shown = send(stores, page, cookies, fields, ("list.csv", "text/csv", CSV))
    assert shown["statusCode"] == 200
    assert "Dear Lina Berg" in shown["body"]
    alone = send(stores, page, cookies, fields, ("", "application/octet-stream", b""))
    assert alone["statusCode"] == 200, re.findall(r"role=\"alert\">[^<]*", alone["body"])
    assert "data-preview-file" not in alone["body"]
    assert "Dear Otto Other" in preview_of(alone)
    bad = send(stores, page, cookies, fields, ("x.xlsx", XLSX, b"PK\x03\x04 not a workbook"))
    assert bad["statusCode"] == 422
    assert 'aria-invalid="true"' in bad["body"]
    assert "field-error" in bad["body"]


def test_without_a_session_a_multipart_body_is_never_parsed(
    stores: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("parsed without a session")

    monkeypatch.setattr(multipart, "parse", refuse)
    body, content_type = encode({"csrf": "tok"}, {"file": ("list.csv", "text/csv", CSV)})
    answer = handle(event_of(body, content_type, {}, f"{BASE}/vb_1"), stores)
    assert answer["statusCode"] == 303
    assert answer["headers"]["Location"] == "/console/sign-in"
    forged = handle(event_of(body, content_type, {"console_session": "x" * 43}, BASE), stores)
    assert forged["statusCode"] == 303


def test_refusals_are_pages_in_the_users_language_never_500(
    stores: Any, page_and_cookies: tuple[str, dict[str, str], Any]
) -> None:
    page, cookies, _ = page_and_cookies
    file = ("list.csv", "text/csv", CSV)
    forged = send(stores, page, cookies, {"action": "send"}, file)  # no csrf in the body
    assert forged["statusCode"] == 403
    assert "The form has expired" in forged["body"]
    big = ("big.csv", "text/csv", b"x" * (multipart.MAX_UPLOAD_BYTES + 10))
    token = csrf_of(stores, page, cookies)
    too_big = send(stores, page, cookies, {"csrf": token}, big)
    assert too_big["statusCode"] == 413
    assert "bigger than 4 MB" in too_big["body"]
    assert too_big["headers"]["Content-Type"].startswith("text/html")
    broken = handle(
        event_of(b"--nope\r\n", "multipart/form-data; boundary=x", cookies, page), stores
    )
    assert broken["statusCode"] == 400
    assert "arrived incomplete" in broken["body"]
    german = event_of(b"--nope\r\n", "multipart/form-data; boundary=x", cookies, page)
    german["headers"]["Accept-Language"] = "de"
    assert "unvollständig" in handle(german, stores)["body"]
    public = handle(event_of(b"--x", "multipart/form-data", {}, "/console/sign-in"), stores)
    assert public["statusCode"] == 400
