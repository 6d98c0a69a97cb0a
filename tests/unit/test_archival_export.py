"""档号 and 归档章 in the export (issue 19, item 4): the manifest and 材料目录 carry each
material's 档号 and an extract of the register; with the stamp asked for, every material PDF's
first page carries the 归档章 (red lines and the 全宗号, 年度, 件号 found on the rendered page),
the stored original is unchanged (a copied PDF begins with its exact bytes), and 四性检测 passes
— and fails, by name, on a missing stamp or a gap in the register."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from unittest import mock

import bagit
import jsonschema
import openpyxl
import pymupdf
import pytest

from desktop.core.archive.archive import Archive
from desktop.core.export import bag, stamp
from desktop.core.export.plan import archive_rules, make_plan
from desktop.core.export.verify import verify_export
from desktop.core.review import archival
from desktop.core.review.archival import ArchivalRules
from tests.conftest import build_reviewed_archive
from tests.e2e.test_cli_export import _rewrite_manifests

SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "export-manifest.schema.json"
RULES = ArchivalRules(fonds="Z001", retention="D30", categories={"08": "Y"})


@pytest.fixture
def numbered(tmp_path: Path) -> Iterator[Archive]:
    root = tmp_path / "档案"
    build_reviewed_archive(root, tmp_path / "home", tmp_path / "files")
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(tmp_path / "home")}), \
            Archive.open(root) as archive:
        archival.set_rules(archive, RULES, actor="管理员")
        yield archive


def _export(archive: Archive, out: Path, **rules: Any) -> dict[str, Any]:
    plan = make_plan(archive, replace(archive_rules(archive), **rules))
    bag.write_export(archive, plan, out, as_zip=False)
    return json.loads((out / "zicha/manifest.json").read_text(encoding="utf-8"))


def _red_pixels(page: pymupdf.Page, rect: pymupdf.Rect) -> int:
    pix = page.get_pixmap(dpi=150, clip=rect, alpha=False)
    samples, n = pix.samples, pix.n
    return sum(1 for i in range(0, len(samples), n)
               if samples[i] > 150 and samples[i + 1] < 90 and samples[i + 2] < 90)


def test_the_export_carries_numbers_and_stamps_the_copies_only(numbered: Archive,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "导出"
    doc = _export(numbered, out, archival_stamp=True)
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8"))).validate(doc)
    block = doc["archival"]
    assert block["stamp"] is True and block["rules"]["fonds"] == "Z001"
    numbers = {m["title"]: m["archival_number"] for m in doc["materials"]}
    assert numbers["文明交通劝导行动方案"] == "Z001-2024-D30-0001"
    assert numbers["垃圾分类宣传照片"] == "Z001-2024-Y-0001"
    assert sorted(line["code"] for line in block["register"]) == sorted(numbers.values())
    # 材料目录.xlsx: 档号 is the last column
    book = openpyxl.load_workbook(out / "data/材料目录.xlsx", read_only=True)
    rows = list(book["材料目录"].iter_rows(values_only=True))
    assert rows[0][-1] == "档号"
    assert {r[2]: r[-1] for r in rows[1:] if r[2] in numbers} == numbers
    book.close()

    files = [f for f in doc["files"] if f["role"] == "material"]
    pdfs = [f for f in files if f["path"].endswith(".pdf")]
    assert pdfs and all(f["stamped"] for f in pdfs)
    assert not any(f.get("stamped") for f in files if not f["path"].endswith(".pdf"))
    plan_pdf = next(f for f in pdfs if f["action"] == "copy")
    stored = numbered.store.path_for(plan_pdf["source_sha256"]).read_bytes()
    # the stored original is unchanged; the copy begins with it, byte for byte
    assert hashlib.sha256(stored).hexdigest() == plan_pdf["source_sha256"]
    written = (out / plan_pdf["path"]).read_bytes()
    assert written != stored and written[:plan_pdf["source_size"]] == stored
    with pymupdf.open(stream=stored, filetype="pdf") as original:
        assert "Z001" not in original[0].get_text()
    fields = stamp.StampFields.of(archival.parse_code(plan_pdf["archival_number"]).to_json(),
                                  "市文明办", 2)
    for f in pdfs:
        path = out / f["path"]
        assert stamp.find_stamp(path, fields if f is plan_pdf else
                                stamp.StampFields.of(archival.parse_code(
                                    f["archival_number"]).to_json(), "", None)) is None, f
        with pymupdf.open(path) as pdf:
            page = pdf[0]
            [anchor] = [pymupdf.Rect(w[:4]) for w in page.get_text("words")
                        if w[4] == "Z001"]
            # the stamp's rectangle: 45 x 16 mm around the 全宗号 cell, at the top
            box = pymupdf.Rect(anchor.x0 - 10, anchor.y0 - 10, anchor.x0 + stamp.STAMP_W,
                               anchor.y0 + stamp.STAMP_H)
            assert box.y1 < page.rect.height / 4
            assert _red_pixels(page, box) > 200, f["path"]
            words = {w[4] for w in page.get_text("words") if box.intersects(pymupdf.Rect(w[:4]))}
            code = archival.parse_code(f["archival_number"])
            assert code is not None
            assert {"Z001", str(code.year), f"{code.piece:04d}"} <= words
    bagit.Bag(str(out)).validate()  # still a valid bag for other tools
    report = verify_export(out)
    checks = {c.code: c for c in report.checks}
    assert report.ok, [p for c in report.checks for p in c.problems]
    assert checks["2-12"].count == len(pdfs) and checks["1-7"].count == len(doc["materials"])


def test_a_missing_stamp_and_a_gap_are_caught(numbered: Archive, tmp_path: Path) -> None:
    out = tmp_path / "导出"
    doc = _export(numbered, out, archival_stamp=True, stamp_color="black")
    plan_pdf = next(f for f in doc["files"] if f.get("stamped") and f["action"] == "copy")
    # the copy replaced by the unstamped original: the manifest still says stamped
    (out / plan_pdf["path"]).write_bytes(
        numbered.store.path_for(plan_pdf["source_sha256"]).read_bytes())
    _rewrite_manifests(out)
    report = verify_export(out)
    problems = {c.code: c.problems for c in report.checks}
    assert not report.ok
    assert any(plan_pdf["path"] in p and "找不到归档章" in p for p in problems["2-12"])

    again = tmp_path / "再次导出"
    doc = _export(numbered, again)
    assert doc["archival"]["stamp"] is False
    assert not any(f.get("stamped") for f in doc["files"])
    assert verify_export(again).ok
    # a line taken out of the register extract: a gap in 件号
    doc["archival"]["register"] = [line for line in doc["archival"]["register"]
                                   if line["code"] != "Z001-2024-D30-0002"]
    (again / "zicha/manifest.json").write_text(json.dumps(doc, ensure_ascii=False),
                                               encoding="utf-8")
    _rewrite_manifests(again)
    report = verify_export(again)
    problems = {c.code: c.problems for c in report.checks}
    assert any("Z001-2024-D30 的件号有空号 0002" in p for p in problems["2-6b"]), problems
    assert any("Z001-2024-D30-0002 不在导出包的档号登记中" in p for p in problems["1-7"])


def test_a_withdrawn_number_counts_as_accounted_for(numbered: Archive, tmp_path: Path) -> None:
    plan = next(m for m in make_plan(numbered, archive_rules(numbered)).materials
                if m.title == "志愿服务活动通知")
    archival.withdraw(numbered, plan.id, "重复归档", actor="管理员")
    out = tmp_path / "导出"
    doc = _export(numbered, out)
    [line] = [x for x in doc["archival"]["register"] if x["withdrawn"]]
    assert line["code"] == "Z001-2024-D30-0002" and line["withdrawn"]["reason"] == "重复归档"
    assert {m["title"]: m["archival_number"] for m in doc["materials"]}["志愿服务活动通知"] is None
    assert verify_export(out).ok


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_the_stamp_finds_blank_space_and_stands_upright(tmp_path: Path, rotation: int) -> None:
    fields = stamp.StampFields("Z001", "2024", "0007", "市委宣传部", "永久", "12")
    doc = pymupdf.open()
    page = doc.new_page()
    page.set_rotation(rotation)
    # something printed in the top centre (in the page as shown): the stamp moves right
    shown = page.rect
    spot = pymupdf.Rect(shown.width / 2 - 40, 20, shown.width / 2 + 40, 40)
    page.draw_rect(spot * page.derotation_matrix, color=(0, 0, 1), fill=(0, 0, 1))
    source = doc.tobytes()
    stamped = stamp.stamp_pdf(source, fields, "red", tmp_path)
    assert stamped.incremental and stamped.data.startswith(source)
    x0, y0, x1, y1 = stamped.rect
    assert x0 > spot.x1 and y0 < 40 and round(x1 - x0) == round(stamp.STAMP_W)
    out = tmp_path / "盖章.pdf"
    out.write_bytes(stamped.data)
    assert stamp.find_stamp(out, fields) is None
    with pymupdf.open(out) as pdf:
        turn = pdf[0].rotation_matrix
        lines = [line for block in pdf[0].get_text("dict")["blocks"]
                 for line in block.get("lines", [])]
        # every text line of the stamp runs left to right as the page is shown
        stamp_lines = [line for line in lines if line["spans"][0]["text"] in fields.cells()]
        assert len(stamp_lines) == 6
        for line in stamp_lines:
            dx, dy = pymupdf.Point(line["dir"]) * pymupdf.Matrix(turn.a, turn.b, turn.c,
                                                                    turn.d, 0, 0)
            assert dx > 0.99 and abs(dy) < 0.01, (rotation, line["dir"])
    other = stamp.StampFields("Z002", "2024", "0007", "", "永久", "")
    assert "找不到归档章" in (stamp.find_stamp(out, other) or "")


def test_checking_a_numbered_export_imports_no_database_layer(numbered: Archive,
                                                              tmp_path: Path) -> None:
    """`zicha verify` of an export with 档号, 归档章, an XLSX and 材料目录.xlsx passes without
    loading SQLAlchemy or openpyxl (the register's checks and the catalogue's rows are read
    without them); a catalogue row changed after signing is still caught."""
    import subprocess
    import sys
    import zipfile

    out = tmp_path / "导出"
    doc = _export(numbered, out, archival_stamp=True)
    assert any(f["path"].endswith(".xlsx") for f in doc["files"] if f["role"] == "material")
    probe = ("import sys\n"
             "from desktop.cli import main\n"
             "code = main(['verify', sys.argv[1]])\n"
             "print(code, sorted(m for m in ('sqlalchemy', 'openpyxl', 'docx') "
             "if m in sys.modules))\n")

    def check(path: Path) -> str:
        result = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True,
                                text=True, check=False)
        return result.stdout

    stdout = check(out)
    assert stdout.strip().splitlines()[-1] == "0 []", stdout
    # the catalogue's 材料名称 of one row changed (its tag manifests rewritten to match)
    catalogue = out / "data/材料目录.xlsx"
    with zipfile.ZipFile(catalogue) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    # openpyxl writes inline strings, non-ASCII characters as character references
    title, changed = ("".join(f"&#{ord(ch)};" for ch in text).encode()
                      for text in ("文明交通劝导行动方案", "文明交通劝导行动计划"))
    where = next(n for n, data in parts.items() if title in data)
    parts[where] = parts[where].replace(title, changed)
    with zipfile.ZipFile(catalogue, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    _rewrite_manifests(out)
    stdout = check(out)
    assert "材料目录.xlsx" in stdout and "材料名称" in stdout, stdout
    assert stdout.strip().splitlines()[-1].startswith("1 "), stdout
