"""Page images and text for the viewer (no Qt here: the window turns bytes into a QImage).

A file is shown as pages when it has them: a PDF, an image, an OFD (drawn as a PDF), a video
(its poster frame) or a recording (its waveform). What is drawn for that is made once and kept
in the cache under the file's name, size and time, like the table's thumbnails. Every other
file is shown as its text."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs
import pymupdf

from desktop.core.common import atomic, formats

RENDERABLE = frozenset({"pdf", "ofd"}) | formats.IMAGE_KINDS | formats.MEDIA_KINDS
# what MuPDF cannot open is decoded by Pillow (the window's photo path) or drawn first
_PILLOW_KINDS = formats.IMAGE_KINDS - formats.MUPDF_IMAGE_KINDS


def views_cache_dir() -> Path:
    """Where drawn pages are kept; under ZICHA_HOME when that is set (scripts, tests)."""
    if home := os.environ.get("ZICHA_HOME"):
        return Path(home) / "cache" / "views"
    return Path(platformdirs.user_cache_dir("zicha", appauthor=False)) / "views"


def _cached(path: Path, suffix: str, make: Callable[[Path], bytes]) -> Path:
    st = path.stat()
    key = hashlib.sha256(f"{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}".encode()).hexdigest()
    target = views_cache_dir() / key[:2] / f"{key}{suffix}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(target, make(path), durable=False)  # a cache: no flush to disk
    return target


def page_file(path: Path, kind: str) -> tuple[Path, str]:
    """The file to draw the pages of `path` from, and its kind: the file itself for a PDF or
    an image, a PDF drawn from an OFD, a PNG of a video's poster frame or a recording's
    waveform. Raises ExtractError (extract.base) when it cannot be drawn."""
    if kind == "ofd":
        from desktop.core.extract.ofd import ofd_to_pdf

        return _cached(path, ".pdf", ofd_to_pdf), "pdf"
    if kind in formats.VIDEO_KINDS:
        from desktop.core.extract.media import poster_png

        return _cached(path, ".poster.png", poster_png), "png"
    if kind in formats.AUDIO_KINDS:
        from desktop.core.extract.media import waveform_png

        return _cached(path, ".wave.png", waveform_png), "png"
    if kind == "heic":
        formats.enable_heif()
    return path, kind


def media_summary(path: Path, kind: str) -> str:
    """One line about a video or a recording ("视频 1分23秒，1920×1080，H.264"), else ""."""
    if kind not in formats.MEDIA_KINDS:
        return ""
    from desktop.core.extract.media import describe_media, probe

    return describe_media(probe(path))


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
    path, kind = page_file(path, kind)
    with _open(path, kind) as doc:
        return doc.page_count


def render_page(path: Path, kind: str, page_index: int, zoom: float,
                highlight: tuple[str, ...] = ()) -> PageImage:
    """Render one page (an image file is one page per frame) at `zoom` × 72 dpi, with the
    places where the `highlight` terms occur on a PDF page's text layer."""
    path, kind = page_file(path, kind)
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
    path, kind = page_file(path, kind)
    with _open(path, kind) as doc:
        rect = doc[max(0, min(page_index, doc.page_count - 1))].rect
        return rect.width, rect.height


def text_preview(path: Path, kind: str, limit: int = 20_000) -> str:
    """Plain text of a file shown as text (first `limit` characters): a DOCX, a workbook, a
    legacy Office or WPS file, RTF, ODF, HTML, e-mail, EPUB, plain text; the members of an
    archive. "" for what is shown as pages or has nothing to show."""
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
    if kind in formats.ARCHIVE_KINDS:
        return _members_text(path, kind, limit)
    if kind in RENDERABLE or kind == "other":
        return ""
    return _extracted_text(path, kind, limit)


_PAGE_WORD = {formats.Family.SHEET: "工作表", formats.Family.SLIDES: "幻灯片",
              formats.Family.EBOOK: "章节"}


def _extracted_text(path: Path, kind: str, limit: int) -> str:
    """The file's text read now (when the text pass has not read it yet), or the reason
    there is none (raised as ValueError for the viewer to show)."""
    from desktop.core.extract.documents import extract_text

    result = extract_text(path, kind)
    if result.state == "failed":
        raise ValueError(result.reason)
    return pages_text([(page.index, page.text) for page in result.pages], kind, limit)


def pages_text(pages: list[tuple[int, str]], kind: str, limit: int = 20_000) -> str:
    """Text shown for a file page by page: a sheet, a slide, a chapter under its number."""
    word = _PAGE_WORD.get(formats.format_of(kind).family)
    parts: list[str] = []
    for index, text in pages:
        if word and len(pages) > 1:
            parts.append(f"—— 第 {index + 1} 个{word} ——")
        parts.append(text)
        if sum(map(len, parts)) > limit:
            break
    return "\n\n".join(parts)[:limit]


def _members_text(path: Path, kind: str, limit: int) -> str:
    from desktop.core.common.limits import size_text
    from desktop.core.materials.unpack import list_members

    members = [m for m in list_members(path, kind) if m.type != "dir"]
    lines = [f"{formats.label(kind)}，共 {len(members)} 个文件"
             "（导入时选择“解压导入”可逐个归档）：", ""]
    lines += [f"{m.name}    {size_text(m.size)}" for m in members]
    return "\n".join(lines)[:limit]


def _open(path: Path, kind: str) -> pymupdf.Document:
    """`path` (a page_file) opened by MuPDF; an image MuPDF cannot read is handed to it as
    a PNG decoded by Pillow."""
    if kind not in RENDERABLE:
        raise ValueError(f"{kind} cannot be rendered as pages")
    if kind in _PILLOW_KINDS:
        from desktop.core.extract.media import image_png

        return pymupdf.open(stream=image_png(path), filetype="png")
    return pymupdf.open(path, filetype="pdf" if kind == "pdf" else kind)
