"""The self-service portal: a customer asks for the private link to their documents (seed 001).

Customers mistype addresses, lose mails to spam filters and delete PDFs ("Problembehandlung").
Here they enter their order number and e-mail address; when both belong to the same order, the
order's own address gets a mail with the order's private link ``/o/{order_number}/{secret}``.
The page never says whether they matched (the answer is always the same neutral message), so it
tells nobody which order numbers or addresses exist.

Like the redemption page it is one self-contained document (inline style and script, nothing
loaded from elsewhere) served with :data:`RESPONSE_HEADERS`; its script posts
``{"order_number", "email"}`` to ``POST /portal/requests`` on the same origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ticketing.pages.redeem import CONTENT_SECURITY_POLICY, RESPONSE_HEADERS, pick_language
from ticketing.pages.rendering import FORM_SCRIPT_TEXTS, Language, render_page

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "ORDER_NUMBER_EXAMPLE",
    "PAGE_TEXTS",
    "RESPONSE_HEADERS",
    "SCRIPT_TEXTS",
    "pick_language",
    "render_portal_page",
]

# How an order number looks on the confirmation and on every ticket.
ORDER_NUMBER_EXAMPLE: Final = "12BE-090125-655140"

# 18 characters as printed; a little room for spaces typed around the dashes.
ORDER_NUMBER_MAX_LENGTH: Final = 40
EMAIL_MAX_LENGTH: Final = 254

# What the page says, before any script runs.
PAGE_TEXTS: Final[Mapping[Language, Mapping[str, str]]] = {
    "de": {
        "title": "Tickets erneut erhalten",
        "lead": (
            "E-Mail gelöscht oder nie angekommen? Wir schicken Ihnen den Link zu Ihren Tickets "
            "und Ihrer Rechnung noch einmal."
        ),
        "private": (
            "Der Link in der E-Mail ist privat: Wer ihn hat, kann Ihre Tickets herunterladen. "
            "Derselbe Link steht auch in Ihrer Bestellbestätigung."
        ),
        "noscript": (
            "Diese Seite braucht JavaScript. Bitte schalten Sie JavaScript ein oder öffnen Sie "
            "die Seite in einem anderen Browser."
        ),
        "order_number": "Bestellnummer",
        "order_number_hint": "Steht in Ihrer Bestellbestätigung und auf jedem Ticket, z. B.",
        "email": "E-Mail-Adresse",
        "email_hint": "Die Adresse, mit der Sie bestellt haben.",
        "submit": "Link zusenden",
        "no_access": (
            "Sie haben keinen Zugriff mehr auf diese E-Mail-Adresse, oder sie war falsch "
            "geschrieben? Dann wenden Sie sich bitte an den Veranstalter."
        ),
    },
    "en": {
        "title": "Get your tickets again",
        "lead": (
            "E-mail deleted or never received? We will send you the link to your tickets and "
            "your invoice again."
        ),
        "private": (
            "The link in the e-mail is private: anyone who has it can download your tickets. "
            "Your order confirmation contains the same link."
        ),
        "noscript": (
            "This page needs JavaScript. Please turn JavaScript on or open the page in another "
            "browser."
        ),
        "order_number": "Order number",
        "order_number_hint": "It is in your order confirmation and on every ticket, e.g.",
        "email": "E-mail address",
        "email_hint": "The address you ordered with.",
        "submit": "Send me the link",
        "no_access": (
            "You can no longer read mail at that address, or it was misspelt? Then please "
            "contact the organizer."
        ),
    },
}

# What the script says; {placeholders} are filled in by the script.
SCRIPT_TEXTS: Final[Mapping[Language, Mapping[str, str]]] = {
    "de": {
        **FORM_SCRIPT_TEXTS["de"],
        "order_number_invalid": "Eine Bestellnummer sieht so aus: {example}.",
        "email_invalid": "Bitte geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.",
        "accepted": (
            "Wenn Bestellnummer und E-Mail-Adresse zusammengehören, haben wir den Link zu "
            "Ihren Dokumenten an diese Adresse geschickt. Bitte schauen Sie auch in Ihrem "
            "Spam-Ordner nach."
        ),
        "too_many": "Zu viele Versuche. Bitte versuchen Sie es in {wait} erneut.",
        "too_many_later": "Zu viele Versuche. Bitte versuchen Sie es später erneut.",
    },
    "en": {
        **FORM_SCRIPT_TEXTS["en"],
        "order_number_invalid": "An order number looks like this: {example}.",
        "email_invalid": "Please enter an e-mail address like name@example.com.",
        "accepted": (
            "If the order number and e-mail address belong together, we have sent the link to "
            "your documents to that address. Please also look in your spam folder."
        ),
        "too_many": "Too many attempts. Please try again in {wait}.",
        "too_many_later": "Too many attempts. Please try again later.",
    },
}


def render_portal_page(language: Language) -> str:
    """The portal page in ``language``; the same for every visitor (nothing is prefilled)."""
    return render_page(
        "portal.html",
        language,
        PAGE_TEXTS,
        script_texts=dict(SCRIPT_TEXTS[language]),
        order_number_example=ORDER_NUMBER_EXAMPLE,
        order_number_max_length=ORDER_NUMBER_MAX_LENGTH,
        email_max_length=EMAIL_MAX_LENGTH,
    )
