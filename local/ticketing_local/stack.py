"""The local stack: moto, the template's resources, its functions, routes, queues and schedules."""

from __future__ import annotations

import json
import os
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ticketing.settings import scoped_environment
from ticketing_local.account import apply_template
from ticketing_local.gateway import Gateway, GatewayServer, serve
from ticketing_local.moto_backend import MotoServer, sent_mail, sent_sms, text_of
from ticketing_local.runtime import FunctionPool
from ticketing_local.template import (
    ACCOUNT_ID,
    REGION,
    TEMPLATE_PATH,
    Stack,
    load_template,
    physical_names,
)
from ticketing_local.workers import QueuePoller, Scheduler

DEMO_ORGANIZER = {
    "name": "Demo Messe GmbH",
    "email": "demo-organizer@example.org",
    "language": "de",
    "street": "Messegelände 1",
    "zip": "81823",
    "city": "München",
    "country": "Deutschland",
    "vat_id": "DE123456789",
}


DEMO_ADMIN = {"email": "demo-admin@example.org", "name": "Dana Demo"}
DEMO_REVIEWER = {"email": "reviewer@example.org", "name": "Rita Review"}


@dataclass
class Credentials:
    base_url: str
    organizer_key: str
    reviewer_key: str
    organizer_id: str
    aws_endpoint: str
    # the console's demo users (issue 13): sign in with these through /_local/outbox
    organizer_email: str = ""
    reviewer_email: str = ""

    def as_json(self) -> str:
        return json.dumps(self.__dict__, indent=2)


class LocalStack:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 3000,
        template_path: Path = TEMPLATE_PATH,
        instances_per_function: int = 8,
    ) -> None:
        self.host = host
        self.port = port
        self.template_path = template_path
        self.instances = instances_per_function
        self.moto = MotoServer(host="127.0.0.1", port=0)
        self.pools: dict[str, FunctionPool] = {}
        self.pollers: list[QueuePoller] = []
        self.scheduler: Scheduler | None = None
        self.http: GatewayServer | None = None
        self.stack: Stack | None = None
        self.credentials: Credentials | None = None

    # -------------------------------------------------------------------------- start / stop

    def start(self) -> Credentials:
        from ticketing import clock as clock_module
        from ticketing.clock import ShiftedClock

        self.moto.start()
        self.http = serve(self.host, self.port)
        host, port = self.http.server_address[:2]
        base_url = f"http://{text_of(host)}:{port}"
        template = load_template(self.template_path)
        # links in mail and pages point at this local API instead of the deployed domain
        declared = template.get("Parameters") or {}
        overrides = {"PublicBaseUrl": base_url} if "PublicBaseUrl" in declared else {}
        account = apply_template(self.moto.url, template, overrides, self.template_path)
        # a metrics line per invocation would drown the console; CloudWatch is not here to read it
        os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
        stack = self.stack = account.stack
        clients, queue_urls = account.clients, account.queue_urls
        self.clock = ShiftedClock()
        clock_module.install(self.clock)

        for name in stack.functions:
            pool = account.pool(name, limit=self.instances)
            pool.warm()
            self.pools[name] = pool

        _, attributes = physical_names(template)
        for name, function in stack.functions.items():
            for queue, batch in function.queues:
                poller = QueuePoller(
                    clients["sqs"],
                    queue_urls[queue],
                    attributes[(queue, "Arn")],
                    name,
                    batch,
                    self.invoke,
                )
                self.pollers.append(poller)
        self.scheduler = Scheduler(
            {name: f.schedules for name, f in stack.functions.items() if f.schedules},
            self.clock,
            self.invoke,
        )

        self.http.gateway = Gateway(
            routes=stack.routes,
            invoke=self.invoke,
            authorizer=stack.authorizer,
            responses=stack.gateway_responses,
            local_helpers=self.local_helper,
            stage=stack.parameters.get("Stage", "local") or "local",
        )

        # the demo tenant is onboarded as the Access function onboards one, in its environment
        with scoped_environment(account.environment_of("AccessFunction")):
            organizer_key, reviewer_key, organizer_id = self._seed()
        for poller in self.pollers:
            poller.start()
        self.scheduler.start()
        threading.Thread(target=self.http.serve_forever, name="http", daemon=True).start()
        self.credentials = Credentials(
            base_url=base_url,
            organizer_key=organizer_key,
            reviewer_key=reviewer_key,
            organizer_id=organizer_id,
            aws_endpoint=self.moto.url,
            organizer_email=DEMO_ADMIN["email"],
            reviewer_email=DEMO_REVIEWER["email"],
        )
        return self.credentials

    def stop(self) -> None:
        if self.http is not None:
            self.http.shutdown()
        # every poller told first, then each waited for (briefly): not one second after another
        for poller in self.pollers:
            poller.signal_stop()
        for poller in self.pollers:
            poller.stop()
        if self.scheduler is not None:
            self.scheduler.stop()
        self.moto.stop()

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        return self.pools[function].invoke(event)

    # -------------------------------------------------------------------------- demo tenant

    def _seed(self) -> tuple[str, str, str]:
        """A reviewer and a demo organizer, made through the same use cases the API calls."""
        from ticketing.adapters.access_store import DynamoAccessStore
        from ticketing.adapters.mail_queue import SqsMailQueue
        from ticketing.adapters.outbox import DynamoOutbox
        from ticketing.domain.parties import OrganizerDraft
        from ticketing.services import access
        from ticketing.services.outbox import Outgoing

        store = DynamoAccessStore()
        reviewer_key = access.create_reviewer(store, self.clock, reviewer_id="rev_local")
        reviewer = access.authenticate(store, reviewer_key)
        created = access.onboard_organizer(
            store,
            Outgoing(DynamoOutbox(), SqsMailQueue()),
            self.clock,
            reviewer,
            OrganizerDraft(**DEMO_ORGANIZER),
        )
        self._seed_people(created.party.organizer_id)
        return created.api_key, reviewer_key, created.party.organizer_id

    def _seed_people(self, organizer_id: str) -> None:
        """The console's demo users: the demo organizer's admin and a reviewer."""
        from ticketing.adapters.people_store import DynamoPeopleStore
        from ticketing.services import staff

        people = DynamoPeopleStore()
        staff.add_first_admin(
            people, self.clock, organizer_id, DEMO_ADMIN["email"], DEMO_ADMIN["name"]
        )
        staff.add_reviewer(people, self.clock, DEMO_REVIEWER["email"], DEMO_REVIEWER["name"])

    # -------------------------------------------------------------------------- /_local/

    def local_helper(
        self, method: str, path: str, body: bytes, query: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        parts = [p for p in path.split("/") if p][1:]  # drop "_local"
        try:
            if parts == ["outbox"] and method == "GET":
                # ?raw=1 adds each mail's MIME source, to read attachments byte for byte
                with_raw = "raw=1" in query.split("&")
                mails = [
                    {"index": i, **{k: v for k, v in m.items() if with_raw or k != "raw"}}
                    for i, m in enumerate(sent_mail())
                ]
                return _json(200, mails)
            if len(parts) == 2 and parts[0] == "outbox" and method == "GET":
                mails = sent_mail()
                index = int(parts[1])
                if not 0 <= index < len(mails):
                    return _json(404, {"title": "Not found", "detail": f"no mail {index}"})
                mail = mails[index]
                page = mail["html"] or f"<pre>{_escape(mail['text'])}</pre>"
                return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()
            if parts == ["sms"] and method == "GET":
                # the gift vouchers' SMS, like the outbox of mail
                return _json(200, [{"index": i, **m} for i, m in enumerate(sent_sms())])
            if parts == ["ses-events"] and method == "POST":
                # an SES report (or a whole SNS event) to SesEventsFunction, as SNS delivers it
                return _json(200, self.invoke("SesEventsFunction", sns_event(body)))
            if parts == ["clock"]:
                if method == "POST":
                    return self._set_clock(body)
                return _json(200, self._clock_state())
            if parts == ["schedules"] and method == "GET":
                assert self.scheduler is not None
                return _json(200, self.scheduler.describe())
            if len(parts) == 2 and parts[0] == "schedules" and method == "POST":
                assert self.scheduler is not None
                schedule = self.scheduler.run_now(parts[1])
                if schedule is None:
                    return _json(
                        404, {"title": "Not found", "detail": f"no schedule for {parts[1]}"}
                    )
                return _json(
                    200,
                    {
                        "function": schedule.function,
                        "ran_at": schedule.last_run.isoformat() if schedule.last_run else None,
                        "result": schedule.last_result,
                        "error": schedule.last_error,
                    },
                )
        except ValueError as error:
            return _json(400, {"title": "Bad request", "detail": str(error)})
        return _json(404, {"title": "Not found", "detail": f"no local helper {path}"})

    def _set_clock(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        try:
            payload = json.loads(body or b"{}")
        except json.JSONDecodeError:
            raise ValueError('send {"now": "2026-12-01T10:00:00Z"} or {"now": null}') from None
        if not isinstance(payload, dict) or "now" not in payload:
            raise ValueError('send {"now": "2026-12-01T10:00:00Z"} or {"now": null}')
        value = payload["now"]
        if value is None:
            self.clock.set(None)
        else:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            if moment.tzinfo is None:
                raise ValueError("now needs a time zone, e.g. 2026-12-01T10:00:00Z")
            self.clock.set(moment)
        if self.scheduler is not None:
            self.scheduler.clock_moved()
        return _json(200, self._clock_state())

    def _clock_state(self) -> dict[str, Any]:
        return {"now": self.clock.now().isoformat(), "shifted": self.clock.shifted}


def sns_event(body: bytes) -> dict[str, Any]:
    """The Lambda event SNS makes of one message: ``body`` is an SES report (JSON), or
    already an SNS event (``{"Records": [...]}``), passed on as it is."""
    try:
        payload = json.loads(body or b"{}")
    except json.JSONDecodeError:
        raise ValueError('send an SES report as JSON, e.g. {"eventType": "Complaint"}') from None
    if isinstance(payload, dict) and "Records" in payload:
        return payload
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:ticketing-SesEventsTopic"
    message_id = str(uuid.uuid4())
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": f"{topic}:{uuid.uuid4()}",
                "Sns": {
                    "Type": "Notification",
                    "MessageId": message_id,
                    "TopicArn": topic,
                    "Subject": None,
                    "Message": json.dumps(payload),
                    "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z",
                    "SignatureVersion": "1",
                    "Signature": "",
                    "SigningCertUrl": "",
                    "UnsubscribeUrl": "",
                    "MessageAttributes": {},
                },
            }
        ]
    }


def _json(status: int, payload: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(payload, default=str).encode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
