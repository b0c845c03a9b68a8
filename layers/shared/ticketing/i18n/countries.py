"""Countries by their ISO 3166-1 alpha-2 code, named in each of our languages (from CLDR)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ticketing.i18n.languages import Language

# CLDR's ``territories`` also hold regions (``001``, ``150``), groupings (``EU``, ``UN``) and
# placeholders; a country answer is one of the two-letter codes ISO 3166-1 assigns
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)
_LOCALES = {"de": "de_DE", "en": "en_GB", "zh": "zh_Hans_CN"}


@cache
def country_codes() -> frozenset[str]:
    """Every country code an answer may give (``DE``, ``CN``, ``PL``...)."""
    from babel import Locale  # only a country answer pays for CLDR's data

    names = Locale.parse("en").territories
    codes = (str(code) for code in names)
    return frozenset(
        code for code in codes if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


@cache
def country_names(language: Language) -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, named and sorted as ``language`` writes them."""
    from babel import Locale

    names = Locale.parse(_LOCALES[language]).territories
    pairs = [(code, str(names.get(code, code))) for code in country_codes()]
    return tuple(sorted(pairs, key=lambda pair: pair[1].casefold()))


def country_name(code: str, language: Language) -> str:
    return dict(country_names(language)).get(code, code)
