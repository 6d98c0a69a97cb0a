"""What 可用性 3-4 reads of an exported PDF: by default the text of its first and last page and a
drawing of its first page (a cut or damaged file shows there); `zicha verify EXPORT --full`
reads and draws every page."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from desktop.core.export import verify


def _pdf(path: Path, pages: int) -> Path:
    doc = pymupdf.open()
    for n in range(pages):
        doc.new_page().insert_text((72, 72), f"page {n + 1}")
    doc.save(path)
    doc.close()
    return path


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """The page numbers PyMuPDF is asked to read and to draw."""
    record: dict[str, list[int]] = {"text": [], "drawn": []}
    get_text, get_pixmap = pymupdf.Page.get_text, pymupdf.Page.get_pixmap

    def text(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        record["text"].append(page.number)
        return get_text(page, *args, **kwargs)

    def pixmap(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        record["drawn"].append(page.number)
        return get_pixmap(page, *args, **kwargs)

    monkeypatch.setattr(pymupdf.Page, "get_text", text)
    monkeypatch.setattr(pymupdf.Page, "get_pixmap", pixmap)
    return record


def test_by_default_the_first_and_last_page(tmp_path: Path, seen) -> None:  # type: ignore[no-untyped-def]
    verify._open_fully(_pdf(tmp_path / "a.pdf", 12), "pdf", full=False)
    assert seen == {"text": [0, 11], "drawn": [0]}


def test_full_reads_and_draws_every_page(tmp_path: Path, seen) -> None:  # type: ignore[no-untyped-def]
    verify._open_fully(_pdf(tmp_path / "a.pdf", 5), "pdf", full=True)
    assert seen == {"text": [0, 1, 2, 3, 4], "drawn": [0, 1, 2, 3, 4]}


def test_a_one_page_pdf_is_read_once(tmp_path: Path, seen) -> None:  # type: ignore[no-untyped-def]
    verify._open_fully(_pdf(tmp_path / "a.pdf", 1), "pdf", full=False)
    assert seen == {"text": [0], "drawn": [0]}
