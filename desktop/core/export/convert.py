"""File conversions of an upload-ready export: a photo to a captioned A4 PDF page, a text file to
A4 pages, DOCX to PDF
(through LibreOffice, when installed) and one merged PDF per item with a bookmark per part.

Nothing here imports Qt."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pymupdf
from PIL import Image, ImageOps

from desktop.core.common import atomic, formats
from desktop.core.common.errors import ZichaError
from desktop.core.export.pdfwrite import pdf_bytes

PAGE = pymupdf.paper_rect("a4")  # 595 x 842 pt, portrait
MARGIN = 50.0
GAP = 14.0  # between title, photo and caption
TITLE_SIZE = 16.0
CAPTION_SIZE = 11.0
CAPTION_KEYS = ("时间", "地点", "人物", "主题", "背景", "事由")
MAX_DPI = 300  # larger photos are downsampled to this at their printed size
KEEP_DPI = 450  # an upright JPEG up to this is placed as it is (see _photo_stream)
DRAFT_SHARE = 0.85  # a JPEG may be decoded down to this share of MAX_DPI (_photo_stream)

_NO_LINE_START = set("，。、；：？！）》」』”’%")
_LOSSLESS = ("PNG", "GIF", "BMP")  # likely screenshots or graphics: keep them lossless

_SOFFICE_FALLBACKS: tuple[str, ...] = {
    "win32": ("C:/Program Files/LibreOffice/program/soffice.exe",
              "C:/Program Files (x86)/LibreOffice/program/soffice.exe"),
    "darwin": ("/Applications/LibreOffice.app/Contents/MacOS/soffice",),
}.get(sys.platform, ())


class ConversionError(ZichaError):
    """A file could not be converted; the message names it and says what is kept instead."""


# -- photo pages ---------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _font() -> pymupdf.Font:
    """PyMuPDF's bundled Droid Sans Fallback: always there, covers CJK, embedded as a subset."""
    return pymupdf.Font("cjk")


def _wrap(text: str, size: float, width: float) -> list[str]:
    text = " ".join(text.split())
    lines, current, used = [], "", 0.0
    for char, advance in zip(text, _font().char_lengths(text, fontsize=size), strict=True):
        if current and used + advance > width and char not in _NO_LINE_START:
            lines.append(current)
            current, used = "", 0.0
        current += char
        used += advance
    return [*lines, current]


def _caption_lines(caption: dict[str, str], width: float) -> list[tuple[float, str]]:
    """(indent, text) lines "时间：…" for the non-empty values, wrapped with a hanging indent."""
    keys = [k for k in CAPTION_KEYS if k in caption]
    keys += [k for k in caption if k not in CAPTION_KEYS]
    lines: list[tuple[float, str]] = []
    for key in keys:
        value = " ".join(str(caption[key] or "").split())
        if not value:
            continue
        label = f"{key}："
        indent = _font().text_length(label, fontsize=CAPTION_SIZE)
        first, *rest = _wrap(value, CAPTION_SIZE, width - indent)
        lines.append((0.0, label + first))
        lines += [(indent, line) for line in rest]
    return lines


@dataclass(frozen=True)
class _Photo:
    data: bytes
    width: int
    height: int
    jpeg: str | None = None  # "RGB" or "L": `data` is a JPEG of that mode (else a PNG)
    icc: bytes | None = None  # the JPEG's colour profile, when it matches its mode


def _profile(source: Image.Image, mode: str) -> bytes | None:
    """The image's ICC profile when it is one for `mode`'s colours (RGB or grey)."""
    icc = source.info.get("icc_profile")
    wanted = {"RGB": b"RGB ", "L": b"GRAY"}.get(mode)
    if not isinstance(icc, bytes) or len(icc) < 128 or icc[16:20] != wanted:
        return None
    return icc


def _photo_stream(image: Path | bytes, box: pymupdf.Rect) -> _Photo:
    """The photo (a file, or its bytes) as upright RGB/grey JPEG or PNG bytes, at most MAX_DPI
    in `box`; and its size. An upright RGB or grey JPEG up to KEEP_DPI is its own bytes, not
    decoded at all: no second lossy compression, and nothing to decode (the bulk of a photo
    page's time)."""
    limit = (box.width / 72 * MAX_DPI, box.height / 72 * MAX_DPI)
    formats.enable_heif()

    def own_bytes() -> bytes:
        return image if isinstance(image, bytes) else image.read_bytes()

    with Image.open(io.BytesIO(image) if isinstance(image, bytes) else image) as source:
        source.seek(0)  # a multi-page TIFF gives its first page
        fmt, original, mode = source.format or "", source.size, source.mode
        turned = source.getexif().get(0x0112, 1) not in (1, None)
        keep = (box.width / 72 * KEEP_DPI, box.height / 72 * KEEP_DPI)
        if fmt == "JPEG" and not turned and mode in ("RGB", "L") and \
                original[0] <= keep[0] and original[1] <= keep[1]:
            return _Photo(own_bytes(), *original, mode, _profile(source, mode))
        # a JPEG decoder can scale by 1/2, 1/4, 1/8 while decoding: far cheaper than decoding
        # a 12-megapixel photo and shrinking it afterwards. It is asked for DRAFT_SHARE of the
        # size the photo is shrunk to, so a phone's 4000 x 3000 (1.9 times the 300 dpi
        # width of the page) decodes at half size, 290 dpi, instead of whole
        shown = (original[1], original[0]) if source.getexif().get(0x0112, 1) in (5, 6, 7, 8) \
            else original
        scale = min(limit[0] / shown[0], limit[1] / shown[1], 1.0) * DRAFT_SHARE
        source.draft(source.mode, (max(1, int(original[0] * scale)),
                                   max(1, int(original[1] * scale))))
        im = ImageOps.exif_transpose(source) if turned else source
        if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):  # 16-bit scans
            im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
        if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
            rgba = im.convert("RGBA")
            im = Image.new("RGB", rgba.size, "white")
            im.paste(rgba, mask=rgba.getchannel("A"))
        elif im.mode not in ("RGB", "L"):  # CMYK, palette, bilevel, YCbCr, …
            im = im.convert("RGB")
        # what is left after draft() (and thumbnail's own reduce()) shrinks by less than half:
        # bilinear, a triangle filter as wide as the step, is as sharp as bicubic there at
        # half its time
        im.thumbnail(limit, Image.Resampling.BILINEAR)
        icc = _profile(source, im.mode) if im.mode == mode else None  # (not after a convert)
        if fmt == "JPEG" and not turned and im.size == original and mode == im.mode:
            # untouched: no second lossy compression
            return _Photo(own_bytes(), *im.size, im.mode, icc)
        buffer = io.BytesIO()
        if fmt in _LOSSLESS:
            im.save(buffer, format="PNG", optimize=True)
            return _Photo(buffer.getvalue(), *im.size)
        im.save(buffer, format="JPEG", quality=90, **({"icc_profile": icc} if icc else {}))
        return _Photo(buffer.getvalue(), *im.size, im.mode, icc)


def _place(doc: pymupdf.Document, page: pymupdf.Page, rect: pymupdf.Rect,
           photo: _Photo) -> None:
    """Put the photo in `rect`. A JPEG becomes the page's image as its own bytes (DCTDecode),
    with its colour profile if it has one: page.insert_image would decode the whole photo to
    compare it with the document's other images (10-15 ms of a 20 ms page); a PNG is given
    to insert_image."""
    if photo.jpeg is None:
        page.insert_image(rect, stream=photo.data)
        return
    colours = {"RGB": ("/DeviceRGB", 3), "L": ("/DeviceGray", 1)}[photo.jpeg]
    space = colours[0]
    if photo.icc is not None:
        profile = doc.get_new_xref()
        doc.update_object(profile, f"<</N {colours[1]}/Alternate {colours[0]}>>")
        doc.update_stream(profile, photo.icc, compress=True)
        space = f"[/ICCBased {profile} 0 R]"
    xref = doc.get_new_xref()
    doc.update_object(xref, f"<</Type/XObject/Subtype/Image/Width {photo.width}"
                            f"/Height {photo.height}/ColorSpace {space}/BitsPerComponent 8>>")
    doc.update_stream(xref, photo.data, compress=False)  # (which takes /Filter away)
    doc.xref_set_key(xref, "Filter", "/DCTDecode")
    page.insert_image(rect, xref=xref)


def image_page_pdf(image: Path | bytes, caption: dict[str, str], title: str) -> bytes:
    """One A4 portrait page: `title` above the photo (a file, or its bytes), the caption below,
    the group centred."""
    width = PAGE.width - 2 * MARGIN
    title_lines = _wrap(title, TITLE_SIZE, width)
    caption_lines = _caption_lines(caption, width)
    title_h = len(title_lines) * TITLE_SIZE * 1.4
    caption_h = len(caption_lines) * CAPTION_SIZE * 1.7
    box = pymupdf.Rect(0, 0, width, PAGE.height - 2 * MARGIN - title_h - caption_h - 2 * GAP)

    photo = _photo_stream(image, box)
    w, h = photo.width, photo.height
    scale = min(box.width / w, box.height / h)
    photo_w, photo_h = w * scale, h * scale
    top = (PAGE.height - (title_h + GAP + photo_h + GAP + caption_h)) / 2

    doc = pymupdf.open()
    page = doc.new_page(width=PAGE.width, height=PAGE.height)
    # TextWriter measures with the Font object; page.insert_text would rebuild the width
    # table of all 65,000 glyphs of the CJK font for every line (0.2 s a page)
    title_text = pymupdf.TextWriter(page.rect)
    y = top
    for line in title_lines:
        x = (PAGE.width - _font().text_length(line, fontsize=TITLE_SIZE)) / 2
        title_text.append((x, y + TITLE_SIZE), line, font=_font(), fontsize=TITLE_SIZE)
        y += TITLE_SIZE * 1.4
    title_text.write_text(page)
    y += GAP
    x0 = (PAGE.width - photo_w) / 2
    _place(doc, page, pymupdf.Rect(x0, y, x0 + photo_w, y + photo_h), photo)
    y += photo_h + GAP
    # left-aligned with the photo when it fits under it, else centred under it
    block_w = max((i + _font().text_length(t, fontsize=CAPTION_SIZE) for i, t in caption_lines),
                  default=0.0)
    left = min(x0, (PAGE.width - block_w) / 2)
    caption_text = pymupdf.TextWriter(page.rect, color=(0.15, 0.15, 0.15))
    for indent, line in caption_lines:
        caption_text.append((left + indent, y + CAPTION_SIZE), line, font=_font(),
                            fontsize=CAPTION_SIZE)
        y += CAPTION_SIZE * 1.7
    caption_text.write_text(page)

    doc.set_metadata({"title": title, "creator": "Zicha", "producer": "PyMuPDF"})
    doc.subset_fonts()
    # garbage=1 drops the full font the subset replaced; one page has nothing to merge (3 would
    # compare every stream, the photo's megabytes too)
    data = pdf_bytes(doc, garbage=1, deflate=True)
    doc.close()
    return data


# -- plain text ----------------------------------------------------------------------------------

TEXT_SIZE = 11.0
TEXT_LEADING = 1.6


def text_pages_pdf(text_file: Path, title: str) -> bytes:
    """A text file (TXT, CSV, Markdown; UTF-8, GBK/GB18030 or UTF-16) set on A4 pages: `title`
    centred on the first, then the text with its line breaks kept and long lines wrapped."""
    from desktop.core.extract.base import ExtractError
    from desktop.core.extract.documents import decode_text

    try:
        text = decode_text(text_file.read_bytes())
    except ExtractError as exc:
        raise ConversionError(f"文本文件 {text_file.name} 不能转为 PDF：{exc.reason}") from None
    width = PAGE.width - 2 * MARGIN
    step = TEXT_SIZE * TEXT_LEADING
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines += _wrap(raw, TEXT_SIZE, width) if raw.strip() else [""]
    while lines and not lines[-1]:
        lines.pop()

    doc = pymupdf.open()
    page = doc.new_page(width=PAGE.width, height=PAGE.height)
    writer = pymupdf.TextWriter(page.rect)
    y = MARGIN
    for line in _wrap(title, TITLE_SIZE, width):
        x = (PAGE.width - _font().text_length(line, fontsize=TITLE_SIZE)) / 2
        writer.append((x, y + TITLE_SIZE), line, font=_font(), fontsize=TITLE_SIZE)
        y += TITLE_SIZE * 1.4
    y += GAP
    for line in lines:
        if y + step > PAGE.height - MARGIN:
            writer.write_text(page)
            page = doc.new_page(width=PAGE.width, height=PAGE.height)
            writer = pymupdf.TextWriter(page.rect)
            y = MARGIN
        if line:
            writer.append((MARGIN, y + TEXT_SIZE), line, font=_font(), fontsize=TEXT_SIZE)
        y += step
    writer.write_text(page)
    doc.set_metadata({"title": title, "creator": "Zicha", "producer": "PyMuPDF"})
    doc.subset_fonts()
    data = pdf_bytes(doc, garbage=3, deflate=True)
    doc.close()
    return data


# -- DOCX through LibreOffice --------------------------------------------------------------------

def find_soffice() -> str | None:
    """The LibreOffice executable on PATH or in its usual install folder, or None."""
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    return next((path for path in _SOFFICE_FALLBACKS if Path(path).is_file()), None)


def _run(command: list[str], timeout_s: float) -> str:
    """Run without a shell and return stderr. soffice is a launcher that starts soffice.bin, so
    on timeout the whole process group/tree is killed: no headless office is left behind."""
    options: dict[str, Any]
    if sys.platform == "win32":  # spelled out so the type checker knows the platform
        options = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    else:
        options = {"start_new_session": True}
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, errors="replace",
                          **options) as proc:
        try:
            return proc.communicate(timeout=timeout_s)[1]
        except subprocess.TimeoutExpired:
            if sys.platform == "win32":
                subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                               capture_output=True, creationflags=subprocess.CREATE_NO_WINDOW)
            else:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise


def docx_to_pdf(docx: Path, work_dir: Path, timeout_s: float = 120) -> Path:
    """Convert `docx` (or any Office/WPS/ODF/RTF document LibreOffice opens) with headless
    LibreOffice into `work_dir`; return the PDF written.

    A private, throw-away LibreOffice profile is used, so this works while the user has
    LibreOffice open and never touches their profile."""
    kept = f"将保留 {docx.suffix.lstrip('.').upper() or '文件'} 原件"
    soffice = find_soffice()
    if soffice is None:
        raise ConversionError(f"未安装 LibreOffice，无法把 {docx.name} 转为 PDF；{kept}")
    work_dir.mkdir(parents=True, exist_ok=True)
    produced = work_dir / f"{docx.stem}.pdf"
    produced.unlink(missing_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-", dir=work_dir))
    # absolute paths: a file name starting with "-" cannot be taken for an option
    command = [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
               "--norestore", "--nolockcheck", "--convert-to", "pdf",
               "--outdir", str(work_dir.resolve()), str(docx.resolve())]
    try:
        errors = _run(command, timeout_s)
    except subprocess.TimeoutExpired:
        raise ConversionError(
            f"LibreOffice 转换 {docx.name} 超过 {timeout_s:g} 秒未完成；{kept}") from None
    except OSError as exc:
        raise ConversionError(f"无法启动 LibreOffice 转换 {docx.name}（{exc}）；{kept}") from exc
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if not produced.is_file() or produced.stat().st_size == 0:
        why = next((line.strip() for line in reversed(errors.splitlines()) if line.strip()), "")
        raise ConversionError(f"LibreOffice 未能把 {docx.name} 转为 PDF"
                              f"{f'（{why}）' if why else ''}；{kept}")
    return produced


# -- merged PDF ----------------------------------------------------------------------------------

def pdf_page_count(data: bytes) -> int:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return doc.page_count


def _open_part(name: str, source: bytes | Path) -> pymupdf.Document:
    try:
        doc = (pymupdf.open(source, filetype="pdf") if isinstance(source, Path)
               else pymupdf.open(stream=source, filetype="pdf"))
    except (RuntimeError, ValueError) as exc:  # pymupdf's FileDataError is a RuntimeError
        raise ConversionError(f"无法合并“{name}”：不是可读的 PDF（{exc}）") from exc
    if doc.needs_pass:
        doc.close()
        raise ConversionError(f"无法合并“{name}”：PDF 已加密，请提供未加密的文件")
    return doc


def merge_pdfs(parts: list[tuple[str, bytes | Path]], out: Path, title: str) -> int:
    """Write the PDF `parts` in order as one PDF at `out`, with a level-1 bookmark per part at
    its first page (a part's own bookmarks follow at level 2); return the page count."""
    if not parts:
        raise ConversionError(f"没有可合并到 {out.name} 的 PDF")
    merged = pymupdf.open()
    toc: list[list] = []
    for name, source in parts:
        start = merged.page_count + 1
        with _open_part(name, source) as part:
            toc.append([1, name, start])
            toc += [[level + 1, text, page + start - 1]
                    for level, text, page in part.get_toc(simple=True) if page > 0]
            merged.insert_pdf(part)
    merged.set_toc(toc)
    merged.set_metadata({"title": title, "creator": "Zicha", "producer": "PyMuPDF"})
    data = pdf_bytes(merged, garbage=3, deflate=True)
    pages = merged.page_count
    merged.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(out, data)
    return pages
