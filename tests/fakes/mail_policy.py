"""Mail policy in memory (issue 15): consent, suppressed addresses, link tokens, withheld mail."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime

from ticketing.domain.consent import Channel, Consent, ConsentEntry, ConsentKind, Suppression
from ticketing.services.ports_mail import MailToken, WithheldMail


class FakeConsentStore:
    def __init__(self) -> None:
        self.consents: dict[tuple[str, str], Consent] = {}
        self.lock = threading.Lock()

    def get(self, organizer_id: str, address: str) -> Consent:
        found = self.consents.get((organizer_id, address))
        return found or Consent(organizer_id=organizer_id, address=address)

    def change(
        self,
        organizer_id: str,
        address: str,
        what: ConsentKind,
        value: bool,
        at: datetime,
        channel: Channel,
    ) -> Consent:
        with self.lock:
            now = self.get(organizer_id, address)
            entry = ConsentEntry(what=what, value=value, at=at, channel=channel)
            changed = now.model_copy(update={what: value, "history": [*now.history, entry]})
            self.consents[(organizer_id, address)] = changed
            return changed


class FakeSuppressionStore:
    def __init__(self) -> None:
        self.suppressed: dict[str, Suppression] = {}

    def get(self, address: str) -> Suppression | None:
        return self.suppressed.get(address)

    def suppress(self, suppression: Suppression) -> None:
        self.suppressed[suppression.address] = suppression


class FakeMailTokens:
    def __init__(self) -> None:
        self.tokens: dict[str, MailToken] = {}
        self.lock = threading.Lock()

    def put(self, token: MailToken) -> None:
        with self.lock:
            if token.digest in self.tokens:
                raise ValueError("token exists")
            self.tokens[token.digest] = token

    def peek(self, digest: str) -> MailToken | None:
        return self.tokens.get(digest)

    def use(self, digest: str, now: datetime) -> MailToken | None:
        with self.lock:
            token = self.tokens.get(digest)
            if token is None or token.used_at is not None or token.expires_at <= now:
                return None
            used = replace(token, used_at=now)
            self.tokens[digest] = used
            return used


class FakeWithheldMails:
    def __init__(self) -> None:
        self.withheld: dict[tuple[str, str, str], WithheldMail] = {}

    def record(self, withheld: WithheldMail) -> None:
        about = withheld.order_number or withheld.request_id
        self.withheld[(about, withheld.request_id, withheld.address)] = withheld

    def for_order(self, order_number: str) -> list[WithheldMail]:
        found = [w for (about, _, _), w in self.withheld.items() if about == order_number]
        return sorted(found, key=lambda w: w.at)
