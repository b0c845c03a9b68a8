"""What people read, in their language: one message catalogue (German, English, Chinese) and
Babel's formats for dates, money and numbers. Pages, mails, PDFs and Excel files all take their
texts from here; none of them decides between languages itself.

Nothing here imports Babel until a text is shown or a value formatted.
"""

from ticketing.i18n.catalogue import html_translator, messages, translate, translator
from ticketing.i18n.formats import (
    format_count,
    format_date,
    format_datetime,
    format_money,
    format_span,
    format_tax_rate,
)
from ticketing.i18n.languages import (
    DEFAULT_LANGUAGE,
    HTML_LANG,
    LANGUAGES,
    Language,
    known_language,
    negotiate,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "HTML_LANG",
    "LANGUAGES",
    "Language",
    "format_count",
    "format_date",
    "format_datetime",
    "format_money",
    "format_span",
    "format_tax_rate",
    "html_translator",
    "known_language",
    "messages",
    "negotiate",
    "translate",
    "translator",
]
