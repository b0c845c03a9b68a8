"""The customer's own "send me my data" and "forget me" through the local stack (issue 17): the
form answers 202 alike; the mailed link's page acts only on its POST; the export arrives as a
mailed download link; after "forget me" no DynamoDB item or S3 object names the person."""

from __future__ import annotations

import io
import re
import time
import urllib.parse
import uuid
from typing import Any

import openpyxl
import pytest
from botocore.exceptions import ClientError

from tests.e2e.stack import Client, LocalStack
from tests.e2e.test_erasure import everything_stored
from tests.e2e.test_portal import book_for, fetch, wait_for

pytestmark = pytest.mark.slow
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def ask(client: Client, number: str, email: str, purpose: str) -> Any:
    body = urllib.parse.urlencode({"order_number": number, "email": email, "purpose": purpose})
    return client.call("POST", "/portal/privacy", raw=body.encode(), headers=FORM)


def link_in(mail: dict[str, Any]) -> str:
    found = re.search(r"https?://\S+/portal/privacy/[A-Za-z0-9_-]{20,}", mail["text"])
    assert found, mail["text"]
    return urllib.parse.urlsplit(found.group(0)).path


def press(client: Client, path: str) -> Any:
    return client.call("POST", path, raw=b"confirm=yes", headers=FORM)


def forgotten(stack: LocalStack, address: str) -> bool:
    """No item or object names the address, and the person's exported workbook is gone."""
    try:
        stored = everything_stored(stack)
    except ClientError:  # an object listed, then deleted by the running erasure
        return False
    return address not in stored and "exports/person/" not in stored


def test_send_me_my_data_then_forget_me(local_stack: LocalStack) -> None:
    client = local_stack.client.from_address("127.0.0.73")
    tag = uuid.uuid4().hex[:8]
    address = f"forget-me-{tag}@example.org"
    order = book_for(local_stack, address)
    number = order["order_number"]
    wait_for(local_stack, address, 1)  # the confirmation

    form = client.call("GET", "/portal/privacy")
    assert form.status == 200
    assert 'name="purpose"' in form.body.decode()
    wrong = ask(client, number, f"someone-{tag}@example.org", "erasure")
    right = ask(client, number.lower(), address.upper(), "export")
    assert (wrong.status, right.status) == (202, 202)
    assert wrong.body == right.body  # nobody learns whether the pair matched

    path = link_in(wait_for(local_stack, address, 2)[-1])
    for _ in range(2):  # a GET (a mail scanner) changes nothing
        page = client.call("GET", path)
        assert page.status == 200
        assert 'method="post"' in page.body.decode()
    assert press(client, path).status == 202
    assert press(client, path).status == 404  # each link once
    mail = wait_for(local_stack, address, 3, timeout=30)[-1]
    url = re.search(r"https?://\S+personal-data\.xlsx\S*", mail["text"])
    assert url, mail["text"]
    expires = urllib.parse.parse_qs(urllib.parse.urlsplit(url.group(0)).query)["X-Amz-Expires"]
    assert int(expires[0]) == 900
    book = openpyxl.load_workbook(io.BytesIO(fetch(url.group(0))))
    assert number in str(list(book.worksheets[0].iter_rows(values_only=True)))

    assert ask(client, number, address, "erasure").status == 202
    path = link_in(wait_for(local_stack, address, 4)[-1])
    assert client.call("GET", path).status == 200
    assert press(client, path).status == 202
    deadline = time.monotonic() + 60
    while not forgotten(local_stack, address):
        assert time.monotonic() < deadline, "the erasure did not finish"
        time.sleep(0.5)
    assert client.call("GET", path).status == 404
