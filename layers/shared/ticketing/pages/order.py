"""The order's private page ``/o/{order_number}/{secret}``: its tickets and invoice (seed 001).

The link comes with the confirmation mail and from the self-service portal. The page lists
what the customer may download: each ticket (``/t/{token}``, a short-lived download), all
tickets in one PDF, and the invoice of a priced order. It has no script and is served with
:data:`ORDER_RESPONSE_HEADERS`: the URL holds the secret, so it is neither cached, nor sent on
as a Referer, nor indexed.

A wrong secret and an unknown order number get one and the same page
(:func:`render_not_found_page`), which echoes nothing of the request: it must not tell
which order numbers exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Final
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ticketing.pages.redeem import RESPONSE_HEADERS
from ticketing.pages.rendering import Language, render_page
from ticketing.pages.views import OrderPage

# The redemption page's headers, tightened for a URL that is a password.
ORDER_RESPONSE_HEADERS: Final[Mapping[str, str]] = {
    **RESPONSE_HEADERS,
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store, private",
    "X-Robots-Tag": "noindex",
}

# English month names, independent of the machine's locale.
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EN_DASH: Final = "\u2013"

PAGE_TEXTS: Final[Mapping[Language, Mapping[str, str]]] = {
    "de": {
        "title": "Ihre Bestellung",
        "when": "Datum",
        "venue": "Ort",
        "order_number": "Bestellnummer",
        "customer": "Name",
        "tickets": "Ihre Tickets",
        "ticket_count_one": "1 Ticket",
        "ticket_count_many": "{n} Tickets",
        "all_tickets": "Alle Tickets herunterladen",
        "all_tickets_note": "(eine PDF-Datei)",
        "download": "Ticket herunterladen",
        "holder": "Ticketinhaber",
        "invoice_heading": "Rechnung",
        "invoice": "Rechnung herunterladen (PDF)",
        "personal": (
            "Jedes Ticket ist persönlich und gilt nur für die Person, deren Name darauf steht. "
            "Beim Einlass wird der QR-Code gescannt; jeder Code gilt nur einmal."
        ),
        "reminders_heading": "Erinnerungen",
        "reminders": "Erinnern Sie mich am Tag vor der Veranstaltung per E-Mail.",
        "reminders_note": (
            "Die Bestätigung und Ihre Tickets bekommen Sie immer; Werbung schicken wir nie."
        ),
        "save": "Speichern",
        "private": (
            "Diese Seite ist über einen privaten Link erreichbar. Bitte geben Sie ihn nicht "
            "weiter: Wer ihn hat, kann Ihre Tickets herunterladen."
        ),
    },
    "en": {
        "title": "Your order",
        "when": "Date",
        "venue": "Venue",
        "order_number": "Order number",
        "customer": "Name",
        "tickets": "Your tickets",
        "ticket_count_one": "1 ticket",
        "ticket_count_many": "{n} tickets",
        "all_tickets": "Download all tickets",
        "all_tickets_note": "(one PDF)",
        "download": "Download ticket",
        "holder": "Ticket holder",
        "invoice_heading": "Invoice",
        "invoice": "Download invoice (PDF)",
        "personal": (
            "Each ticket is personal and valid only for the person whose name is on it. "
            "Its QR code is scanned at the entrance; each code is valid once."
        ),
        "reminders_heading": "Reminders",
        "reminders": "Remind me by e-mail the day before the event.",
        "reminders_note": (
            "You always get the confirmation and your tickets; we never send advertising."
        ),
        "save": "Save",
        "private": (
            "This page is reached through a private link. Please do not pass it on: anyone "
            "who has it can download your tickets."
        ),
    },
}

NOT_FOUND_TEXTS: Final[Mapping[Language, Mapping[str, str]]] = {
    "de": {
        "title": "Bestellung nicht gefunden",
        "lead": (
            "Diese Bestellung kennen wir nicht, oder der Link ist nicht vollständig. Bitte "
            "öffnen Sie den Link direkt aus Ihrer E-Mail, ohne ihn abzutippen."
        ),
        "portal": "Link neu anfordern",
        "portal_hint": "Mit Ihrer Bestellnummer und E-Mail-Adresse schicken wir ihn erneut.",
    },
    "en": {
        "title": "Order not found",
        "lead": (
            "We do not know this order, or the link is incomplete. Please open the link "
            "straight from your e-mail instead of typing it."
        ),
        "portal": "Request the link again",
        "portal_hint": "With your order number and e-mail address we send it again.",
    },
}


def format_when(starts_at: datetime, ends_at: datetime, timezone: str, language: Language) -> str:
    """When the event is, in its own time zone: start and end joined by an en dash.

    German ``12.07.2026, 09:00 Uhr``, English ``12 Jul 2026, 09:00``; when the event ends on the
    day it starts, the end is only a time (German ``12.07.2026, 09:00`` dash ``18:00 Uhr``).
    """
    zone = ZoneInfo(timezone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    same_day = start.date() == end.date()
    if language == "de":
        if same_day:
            return f"{start:%d.%m.%Y, %H:%M} {EN_DASH} {end:%H:%M} Uhr"
        return f"{start:%d.%m.%Y, %H:%M} Uhr {EN_DASH} {end:%d.%m.%Y, %H:%M} Uhr"

    def day(moment: datetime) -> str:
        return f"{moment.day} {MONTHS_EN[moment.month - 1]} {moment.year}"

    if same_day:
        return f"{day(start)}, {start:%H:%M} {EN_DASH} {end:%H:%M}"
    return f"{day(start)}, {start:%H:%M} {EN_DASH} {day(end)}, {end:%H:%M}"


def render_order_page(language: Language, page: OrderPage) -> str:
    """The order's documents in ``language``; every value from the order is escaped."""
    links = (page.all_tickets_url, page.invoice_url, page.preferences_url)
    for url in (*links, *(t.url for t in page.tickets)):
        if url is not None:
            _check_link(url)
    texts = PAGE_TEXTS[language]
    count = len(page.tickets)
    return render_page(
        "order.html",
        language,
        PAGE_TEXTS,
        page=page,
        when=format_when(page.starts_at, page.ends_at, page.timezone, language),
        starts_at=page.starts_at.isoformat(),
        ticket_count=(
            texts["ticket_count_one"]
            if count == 1
            else texts["ticket_count_many"].replace("{n}", str(count))
        ),
    )


def render_not_found_page(language: Language) -> str:
    """The one page for an unknown order and a wrong secret alike; it depends on nothing else."""
    return render_page("not_found.html", language, NOT_FOUND_TEXTS)


def _check_link(url: str) -> None:
    """Links come from the handler, never from a visitor; still, only web links are rendered."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (not parts.scheme and not url.startswith("/")):
        raise ValueError("a link on the order page must be a web link")  # never log secrets
