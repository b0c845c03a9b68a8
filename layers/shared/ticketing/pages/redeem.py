"""The page where a visitor enters a voucher code and registers to redeem it (seed 000).

Visitors get their code from an exhibitor by e-mail; redeeming needs this online registration
(there is no redemption at the fair's entrance) and gives a free ticket in the visitor's own
name. The page is one self-contained HTML document: its style and script are inline, it loads
nothing else, and it works under :data:`CONTENT_SECURITY_POLICY`. The script posts to
``POST /vouchers/{code}/registration`` on the same origin and shows the outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ticketing.pages.rendering import FORM_SCRIPT_TEXTS, Language, render_page

DEFAULT_LANGUAGE: Final[Language] = "de"

# The page loads nothing from anywhere: inline style and script, fetch to its own origin only.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

# What the handler sends with the page. The page may carry a voucher code (a personal link),
# so it is neither cached nor leaked to other sites through the Referer header.
RESPONSE_HEADERS: Final[Mapping[str, str]] = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Vary": "Accept-Language",
}

# How a code looks in print, shown as an example next to the field.
CODE_EXAMPLE: Final = "7KQ2-M9XD-4HTB-W2"

# A code is 17 characters as printed; more than this is not a code, and the page stays small.
CODE_MAX_LENGTH: Final = 64

# What the page says, before any script runs.
PAGE_TEXTS: Final[Mapping[Language, Mapping[str, str]]] = {
    "de": {
        "title": "Gutschein einlösen",
        "lead": (
            "Mit der Gutschein-Nummer, die Sie von einem Aussteller bekommen haben, erhalten "
            "Sie ein kostenloses Ticket per E-Mail."
        ),
        "note_online": (
            "Einlösen geht nur mit dieser Online-Registrierung, nicht vor Ort an der Kasse."
        ),
        "note_personal": (
            "Ihr Ticket ist persönlich und nicht übertragbar. Bitte lösen Sie nur einen "
            "Gutschein ein, mit Ihrem eigenen Namen und Ihrer eigenen E-Mail-Adresse. "
            "Gutscheine dürfen nicht weiterverkauft werden."
        ),
        "note_exhibitor": (
            "Der Aussteller, der Sie eingeladen hat, sieht Ihre Registrierung und kann "
            "Sie vor der Messe kontaktieren."
        ),
        "noscript": (
            "Zum Einlösen braucht diese Seite JavaScript. Bitte schalten Sie JavaScript ein "
            "oder öffnen Sie die Seite in einem anderen Browser."
        ),
        "code": "Gutschein-Nummer",
        "code_hint": "Steht in Ihrer Einladung, z. B.",
        "code_hint_case": "Groß- und Kleinschreibung und Bindestriche spielen keine Rolle.",
        "first_name": "Vorname",
        "last_name": "Nachname",
        "email": "E-Mail-Adresse",
        "email_hint": "Hierhin schicken wir Ihr Ticket.",
        "company": "Firma (optional)",
        "submit": "Jetzt registrieren",
    },
    "en": {
        "title": "Redeem a voucher",
        "lead": "With the voucher code an exhibitor sent you, you get a free ticket by e-mail.",
        "note_online": (
            "Vouchers can only be redeemed by registering online here, not at the box office."
        ),
        "note_personal": (
            "Your ticket is personal and not transferable. Please redeem only one voucher, "
            "in your own name and with your own e-mail address. Vouchers must not be resold."
        ),
        "note_exhibitor": (
            "The exhibitor who invited you sees your registration and may contact you "
            "before the fair."
        ),
        "noscript": (
            "This page needs JavaScript to redeem a voucher. Please turn JavaScript on or "
            "open the page in another browser."
        ),
        "code": "Voucher code",
        "code_hint": "It is in your invitation, e.g.",
        "code_hint_case": "Upper or lower case and dashes do not matter.",
        "first_name": "First name",
        "last_name": "Last name",
        "email": "E-mail address",
        "email_hint": "We send your ticket here.",
        "company": "Company (optional)",
        "submit": "Register now",
    },
}

# What the script says; {placeholders} are filled in by the script.
SCRIPT_TEXTS: Final[Mapping[Language, Mapping[str, str]]] = {
    "de": {
        **FORM_SCRIPT_TEXTS["de"],
        "email_invalid": "Bitte geben Sie eine E-Mail-Adresse wie name@firma.de ein.",
        "success_title": "Geschafft: Ihr Ticket ist unterwegs",
        "success_mail": "Wir schicken Ihr persönliches Ticket an {email}.",
        "order_number": "Ihre Bestellnummer:",
        "keep_number": "Notieren Sie sich die Bestellnummer; mit ihr finden Sie Ihr Ticket wieder.",
        "self_service": "Ticket und Bestellung ansehen",
        "not_found": (
            "Diese Gutschein-Nummer kennen wir nicht. Bitte prüfen Sie sie auf Tippfehler."
        ),
        "conflict": (
            "Dieser Gutschein wurde bereits eingelöst, oder für diese E-Mail-Adresse gibt es "
            "schon ein Gutschein-Ticket für diese Veranstaltung."
        ),
        "expired": "Dieser Gutschein ist abgelaufen und lässt sich nicht mehr einlösen.",
        "too_many": "Zu viele Versuche. Bitte warten Sie {wait} und versuchen Sie es dann erneut.",
        "wait_moment": "einen Moment",
        "wait_second": "1 Sekunde",
        "wait_seconds": "{n} Sekunden",
    },
    "en": {
        **FORM_SCRIPT_TEXTS["en"],
        "email_invalid": "Please enter an e-mail address like name@company.com.",
        "success_title": "Done: your ticket is on its way",
        "success_mail": "We are sending your personal ticket to {email}.",
        "order_number": "Your order number:",
        "keep_number": "Keep the order number; it helps you find your ticket again.",
        "self_service": "View your ticket and order",
        "not_found": "We do not know this code. Please check it for typos.",
        "conflict": (
            "This voucher has already been used, or this e-mail address already has a "
            "voucher ticket for this event."
        ),
        "expired": "This voucher has expired and can no longer be redeemed.",
        "too_many": "Too many attempts. Please wait {wait} and then try again.",
        "wait_moment": "a moment",
        "wait_second": "1 second",
        "wait_seconds": "{n} seconds",
    },
}


def pick_language(accept_language: str | None, override: str | None) -> Language:
    """The page's language: ``?lang=`` wins, else the best of de/en the browser accepts.

    ``accept_language`` is the Accept-Language header (q-values honoured, ``q=0`` refuses a
    language); an unknown override or an unreadable header falls back to German.
    """
    chosen = _known(override)
    if chosen is not None:
        return chosen
    best: Language | None = None
    best_q = 0.0
    for item in (accept_language or "").split(",")[:50]:
        tag, _, parameters = item.partition(";")
        language = _known(tag)
        if language is None:
            continue
        q = _quality(parameters)
        if q > best_q:  # on a tie the one listed first wins
            best, best_q = language, q
    return best or DEFAULT_LANGUAGE


def render_redeem_page(language: Language, code: str | None) -> str:
    """The redemption page in ``language``, with ``code`` (from a personal link) filled in."""
    prefilled = (code or "").strip()[:CODE_MAX_LENGTH]
    return render_page(
        "redeem.html",
        language,
        PAGE_TEXTS,
        switch_keeps={"code": prefilled} if prefilled else None,
        script_texts=dict(SCRIPT_TEXTS[language]),
        code=prefilled,
        code_max_length=CODE_MAX_LENGTH,
        code_example=CODE_EXAMPLE,
    )


def _known(tag: str | None) -> Language | None:
    primary = (tag or "").strip().split("-")[0].lower()
    if primary == "de":
        return "de"
    if primary == "en":
        return "en"
    return None


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0
