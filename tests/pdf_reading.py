"""Read PDFs the way a person does: their text, and the QR codes a phone would scan.

Shared by the document unit tests and the end-to-end tests of mail attachments. Test-only
dependencies: pypdf (text), pypdfium2 (rasterizing) and zxing-cpp (decoding).
"""

from __future__ import annotations

import io

#: 3x of 72 dpi = 216 dpi: a 46 mm code at ~1.5 mm per module gets ~13 pixels per module.
QR_RENDER_SCALE = 3.0


def pdf_text(data: bytes) -> str:
    """The extracted text of every page, pages separated by a newline."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def decode_qr_codes(data: bytes, page: int = 0) -> list[str]:
    """The contents of the QR codes on one page (0-based), as a scanner reads them from paper."""
    import pypdfium2  # type: ignore[import-untyped, unused-ignore]
    import zxingcpp

    document = pypdfium2.PdfDocument(data)
    try:
        bitmap = document[page].render(scale=QR_RENDER_SCALE, grayscale=True)
        image = bitmap.to_pil()
    finally:
        document.close()
    # Looking for QR codes only is ~5x faster than trying every symbology.
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    results = zxingcpp.read_barcodes(image, formats=qr_only)
    return [result.text for result in results]


def image_count(data: bytes) -> int:
    """How many image XObjects the pages use (a vector-only PDF has none)."""
    from pypdf import PdfReader

    count = 0
    for pdf_page in PdfReader(io.BytesIO(data)).pages:
        resources = pdf_page.get("/Resources")
        if resources is None:
            continue
        xobjects = resources.get_object().get("/XObject")
        if xobjects is None:
            continue
        for reference in xobjects.get_object().values():
            if reference.get_object().get("/Subtype") == "/Image":
                count += 1
    return count
