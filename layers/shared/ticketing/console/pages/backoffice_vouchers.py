"""Seed 001 "Gutscheine verlängern": a visitor voucher's page (validity, state, batch and
exhibitor, its registration) and the form that moves its end, with the use case of
``PATCH /vouchers/{code}`` (its checks: never into the past, past the event's end only
when said so)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from pydantic import ValidationError

from ticketing.console.backoffice_forms import field_errors, rule_error, typed
from ticketing.console.http import Answer, redirect
from ticketing.console.pages.orders import STAFF, formats
from ticketing.console.registry import page
from ticketing.domain.errors import Conflict, InvalidRequest
from ticketing.domain.visitor_vouchers import Extension
from ticketing.domain.voucher_codes import canonical, display
from ticketing.services import backoffice, events
from ticketing.services.visitor_vouchers import validity

if TYPE_CHECKING:
    from ticketing.console.visit import Visit

VOUCHER_PAGE = "/console/vouchers/{code}"


def _page(visit: Visit, status: int = 200, **form: object) -> Answer:
    stores = visit.stores
    view = backoffice.voucher_of(
        stores.visitor_vouchers.vouchers,
        stores.visitor_vouchers.batches,
        stores.access,
        visit.principal,
        visit.params["code"],
    )
    event = events.get_event(stores.events, visit.principal, view.voucher.event_id)
    return visit.render(
        "backoffice_voucher.html",
        status,
        view=view,
        voucher=view.voucher,
        shown=display(view.voucher.code),  # as printed: in groups of four
        event=event,
        errors=form.pop("errors", {}),
        values=form.pop("values", {}),
        **formats(visit, event.timezone),
    )


@page("GET", "/console/vouchers", kinds=STAFF)
def find_voucher(visit: Visit) -> Answer:
    """The code typed on an event's page: that voucher's page (a code is its own address)."""
    code = canonical(visit.query.get("code", "")) or "-"
    return redirect(VOUCHER_PAGE.format(code=quote(code, safe="")))


@page("GET", VOUCHER_PAGE, kinds=STAFF)
def voucher_page(visit: Visit) -> Answer:
    return _page(visit)


@page("POST", VOUCHER_PAGE + "/validity", kinds=STAFF)
def extend(visit: Visit) -> Answer:
    values = typed(visit.form, ("valid_until", "beyond_event_end"))
    stores = visit.stores
    deps = validity.Validity(
        stores.visitor_vouchers.vouchers,
        stores.visitor_vouchers.batches,
        stores.events,
        stores.clock,
        stores.backoffice.jobs,
        stores.backoffice.extensions,
    )
    try:
        extension = Extension.model_validate(
            {
                "valid_until": values["valid_until"] or None,
                "beyond_event_end": values["beyond_event_end"] == "on",
            }
        )
        voucher = validity.extend_voucher(deps, visit.principal, visit.params["code"], extension)
    except ValidationError as invalid:
        errors = field_errors(visit.language, invalid)
        return _page(visit, 422, errors=errors, values=values)
    except InvalidRequest as refused:
        return _page(visit, 422, errors=rule_error(visit.language, refused), values=values)
    except Conflict:  # redeemed meanwhile
        errors = {"valid_until": visit.t("console.backoffice.voucher_redeemed_meanwhile")}
        return _page(visit, 409, errors=errors, values=values)
    event = stores.events.get(voucher.event_id)
    until = formats(visit, event.timezone if event else None)["when"](voucher.valid_until)
    visit.record(
        "EVENT",
        voucher.event_id,
        "activity.event.voucher_extended",
        code=display(voucher.code),
        until=until,
    )
    return visit.done(
        VOUCHER_PAGE.format(code=voucher.code),
        "console.backoffice.voucher_extended",
        code=display(voucher.code),
        until=until,
    )
