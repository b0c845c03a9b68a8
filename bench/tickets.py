"""One booking of 500 tickets: what rendering costs, and how many AWS calls it takes.

Prints, and writes to ``bench/results/tickets.json``:

* rendering: 500 ticket PDFs through our renderer next to bare fpdf2 drawing the same content
  in the same process (the ratio is the figure; see ``bench/tickets_render.py``);
* AWS calls: the booking request (the Bookings function) and the confirmation it causes (the
  Mailer function), each counted with a botocore ``before-call`` event hook on moto, next to
  the minimum we can argue for.

Usage::

    .venv/bin/python bench/tickets.py [--n 500] [--json PATH]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import platform
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_JSON = ROOT / "bench" / "results" / "tickets.json"

# The fewest calls each step can make, and why.
MINIMUM = {
    "booking": {
        "dynamodb.GetItem": "read the event (price options, capacity)",
        "dynamodb.GetItem ": "a retry with the same Idempotency-Key is answered before any check",
        "dynamodb.TransactWriteItems": "take the places; write order, positions, idempotency key",
        "sqs.SendMessage": "hand the confirmation to the mailer",
        "dynamodb.DeleteItem": "clear the pending-mail entry (the price of never losing a mail)",
    },
    "confirmation": {
        "dynamodb.GetItem": "was this mail sent already (SQS delivers at least once)",
        "dynamodb.Query": "read the order with its positions",
        "dynamodb.GetItem ": "read the event",
        "s3.ListObjectsV2": "which ticket PDFs exist already",
        "s3.PutObject x n": "store each new ticket PDF (downloads are served from S3)",
        "sesv2.SendEmail": "send the mail",
        "dynamodb.TransactWriteItems": "mark the mail sent, with its record under the recipient",
    },
}


def count_aws_calls(n: int) -> dict[str, Any]:
    """Run one booking of ``n`` tickets and its confirmation on moto, counting AWS calls."""
    from ticketing.adapters import aws
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.adapters.event_store import DynamoEventStore
    from ticketing.domain.events import Event
    from ticketing.domain.parties import Organizer
    from ticketing_local.account import moto_account

    with moto_account() as account:
        clients, queues = account.clients, account.queue_urls

        calls: Counter[str] = Counter()

        def count(model: Any, **_: Any) -> None:
            calls[f"{model.service_model.service_name}.{model.name}"] += 1

        for client in (aws.dynamodb(), aws.s3(), aws.sqs(), aws.sesv2()):
            client.meta.events.register("before-call", count)

        now = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
        DynamoAccessStore().add_party(
            Organizer(
                organizer_id="org_demo00000000000",
                name="Demo Messe GmbH",
                email="demo@example.org",
                created_at=now,
            ),
            None,
        )
        event_json = json.loads((ROOT / "events/events/create_event.json").read_text())["body"]
        draft = json.loads(event_json)
        draft["capacity"] = n
        # the sample event's days, moved a year past today: a booking is for a coming event
        ahead = dt.timedelta(days=365 + (dt.datetime.now(dt.UTC) - now).days)
        for moment in ("starts_at", "ends_at"):
            draft[moment] = (dt.datetime.fromisoformat(draft[moment]) + ahead).isoformat()
        DynamoEventStore().add(
            Event(
                **draft,
                event_id="evt_demo00000000000",
                organizer_id="org_demo00000000000",
                created_at=now,
            )
        )
        event = json.loads((ROOT / "events/bookings/create_booking.json").read_text())
        body = json.loads(event["body"])
        body["quantity"] = n
        event = copy.deepcopy(event)
        event["body"] = json.dumps(body)

        # each function as the local stack runs it: imported afresh, in its own environment
        bookings, mailer = account.pool("BookingsFunction"), account.pool("MailerFunction")
        bookings.warm()
        mailer.warm()
        calls.clear()
        started = time.perf_counter()
        response = bookings.invoke(event)
        booking_seconds = time.perf_counter() - started
        assert response["statusCode"] == 201, response["body"]
        booking_calls = dict(calls)

        message = clients["sqs"].receive_message(
            QueueUrl=queues["MailQueue"], MaxNumberOfMessages=1
        )["Messages"][0]
        record: dict[str, Any] = {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": {},
            "messageAttributes": {},
            "md5OfBody": message["MD5OfBody"],
            "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:eu-central-1:123456789012:ticketing-MailQueue",
            "awsRegion": "eu-central-1",
        }
        calls.clear()
        started = time.perf_counter()
        result = mailer.invoke({"Records": [record]})
        mail_seconds = time.perf_counter() - started
        assert result == {"batchItemFailures": []}, result
        mail_calls = dict(calls)

    return {
        "tickets": n,
        "booking": {
            "calls": booking_calls,
            "total": sum(booking_calls.values()),
            "minimum": len(MINIMUM["booking"]),
            "seconds_on_moto": round(booking_seconds, 3),
        },
        "confirmation": {
            "calls": mail_calls,
            "total": sum(mail_calls.values()),
            "minimum": len(MINIMUM["confirmation"]) - 1 + n,
            "seconds_on_moto": round(mail_seconds, 3),
        },
        "minimum_reasons": MINIMUM,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)

    from bench.tickets_render import format_table, measure_render

    render = measure_render(args.n, args.rounds)
    print(format_table(render))
    counted = count_aws_calls(args.n)
    for step in ("booking", "confirmation"):
        figures = counted[step]
        print(
            f"\nAWS calls for the {step} of {args.n} tickets: {figures['total']} "
            f"(minimum we can argue for: {figures['minimum']}; "
            f"{figures['seconds_on_moto']} s on moto)"
        )
        for name, count in sorted(figures["calls"].items()):
            print(f"  {name:32} {count}")
    result = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "render": render,
        "aws_calls": counted,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"\nFigures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
