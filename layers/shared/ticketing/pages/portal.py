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

from typing import Final

from ticketing.pages.redeem import CONTENT_SECURITY_POLICY, RESPONSE_HEADERS, pick_language
from ticketing.pages.rendering import Language, render_page, script_texts

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "ORDER_NUMBER_EXAMPLE",
    "RESPONSE_HEADERS",
    "pick_language",
    "render_portal_page",
]

# How an order number looks on the confirmation and on every ticket.
ORDER_NUMBER_EXAMPLE: Final = "12BE-090125-655140"

# 18 characters as printed; a little room for spaces typed around the dashes.
ORDER_NUMBER_MAX_LENGTH: Final = 40
EMAIL_MAX_LENGTH: Final = 254


def render_portal_page(language: Language) -> str:
    """The portal page in ``language``; the same for every visitor (nothing is prefilled)."""
    return render_page(
        "portal.html",
        language,
        script_texts=script_texts(language, "portal"),
        order_number_example=ORDER_NUMBER_EXAMPLE,
        order_number_max_length=ORDER_NUMBER_MAX_LENGTH,
        email_max_length=EMAIL_MAX_LENGTH,
    )
