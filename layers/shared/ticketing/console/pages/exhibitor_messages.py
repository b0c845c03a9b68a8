"""The exhibitor writes again to the visitors who registered its codes (seed 000 "Sie können
... erneut anschreiben", issue 16 item 5), in the console: its messages with their review
state (and the reviewer's question or reason), a new one with a preview and the number of
registrants who agreed to be written to, submitted for review; a message the reviewer asked
back about is changed and submitted again.

The same use cases as ``functions/invitations`` (``invitation_tracking.write_again``,
``change_message``, ``submit_message``) with the contact's principal; the reviewer decides in
the reviewer's queue (``pages/messages.py``).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ticketing.api.spoken import detail
from ticketing.console.backoffice_forms import field_errors, rule_error, typed
from ticketing.console.pages.exhibitor import event_id_of
from ticketing.console.registry import page
from ticketing.domain.errors import Conflict, InvalidRequest
from ticketing.domain.invitations import MessageDraft
from ticketing.domain.notifications import EDITABLE, Notification, NotificationChange
from ticketing.domain.people import UserKind
from ticketing.i18n import format_datetime
from ticketing.services.visitor_vouchers import invitation_tracking as tracking

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ticketing.console.http import Answer
    from ticketing.console.visit import Visit
    from ticketing.services import notifications
    from ticketing.services.notification_mail import Preview

EXHIBITOR = {UserKind.EXHIBITOR}
BASE = "/console/exhibitor/messages"
FIELDS = ("subject", "body", "kind")


def message_path(notification_id: str) -> str:
    return f"{BASE}/{notification_id}"


def tracking_of(visit: Visit) -> tracking.Tracking:
    return visit.stores.invitations.tracking(visit.stores)


def _desk(visit: Visit) -> notifications.Desk:
    return visit.stores.notifications.desk(visit.stores)


def _when(visit: Visit) -> Any:
    event = visit.stores.events.get(event_id_of(visit))
    zone = event.timezone if event else None

    def when(moment: Any) -> str:
        return format_datetime(moment, zone, visit.language) if moment else ""

    return when


def _list_page(
    visit: Visit,
    status: int = 200,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    shown: Preview | None = None,
    consenting: int | None = None,
) -> Answer:
    deps, desk = tracking_of(visit), _desk(visit)
    found = tracking.messages_of(deps, desk, visit.principal, event_id_of(visit))
    found.sort(key=lambda m: m.created_at, reverse=True)
    if consenting is None:
        consenting = tracking.consenting_registrants(deps, visit.principal.subject_id)
    return visit.render(
        "exhibitor_messages.html",
        status,
        messages=found,
        consenting=consenting,
        values=values or {"kind": "information"},
        errors=errors or {},
        preview=shown,
        when=_when(visit),
        once=secrets.token_urlsafe(16),  # the form's key: a double click submits once
    )


@page("GET", BASE, kinds=EXHIBITOR, nav="console.exhibitor.nav.messages")
def messages_page(visit: Visit) -> Answer:
    return _list_page(visit)


@page("POST", BASE, kinds=EXHIBITOR)
def write(visit: Visit) -> Answer:
    """``action=preview``: the mail as a registrant would get it, nothing stored; otherwise
    the message is submitted to the platform's review."""
    values = typed(visit.form, FIELDS)
    try:
        draft = MessageDraft.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as invalid:
        return _list_page(visit, 422, values, field_errors(visit.language, invalid))
    deps, desk, event_id = tracking_of(visit), _desk(visit), event_id_of(visit)
    try:
        if visit.form.get("action") == "preview":
            shown, agreed = tracking.draft_preview(deps, desk, visit.principal, event_id, draft)
            return _list_page(visit, 200, values, shown=shown, consenting=agreed)
        key = visit.form.get("once", "").strip()[:200] or None
        made, _, _ = tracking.write_again(deps, desk, visit.principal, event_id, draft, key)
    except InvalidRequest as refused:
        return _list_page(visit, 422, values, _refusal(visit, refused))
    visit.record("EVENT", event_id, "activity.event.notification_submitted", title=made.subject)
    return visit.done(
        message_path(made.notification_id), "console.messages.submitted", subject=made.subject
    )


def _detail(
    visit: Visit,
    status: int = 200,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    shown: Preview | None = None,
) -> Answer:
    found = _own(visit)
    return visit.render(
        "exhibitor_message.html",
        status,
        message=found,
        editable=found.state in EDITABLE,
        preview=shown or tracking.message_preview(_desk(visit), found),
        values=values or {name: str(getattr(found, name)) for name in FIELDS},
        errors=errors or {},
        when=_when(visit),
    )


def _own(visit: Visit) -> Notification:
    nid = visit.params["message_id"]
    return tracking.message_of(
        tracking_of(visit), _desk(visit), visit.principal, event_id_of(visit), nid
    )


@page("GET", BASE + "/{message_id}", kinds=EXHIBITOR)
def message_page(visit: Visit) -> Answer:
    return _detail(visit)


@page("POST", BASE + "/{message_id}", kinds=EXHIBITOR)
def change(visit: Visit) -> Answer:
    """The changed text of a message asked back about: ``action=preview`` shows it, ``save``
    keeps it, ``submit`` keeps it and submits it to the review again."""
    values = typed(visit.form, FIELDS)
    try:
        changed = NotificationChange.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as invalid:
        return _detail(visit, 422, values, field_errors(visit.language, invalid))
    nid, action = visit.params["message_id"], visit.form.get("action", "save")
    deps, desk, event_id = tracking_of(visit), _desk(visit), event_id_of(visit)
    if action == "preview":
        found = _own(visit)
        typed_in = found.model_copy(update=changed.model_dump(exclude_none=True))
        return _detail(visit, 200, values, shown=tracking.message_preview(desk, typed_in))
    try:
        done = tracking.change_message(deps, desk, visit.principal, event_id, nid, changed)
        if action == "submit":
            done = tracking.submit_message(deps, desk, visit.principal, event_id, nid)
    except InvalidRequest as refused:
        return _detail(visit, 422, values, _refusal(visit, refused))
    except Conflict as refused:
        return _detail(visit, 409, values, {"": detail(visit.language, refused)})
    if action == "submit":
        return _submitted(visit, done)
    return visit.done(message_path(nid), "console.messages.saved", subject=done.subject)


@page("POST", BASE + "/{message_id}/submit", kinds=EXHIBITOR)
def submit(visit: Visit) -> Answer:
    nid = visit.params["message_id"]
    try:
        done = tracking.submit_message(
            tracking_of(visit), _desk(visit), visit.principal, event_id_of(visit), nid
        )
    except InvalidRequest as refused:
        return _detail(visit, 422, errors=_refusal(visit, refused))
    except Conflict as refused:
        return _detail(visit, 409, errors={"": detail(visit.language, refused)})
    return _submitted(visit, done)


def _refusal(visit: Visit, refused: InvalidRequest) -> dict[str, str]:
    """A refusal next to its field of the form, or above the form (the form's key, say)."""
    said = rule_error(visit.language, refused)
    return {(name if name in FIELDS else ""): text for name, text in said.items()}


def _submitted(visit: Visit, done: Notification) -> Answer:
    visit.record(
        "EVENT", done.event_id, "activity.event.notification_submitted", title=done.subject
    )
    return visit.done(
        message_path(done.notification_id), "console.messages.submitted", subject=done.subject
    )
