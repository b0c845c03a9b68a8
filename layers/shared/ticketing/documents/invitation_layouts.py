"""The tracking list of an exhibitor's invitations as an Excel file (issue 16).

Its column titles are the names of the list's fields, as in the upload template, so a sheet
can be filtered and sent again as it is. Every name is written as text (documents/excel.py):
a recipient called ``=HYPERLINK(...)`` stays that text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ticketing.documents.excel import Column, write_table
from ticketing.domain.voucher_codes import display

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ticketing.domain.invitations import Tracked

COLUMNS = (
    ("code", 22, "text"),
    ("first_name", 20, "text"),
    ("last_name", 20, "text"),
    ("email", 30, "text"),
    ("company", 26, "text"),
    ("invited_at", 20, "datetime"),
    ("mail_state", 12, "text"),
    ("registered_at", 20, "datetime"),
    ("registered_by", 30, "text"),
    ("checked_in_at", 20, "datetime"),
)


def invitations_workbook(rows: Iterable[Tracked], author: str = "") -> bytes:
    return write_table(
        "invitations",
        [Column(name, width, kind) for name, width, kind in COLUMNS],  # type: ignore[arg-type]
        (
            [
                display(r.code),
                r.first_name,
                r.last_name,
                r.email,
                r.company,
                r.invited_at,
                r.mail_state,
                r.registered_at,
                r.registered_by,
                r.checked_in_at,
            ]
            for r in rows
        ),
        title="Invitations",
        author=author,
    )
