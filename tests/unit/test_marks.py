"""红线标注 (issue 19, item 1) in the core: marks are data of the material (the stored file is
never changed), survive reopening, are burned into the export's marked copy under the text,
listed in the manifest and the 提交表, checked by 四性检测, and covered by the signatures."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pymupdf
import pytest
from sqlalchemy import select

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item
from desktop.core.archive.models import AuditEntry, Material
from desktop.core.common.errors import ZichaError
from desktop.core.export import bag
from desktop.core.export.plan import make_plan
from desktop.core.export.verify import verify_export
from desktop.core.materials import marks
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.materials.service import update_material
from desktop.core.review import decisions, keys, roster

PASS = "口令-红线标注测试"
LINES = ("一、文明交通劝导行动方案总体要求", "二、每周组织志愿者上路劝导不文明行为",
         "三、劝导活动记录纳入考核台账管理")


def build_lines_pdf(path: Path) -> Path:
    """A one-page PDF with three lines of Chinese text (14 pt, 30 pt apart)."""
    with pymupdf.open() as doc:
        page = doc.new_page()
        for n, line in enumerate(LINES):
            page.insert_text((72, 100 + 30 * n), line, fontname="china-s", fontsize=14)
        doc.save(path)
    return path


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
          server_or_none: str | None):
    """A clerk's archive (SQLite, or on PostgreSQL under ./dev test) with one PDF, not
    submitted, and the three reviewers' keys."""
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ZICHA_USER", "经办人甲")
    source = build_lines_pdf(tmp_path / "方案.pdf")
    with Archive.create(tmp_path / "档案", server_url=server_or_none) as archive:
        add_item(archive, "01.01", "文明交通")
        people = (("经办人甲", "clerk"), ("初审乙", "first"), ("复审丙", "second"),
                  ("终审丁", "final"))
        for name, role in people:
            roster.add_person(archive, name, "市文明办", [role], keys.new_key(name, PASS))
        [row] = import_paths(archive, [source], ImportOptions(codes=["01.01"]))
        update_material(archive, row.id, {"title": "文明交通劝导行动方案",
                                          "department": "市文明办",
                                          "material_date": "2024-05-20"})
    return tmp_path, source, row.id


def _select_two_lines(archive: Archive, material_id: int) -> tuple[str, marks.Selection]:
    with archive.read() as session:
        sha = session.get(Material, material_id).files[0].sha256
    glyphs = marks.page_glyphs(archive.store.path_for(sha), "pdf", 0)
    assert "".join(g.char for g in glyphs).startswith(LINES[0])
    first_line = [g for g in glyphs if g.line == 0]
    second_line = [g for g in glyphs if g.line == 1]
    # from the 3rd character of the first line to the 8th of the second, as a drag would
    start = first_line[2].rect
    end = second_line[7].rect
    chosen = marks.select(glyphs, ((start[0] + start[2]) / 2, (start[1] + start[3]) / 2),
                          ((end[0] + end[2]) / 2, (end[1] + end[3]) / 2))
    assert chosen is not None
    return sha, chosen


def _approve(archive: Archive, material_id: int) -> None:
    decisions.submit(archive, [material_id], "经办人甲")
    for name in ("初审乙", "复审丙", "终审丁"):
        decisions.decide(archive, material_id, name, "approve", "同意",
                         keys.load_private(name, PASS))


def test_a_mark_is_kept_in_the_archive_and_the_file_is_not_touched(setup) -> None:  # type: ignore[no-untyped-def]
    base, source, material_id = setup
    with Archive.open(base / "档案") as archive:
        sha, chosen = _select_two_lines(archive, material_id)
        assert chosen.text == f"{LINES[0][2:]}\n{LINES[1][:8]}"
        assert len(chosen.rects) == 2 and chosen.rects[0][3] < chosen.rects[1][1]
        made = marks.add_mark(archive, material_id, sha, 1, chosen.text, chosen.rects,
                              actor="经办人甲")
        with archive.read() as session:
            entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
            assert entry is not None and entry.action == "material.mark"
            assert entry.actor == "经办人甲" and json.loads(entry.detail)["text"] == chosen.text
    with Archive.open(base / "档案") as archive:  # reopened: the mark is still there
        [kept] = marks.list_marks(archive, material_id)
        assert (kept.text, kept.page, kept.sha256, kept.created_by) == \
            (chosen.text, 1, sha, "经办人甲")
        assert kept.rects == made.rects == tuple(chosen.rects)
        stored = archive.store.path_for(sha).read_bytes()
    assert stored == source.read_bytes()  # the stored original is byte-identical
    assert hashlib.sha256(stored).hexdigest() == sha


def test_bad_marks_are_refused_and_change_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    base, _source, material_id = setup
    with Archive.open(base / "档案") as archive:
        sha, chosen = _select_two_lines(archive, material_id)
        for args, message in (
                ((sha, 1, "", chosen.rects), "没有文字"),
                ((sha, 2, chosen.text, chosen.rects), "只有 1 页"),
                ((sha, 1, chosen.text, []), "没有选中文字"),
                ((sha, 1, chosen.text, [(10, 10, 5, 20)]), "位置无效"),
                ((sha, 1, chosen.text, [(10, 10, 5000, 20)]), "超出了页面"),
                (("0" * 64, 1, chosen.text, chosen.rects), "没有这个文件")):
            with pytest.raises(ZichaError, match=message):
                marks.add_mark(archive, material_id, *args, actor="经办人甲")  # type: ignore[arg-type]
        with pytest.raises(ZichaError, match="当前人员"):
            marks.add_mark(archive, material_id, sha, 1, chosen.text, chosen.rects, actor="")
        assert marks.list_marks(archive, material_id) == []


def test_remove_and_add_again_as_undo_does(setup) -> None:  # type: ignore[no-untyped-def]
    base, _source, material_id = setup
    with Archive.open(base / "档案") as archive:
        sha, chosen = _select_two_lines(archive, material_id)
        made = marks.add_mark(archive, material_id, sha, 1, chosen.text, chosen.rects,
                              actor="经办人甲")
        gone = marks.remove_mark(archive, made.id, actor="经办人甲")
        assert gone == made and marks.list_marks(archive, material_id) == []
        back = marks.add_mark(archive, material_id, gone.sha256, gone.page, gone.text,
                              gone.rects, actor="经办人甲")
        assert [m.text for m in marks.list_marks(archive, material_id)] == [back.text]
        marks.remove_mark(archive, back.id, actor="经办人甲")
        with pytest.raises(ZichaError, match="没有编号"):
            marks.remove_mark(archive, back.id, actor="经办人甲")


def test_the_export_adds_a_marked_copy_with_the_line_under_the_text(setup) -> None:  # type: ignore[no-untyped-def]
    base, source, material_id = setup
    with Archive.open(base / "档案") as archive:
        sha, chosen = _select_two_lines(archive, material_id)
        marks.add_mark(archive, material_id, sha, 1, chosen.text, chosen.rects, actor="经办人甲")
        _approve(archive, material_id)
        assert decisions.signed_state_problems(archive) == []
        with pytest.raises(ZichaError, match="已终审通过"):
            marks.add_mark(archive, material_id, sha, 1, chosen.text, chosen.rects,
                           actor="经办人甲")
        out = base / "导出.zip"
        bag.write_export(archive, make_plan(archive, bag_rules(archive)), out)
    report = verify_export(out)
    assert report.ok, [p for c in report.checks for p in c.problems]
    with zipfile.ZipFile(out) as z:
        manifest = json.loads(z.read("导出/zicha/manifest.json"))
        files = {f["role"]: f for f in manifest["files"] if f.get("material") == material_id}
        clean, marked = files["material"], files["marked"]
        assert marked["path"].endswith("-标注.pdf") and marked["copy_of"] == clean["path"]
        assert marked["source_sha256"] == clean["source_sha256"] == sha
        assert z.read(f"导出/{clean['path']}") == source.read_bytes()  # the clean original
        copy = z.read(f"导出/{marked['path']}")
        [entry] = [m for m in manifest["materials"] if m["id"] == material_id]
        assert [m["text"] for m in entry["marks"]] == [chosen.text]
        form_names = [n for n in z.namelist() if n.endswith("提交表.docx")]
        form = "\n".join(_docx_text(z.read(n)) for n in form_names)
    assert LINES[0][2:] in form and "第 1 页" in form and "红线标注" in form
    with pymupdf.open(stream=copy, filetype="pdf") as doc:
        page = doc[0]
        red = [d for d in page.get_drawings()
               if d.get("color") and d["color"][0] > 0.8 and d["color"][1] < 0.1]
        lines = sorted(((item, d["width"]) for d in red for item in d["items"]),
                       key=lambda found: found[0][1].y)
        assert len(lines) == 2  # one straight red line per marked text line
        words = page.get_text("words")
        for ((kind, p1, p2), width), rect in zip(lines, chosen.rects, strict=True):
            assert kind == "l" and abs(p1.y - p2.y) < 0.01  # straight and level
            top = p1.y - width / 2
            assert top > rect[3]  # under the text's box: the line covers no glyph
            assert p1.x == pytest.approx(rect[0]) and p2.x == pytest.approx(rect[2])
            above = pymupdf.Rect(p1.x, rect[1], p2.x, top)
            text = page.get_textbox(above).replace(" ", "").replace("\n", "")
            assert text and text in chosen.text.replace("\n", "")
            for w in words:  # no glyph box of the page reaches into the line
                box = pymupdf.Rect(w[:4])
                assert not (box.y0 < p1.y + width / 2 and box.y1 > top
                            and box.x0 < p2.x and box.x1 > p1.x)


def bag_rules(archive: Archive):  # type: ignore[no-untyped-def]
    from desktop.core.export.plan import archive_rules

    return archive_rules(archive)


def _docx_text(data: bytes) -> str:
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_a_mark_changed_after_approval_voids_it(setup) -> None:  # type: ignore[no-untyped-def]
    base, _source, material_id = setup
    with Archive.open(base / "档案") as archive:
        sha, chosen = _select_two_lines(archive, material_id)
        marks.add_mark(archive, material_id, sha, 1, chosen.text, chosen.rects, actor="经办人甲")
        with archive.read() as session:
            facts = decisions.material_facts("", session.get(Material, material_id))
        assert facts["marks"]["count"] == 1
        _approve(archive, material_id)
        assert decisions.signed_state_problems(archive) == []
        with archive.engine.connect() as conn:
            kept = dict(zip(("text", "rects"),
                            conn.exec_driver_sql("SELECT text, rects FROM material_mark").one(),
                            strict=True))
        for column, value in (("text", "偷改的文字"), ("rects", "[[72, 80, 200, 104]]")):
            _sql(archive, f"UPDATE material_mark SET {column} = :v", value)  # behind the core
            [found] = decisions.signed_state_problems(archive)
            assert found.fields == ("红线标注",), column
            assert "签名后被改动：红线标注" in found.reason
            assert not decisions.history(archive, material_id)[-1].ok
            _sql(archive, f"UPDATE material_mark SET {column} = :v", kept[column])
            assert decisions.signed_state_problems(archive) == []  # as signed: valid again
        _sql(archive, "DELETE FROM material_mark")
        [found] = decisions.signed_state_problems(archive)
        assert found.fields == ("红线标注",)


def _sql(archive: Archive, statement: str, value: object = None) -> None:
    from sqlalchemy import text

    with archive.engine.begin() as conn:
        conn.execute(text(statement), {"v": value} if value is not None else {})


def test_an_unmarked_material_signs_what_it_signed_before_marks_existed(setup) -> None:  # type: ignore[no-untyped-def]
    base, _source, material_id = setup
    with Archive.open(base / "档案") as archive, archive.read() as session:
        facts = decisions.material_facts("", session.get(Material, material_id))
    assert "marks" not in facts


def test_verify_names_marks_changed_in_the_manifest(setup) -> None:  # type: ignore[no-untyped-def]
    base, _source, material_id = setup
    with Archive.open(base / "档案") as archive:
        sha, chosen = _select_two_lines(archive, material_id)
        marks.add_mark(archive, material_id, sha, 1, chosen.text, chosen.rects, actor="经办人甲")
        _approve(archive, material_id)
        out = base / "导出"
        bag.write_export(archive, make_plan(archive, bag_rules(archive)), out, as_zip=False)
    assert verify_export(out).ok
    path = out / "zicha" / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    manifest["materials"][0]["marks"][0]["text"] = "另一段文字"
    path.write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    report = verify_export(out)
    state = [p for c in report.checks if c.code == "1-5" for p in c.problems]
    assert any("红线标注" in p for p in state), state


def test_an_ofd_is_marked_on_the_pdf_drawn_from_it(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The viewer shows an OFD as the PDF Zicha draws from it; its marks are on those pages
    and the export burns them into the converted PDF's marked copy."""
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    source = Path(__file__).resolve().parents[1] / "fixtures/formats/ofd/notice_handmade.ofd"
    with Archive.create(tmp_path / "档案") as archive:
        add_item(archive, "01.01", "文明交通")
        [row] = import_paths(archive, [source], ImportOptions(codes=["01.01"]))
        layout = marks.page_layout(archive.store.path_for(row.sha256), "ofd", 0)
        found = marks.find_text(layout.glyphs, "关于开展创建材料自查工作")
        assert found is not None and found.text == "关于开展创建材料自查工作"
        marks.add_mark(archive, row.id, row.sha256, 1, found.text, found.rects, actor="经办人甲")
        out = tmp_path / "导出"
        bag.write_export(archive, make_plan(archive, bag_rules(archive), all_stages=True), out,
                         as_zip=False)
        stored = archive.store.path_for(row.sha256).read_bytes()
    assert stored == source.read_bytes()
    assert verify_export(out).ok
    manifest = json.loads((out / "zicha/manifest.json").read_text("utf-8"))
    [marked] = [f for f in manifest["files"] if f["role"] == "marked"]
    assert marked["source_sha256"] == row.sha256
    with pymupdf.open(out / marked["path"]) as doc:
        page = doc[0]
        x0, _y0, x1, y1 = found.rects[0]
        # the letterhead has red rules of its own: the mark's line is the one under the text
        [(kind, p1, p2)] = [i for d in page.get_drawings()
                            if d.get("color") and d["color"][0] > 0.8 and d["color"][1] < 0.1
                            for i in d["items"] if i[0] == "l"
                            and abs(i[1].x - x0) < 0.5 and abs(i[2].x - x1) < 0.5
                            and y1 < i[1].y < y1 + 5]
        assert kind == "l" and p1.y > found.rects[0][3]
        above = pymupdf.Rect(p1.x, found.rects[0][1], p2.x, found.rects[0][3])
        assert "材料自查" in page.get_textbox(above).replace(" ", "")


def test_an_offline_reviewer_sees_and_signs_the_marks(setup) -> None:  # type: ignore[no-untyped-def]
    """A review package carries the marks the reviewer signs; a package whose marks were
    changed after it was written is refused; the decision signed offline applies."""
    from desktop.core.review import package

    base, _source, material_id = setup
    with Archive.open(base / "档案") as archive:
        sha, chosen = _select_two_lines(archive, material_id)
        marks.add_mark(archive, material_id, sha, 1, chosen.text, chosen.rects, actor="经办人甲")
        decisions.submit(archive, [material_id], "经办人甲")
        out = base / "初审包.zip"
        package.export_package(archive, "first", out, actor="经办人甲")
    opened = package.open_package(out)
    try:
        [entry] = opened.materials
        assert [m["text"] for m in entry["marks"]] == [chosen.text]
        assert entry["facts"]["marks"]["count"] == 1
        doc = package.review_package(opened, "初审乙", [package.Choice(material_id, "approve",
                                                                       "同意")],
                                     lambda: keys.load_private("初审乙", PASS))
    finally:
        opened.close()
    decided = base / "决定.json"
    package.write_decisions(doc, decided)

    forged = base / "改过的包.zip"  # the marks shown changed, the facts to sign not
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(forged, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == package.PACKAGE_JSON:
                body = json.loads(data)
                body["materials"][0]["marks"][0]["text"] = "另一段文字"
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            dst.writestr(info, data)
    with pytest.raises(package.PackageError, match="红线标注"):
        package.open_package(forged)

    with Archive.open(base / "档案") as archive:
        [applied] = package.apply_decisions(archive, decided, actor="经办人甲").applied
        assert applied.state == "first_approved"
        assert decisions.signed_state_problems(archive) == []


def test_verify_finds_a_marked_copy_missing_or_without_its_lines(setup) -> None:  # type: ignore[no-untyped-def]
    base, source, material_id = setup
    with Archive.open(base / "档案") as archive:
        sha, chosen = _select_two_lines(archive, material_id)
        marks.add_mark(archive, material_id, sha, 1, chosen.text, chosen.rects, actor="经办人甲")
        _approve(archive, material_id)
        out = base / "导出"
        bag.write_export(archive, make_plan(archive, bag_rules(archive)), out, as_zip=False)
    report = verify_export(out)
    assert report.ok
    [package_check] = [c for c in report.checks if c.code == "1-14"]
    assert package_check.count >= 1
    path = out / "zicha" / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    [marked] = [f for f in manifest["files"] if f["role"] == "marked"]
    (out / marked["path"]).write_bytes(source.read_bytes())  # the lines gone
    problems = [p for c in verify_export(out).checks for p in c.problems]
    assert any("没有画在标注副本中" in p for p in problems), problems
    (out / marked["path"]).unlink()
    manifest["files"] = [f for f in manifest["files"] if f["role"] != "marked"]
    path.write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    problems = [p for c in verify_export(out).checks for p in c.problems]
    assert any("没有它的标注副本" in p for p in problems), problems


def test_on_a_turned_page_the_line_is_under_the_text_as_shown(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    """A page stored sideways and shown upright (/Rotate 90, its text set turned): the line
    goes under the text as the reader sees it, in the viewer's terms and in the export."""
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    pdf = tmp_path / "横排扫描.pdf"
    with pymupdf.open() as doc:
        page = doc.new_page()
        page.set_rotation(90)
        page.insert_text((200, 300), "横向页面上的文明交通劝导记录", fontname="china-s",
                         fontsize=14, rotate=90)
        doc.save(pdf)
    with Archive.create(tmp_path / "档案") as archive:
        add_item(archive, "01.01", "文明交通")
        [row] = import_paths(archive, [pdf], ImportOptions(codes=["01.01"]))
        layout = marks.page_layout(archive.store.path_for(row.sha256), "pdf", 0)
        found = marks.find_text(layout.glyphs, "文明交通劝导")
        assert found is not None and found.text == "文明交通劝导"
        marks.add_mark(archive, row.id, row.sha256, 1, found.text, found.rects, actor="经办人甲")
        out = tmp_path / "导出"
        bag.write_export(archive, make_plan(archive, bag_rules(archive), all_stages=True), out,
                         as_zip=False)
    assert verify_export(out).ok
    manifest = json.loads((out / "zicha/manifest.json").read_text("utf-8"))
    [marked] = [f for f in manifest["files"] if f["role"] == "marked"]
    with pymupdf.open(out / marked["path"]) as doc:
        page = doc[0]
        turn = page.rotation_matrix
        [(kind, p1, p2)] = [i for d in page.get_drawings() for i in d["items"]]
        shown_line = (p1 * turn, p2 * turn)
        shown_text = pymupdf.Rect(found.rects[0]) * turn
        assert kind == "l" and abs(shown_line[0].y - shown_line[1].y) < 0.01  # level as shown
        assert min(q.y for q in shown_line) > shown_text.y1  # under the text as shown
        assert min(q.x for q in shown_line) == pytest.approx(shown_text.x0, abs=0.01)
        assert max(q.x for q in shown_line) == pytest.approx(shown_text.x1, abs=0.01)
