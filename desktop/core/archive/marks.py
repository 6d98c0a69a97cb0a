"""红线标注 as data (issue 19, item 1): a mark as read from the archive, its line's place and
the digest a signed decision carries of a material's marks. The service that adds and removes
marks, and picks the text under the mouse, is desktop.core.materials.marks; this part sits
low in the core because signatures (review.decisions) and 四性检测 (export.verify) read it.

The rule the marks follow (材料审核): "用红色…勾画…画线一律为直线,位于文字下方且不能压盖文字"."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the 四性检测 of an export uses this module without the database layer
    from desktop.core.archive.models import Material, MaterialMark

# where the line goes: its centre GAP points under the text's box, LINE_WIDTH wide, so that its
# upper edge (GAP - LINE_WIDTH / 2 under the box) never touches a glyph
RED = (0.86, 0.0, 0.0)
LINE_WIDTH = 1.0
GAP = 1.6

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class Mark:
    id: int
    uid: str
    material_id: int
    sha256: str
    page: int  # 1 for the first page
    text: str
    rects: tuple[Rect, ...]
    created_by: str
    created_at: str  # ISO UTC

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "uid": self.uid, "file_sha256": self.sha256, "page": self.page,
                "text": self.text, "rects": [list(r) for r in self.rects],
                "by": self.created_by, "at": self.created_at}


def mark_of(row: MaterialMark) -> Mark:
    rects = tuple(tuple(float(v) for v in r) for r in json.loads(row.rects))
    return Mark(row.id, row.uid, row.material_id, row.sha256, row.page, row.text,
                rects,  # type: ignore[arg-type]
                row.created_by, row.created_at.isoformat(timespec="seconds") + "Z")


def underline(rect: Sequence[float]) -> tuple[float, float, float]:
    """The red line under one text line's box: (x0, x1, y) in the box's coordinates."""
    x0, _y0, x1, y1 = rect
    return x0, x1, y1 + GAP


IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _through(matrix: Sequence[float], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def underline_on(rect: Sequence[float], rotation: Sequence[float] = IDENTITY,
                 derotation: Sequence[float] = IDENTITY
                 ) -> tuple[tuple[float, float], tuple[float, float]]:
    """The red line under a text line's box (unrotated page points) on a page shown turned by
    `rotation` (PyMuPDF's page.rotation_matrix; `derotation` its inverse): under the box as the
    page is shown, as two end points in unrotated page points (where drawing happens). On an
    unturned page: from (x0, y1 + GAP) to (x1, y1 + GAP)."""
    corners = [_through(rotation, x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])]
    x0, x1 = min(p[0] for p in corners), max(p[0] for p in corners)
    y = max(p[1] for p in corners) + GAP
    return _through(derotation, x0, y), _through(derotation, x1, y)


# -- what a signature covers -----------------------------------------------------------------

def _signed_form(sha256: str, page: int, text: str, rects: Iterable[Sequence[float]]
                 ) -> dict[str, Any]:
    return {"file_sha256": sha256, "page": page, "text": text,
            "rects": [[round(float(v), 2) for v in r] for r in rects]}


def digest(marks: Iterable[dict[str, Any]]) -> str:
    """SHA-256 of a material's marks as listed in an export manifest (or to_json()): file,
    page, text and rectangles (to 0.01 pt), in a fixed order, whoever made them when."""
    forms = sorted((_signed_form(str(m["file_sha256"]), int(m["page"]), str(m["text"]),
                                 m["rects"]) for m in marks),
                   key=lambda f: json.dumps(f, sort_keys=True, ensure_ascii=False))
    body = json.dumps(forms, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def facts_of(m: Material) -> dict[str, Any] | None:
    """The marks as a signed decision carries them ({count, sha256}); None without marks, so
    that what was signed before marks existed is what an unmarked material is now."""
    if not m.marks:
        return None
    return {"count": len(m.marks), "sha256": digest(mark_of(r).to_json() for r in m.marks)}


def marks_json(m: Material) -> list[dict[str, Any]]:
    """The material's marks for an export manifest, oldest first."""
    return [mark_of(r).to_json() for r in m.marks]
