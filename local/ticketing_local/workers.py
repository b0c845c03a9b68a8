"""Background work of the local stack: SQS event sources and schedules, as AWS would run them."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ticketing.clock import Clock
from ticketing_local.schedule_expressions import NoMoreRuns, next_run
from ticketing_local.template import ACCOUNT_ID, REGION, ScheduleSpec

POLL_SECONDS = 0.2
_log = logging.getLogger("ticketing_local")


class QueuePoller:
    """Lambda's SQS event source mapping: receive a batch, invoke, delete what succeeded."""

    def __init__(
        self, sqs: Any, queue_url: str, queue_arn: str, function: str, batch_size: int, invoke: Any
    ) -> None:
        self.sqs = sqs
        self.queue_url = queue_url
        self.queue_arn = queue_arn
        self.function = function
        self.batch_size = max(1, min(batch_size, 10))
        self.invoke = invoke
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"sqs-{function}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def signal_stop(self) -> None:
        self._stop.set()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                handled = self.poll_once()
            except Exception:  # noqa: BLE001 - a poller must outlive one bad round
                handled = 0
            if not handled:
                self._stop.wait(POLL_SECONDS)

    def poll_once(self) -> int:
        # WaitTimeSeconds=0: a long poll would hold the moto lock while it waits.
        response = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=0,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = response.get("Messages", [])
        if not messages:
            return 0
        event = {"Records": [self._record(m) for m in messages]}
        try:
            result = self.invoke(self.function, event)
        except Exception as error:  # noqa: BLE001 - the whole batch returns to the queue, as on AWS
            # as Lambda's own log line of a failed invocation: the messages wait out the
            # queue's visibility timeout, and this says why
            _log.warning("%s failed on %d message(s): %r", self.function, len(messages), error)
            return len(messages)
        failed = {
            f.get("itemIdentifier")
            for f in (result or {}).get("batchItemFailures", [])
            if isinstance(f, dict)
        }
        for message in messages:
            if message["MessageId"] not in failed:
                self.sqs.delete_message(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )
        return len(messages)

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        attributes = {
            name: {
                "stringValue": value.get("StringValue"),
                "binaryValue": value.get("BinaryValue"),
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": value.get("DataType"),
            }
            for name, value in (message.get("MessageAttributes") or {}).items()
        }
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": attributes,
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": REGION,
        }


@dataclass
class Schedule:
    function: str
    expression: str
    input: str | None
    next_run: datetime | None
    last_run: datetime | None = None
    last_result: Any = None
    last_error: str | None = None


def scheduled_event(function: str, at: datetime) -> dict[str, Any]:
    """The event for a schedule without ``Input`` (EventBridge's scheduled-event shape)."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.scheduler",
        "account": ACCOUNT_ID,
        "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:scheduler:{REGION}:{ACCOUNT_ID}:schedule/default/{function}"],
        "detail": {},
    }


class Scheduler:
    """Runs each declared schedule when the local clock reaches its next run.

    A clock moved forward past a run fires that run once (not every missed one); a clock moved
    backward plans the next run again from the new time.
    """

    def __init__(self, schedules: dict[str, list[ScheduleSpec]], clock: Clock, invoke: Any) -> None:
        self.clock = clock
        self.invoke = invoke
        now = clock.now()
        self.schedules = [
            Schedule(function, spec.expression, spec.input, _next(spec.expression, now))
            for function, specs in schedules.items()
            for spec in specs
        ]
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scheduler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)

    def clock_moved(self) -> None:
        now = self.clock.now()
        with self._lock:
            for schedule in self.schedules:
                if schedule.next_run is not None and schedule.next_run > now:
                    schedule.next_run = _next(schedule.expression, now)

    def run_now(self, function: str) -> Schedule | None:
        schedule = next((s for s in self.schedules if s.function == function), None)
        if schedule is not None:
            self._fire(schedule, self.clock.now(), replan=False)
        return schedule

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            now = self.clock.now()
            for schedule in list(self.schedules):
                if schedule.next_run is not None and schedule.next_run <= now:
                    self._fire(schedule, now, replan=True)

    def _fire(self, schedule: Schedule, now: datetime, replan: bool) -> None:
        try:
            event = (
                json.loads(schedule.input)
                if schedule.input is not None
                else scheduled_event(schedule.function, now)
            )
            schedule.last_result = self.invoke(schedule.function, event)
            schedule.last_error = None
        except Exception as error:  # noqa: BLE001 - reported through /_local/schedules
            schedule.last_error = f"{type(error).__name__}: {error}"
        schedule.last_run = now
        if replan:
            with self._lock:
                schedule.next_run = _next(schedule.expression, now)

    def describe(self) -> list[dict[str, Any]]:
        return [
            {
                "function": s.function,
                "expression": s.expression,
                "next_run": s.next_run.isoformat() if s.next_run else None,
                "last_run": s.last_run.isoformat() if s.last_run else None,
                "last_error": s.last_error,
            }
            for s in self.schedules
        ]


def _next(expression: str, after: datetime) -> datetime | None:
    try:
        return next_run(expression, after)
    except NoMoreRuns:
        return None
