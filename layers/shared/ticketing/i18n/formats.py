"""Dates, times, money and tax rates as people of a language read them, formatted by Babel.

Babel (CLDR) knows each locale's conventions: ``1.234,50 €`` in German, ``€1,234.50`` in
English, ``2026年7月12日`` in Chinese. What CLDR does not say -- the German ``Uhr`` after a
time, how a start and an end are joined -- is a message of the catalogue (``format.*``).

Only human-facing text is formatted here. The API's JSON keeps the contract's plain decimal
strings (``"25.00"``, :func:`ticketing.domain.money.format_amount`) and ISO-8601 times.

Spaces come out as plain spaces, also where CLDR puts a non-breaking one (``25,00 €``): a
customer who searches a PDF or a mail for the amount they typed finds it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ticketing.i18n.catalogue import translate
from ticketing.i18n.languages import LOCALES, Language

if TYPE_CHECKING:
    from datetime import datetime

__all__ = ["format_date", "format_datetime", "format_money", "format_span", "format_tax_rate"]

_HUNDRED = Decimal(100)


def format_money(amount: Decimal, currency: str, language: Language) -> str:
    """``amount`` in ``currency``: ``1.234,50 €`` and ``12,00 CHF`` (de), ``€1,234.50`` and
    ``CHF 12.00`` (en), ``€1,234.50`` and ``¥12.00`` for yuan (zh). Rounded half up to the
    currency's minor unit, as tax is."""
    from babel.numbers import format_currency, get_currency_precision, get_currency_symbol

    locale = LOCALES[language]
    exponent = Decimal(1).scaleb(-get_currency_precision(currency))
    rounded = amount.quantize(exponent, rounding=ROUND_HALF_UP)
    text = format_currency(rounded, currency, locale=locale)
    symbol = get_currency_symbol(currency, locale=locale)
    return _plain_spaces(_currency_spacing(text, symbol))


def format_count(value: int, language: Language) -> str:
    """A whole number with the language's grouping: 1.000 (de), 1,000 (en, zh)."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=LOCALES[language]))


def format_tax_rate(rate: Decimal, language: Language) -> str:
    """A percentage without trailing zeros: ``7 %`` and ``7,5 %`` (de), ``7%`` and ``7.5%``
    (en, zh)."""
    from babel.numbers import format_percent

    text = format_percent(
        rate.normalize() / _HUNDRED, locale=LOCALES[language], decimal_quantization=False
    )
    return _plain_spaces(text)


def format_date(moment: datetime, timezone: str | None, language: Language) -> str:
    """The day of ``moment`` in ``timezone`` (None: its own zone): ``09.01.2025`` (de),
    ``9 Jan 2025`` (en), ``2025年1月9日`` (zh)."""
    from babel.dates import format_date as babel_date

    return _plain_spaces(babel_date(_local(moment, timezone).date(), "medium", LOCALES[language]))


def format_datetime(moment: datetime, timezone: str | None, language: Language) -> str:
    """``12.07.2026, 09:00 Uhr`` (de), ``12 Jul 2026, 09:00`` (en), ``2026年7月12日 09:00``
    (zh), in ``timezone`` (None: the moment's own zone)."""
    local = _local(moment, timezone)
    return translate(
        language,
        "format.datetime",
        date=format_date(local, None, language),
        time=_time(local, language),
    )


def format_span(starts: datetime, ends: datetime, timezone: str, language: Language) -> str:
    """When something happens, in ``timezone``: start and end joined by a dash, and the date
    named once when both are on the same day (German ``12.07.2026, 09:00`` to ``18:00 Uhr``)."""
    start, end = _local(starts, timezone), _local(ends, timezone)
    if start.date() == end.date():
        return translate(
            language,
            "format.same_day_span",
            date=format_date(start, None, language),
            start=_time(start, language),
            end=_time(end, language),
        )
    return translate(
        language,
        "format.span",
        start=format_datetime(start, None, language),
        end=format_datetime(end, None, language),
    )


def _local(moment: datetime, timezone: str | None) -> datetime:
    return moment if timezone is None else moment.astimezone(ZoneInfo(timezone))


def _time(local: datetime, language: Language) -> str:
    from babel.dates import format_time

    # the wall-clock time as it is: the caller already moved it into the zone it is shown in
    return _plain_spaces(format_time(local.time(), "short", locale=LOCALES[language]))


def _currency_spacing(text: str, symbol: str) -> str:
    """CLDR's currency spacing, which Babel leaves out: a symbol of letters (``CHF``) is kept
    apart from the digits (``CHF 12.00``); a sign (``€``, ``¥``) is not."""
    index = text.find(symbol)
    if index < 0 or not symbol:
        return text
    after = index + len(symbol)
    if symbol[-1].isalpha() and after < len(text) and text[after].isdigit():
        return f"{text[:after]} {text[after:]}"
    if symbol[0].isalpha() and index > 0 and text[index - 1].isdigit():
        return f"{text[:index]} {text[index:]}"
    return text


def _plain_spaces(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")
