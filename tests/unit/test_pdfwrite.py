"""export/pdfwrite.pdf_bytes: the same bytes as PyMuPDF's Document.tobytes."""

from __future__ import annotations

import io
import re

import pymupdf
import pytest

from desktop.core.export.pdfwrite import _Pieces, pdf_bytes


def _doc() -> pymupdf.Document:
    doc = pymupdf.open()
    for n in range(3):
        page = doc.new_page()
        page.insert_text((72, 72), f"第 {n + 1} 页 page", fontname="china-s", fontsize=14)
    doc.set_metadata({"title": "测试", "creator": "Zicha"})
    return doc


@pytest.mark.parametrize("options", [{}, {"garbage": 1, "deflate": True},
                                     {"garbage": 3, "deflate": True}])
def test_the_bytes_are_those_tobytes_gives(options: dict[str, object]) -> None:
    doc = _doc()
    data = pdf_bytes(doc, **options)
    # every save gets a new second file identifier (the trailer's /ID): the rest is the same
    assert _unidentified(data) == _unidentified(doc.tobytes(**options))
    again = pymupdf.open("pdf", data)
    assert again.page_count == 3 and "第 2 页" in again[1].get_text()


def _unidentified(data: bytes) -> bytes:
    # (whatever the two identifiers are written as: one CI run had a pair the hex-only
    # pattern missed)
    return re.sub(rb"/ID\s*\[[^\]]*\]", b"/ID[]", data)


def test_the_pieces_refuse_to_seek_back() -> None:
    out = _Pieces()
    out.write(b"abc")
    assert out.seek(0, io.SEEK_END) == 3 and out.seek(3) == 3
    with pytest.raises(io.UnsupportedOperation):
        out.seek(1)
