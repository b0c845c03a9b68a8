"""The page where a visitor enters a voucher code and registers to redeem it (seed 000).

Visitors get their code from an exhibitor by e-mail; redeeming needs this online registration
(there is no redemption at the fair's entrance) and gives a free ticket in the visitor's own
name. The page is one self-contained HTML document: its style and script are inline, it loads
nothing else, and it works under :data:`CONTENT_SECURITY_POLICY` with the hashes of that
style and script (``pages/policy.py``). The script posts to
``POST /vouchers/{code}/registration`` on the same origin and shows the outcome; without a
script the form posts to ``POST /redeem``, which answers with this page again (the errors at
their fields, or the outcome).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
from urllib.parse import urlencode

from ticketing.domain.questions import MAX_ANSWER_CHARS, Question
from ticketing.i18n import DEFAULT_LANGUAGE, negotiate
from ticketing.pages.rendering import Language, render_page, script_texts

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ticketing.services.visitor_vouchers.invitation import Invitation

# The page loads nothing from anywhere and fetches from its own origin only. This base allows
# nothing inline: the handler sends pages.policy.page_headers("redeem", RESPONSE_HEADERS), which
# adds the hashes of the page's own inline style and script (no keyword allows anything inline).
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
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


def pick_language(accept_language: str | None, override: str | None) -> Language:
    """The page's language: ``?lang=`` wins, else the best of ours the browser accepts.

    ``accept_language`` is the Accept-Language header (q-values honoured, ``q=0`` refuses a
    language); an unknown override or an unreadable header falls back to German.
    """
    return negotiate(accept_language, override, DEFAULT_LANGUAGE)


def render_redeem_page(
    language: Language,
    code: str | None,
    host: Invitation | None = None,
    questions: Sequence[Question] = (),
    *,
    values: Mapping[str, object] | None = None,
    errors: Mapping[str, str] | None = None,
    done: Mapping[str, str] | None = None,
) -> str:
    """The redemption page in ``language``, with ``code`` (from a personal link) filled in,
    and, for a code that exists, who invites: the event and the exhibitor (``host``), and the
    event's order questions (seed 002), each with the input its type needs."""
    from ticketing.i18n.countries import country_names

    prefilled = (code or "").strip()[:CODE_MAX_LENGTH]
    asks_country = any(q.type == "country" for q in questions)
    return render_page(
        "redeem.html",
        language,
        switch_keeps={"code": prefilled} if prefilled else None,
        script_texts=script_texts(language, "redeem"),
        code=prefilled,
        host=host,
        code_max_length=CODE_MAX_LENGTH,
        code_example=CODE_EXAMPLE,
        questions=questions,
        countries=country_names(language) if asks_country else (),
        answer_max_length=MAX_ANSWER_CHARS,
        values=values or {},
        errors=errors or {},
        done=done,
        # the form posts to this page, keeping its code and language (no script needed)
        form_action="?"
        + urlencode({"lang": language, **({"code": prefilled} if prefilled else {})}),
    )
