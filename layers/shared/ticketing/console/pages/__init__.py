"""The console's pages, one module per area; importing this package registers them all.

A new area adds its module here (the order is the order of the navigation).
"""

from ticketing.console.pages import (
    exhibitor,
    exhibitor_reports,
    home,
    orders,
    orders_events,
    reviewer,
    staff,
)

# isort: split
# the back office (events, bookings, exhibitors, vouchers, settings) after the orders side
from ticketing.console.pages import (
    backoffice_bookings,
    backoffice_events,
    backoffice_exhibitors,
    backoffice_settings,
    backoffice_vouchers,
)

# isort: split
# gift vouchers (seed 004): merchants, campaigns, the hotline
from ticketing.console.pages import gift, gift_hotline

# isort: split
# notifications to ticket holders and their review (issue 15)
from ticketing.console.pages import messages

# isort: split
# exhibitors invite their customers (issue 16)
from ticketing.console.pages import invitations

# isort: split
# and write again to those who registered their codes (issue 16 item 5)
from ticketing.console.pages import exhibitor_messages

# isort: split
# an event's questions (seed 002, issue 17)
from ticketing.console.pages import questions

# isort: split
# a person's data: export, erasure, retention (seed 002, issue 17)
from ticketing.console.pages import privacy

__all__ = [
    "backoffice_bookings",
    "backoffice_events",
    "backoffice_exhibitors",
    "backoffice_settings",
    "backoffice_vouchers",
    "exhibitor",
    "exhibitor_messages",
    "exhibitor_reports",
    "gift",
    "gift_hotline",
    "home",
    "invitations",
    "messages",
    "orders",
    "orders_events",
    "privacy",
    "questions",
    "reviewer",
    "staff",
]
