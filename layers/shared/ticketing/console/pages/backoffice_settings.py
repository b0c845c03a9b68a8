"""The organizer's own settings (address, tax ids, bank details, links) for its invoices,
mails and pages: the use case of ``PATCH /organizers/{organizer_id}``, for its admins. An
empty field clears the setting (the name and language stay)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ticketing.console.backoffice_forms import field_errors, rule_error, typed
from ticketing.console.registry import page
from ticketing.domain.errors import InvalidRequest, NotFound
from ticketing.domain.parties import Organizer, OrganizerChange
from ticketing.domain.people import UserKind
from ticketing.i18n import LANGUAGES
from ticketing.services import access

if TYPE_CHECKING:
    from ticketing.console.http import Answer
    from ticketing.console.visit import Visit

SETTINGS = "/console/settings"
TEXTS = (
    "name",
    "street",
    "zip",
    "city",
    "country",
    "vat_id",
    "tax_number",
    "payment_days",
    "imprint_url",
    "privacy_url",
    "website",
    "contact_email",
)
BANK = ("bank.account_holder", "bank.iban", "bank.bic")
KEPT = ("name", "language")  # cannot be cleared: an empty field leaves them as they are


def _organizer(visit: Visit) -> Organizer:
    assert visit.user.organizer_id is not None  # staff of an organizer
    organizer = visit.stores.access.get_organizer(visit.user.organizer_id)
    if organizer is None:
        raise NotFound("no organizer")
    return organizer


def _values(organizer: Organizer) -> dict[str, str]:
    stored = organizer.model_dump(mode="json")
    values = {name: "" if stored.get(name) is None else str(stored[name]) for name in TEXTS}
    bank = stored.get("bank") or {}
    values.update({f"bank.{k}": str(bank.get(k) or "") for k in ("account_holder", "iban", "bic")})
    values["language"] = organizer.language
    values["small_business"] = "on" if organizer.small_business else ""
    return values


def _page(visit: Visit, values: dict[str, str], status: int = 200, **more: Any) -> Answer:
    return visit.render(
        "backoffice_settings.html",
        status,
        values=values,
        errors=more.pop("errors", {}),
        languages=LANGUAGES,
    )


@page("GET", SETTINGS, kinds={UserKind.ORGANIZER}, admin_only=True, nav="console.nav.settings")
def settings_page(visit: Visit) -> Answer:
    return _page(visit, _values(_organizer(visit)))


@page("POST", SETTINGS, kinds={UserKind.ORGANIZER}, admin_only=True)
def change(visit: Visit) -> Answer:
    organizer = _organizer(visit)
    values = typed(visit.form, (*TEXTS, *BANK, "language", "small_business"))
    body: dict[str, Any] = {name: values[name] or None for name in TEXTS if name not in KEPT}
    body.update({name: values[name] for name in KEPT if values[name]})
    body["small_business"] = values["small_business"] == "on"
    days = values["payment_days"]
    body["payment_days"] = int(days) if days.isdigit() else days or None
    bank = {k.removeprefix("bank."): values[k] for k in BANK if values[k]}
    body["bank"] = bank or None
    try:
        changed = OrganizerChange.model_validate(body)
        access.change_organizer(
            visit.stores.access, visit.principal, organizer.organizer_id, changed
        )
    except ValidationError as invalid:
        return _page(visit, values, 422, errors=field_errors(visit.language, invalid))
    except InvalidRequest as refused:
        return _page(visit, values, 422, errors=rule_error(visit.language, refused))
    return visit.done(SETTINGS, "console.backoffice.settings_saved")
