"""Two PDFs rendered at once in one process (the local stack runs functions in threads) must
not share fpdf2's per-document font state: a shared font descriptor once numbered another
document's objects, and the PDF's cross-reference table failed with a KeyError."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from tests.unit.test_pdf_documents import TICKET
from ticketing.documents.pdf import render_tickets


@pytest.fixture
def eager_thread_switches() -> Iterator[None]:
    """Switch threads as often as the interpreter can, so that the renders interleave."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("eager_thread_switches")
def test_documents_of_different_sizes_rendered_at_once_are_each_whole() -> None:
    from io import BytesIO

    failures: list[BaseException] = []
    pages: dict[int, set[int]] = {}

    def render(size: int) -> None:
        for _ in range(4):
            try:
                document = render_tickets([TICKET] * size)
                pages.setdefault(size, set()).add(len(PdfReader(BytesIO(document)).pages))
            except Exception as failed:  # noqa: BLE001 (collected, asserted below)
                failures.append(failed)

    threads = [threading.Thread(target=render, args=(size,)) for size in (1, 2, 3, 4, 1, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert pages == {1: {1}, 2: {2}, 3: {3}, 4: {4}}
