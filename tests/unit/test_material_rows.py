"""`zicha list --json`'s plain rows (materials/rows.py) are what the views say, key for key."""

from __future__ import annotations

import json

from desktop.core.archive.archive import Archive
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.materials.rows import json_lines, material_rows
from desktop.core.materials.service import list_materials, update_material
from tests.conftest import FileBuilder


def _archive(core_archive: Archive, file_builder: FileBuilder) -> list[int]:
    file_builder.pdf("a/通知.pdf", "关于开展文明交通志愿服务活动的通知", pages=3)
    file_builder.docx("a/纪要.docx", "创建工作推进会会议纪要")
    file_builder.pdf("b/方案.pdf", "垃圾分类工作方案")
    rows = list(import_paths(core_archive, [file_builder.base / "a"],
                             ImportOptions(codes=["01"], department="市文明办")))
    rows += list(import_paths(core_archive, [file_builder.base / "b"],
                              ImportOptions(codes=["02", "05"])))
    ids = [r.id for r in rows if r.id is not None]
    update_material(core_archive, ids[0], {
        "doc_number": "吴文明委〔2024〕3号", "material_date": "2024-03-05",
        "caption": {"地点": "松陵街道"}, "description": "说明",
        "bonus": {"level": "省级", "issuer": "省文明办", "date": "2024-05-01"}})
    return ids


def test_the_rows_are_the_views_json(core_archive: Archive, file_builder: FileBuilder) -> None:
    ids = _archive(core_archive, file_builder)
    assert len(ids) == 3
    views = [v.to_json() for v in list_materials(core_archive)]
    rows = material_rows(core_archive)
    assert rows == views
    assert [list(r) for r in rows] == [list(v) for v in views]  # the same keys, in order
    assert rows[0]["bonus"] == {"level": "省级", "issuer": "省文明办", "date": "2024-05-01"}
    assert rows[0]["department"] == "市文明办" and rows[2]["department"] == ""
    assert sorted(r["page_count"] or 0 for r in rows) == [0, 1, 3]
    assert rows[2]["items"] == ["02", "05"]


def test_the_filters_are_the_listings(core_archive: Archive, file_builder: FileBuilder) -> None:
    ids = _archive(core_archive, file_builder)
    for code in ("01", "02", "05", "03"):
        assert material_rows(core_archive, code=code) == [
            v.to_json() for v in list_materials(core_archive, code=code)]
    assert [r["id"] for r in material_rows(core_archive, bonus=True)] == [ids[0]]
    assert material_rows(core_archive, state="draft") == material_rows(core_archive)
    assert material_rows(core_archive, state="submitted") == []


def test_the_lines_are_one_json_array(core_archive: Archive, file_builder: FileBuilder) -> None:
    _archive(core_archive, file_builder)
    rows = material_rows(core_archive)
    text = "".join(json_lines(rows))
    assert json.loads(text) == rows
    assert len(text.splitlines()) == len(rows) + 2  # [, one line per material, ]
    assert "".join(json_lines([])) == "[]\n"
