"""The Unicode fonts every PDF of ours is set in: names in any script print as they are written.

Noto Sans (regular and bold; SIL Open Font License 1.1) draws Latin, Greek and Cyrillic; Droid
Sans Fallback (one face; Apache License 2.0) draws Chinese, Japanese and Korean, as fpdf2's
fallback for every character Noto Sans lacks. The TrueType files lie beside this module
(``fonts/``, with their licences). fpdf2 embeds only the glyphs a document uses (a subset per
document), so a ticket stays small however large the CJK font is.

The CJK font comes twice: ``DroidSansFallbackCommon.ttf``, cut from the full font to GB 2312
(the 7,445 characters of everyday Chinese), kana, CJK punctuation and full-width forms, and
``DroidSansFallbackFull.ttf`` with everything else (rare and traditional characters, Hangul).
Reading the full font's 4 MB costs fpdf2 about half a second per document, the common one a
tenth of that; a Chinese event's 100 tickets must not take a minute.

Make documents with :func:`unicode_document`: it reads a CJK font only when a character first
needs it (a ticket for ``Anna Schmidt`` reads none, one for ``张伟`` the common one), and its
``text()`` falls back too (fpdf2's own ``text()`` draws in the current font only; ``cell``,
``multi_cell``, ``write`` and tables fall back by themselves). :func:`use_unicode_fonts` on
any other ``FPDF`` registers every face at once.

fpdf2 is imported inside the functions, never at module level (cold starts of handlers that do
not render stay cheap).
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = [
    "CJK_FONT",
    "CJK_FULL_FONT",
    "FONT",
    "FONT_DIR",
    "font_runs",
    "unicode_document",
    "use_unicode_fonts",
]

FONT = "NotoSans"  # the family to pass to set_font: regular "" and bold "B"
CJK_FONT = "DroidSansFallback"  # the common CJK characters; regular only, used for bold too
CJK_FULL_FONT = "DroidSansFallbackFull"  # every CJK character, for what the common one lacks
FONT_DIR = Path(__file__).with_name("fonts")

_FACES = ((FONT, "", "NotoSans-Regular.ttf"), (FONT, "B", "NotoSans-Bold.ttf"))
_CJK_FILES = {
    CJK_FONT: "DroidSansFallbackCommon.ttf",
    CJK_FULL_FONT: "DroidSansFallbackFull.ttf",
}
_FACE_OF_KEY = {family.lower(): (family, "") for family in _CJK_FILES}


def unicode_document(**options: Any) -> FPDF:
    """``FPDF(**options)`` with :func:`use_unicode_fonts` applied, its CJK fonts read on
    demand."""
    pdf = _lazy_cjk_class()(**options)
    use_unicode_fonts(pdf)
    return pdf


def use_unicode_fonts(pdf: FPDF) -> None:
    """Registers :data:`FONT` (regular "" and bold "B") and the CJK fallbacks on ``pdf`` and
    selects :data:`FONT` (regular, 10 pt)."""
    for family, style, file_name in _FACES:
        _add_font(pdf, family, style, FONT_DIR / file_name)
    if isinstance(pdf, _lazy_cjk_class()):
        # fpdf2 asks for a fallback only while it has one: Noto Sans stands in until the
        # first character it lacks (see UnicodeFPDF)
        pdf.set_fallback_fonts([FONT])
    else:
        for family in _CJK_FILES:
            _add_cjk_fallback(pdf, family)
    pdf.set_font(FONT, "", 10)


def font_runs(pdf: FPDF, text: str, style: str) -> list[tuple[str, str, str]]:
    """``text`` cut into runs of one font each: ``(family, style, run)``, in :data:`FONT` where it
    has the glyphs, in a fallback elsewhere.

    For ``text()``, which (unlike ``cell``, ``multi_cell`` and tables) draws every character in
    the current font; a character no font has stays in :data:`FONT` (its empty box)."""
    own: dict[int, str] = getattr(pdf.fonts[f"{FONT.lower()}{style}"], "cmap", {})
    runs: list[tuple[str, str, str]] = []
    for char in text:
        face = (FONT, style)
        if ord(char) not in own and not char.isspace():
            fallback = pdf.get_fallback_font(char, style)
            if fallback is not None:
                face = _FACE_OF_KEY[fallback]
        if runs and runs[-1][:2] == face:
            runs[-1] = (*face, runs[-1][2] + char)
        else:
            runs.append((*face, char))
    return runs


def _add_cjk_fallback(pdf: FPDF, family: str) -> None:
    _add_font(pdf, family, "", FONT_DIR / _CJK_FILES[family])
    registered = [name for name in _CJK_FILES if name.lower() in pdf.fonts]
    # exact_match=False: bold Chinese text is drawn in the fallback's one (regular) face
    # instead of not at all.
    pdf.set_fallback_fonts(registered, exact_match=False)


def _add_font(pdf: FPDF, family: str, style: str, path: Path) -> None:
    """``pdf.add_font``, with what fpdf2 reads from the font file read once per process.

    Reading a face's metrics and character map costs fpdf2 ~45 ms (Noto Sans) to ~500 ms (the
    full CJK font) per document. The parsed face is kept; each document gets a copy with its
    own subset map and its own (lazily read) fontTools font, because writing the document
    subsets that font in place.
    """
    from fontTools import ttLib
    from fpdf.fonts import SubsetMap

    key = f"{family.lower()}{style}"
    if key in pdf.fonts:
        return
    face = _parsed_face(family, style, path)
    font = copy.copy(face)
    font.i = len(pdf.fonts) + 1
    # fpdf2 writes into these while it lays out and writes a document: the width and glyph
    # maps (a width looked up for a character the face lacks is stored) and the font
    # descriptor (it gets the document's object number, name and embedded file). Each
    # document has its own, so that two rendered at once (the local stack runs functions in
    # threads) never number each other's objects: a shared descriptor broke a PDF's xref.
    font.cw = copy.copy(face.cw)
    font.glyph_ids = dict(face.glyph_ids)
    font.desc = copy.copy(face.desc)
    font.ttfont = ttLib.TTFont(path, recalcTimestamp=False, fontNumber=0, lazy=True)
    font.subset = SubsetMap(font)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    pdf.fonts[key] = font


@functools.cache
def _parsed_face(family: str, style: str, path: Path) -> Any:
    from fpdf import FPDF

    reader = FPDF()
    reader.add_font(family, style, path)
    return reader.fonts[f"{family.lower()}{style}"]


@functools.cache
def _lazy_cjk_class() -> type[FPDF]:
    from fpdf import FPDF

    class UnicodeFPDF(FPDF):
        """fpdf2 asks ``get_fallback_font`` for every character the current font lacks: the
        first such question reads the common CJK font, the first one it cannot answer the
        full one. ``text()`` draws each run of characters in a font that has them."""

        def get_fallback_font(self, char: str, style: str = "") -> str | None:
            for family in _CJK_FILES:
                if family.lower() not in self.fonts:
                    _add_cjk_fallback(self, family)
                found = super().get_fallback_font(char, style)
                if found is not None:
                    return found
            return None

        def text(self, x: float, y: float, text: str = "") -> None:
            style, size = self.font_style, self.font_size_pt
            runs = font_runs(self, text, style) if self.font_family == FONT.lower() else []
            if len(runs) < 2 and all(family == FONT for family, _, _ in runs):
                super().text(x, y, text)
                return
            for family, run_style, run in runs:
                self.set_font(family, run_style, size)
                super().text(x, y, run)
                x += self.get_string_width(run)
            self.set_font(FONT, style, size)

    return UnicodeFPDF
