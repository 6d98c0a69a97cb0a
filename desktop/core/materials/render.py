"""Page images and text for the viewer (no Qt here: the window turns bytes into a QImage)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf

RENDERABLE = {"pdf", "jpeg", "png", "tiff"}


def release_decoded_images() -> None:
    """Empty MuPDF's cache of decoded images. PyMuPDF sets no limit on it, so every scanned
    page rendered keeps its full-size bitmap: 1.3 GB after rendering 160 large scans."""
    pymupdf.TOOLS.store_shrink(100)


@dataclass(frozen=True)
class PageImage:
    width: int
    height: int
    stride: int
    samples: bytes  # RGB888
    page_index: int
    page_count: int
    highlights: tuple[tuple[float, float, float, float], ...] = ()  # x0, y0, x1, y1 in pixels


def page_count(path: Path, kind: str) -> int:
    with _open(path, kind) as doc:
        return doc.page_count


def render_page(path: Path, kind: str, page_index: int, zoom: float,
                highlight: tuple[str, ...] = ()) -> PageImage:
    """Render one page (an image file is one page per frame) at `zoom` × 72 dpi, with the
    places where the `highlight` terms occur on a PDF page's text layer."""
    with _open(path, kind) as doc:
        index = max(0, min(page_index, doc.page_count - 1))
        page = doc[index]
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False,
                              colorspace=pymupdf.csRGB)
        rects: list[tuple[float, float, float, float]] = []
        if kind == "pdf":
            for term in highlight:
                for found in page.search_for(term):
                    r = found * page.rotation_matrix  # search_for ignores /Rotate
                    rects.append((r.x0 * zoom, r.y0 * zoom, r.x1 * zoom, r.y1 * zoom))
        image = PageImage(pix.width, pix.height, pix.stride, bytes(pix.samples), index,
                          doc.page_count, tuple(rects))
    release_decoded_images()
    return image


def page_size(path: Path, kind: str, page_index: int = 0) -> tuple[float, float]:
    with _open(path, kind) as doc:
        rect = doc[max(0, min(page_index, doc.page_count - 1))].rect
        return rect.width, rect.height


def text_preview(path: Path, kind: str, limit: int = 20_000) -> str:
    """Plain text of a DOCX, XLSX or TXT file for the viewer (first `limit` characters)."""
    if kind == "docx":
        import docx

        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.append(" | ".join(cell.text for cell in row.cells))
        return "\n".join(parts)[:limit]
    if kind == "xlsx":
        import openpyxl

        # a file object: openpyxl refuses paths without an .xlsx name, and stored files have none
        handle = path.open("rb")
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            lines: list[str] = []
            for sheet in book.worksheets:
                lines.append(f"【{sheet.title}】")
                for row in sheet.iter_rows(values_only=True):
                    if any(v is not None for v in row):
                        lines.append(" | ".join("" if v is None else str(v) for v in row))
                    if sum(map(len, lines)) > limit:
                        break
            return "\n".join(lines)[:limit]
        finally:
            book.close()
            handle.close()
    if kind == "text":
        data = path.read_bytes()[: limit * 4]
        for encoding in ("utf-8", "gb18030"):
            try:
                return data.decode(encoding)[:limit]
            except UnicodeDecodeError:
                continue
        return data.decode("utf-8", errors="replace")[:limit]
    return ""


def _open(path: Path, kind: str) -> pymupdf.Document:
    if kind not in RENDERABLE:
        raise ValueError(f"{kind} cannot be rendered as pages")
    return pymupdf.open(path, filetype="pdf" if kind == "pdf" else kind)
