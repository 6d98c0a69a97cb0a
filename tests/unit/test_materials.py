"""Editing materials: every change is checked, applied in one transaction and audited."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item, nodes
from desktop.core.archive.models import AuditEntry
from desktop.core.common.errors import UnknownCode, ZichaError
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.materials.service import get_material, list_materials, update_material
from desktop.core.review.roster import departments
from tests.conftest import FileBuilder


def _import(archive: Archive, path: Path, codes: list[str], **kw: str) -> int:
    (row,) = import_paths(archive, [path], ImportOptions(codes=codes, **kw))
    assert row.status == "stored", row
    assert row.id is not None
    return row.id


def _audit(archive: Archive) -> list[AuditEntry]:
    with archive.read() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


@pytest.fixture
def material(core_archive: Archive, file_builder: FileBuilder) -> int:
    add_item(core_archive, "03.01", "志愿服务")
    add_item(core_archive, "03.02", "文明交通")
    return _import(core_archive, file_builder.pdf("志愿服务方案.pdf", pages=2), ["03.01"],
                   department="市文明办")


def test_imported_material_reads_back(core_archive: Archive, material: int) -> None:
    view = get_material(core_archive, material)
    assert (view.title, view.items, view.department, view.state) == (
        "志愿服务方案", ["03.01"], "市文明办", "draft")
    assert view.material_type == "其他"
    assert view.page_count == 2
    assert view.files[0].filename == "志愿服务方案.pdf"
    assert view.size == view.files[0].size > 0
    assert view.created_by == "测试员"
    assert set(view.to_json()) >= {"id", "title", "items", "files", "size", "page_count"}
    assert departments(core_archive) == ["市文明办"]


def test_update_changes_fields_and_records_old_and_new(core_archive: Archive,
                                                       material: int) -> None:
    before = len(_audit(core_archive))
    view = update_material(core_archive, material, {
        "title": " 2024年志愿服务工作方案 ",
        "doc_number": "文明办〔2024〕3号",
        "material_date": "2024-03-05",
        "department": "团市委",
        "material_type": "方案计划",
        "description": "全年志愿服务安排",
        "caption": {"地点": "人民广场", "主题": "学雷锋"},
        "items": ["03.01", "03.02"],
    }, actor="经办人乙")
    assert view.title == "2024年志愿服务工作方案"
    assert view.material_date == "2024-03-05"
    assert view.department == "团市委"
    assert view.caption == {"时间": "", "地点": "人民广场", "人物": "", "主题": "学雷锋",
                            "背景": "", "事由": ""}
    assert view.items == ["03.01", "03.02"]
    assert get_material(core_archive, material) == view

    entries = _audit(core_archive)
    assert len(entries) == before + 1
    last = entries[-1]
    assert (last.action, last.target, last.actor) == (
        "material.update", f"material:{material}", "经办人乙")
    diff = json.loads(last.detail)
    assert diff["title"] == {"old": "志愿服务方案", "new": "2024年志愿服务工作方案"}
    assert diff["department"] == {"old": "市文明办", "new": "团市委"}
    assert diff["items"] == {"old": ["03.01"], "new": ["03.01", "03.02"]}
    assert diff["material_date"] == {"old": None, "new": "2024-03-05"}
    counts = {n.code: n.material_count for n in nodes(core_archive)}
    assert (counts["03"], counts["03.01"], counts["03.02"]) == (1, 1, 1)


def test_an_edit_that_changes_nothing_is_not_logged(core_archive: Archive,
                                                    material: int) -> None:
    before = len(_audit(core_archive))
    update_material(core_archive, material, {"title": "志愿服务方案", "items": ["03.01"]})
    assert len(_audit(core_archive)) == before


def test_refiling_moves_a_material_between_items(core_archive: Archive, material: int) -> None:
    update_material(core_archive, material, {"items": ["03.02"]})
    assert [m.id for m in list_materials(core_archive, code="03.02")] == [material]
    assert list_materials(core_archive, code="03.01") == []
    assert [m.id for m in list_materials(core_archive, code="03")] == [material]


def test_clearing_the_department_and_date(core_archive: Archive, material: int) -> None:
    update_material(core_archive, material, {"material_date": dt.date(2024, 1, 2)})
    view = update_material(core_archive, material, {"department": " ", "material_date": ""})
    assert (view.department, view.material_date) == ("", None)


@pytest.mark.parametrize("changes, error", [
    ({"title": "  "}, "不能为空"),
    ({"material_date": "2024/13/45"}, "日期"),
    ({"material_type": "不存在的类型"}, "材料类型"),
    ({"caption": {"天气": "晴"}}, "天气"),
    ({"state": "final_approved"}, "不能修改的字段"),
    ({"items": ["99.99"]}, "未知的测评内容编号"),
    ({"items": []}, "至少要指定一个测评内容编号"),
    ({"items": ["03"]}, "测评项目 03 下已有测评内容"),
    ({"title": "新名称", "items": ["99.99"]}, "未知"),  # all or nothing
])
def test_bad_changes_are_refused_and_change_nothing(core_archive: Archive, material: int,
                                                    changes: dict, error: str) -> None:
    before_view = get_material(core_archive, material)
    before_audit = len(_audit(core_archive))
    with pytest.raises(ZichaError, match=error):
        update_material(core_archive, material, changes)
    assert get_material(core_archive, material) == before_view
    assert len(_audit(core_archive)) == before_audit


def test_unknown_material(core_archive: Archive) -> None:
    with pytest.raises(ZichaError, match="42"):
        get_material(core_archive, 42)
    with pytest.raises(ZichaError, match="42"):
        update_material(core_archive, 42, {"title": "x"})


def test_list_filters(core_archive: Archive, material: int, file_builder: FileBuilder) -> None:
    other = _import(core_archive, file_builder.image("现场照片.jpg"), ["03.02"])
    assert [m.id for m in list_materials(core_archive)] == [material, other]
    assert get_material(core_archive, other).material_type == "图片"
    assert [m.id for m in list_materials(core_archive, state="draft")] == [material, other]
    assert list_materials(core_archive, state="final_approved") == []
    with pytest.raises(ZichaError, match="审核状态"):
        list_materials(core_archive, state="done")
    with pytest.raises(ZichaError, match="99"):
        list_materials(core_archive, code="99")
    with pytest.raises(UnknownCode):
        update_material(core_archive, other, {"items": ["98"]})
