"""QR codes as a matrix of modules, for renderers that draw them as vector graphics."""

from __future__ import annotations

# The data mask. The standard has the encoder try all eight masks and keep the one with the
# lowest penalty (runs and blocks of one colour, finder-like patterns, imbalance); segno does
# that in pure Python, most of a ticket's rendering time. Every mask decodes alike; the penalty
# is about how easily a scanner locks on. Mask 2 (every third column) scores best on our kind
# of text (order numbers, ids, random lowercase and digits) in versions 1 to 7, which covers
# every secret we print (a ticket's is version 4): over random texts its penalty is the lowest
# of the eight on average and within 20 % of the best for each text. ``tests/unit/test_qr.py``
# recomputes that with its own penalty. A longer text (version 8 and up) gets segno's choice.
MASK = 2
MASKED_UP_TO_VERSION = 7


def qr_modules(text: str) -> list[list[bool]]:
    """The modules of ``text`` as a QR code (error correction level M), row by row, True = dark.

    The matrix holds the symbol only, without a quiet zone: the renderer leaves that margin.
    Always a full QR code, never a Micro QR (which many entrance scanners do not read).
    """
    # segno is imported here, not at module level: a handler that never renders a code does not
    # pay for it on a cold start.
    import segno

    # boost_error=False: exactly level M, as specified, rather than whatever higher level fits
    # into the same version.
    code = segno.make_qr(text, error="m", boost_error=False, mask=MASK)
    if isinstance(code.version, int) and code.version > MASKED_UP_TO_VERSION:
        code = segno.make_qr(text, error="m", boost_error=False, version=code.version)
    # the matrix is the symbol without its quiet zone, one bytearray of 0/1 per row
    return [list(map(bool, row)) for row in code.matrix]
