"""QR codes as a matrix of modules, for renderers that draw them as vector graphics."""

from __future__ import annotations


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
    code = segno.make_qr(text, error="m", boost_error=False)
    return [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=0)]
