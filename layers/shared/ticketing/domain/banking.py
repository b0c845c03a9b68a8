"""Bank details an organizer is paid to: IBAN checked by its checksum (ISO 13616), BIC."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from ticketing.domain.fields import Name

_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def iban_checksum_ok(iban: str) -> bool:
    """ISO 7064 mod 97-10: the country and check digits moved to the end, letters as
    numbers (A = 10), the whole number mod 97 is 1."""
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in moved)
    return int(digits) % 97 == 1


def _iban(value: str) -> str:
    compact = re.sub(r"[\s-]", "", value).upper()
    if not _IBAN.fullmatch(compact) or not iban_checksum_ok(compact):
        raise ValueError("is not a valid IBAN (check the digits, e.g. DE89 3704 0044 0532 0130 00)")
    return compact


def _bic(value: str) -> str:
    compact = re.sub(r"\s", "", value).upper()
    if not _BIC.fullmatch(compact):
        raise ValueError("is not a valid BIC (8 or 11 letters and digits, e.g. COBADEFFXXX)")
    return compact


def format_iban(iban: str) -> str:
    """In groups of four, as printed on invoices: ``DE89 3704 0044 0532 0130 00``."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


Iban = Annotated[str, AfterValidator(_iban)]
Bic = Annotated[str, AfterValidator(_bic)]


class BankAccount(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    account_holder: Name
    iban: Iban
    bic: Bic | None = None
