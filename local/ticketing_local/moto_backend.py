"""moto as the local AWS: one in-process server, calls serialized, resources from the template."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from typing import Any

from ticketing_local import moto_fast
from ticketing_local.template import ACCOUNT_ID, REGION, Resolver, physical_names

# moto is not thread-safe, while DynamoDB makes each conditional write atomic: every call into
# moto takes this lock, so concurrent requests keep DynamoDB's guarantees.
MOTO_LOCK = threading.RLock()


class MotoServer:
    """moto's server app in a thread of this process, behind ``MOTO_LOCK``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        moto_fast.install()
        # the bucket policy is evaluated by the server: here, not only where it is provisioned
        _statements_apply_only_under_their_conditions()
        # werkzeug logs every call into moto; the platform's own logs are what matter here
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        app = DomainDispatcherApplication(create_backend_app)

        def serialized(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            with MOTO_LOCK:
                result = app(environ, start_response)
                try:
                    body = b"".join(result)
                finally:
                    close = getattr(result, "close", None)
                    if close is not None:
                        close()
            return [body]

        class Handler(MotoRequestHandler):
            # an answer's last small write leaves at once instead of waiting (Nagle) for the
            # client's delayed ACK of the one before: ~12 ms less on every call into moto
            disable_nagle_algorithm = True

        self._server = make_server(host, port, serialized, threaded=True, request_handler=Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{text_of(host)}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=1)


def provision(template: dict[str, Any], clients: dict[str, Any], sender: str) -> dict[str, str]:
    """Create every table, bucket and queue the template declares; returns queue URLs by id."""
    physical, attributes = physical_names(template)
    resources: dict[str, Any] = template["Resources"]
    queue_urls: dict[str, str] = {}
    for name, resource in resources.items():
        props = resource.get("Properties") or {}
        kind = resource.get("Type")
        if kind == "AWS::DynamoDB::Table":
            _create_table(clients["dynamodb"], physical[name], props)
        elif kind == "AWS::S3::Bucket":
            _create_bucket(clients["s3"], physical[name], _resolved(template, props))
        elif kind == "AWS::SQS::Queue":
            attrs = {
                key: str(props[key])
                for key in ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds")
                if key in props
            }
            url = clients["sqs"].create_queue(QueueName=physical[name], Attributes=attrs)[
                "QueueUrl"
            ]
            queue_urls[name] = url
    _put_bucket_policies(template, clients["s3"], physical, attributes)
    # Redrive policies point at queues that must exist first.
    for name, resource in resources.items():
        if resource.get("Type") != "AWS::SQS::Queue":
            continue
        redrive = (resource.get("Properties") or {}).get("RedrivePolicy")
        if redrive:
            target = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
            policy = {
                "deadLetterTargetArn": attributes[(target, "Arn")],
                "maxReceiveCount": int(redrive["maxReceiveCount"]),
            }
            clients["sqs"].set_queue_attributes(
                QueueUrl=queue_urls[name], Attributes={"RedrivePolicy": json.dumps(policy)}
            )
    # SES needs a verified sender; in AWS that is a one-time DNS step outside the template.
    clients["ses"].verify_email_identity(EmailAddress=sender)
    return queue_urls


def _put_bucket_policies(
    template: dict[str, Any],
    client: Any,
    physical: dict[str, str],
    attributes: dict[tuple[str, str], str],
) -> None:
    """Each ``AWS::S3::BucketPolicy``, its intrinsics resolved as the template reader does.

    moto knows no ``aws:SecureTransport``, so (with statements applying only when their
    conditions hold, as on AWS) the DenyInsecureTransport statement never applies locally: the
    local stack's http downloads keep working while the policy reads back as deployed.
    """
    _statements_apply_only_under_their_conditions()
    defaults = {
        name: str(spec.get("Default", ""))
        for name, spec in (template.get("Parameters") or {}).items()
    }
    resolver = Resolver(template, physical, attributes, defaults)
    for resource in template["Resources"].values():
        if resource.get("Type") != "AWS::S3::BucketPolicy":
            continue
        props = resource.get("Properties") or {}
        bucket = str(resolver.resolve(props["Bucket"]))
        document = resolver.resolve(props["PolicyDocument"])
        client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(document))


def _statements_apply_only_under_their_conditions() -> None:
    """moto (5.2) ignores condition operators it does not know (``Bool`` among them), so a
    Deny with ``aws:SecureTransport`` would refuse every object request. On AWS a condition on
    a key the request does not carry does not hold (``...IfExists`` and ``Null`` aside), and
    its statement does not apply: make such a statement NEUTRAL here, as there."""
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    original = IAMPolicyStatement.is_action_permitted
    if getattr(original, "conditions_fixed", False):
        return

    def is_action_permitted(
        self: Any,
        action: str,
        resource: str = "*",
        principal: str | None = None,
        incoming_condition_values: dict[str, str] | None = None,
    ) -> Any:
        known = incoming_condition_values or {}
        for operator, values in (self._statement.get("Condition") or {}).items():
            if operator.endswith("IfExists") or operator == "Null":
                continue
            if any(key not in known for key in values):
                return PermissionResult.NEUTRAL
        return original(self, action, resource, principal, incoming_condition_values)

    is_action_permitted.conditions_fixed = True  # type: ignore[attr-defined]
    IAMPolicyStatement.is_action_permitted = is_action_permitted  # type: ignore[method-assign]


def _create_table(client: Any, name: str, props: dict[str, Any]) -> None:
    kwargs: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    if props.get("DeletionProtectionEnabled"):
        kwargs["DeletionProtectionEnabled"] = True
    client.create_table(**kwargs)
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        client.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
        )


def _resolved(template: dict[str, Any], props: dict[str, Any]) -> Any:
    """``props`` with parameters (their defaults) and intrinsics resolved to local names."""
    physical, attributes = physical_names(template)
    defaults = {
        name: str(spec.get("Default", ""))
        for name, spec in (template.get("Parameters") or {}).items()
    }
    return Resolver(template, physical, attributes, defaults).resolve(props)


def _create_bucket(client: Any, name: str, props: dict[str, Any]) -> None:
    # Object Lock (issued invoices are put locked) is set when the bucket is made, as on AWS;
    # it turns versioning on. Server access logging is not simulated.
    client.create_bucket(
        Bucket=name,
        CreateBucketConfiguration={"LocationConstraint": REGION},
        ObjectLockEnabledForBucket=bool(props.get("ObjectLockEnabled")),
    )
    versioning = (props.get("VersioningConfiguration") or {}).get("Status")
    if versioning:
        client.put_bucket_versioning(
            Bucket=name, VersioningConfiguration={"Status": str(versioning)}
        )
    block = props.get("PublicAccessBlockConfiguration")
    if block:
        client.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block)
    encryption = props.get("BucketEncryption")
    if encryption:
        rules = [
            {"ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"]}
            for rule in encryption["ServerSideEncryptionConfiguration"]
        ]
        client.put_bucket_encryption(
            Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules}
        )
    lifecycle = (props.get("LifecycleConfiguration") or {}).get("Rules")
    if lifecycle:
        rules = []
        for rule in lifecycle:
            converted: dict[str, Any] = {
                "ID": rule["Id"],
                "Status": rule["Status"],
                "Filter": {"Prefix": rule.get("Prefix", "")},
            }
            if "ExpirationInDays" in rule:
                converted["Expiration"] = {"Days": int(rule["ExpirationInDays"])}
            if "AbortIncompleteMultipartUpload" in rule:
                converted["AbortIncompleteMultipartUpload"] = rule["AbortIncompleteMultipartUpload"]
            if "NoncurrentVersionExpiration" in rule:
                days = int(rule["NoncurrentVersionExpiration"]["NoncurrentDays"])
                converted["NoncurrentVersionExpiration"] = {"NoncurrentDays": days}
            if rule.get("ExpiredObjectDeleteMarker"):
                converted.setdefault("Expiration", {})["ExpiredObjectDeleteMarker"] = True
            rules.append(converted)
        client.put_bucket_lifecycle_configuration(
            Bucket=name, LifecycleConfiguration={"Rules": rules}
        )


def sent_mail() -> list[dict[str, Any]]:
    """Every mail SES (moto) accepted so far, oldest first, parsed from its MIME form."""
    import email
    from email.message import Message

    from moto.ses.models import ses_backends

    with MOTO_LOCK:
        messages = list(ses_backends[ACCOUNT_ID][REGION].sent_messages)
    out: list[dict[str, Any]] = []
    for message in messages:
        raw = getattr(message, "raw_data", None)
        if raw is None:  # a Simple message: one body only
            out.append(
                {
                    "to": list(message.destinations.get("ToAddresses", [])),
                    "subject": message.subject,
                    "text": message.body,
                    "html": "",
                    "attachments": [],
                }
            )
            continue
        parsed: Message = email.message_from_string(raw, policy=email.policy.default)
        text = html = ""
        attachments = []
        for part in parsed.walk():
            if part.is_multipart():
                continue
            filename = part.get_filename()
            if filename:
                attachments.append(filename)
            elif part.get_content_type() == "text/plain" and not text:
                text = str(part.get_content())  # type: ignore[attr-defined]
            elif part.get_content_type() == "text/html" and not html:
                html = str(part.get_content())  # type: ignore[attr-defined]
        recipients = [a.strip() for a in str(parsed.get("To", "")).split(",") if a.strip()]
        out.append(
            {
                "to": recipients,
                "from": str(parsed.get("From", "")),
                "subject": str(parsed.get("Subject", "")),
                "text": text,
                "html": html,
                "attachments": attachments,
                "raw": raw,
            }
        )
    return out


def sent_sms() -> list[dict[str, str]]:
    """Every SMS SNS (moto) accepted so far (``Publish`` to a phone number), oldest first."""
    from moto.sns.models import sns_backends

    with MOTO_LOCK:
        messages = list(sns_backends[ACCOUNT_ID][REGION].sms_messages.items())
    return [{"message_id": mid, "to": to, "text": text} for mid, (to, text) in messages]


def text_of(value: str | bytes | bytearray) -> str:
    return value if isinstance(value, str) else bytes(value).decode()
