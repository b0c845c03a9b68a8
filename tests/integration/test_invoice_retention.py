"""An issued invoice is kept as the law asks (issue 18): written under S3 Object Lock until the
end of the tenth year after the year it was issued in, in the mode the template's
``DocumentsLockMode`` gives; no bug and no erasure deletes that version before."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import Aws, load_function
from tests.integration.helpers import binary_body, header
from tests.integration.test_order_handlers import book, for_order, seeded  # noqa: F401
from tests.pdf_reading import pdf_text


def test_an_issued_invoice_is_locked_until_ten_years_after_its_year(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
) -> None:
    documents = load_function("documents")
    order = book(lambda_context)
    response = documents.handler(
        for_order("documents/invoice.json", order["order_number"]), lambda_context
    )
    assert response["statusCode"] == 200, response["body"]
    number = header(response, "X-Invoice-Number")
    issued_year = int(number[1:5])
    s3 = seeded.clients["s3"]
    bucket = seeded.environment["DOCUMENTS_BUCKET"]
    (key,) = {
        item["Key"]
        for item in s3.list_objects_v2(Bucket=bucket, Prefix="invoices/").get("Contents", [])
    }

    head = s3.head_object(Bucket=bucket, Key=key)
    assert head["ObjectLockMode"] == seeded.environment["DOCUMENTS_LOCK_MODE"] == "GOVERNANCE"
    assert head["ObjectLockRetainUntilDate"] == datetime(issued_year + 11, 1, 1, tzinfo=UTC)

    # the locked version cannot be deleted, not even by a caller who names it
    with pytest.raises(ClientError) as refused:
        s3.delete_object(Bucket=bucket, Key=key, VersionId=head["VersionId"])
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    # hiding it (a delete marker) leaves the original; the invoice is served again, rebuilt
    # under its number (a new, again locked version)
    s3.delete_object(Bucket=bucket, Key=key)
    again = documents.handler(
        for_order("documents/invoice.json", order["order_number"]), lambda_context
    )
    assert header(again, "X-Invoice-Number") == number
    assert number in pdf_text(binary_body(again))
    versions = s3.list_object_versions(Bucket=bucket, Prefix=key)["Versions"]
    assert head["VersionId"] in {v["VersionId"] for v in versions}
    assert len(versions) == 2
