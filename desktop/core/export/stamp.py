"""The 归档章 (DA/T 22-2015) drawn on the first page of an exported material PDF.

The stamp is 45 × 16 mm, two rows of three 15 × 8 mm cells, in the standard's layout:

    ┌────────┬────────┬────────┐
    │ 全宗号 │  年度  │  件号  │
    ├────────┼────────┼────────┤
    │机构(问题)│保管期限│  页数  │
    └────────┴────────┴────────┘

each cell holding its value (全宗号 Z001, 年度 2024, 件号 0007, the material's 责任单位, 永久 /
定期30年 / 定期10年, its page count), lines and text in red or black, text in PyMuPDF's CJK font
(embedded as a subset). It goes into the blank space at the top of the first page: centred as
the standard asks when that space is blank, else at the top right, else the top left, else at
the top right over whatever is there.

Only the exported copy is stamped. A copied PDF is stamped by an incremental update: the bytes
of the archived file come first, unchanged (its SHA-256 still the signed one, which 四性检测
checks), and the stamp follows as an update of the first page. A PDF that cannot be updated
so (a repaired or encrypted one) is rewritten, and the manifest says so."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pymupdf

from desktop.core.common.errors import ZichaError
from desktop.core.export.pdfwrite import pdf_bytes

MM = 72 / 25.4
CELL_W, CELL_H = 15 * MM, 8 * MM
STAMP_W, STAMP_H = 3 * CELL_W, 2 * CELL_H  # 45 × 16 mm
TOP = 6 * MM  # from the top edge of the page
SIDE = 12 * MM  # from the left or right edge, when not centred
COLORS = {"red": (0.85, 0.0, 0.0), "black": (0.0, 0.0, 0.0)}
LINE_WIDTH = 0.8
TEXT_SIZE = 8.0
MIN_TEXT_SIZE = 3.5
LAYER = "归档章"  # the optional-content group the stamp is drawn in
PDF_KINDS = ("copy", "image_pdf", "text_pdf", "ofd_pdf", "docx_pdf", "office_pdf")


class StampError(ZichaError):
    """The 归档章 could not be drawn on a PDF; the message says why."""


class SourceChanged(StampError):
    """The stored file is not the one its material's reviewers signed."""


@dataclass(frozen=True)
class StampFields:
    """What the six cells say."""

    fonds: str
    year: str
    piece: str
    organ: str  # 机构（问题）: the material's 责任单位, "" when none
    retention: str  # 永久 / 定期30年 / 定期10年
    pages: str  # "" when unknown

    def cells(self) -> list[str]:
        """The cell values row by row, left to right."""
        return [self.fonds, self.year, self.piece, self.organ, self.retention, self.pages]

    @classmethod
    def of(cls, number: dict[str, Any], department: str, pages: int | None) -> StampFields:
        from desktop.core.review.archival_code import RETENTIONS

        return cls(str(number["fonds"]), f"{int(number['year']):04d}",
                   f"{int(number['piece']):04d}", department,
                   RETENTIONS.get(str(number["retention"]), str(number["retention"])),
                   "" if pages is None else str(pages))


@dataclass(frozen=True)
class Stamped:
    data: bytes
    incremental: bool  # the source's bytes come first, unchanged
    rect: tuple[float, float, float, float]  # where on the first page (points, top-left origin)


@lru_cache(maxsize=1)
def _font() -> pymupdf.Font:
    return pymupdf.Font("cjk")


def _occupied(page: pymupdf.Page) -> list[pymupdf.Rect]:
    """What is drawn on the page (text blocks, images, vector drawings), in visible
    coordinates."""
    found = [pymupdf.Rect(b[:4]) for b in page.get_text("blocks")]
    found += [pymupdf.Rect(i["bbox"]) for i in page.get_image_info()]
    found += [pymupdf.Rect(d["rect"]) for d in page.get_drawings()]
    turn = page.rotation_matrix
    return [r * turn for r in found if not r.is_empty]


def place(page: pymupdf.Page) -> pymupdf.Rect:
    """The stamp's rectangle on `page` (visible coordinates): the first blank of top centre,
    top right and top left, else top right."""
    area = page.rect
    y0 = area.y0 + TOP
    centre = (area.x0 + area.x1 - STAMP_W) / 2
    candidates = [centre, area.x1 - SIDE - STAMP_W, area.x0 + SIDE]
    taken = _occupied(page)
    for x0 in candidates:
        rect = pymupdf.Rect(x0, y0, x0 + STAMP_W, y0 + STAMP_H)
        margin = pymupdf.Rect(rect.x0 - 2, rect.y0 - 2, rect.x1 + 2, rect.y1 + 2)
        if not any(margin.intersects(r) for r in taken):
            return rect
    x0 = candidates[1]
    return pymupdf.Rect(x0, y0, x0 + STAMP_W, y0 + STAMP_H)


def _fitted(text: str, width: float) -> tuple[str, float]:
    """The text and the size it fits the width at (shortened with … below the smallest)."""
    size = TEXT_SIZE
    while size > MIN_TEXT_SIZE and _font().text_length(text, fontsize=size) > width:
        size -= 0.25
    while len(text) > 1 and _font().text_length(text, fontsize=size) > width:
        text = text[:-2] + "…"
    return text, size


@lru_cache(maxsize=64)  # the files of one material share their stamp
def stamp_page(fields: StampFields, color: str) -> bytes:
    """The stamp alone: a one-page PDF of 45 × 16 mm, its font embedded as a subset."""
    rgb = COLORS.get(color)
    if rgb is None:
        raise StampError(f"归档章的颜色只能是 red（红色）或 black（黑色），不是“{color}”")
    doc = pymupdf.open()
    page = doc.new_page(width=STAMP_W, height=STAMP_H)
    inset = LINE_WIDTH / 2
    rect = pymupdf.Rect(inset, inset, STAMP_W - inset, STAMP_H - inset)
    shape = page.new_shape()
    shape.draw_rect(rect)
    shape.draw_line(pymupdf.Point(rect.x0, CELL_H), pymupdf.Point(rect.x1, CELL_H))
    for n in (1, 2):
        shape.draw_line(pymupdf.Point(n * CELL_W, rect.y0), pymupdf.Point(n * CELL_W, rect.y1))
    shape.finish(color=rgb, width=LINE_WIDTH)
    shape.commit()
    writer = pymupdf.TextWriter(page.rect, color=rgb)
    for n, value in enumerate(fields.cells()):
        if not value:
            continue
        row, col = divmod(n, 3)
        text, size = _fitted(value, CELL_W - 3)
        width = _font().text_length(text, fontsize=size)
        x = col * CELL_W + (CELL_W - width) / 2
        y = row * CELL_H + (CELL_H + size * 0.7) / 2
        writer.append((x, y), text, font=_font(), fontsize=size)
    writer.write_text(page)
    doc.set_metadata({"title": LAYER, "creator": "Zicha"})
    doc.subset_fonts()
    data = pdf_bytes(doc, garbage=3, deflate=True)
    doc.close()
    return data


def draw(page: pymupdf.Page, fields: StampFields, color: str) -> pymupdf.Rect:
    """Put the stamp on `page`, upright as the page is shown, in an optional-content group
    named 归档章; returns where (visible coordinates)."""
    stamp = pymupdf.open(stream=stamp_page(fields, color), filetype="pdf")
    rect = place(page)
    layer = page.parent.add_ocg(LAYER, on=True)
    page.show_pdf_page(rect * page.derotation_matrix, stamp, 0, rotate=page.rotation,
                       oc=layer, overlay=True)
    stamp.close()
    return rect


def stamp_pdf(source: bytes, fields: StampFields, color: str, work: Path) -> Stamped:
    """`source` (a PDF) with the 归档章 on its first page. Incremental when PyMuPDF can update
    the file so; otherwise a rewritten copy."""
    target = work / "stamp.pdf"
    target.write_bytes(source)
    try:
        doc = pymupdf.open(target)
    except Exception as exc:  # noqa: BLE001 - MuPDF raises several kinds for a damaged file
        raise StampError(f"无法打开 PDF 加盖归档章（{exc}）") from None
    try:
        if doc.page_count == 0 or doc.needs_pass:
            raise StampError("PDF 没有页面或已加密，无法加盖归档章")
        page = doc[0]
        rect = draw(page, fields, color)
        incremental = bool(doc.can_save_incrementally())
        if incremental:  # the stamp's font is a subset already (stamp_page)
            doc.save(target, incremental=True, deflate=True,
                     encryption=pymupdf.mupdf.PDF_ENCRYPT_KEEP)
            doc.close()
            data = target.read_bytes()
            if not data.startswith(source):  # an update that changed what came before
                incremental = False
        if not incremental:
            if doc.is_closed:
                doc = pymupdf.open(stream=source, filetype="pdf")
                draw(doc[0], fields, color)
            data = pdf_bytes(doc, garbage=1, deflate=True)
    finally:
        if not doc.is_closed:
            doc.close()
        target.unlink(missing_ok=True)
    return Stamped(data, incremental, (rect.x0, rect.y0, rect.x1, rect.y1))


# -- what the export does (one call from bag._write_item) --------------------------------------

def wanted(plan_rules: Any, number: dict[str, Any] | None, action: str, kind: str) -> bool:
    """Whether this exported file gets the stamp: asked for, the material has a 档号, and the
    file written is a PDF."""
    if not getattr(plan_rules, "archival_stamp", False) or number is None:
        return False
    return action in PDF_KINDS and (action != "copy" or kind == "pdf")


def stamp_chunks(chunks: Iterable[bytes], fields: StampFields, color: str, work: Path,
                 expected_sha256: str | None) -> tuple[bytes, dict[str, Any]]:
    """The stamped file for the bag, and what the manifest records of it. `expected_sha256`:
    the signed SHA-256 a copied file must have before it is stamped (None for a converted
    one); a mismatch raises StampError."""
    source = b"".join(chunks)
    if expected_sha256 is not None and hashlib.sha256(source).hexdigest() != expected_sha256:
        raise SourceChanged("档案中存储的文件与审核签名时的哈希不符")
    stamped = stamp_pdf(source, fields, color, work)
    extra: dict[str, Any] = {"stamped": True}
    if stamped.incremental:
        extra["source_size"] = len(source)
    return stamped.data, extra


# -- checking (四性检测) ---------------------------------------------------------------------------

def find_stamp(path: Path, fields: StampFields) -> str | None:
    """Why the first page of the PDF at `path` does not carry this stamp, or None when it does:
    the 全宗号, 年度 and 件号 must be found together in a stamp-sized area at the top of the
    page."""
    try:
        with pymupdf.open(path) as doc:
            if doc.page_count == 0:
                return "PDF 没有页面"
            page = doc[0]
            turn = page.rotation_matrix
            words = [(pymupdf.Rect(w[:4]) * turn, w[4]) for w in page.get_text("words")]
            height = page.rect.height
    except Exception as exc:  # noqa: BLE001 - the open check reports a damaged PDF
        return f"无法打开（{exc}）"
    top = [(r, t) for r, t in words if r.y0 < height / 3]
    for anchor, text in top:
        if text != fields.fonds:
            continue
        area = pymupdf.Rect(anchor.x0 - STAMP_W, anchor.y0 - STAMP_H, anchor.x1 + STAMP_W,
                            anchor.y1 + STAMP_H)
        near = {t for r, t in top if area.intersects(r)}
        if {fields.year, fields.piece} <= near:
            return None
    return (f"第一页顶部找不到归档章（全宗号 {fields.fonds}、年度 {fields.year}、"
            f"件号 {fields.piece}）")
