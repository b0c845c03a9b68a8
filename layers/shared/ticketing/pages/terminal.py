"""The cashier's page of a merchant's terminal (seed 004: 验证终端): the terminal's key is
entered once and kept in the browser's session storage; the cashier types or scans a code,
sees its value and validity, confirms, and sees the confirmation or the refusal in words.

Like the other public pages it is one self-contained document (inline style and script,
nothing loaded from elsewhere) under the same strict Content-Security-Policy; the page shows
no data itself. Its script calls ``POST /terminal/validations`` and ``POST
/terminal/redemptions`` on the same origin with the key as ``Authorization: Bearer``.
"""

from __future__ import annotations

from typing import Final

from ticketing.pages.redeem import CODE_EXAMPLE, CODE_MAX_LENGTH, RESPONSE_HEADERS
from ticketing.pages.rendering import Language, render_page, script_texts

__all__ = ["RESPONSE_HEADERS", "render_terminal_page"]

KEY_MAX_LENGTH: Final = 200


def render_terminal_page(language: Language) -> str:
    return render_page(
        "terminal.html",
        language,
        script_texts=script_texts(language, "terminal"),
        code_max_length=CODE_MAX_LENGTH,
        code_example=CODE_EXAMPLE,
        key_max_length=KEY_MAX_LENGTH,
    )
