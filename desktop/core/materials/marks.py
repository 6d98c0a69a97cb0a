"""红线标注: passages of a material's PDF pages marked with a red line under their text.

The rule the marks follow (材料审核): "用红色…勾画…画线一律为直线,位于文字下方且不能压盖文字".
A mark is data of the material, never a change of its stored file: the file it is on (by
SHA-256), the page number, the text, and one rectangle per text line in PDF points of the
unrotated page. The viewer draws the line, the export burns it into a marked copy beside the
clean original, and a reviewer's signature covers the marks (facts_of, in the signed payload),
so a mark changed after approval voids the approval like a changed file.

Every change is one operation carrying the acting person, logged in the audit log
(material.mark / material.unmark). Only drafts and returned materials take new or removed
marks: what is in review is what the reviewers sign."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.archive.kinds import ReviewState
from desktop.core.archive.marks import (  # noqa: F401 - the service's names, with its own
    GAP,
    LINE_WIDTH,
    RED,
    Mark,
    Rect,
    digest,
    facts_of,
    mark_of,
    marks_json,
    underline,
    underline_on,
)
from desktop.core.archive.models import Material, MaterialMark
from desktop.core.common.errors import ZichaError

if TYPE_CHECKING:
    from desktop.core.archive.archive import Archive

MARKABLE_KINDS = frozenset({"pdf", "ofd"})  # shown as PDF pages with a text layer
MAX_TEXT = 2000  # characters of one marked passage
MAX_LINES = 200  # text lines of one passage
MAX_MARKS = 500  # per material

# -- reading and changing -------------------------------------------------------------------

def list_marks(archive: Archive, material_id: int, sha256: str | None = None) -> list[Mark]:
    """The material's marks (on one of its files when `sha256` is given), oldest first."""
    with archive.read() as session:
        m = session.get(Material, material_id)
        if m is None:
            raise ZichaError(f"没有编号为 {material_id} 的材料")
        return [mark_of(r) for r in m.marks if sha256 is None or r.sha256 == sha256]


def _editable(m: Material) -> None:
    if m.state == ReviewState.FINAL_APPROVED:
        raise ZichaError(f"材料 {m.id} 已终审通过，不能再修改红线标注")
    if m.state not in (ReviewState.DRAFT, ReviewState.RETURNED):
        raise ZichaError(f"材料 {m.id} 正在审核中，审核人签名的标注不能改动；退回后才能修改")


def _clean_rects(rects: Sequence[Sequence[float]], size: tuple[float, float]) -> list[Rect]:
    if not rects:
        raise ZichaError("没有选中文字：请先在页面上拖动鼠标选中要标注的文字")
    if len(rects) > MAX_LINES:
        raise ZichaError(f"选中的文字有 {len(rects)} 行，超过 {MAX_LINES} 行；请分段标注")
    width, height = size
    found: list[Rect] = []
    for r in rects:
        try:
            x0, y0, x1, y1 = (float(v) for v in r)
        except (TypeError, ValueError):
            raise ZichaError("标注的位置不是四个数（x0, y0, x1, y1）") from None
        if not all(math.isfinite(v) for v in (x0, y0, x1, y1)) or x1 <= x0 or y1 <= y0:
            raise ZichaError("标注的位置无效：每一行应是左上角到右下角的矩形")
        if x0 < -1 or y0 < -1 or x1 > width + 1 or y1 > height + 1:
            raise ZichaError(f"标注的位置超出了页面（{width:.0f}×{height:.0f} 磅）")
        found.append((x0, y0, x1, y1))
    return found


def add_mark(archive: Archive, material_id: int, sha256: str, page: int, text: str,
             rects: Sequence[Sequence[float]], *, actor: str | None) -> Mark:
    """Mark `text` on page `page` (1 for the first) of the material's file `sha256`, its lines
    at `rects`. One audit entry material.mark; the stored file is not touched."""
    from desktop.core.materials import render

    text = text.strip()
    if not (actor or "").strip():
        raise ZichaError("请先选择当前人员：标注记录是谁画的线")
    if not text:
        raise ZichaError("选中的地方没有文字：红线只画在文字下方，请选中页面上的文字")
    if len(text) > MAX_TEXT:
        raise ZichaError(f"选中的文字有 {len(text)} 字，超过 {MAX_TEXT} 字；请分段标注")
    with archive.read() as session:
        m = session.get(Material, material_id)
        if m is None:
            raise ZichaError(f"没有编号为 {material_id} 的材料")
        f = next((f for f in m.files if f.sha256 == sha256), None)
        if f is None:
            raise ZichaError(f"材料 #{material_id} 没有这个文件，无法标注")
        kind, pages, name = f.blob.kind, f.blob.page_count, f.filename
    if kind not in MARKABLE_KINDS:
        raise ZichaError(f"{name} 不是 PDF（或 OFD），只能在 PDF 页面的文字下画红线")
    if pages is not None and not 1 <= page <= pages:
        raise ZichaError(f"{name} 只有 {pages} 页，没有第 {page} 页")
    path = archive.store.path_for(sha256)
    size = render.page_size(Path(path), kind, page - 1)
    clean = _clean_rects(rects, size)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with archive.write(actor) as (session, log):
        m = session.get(Material, material_id)
        if m is None:
            raise ZichaError(f"没有编号为 {material_id} 的材料")
        _editable(m)
        if len(m.marks) >= MAX_MARKS:
            raise ZichaError(f"材料 #{material_id} 已有 {len(m.marks)} 处标注，不能再多")
        row = MaterialMark(material_id=material_id, sha256=sha256, page=page, text=text,
                           rects=json.dumps([list(r) for r in clean]), created_by=actor or "",
                           created_at=now)
        m.marks.append(row)
        m.updated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        session.flush()
        made = mark_of(row)
        log("material.mark", f"material:{material_id}",
            {"mark": made.uid, "file": name, "file_sha256": sha256, "page": page,
             "text": text, "rects": made.to_json()["rects"]})
    return made


def remove_mark(archive: Archive, mark_id: int, *, actor: str | None) -> Mark:
    """Remove one mark; returns what it was (the window's undo puts it back with add_mark).
    One audit entry material.unmark."""
    if not (actor or "").strip():
        raise ZichaError("请先选择当前人员：标注记录是谁删除的")
    with archive.write(actor) as (session, log):
        row = session.get(MaterialMark, mark_id)
        if row is None:
            raise ZichaError(f"没有编号为 {mark_id} 的标注（可能已被删除）")
        m = session.get(Material, row.material_id)
        assert m is not None
        _editable(m)
        gone = mark_of(row)
        m.marks.remove(row)
        m.updated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        log("material.unmark", f"material:{gone.material_id}",
            {"mark": gone.uid, "file_sha256": gone.sha256, "page": gone.page,
             "text": gone.text, "made_by": gone.created_by})
    return gone


# -- choosing the text under the mouse --------------------------------------------------------

@dataclass(frozen=True)
class Glyph:
    char: str
    rect: Rect
    line: int  # the text line it is on (index in reading order)


@dataclass(frozen=True)
class Selection:
    text: str
    rects: tuple[Rect, ...]  # one per text line, in PDF points of the unrotated page
    first: int  # glyph indexes, inclusive
    last: int


@dataclass(frozen=True)
class PageLayout:
    """A page's text layer for choosing text with the mouse: its glyphs, and the matrices
    (a, b, c, d, e, f) from unrotated page points to the page as shown and back."""

    glyphs: tuple[Glyph, ...]
    rotation: tuple[float, ...]
    derotation: tuple[float, ...]


def page_layout(path: Path, kind: str, page_index: int) -> PageLayout:
    """Every character of the page's text layer in reading order, with its box (unrotated
    page points, the height of its line) and its line. A scanned page without text has none."""
    import pymupdf

    from desktop.core.materials import render

    source, _kind = render.page_file(path, kind)
    glyphs: list[Glyph] = []
    line_no = 0
    with pymupdf.open(source, filetype="pdf") as doc:
        if not 0 <= page_index < doc.page_count:
            return PageLayout((), (1, 0, 0, 1, 0, 0), (1, 0, 0, 1, 0, 0))
        page = doc[page_index]
        raw = page.get_text("rawdict", flags=0)
        for block in raw.get("blocks", []):
            for line in block.get("lines", []):
                # the line's box across the writing direction for every glyph (CJK fonts give
                # glyph boxes of their own); text set sideways (a turned page) runs along y
                lx0, ly0, lx1, ly1 = line["bbox"]
                dx, dy = line.get("dir", (1.0, 0.0))
                across = abs(dx) >= abs(dy)
                for span in line.get("spans", []):
                    for ch in span.get("chars", []):
                        x0, y0, x1, y1 = ch["bbox"]
                        box = (x0, ly0, x1, ly1) if across else (lx0, y0, lx1, y1)
                        if box[2] > box[0] and box[3] > box[1]:
                            glyphs.append(Glyph(ch["c"], box, line_no))
                line_no += 1
        return PageLayout(tuple(glyphs), tuple(page.rotation_matrix),
                          tuple(page.derotation_matrix))


def page_glyphs(path: Path, kind: str, page_index: int) -> list[Glyph]:
    return list(page_layout(path, kind, page_index).glyphs)


def apply(matrix: Sequence[float], x: float, y: float) -> tuple[float, float]:
    """The point (x, y) through a PyMuPDF matrix (a, b, c, d, e, f)."""
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _nearest(glyphs: Sequence[Glyph], x: float, y: float) -> int:
    def distance(g: Glyph) -> tuple[float, float]:
        x0, y0, x1, y1 = g.rect
        dy = 0.0 if y0 <= y <= y1 else min(abs(y - y0), abs(y - y1))
        dx = 0.0 if x0 <= x <= x1 else min(abs(x - x0), abs(x - x1))
        return dy, dx

    return min(range(len(glyphs)), key=lambda i: distance(glyphs[i]))


def select(glyphs: Sequence[Glyph], start: tuple[float, float], end: tuple[float, float]
           ) -> Selection | None:
    """The text from the glyph nearest `start` to the one nearest `end` (in either order),
    as a mouse drag selects it; None on a page without text."""
    if not glyphs:
        return None
    a, b = _nearest(glyphs, *start), _nearest(glyphs, *end)
    return select_range(glyphs, min(a, b), max(a, b))


def select_range(glyphs: Sequence[Glyph], first: int, last: int) -> Selection | None:
    """The glyphs `first` to `last` (inclusive) as a selection: one rectangle per line."""
    lines: dict[int, list[Glyph]] = {}
    for g in glyphs[first:last + 1]:
        lines.setdefault(g.line, []).append(g)
    rects: list[Rect] = []
    texts: list[str] = []
    for chosen in lines.values():
        shown = [g for g in chosen if g.char.strip()]
        if not shown:
            continue
        rects.append((min(g.rect[0] for g in shown), min(g.rect[1] for g in shown),
                      max(g.rect[2] for g in shown), max(g.rect[3] for g in shown)))
        texts.append("".join(g.char for g in chosen).strip())
    if not rects:
        return None
    return Selection("\n".join(texts), tuple(rects), first, last)


def find_text(glyphs: Sequence[Glyph], text: str) -> Selection | None:
    """The first place the page's text holds `text` (spaces and line breaks ignored on both
    sides), as a selection; None when it is not on the page."""
    needle = "".join(text.split())
    if not needle:
        return None
    shown = [(i, g.char) for i, g in enumerate(glyphs) if g.char.strip()]
    at = "".join(c for _, c in shown).find(needle)
    if at < 0:
        return None
    return select_range(glyphs, shown[at][0], shown[at + len(needle) - 1][0])


def mark_text(archive: Archive, material_id: int, text: str, *, actor: str | None,
              page: int | None = None, file_number: int = 1) -> Mark:
    """Mark the first place `text` occurs in the material's file `file_number` (1 for the
    first), on page `page` (1 for the first) or on the first page that has it: what the command
    line does where the window takes a mouse drag."""
    from desktop.core.materials import render

    with archive.read() as session:
        m = session.get(Material, material_id)
        if m is None:
            raise ZichaError(f"没有编号为 {material_id} 的材料")
        if not 1 <= file_number <= len(m.files):
            raise ZichaError(f"材料 #{material_id} 只有 {len(m.files)} 个文件，没有第 "
                             f"{file_number} 个")
        f = m.files[file_number - 1]
        sha, kind, name = f.sha256, f.blob.kind, f.filename
    if kind not in MARKABLE_KINDS:
        raise ZichaError(f"{name} 不是 PDF（或 OFD），只能在 PDF 页面的文字下画红线")
    path = archive.store.path_for(sha)
    count = render.page_count(Path(path), kind)
    if page is not None and not 1 <= page <= count:
        raise ZichaError(f"{name} 只有 {count} 页，没有第 {page} 页")
    for number in [page] if page is not None else range(1, count + 1):
        found = find_text(page_layout(Path(path), kind, number - 1).glyphs, text)
        if found is not None:
            return add_mark(archive, material_id, sha, number, found.text, found.rects,
                            actor=actor)
    where = f"第 {page} 页" if page is not None else "各页"
    raise ZichaError(f"{name} 的{where}文字层中没有“{text.strip()[:30]}”；扫描件请先做文字识别，"
                     "或在窗口中拖动鼠标选中文字")


def passage_of(marks: Iterable[Mark], text: str) -> Mark | None:
    """The first mark whose passage contains `text` (spaces and line breaks ignored): a
    search hit inside a marked passage."""
    needle = "".join(text.split())
    if not needle:
        return None
    return next((m for m in marks if needle in "".join(m.text.split())), None)


def marked_hits(archive: Archive, hits: Sequence[tuple[int, int | None, str]]
                ) -> dict[int, Mark]:
    """Which search hits fall inside a marked passage: for each hit (material id, page or
    None, the text found), by its position in `hits`, the mark whose passage holds that text
    on that page. One read for all of them; materials without marks cost nothing more."""
    from sqlalchemy import select

    ids = sorted({material_id for material_id, _page, _text in hits})
    if not ids:
        return {}
    with archive.read() as session:
        rows = session.scalars(select(MaterialMark).where(MaterialMark.material_id.in_(ids))
                               .order_by(MaterialMark.id))
        by_material: dict[int, list[Mark]] = {}
        for row in rows:
            by_material.setdefault(row.material_id, []).append(mark_of(row))
    found: dict[int, Mark] = {}
    for n, (material_id, page, text) in enumerate(hits):
        mine = [m for m in by_material.get(material_id, []) if page is None or m.page == page]
        if mine and (mark := passage_of(mine, text)) is not None:
            found[n] = mark
    return found
