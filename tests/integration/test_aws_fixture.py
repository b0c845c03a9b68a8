"""The test account is built from the template, as the local stack builds its own."""

from __future__ import annotations

import json

from tests.conftest import Aws


def test_table_has_the_template_key_schema_index_and_ttl(aws: Aws) -> None:
    dynamodb = aws.clients["dynamodb"]
    table = dynamodb.describe_table(TableName=aws.table)["Table"]
    assert [k["AttributeName"] for k in table["KeySchema"]] == ["PK", "SK"]
    assert [i["IndexName"] for i in table["GlobalSecondaryIndexes"]] == ["GSI1", "GSI2", "LIVE"]
    ttl = dynamodb.describe_time_to_live(TableName=aws.table)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expires_at"
    assert ttl["TimeToLiveStatus"] == "ENABLED"


def test_mail_queue_hands_failures_to_its_dead_letter_queue(aws: Aws) -> None:
    sqs = aws.clients["sqs"]
    attributes = sqs.get_queue_attributes(
        QueueUrl=aws.queue_urls["MailQueue"], AttributeNames=["RedrivePolicy"]
    )["Attributes"]
    assert "ticketing-MailDeadLetterQueue" in attributes["RedrivePolicy"]
    assert '"maxReceiveCount": 5' in attributes["RedrivePolicy"]


def test_documents_bucket_blocks_public_access(aws: Aws) -> None:
    s3 = aws.clients["s3"]
    bucket = next(b["Name"] for b in s3.list_buckets()["Buckets"])
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())


def test_documents_bucket_refuses_insecure_transport(aws: Aws) -> None:
    """The template's bucket policy exists locally too, its intrinsics resolved."""
    s3 = aws.clients["s3"]
    bucket = next(b["Name"] for b in s3.list_buckets()["Buckets"])
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    (statement,) = policy["Statement"]
    assert statement["Sid"] == "DenyInsecureTransport"
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statement["Resource"] == [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
