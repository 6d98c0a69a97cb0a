"""The export's marked copies (红线标注, issue 19 item 1): for a material whose PDF (or OFD,
drawn as PDF) has marked passages, the bag keeps the clean original and adds a copy beside it
(`…-标注.pdf`) with a straight red line under each marked text line, never over the glyphs
(marks.underline). The lines are drawn into the page content of the copy; the archived file
is never touched. bag._write_item calls marked_copy() once per exported file."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import pymupdf

from desktop.core.archive.marks import LINE_WIDTH, RED, underline_on
from desktop.core.export.layout import safe_name, unique
from desktop.core.export.model import ExportFile, PlannedItem, PlannedMaterial

SUFFIX = "-标注"


def marked_name(item: PlannedItem, f: ExportFile) -> str:
    """The copy's path beside `f` (same folder, the clean file's name + 标注), unique among
    the item's files as Windows compares names."""
    path = PurePosixPath(f.path)
    taken = {PurePosixPath(g.path).name.casefold() for m in item.materials for g in m.files}
    name = unique(safe_name(path.stem + SUFFIX, suffix=".pdf"), taken)
    return (path.parent / name).as_posix()


def draw_marks(pdf: bytes | Path, marks: list[dict[str, Any]], out: Path) -> bool:
    """Write to `out` the PDF with a red line under each rectangle of `marks` (their pages,
    1-based); False (nothing written) when it cannot be opened without a password. Its other
    objects are written as they are (no recompression): a large scan costs one copy."""
    with (pymupdf.open(stream=pdf, filetype="pdf") if isinstance(pdf, bytes)
          else pymupdf.open(pdf, filetype="pdf")) as doc:
        if doc.needs_pass:
            return False
        for mark in marks:
            index = int(mark["page"]) - 1
            if not 0 <= index < doc.page_count:
                continue
            page = doc[index]
            # the rectangles are of the unrotated page, as the drawing methods take them; the
            # line goes under the text as the page is shown (a /Rotate page turned)
            shape = page.new_shape()
            turn, back = tuple(page.rotation_matrix), tuple(page.derotation_matrix)
            for rect in mark["rects"]:
                start, end = underline_on(rect, turn, back)
                shape.draw_line(pymupdf.Point(*start), pymupdf.Point(*end))
            shape.finish(color=RED, width=LINE_WIDTH, lineCap=0, closePath=False)
            shape.commit(overlay=True)
        doc.save(out, garbage=0, deflate=True)
        return True


def marked_copy(item: PlannedItem, m: PlannedMaterial, f: ExportFile,
                pdf: bytes | Path | None, work: Path) -> tuple[str, Path] | None:
    """(path below data/, the file written in `work`) of the marked copy of exported file `f`,
    whose PDF as written is `pdf` (None when it was not written as a PDF); None when the file
    has no marks. The caller streams the file into the bag and removes it."""
    mine = [mark for mark in m.marks if mark["file_sha256"] == f.source_sha256]
    if not mine or pdf is None:
        return None
    out = work / "marked.pdf"
    if not draw_marks(pdf, mine, out):
        return None
    return marked_name(item, f), out
