"""One request of a signed-in user to a console page: who (principal, user), in which
language, with which form and query, at which moment, and the helpers a page answers with.

A page calls the services with ``visit.principal``, the very principal an API key of the
same party carries: a rule lives in its use case once, whichever door the call came in by.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ticketing.console.http import NOTICE_COOKIE, Answer, Request, cookie, redirect
from ticketing.console.registry import navigation
from ticketing.console.rendering import NavEntry, render
from ticketing.domain.people import Session, User, principal_of
from ticketing.i18n import Language, translate
from ticketing.services.staff import record_activity

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from ticketing.console.multipart import Upload
    from ticketing.console.stores import Stores
    from ticketing.domain.identity import Principal
    from ticketing.services.ports_console import Activity, Subject


@dataclass
class Visit:
    request: Request
    stores: Stores
    user: User
    session: Session
    language: Language
    now: datetime
    params: Mapping[str, str] = field(default_factory=dict)  # the path's {parameters}
    notice: str | None = None  # what the previous POST did, in the visit's language

    @property
    def principal(self) -> Principal:
        return principal_of(self.user)

    @property
    def form(self) -> Mapping[str, str]:
        return self.request.form

    @property
    def files(self) -> Mapping[str, Upload]:
        """A multipart form's file fields: (filename, content_type, data) by field name."""
        return self.request.files

    @property
    def query(self) -> Mapping[str, str]:
        return self.request.query

    @property
    def csrf(self) -> str:
        """The session's CSRF token: every form carries it as the hidden field ``csrf``."""
        return self.session.csrf

    def t(self, message_id: str, /, **values: object) -> str:
        return translate(self.language, message_id, **values)

    def render(self, template_name: str, status: int = 200, **context: Any) -> Answer:
        """The page ``template_name`` in the frame, with the navigation of this user."""
        nav = [
            NavEntry(p.path, self.t(p.nav or ""), p.path == self.request.path)
            for p in navigation(self.user)
        ]
        body = render(
            template_name,
            self.language,
            nav=nav,
            user_name=self.user.name,
            csrf=self.csrf,
            notice=self.notice,
            **context,
        )
        cookies = [cookie(NOTICE_COOKIE, "", max_age=0)] if self.notice else []
        return Answer(status, body, cookies=cookies)

    def done(self, location: str, message_id: str, **params: str) -> Answer:
        """After a POST: back to ``location`` (303), which then says what was done
        (``message_id`` of the catalogue, filled with ``params``) once."""
        return redirect(location, [cookie(NOTICE_COOKIE, encode_notice(message_id, params), 60)])

    def record(self, subject: Subject, subject_id: str, message_id: str, **params: str) -> Activity:
        """Log a state-changing action on an order or event (who: this user)."""
        return record_activity(
            self.stores.activity,
            self.stores.clock,
            self.principal,
            self.user,
            subject,
            subject_id,
            message_id,
            **params,
        )


def encode_notice(message_id: str, params: Mapping[str, str]) -> str:
    data = json.dumps({"id": message_id, "p": dict(params)}, ensure_ascii=False)
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def decode_notice(value: str | None, language: Language) -> str | None:
    """The notice a cookie carries, in ``language``; None for anything else. Only texts of
    the catalogue's ``console.`` ids are said, with their values escaped by the template."""
    if not value:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        message_id, params = str(data["id"]), {str(k): str(v) for k, v in data["p"].items()}
        if not message_id.startswith("console."):
            return None
        return translate(language, message_id, **params)
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
