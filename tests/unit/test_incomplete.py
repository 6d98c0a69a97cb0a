"""The 待完善 filter: materials that still lack a title, date, type or department."""

from __future__ import annotations

from pathlib import Path

from desktop.core.archive.archive import Archive
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.materials.service import (
    INCOMPLETE_FIELDS,
    get_material,
    incomplete_fields,
    list_incomplete,
    update_material,
)
from tests.conftest import FileBuilder
from tests.unit.test_docmeta import _pdf


def _import(archive: Archive, path: Path, **kw: str) -> int:
    (row,) = import_paths(archive, [path], ImportOptions(codes=["01"], **kw))
    assert row.status == "stored", row
    assert row.id is not None
    return row.id


def test_incomplete_fields_of_fresh_imports(core_archive: Archive,
                                            file_builder: FileBuilder) -> None:
    number = _import(core_archive, file_builder.pdf("1.pdf"))
    photo = _import(core_archive, file_builder.image("IMG_0001.jpg"))
    named = _import(core_archive, file_builder.pdf("创建工作材料.pdf"), department="市文明办")
    read = _import(core_archive, _pdf(file_builder.base / "2.pdf", [
        ("关于开展志愿服务月活动的通知", 22), ("正文正文正文正文正文正文。", 16),
        ("2024年3月1日", 16)]), department="市文明办", material_type="活动记录")

    def fields(material_id: int) -> list[str]:
        return incomplete_fields(get_material(core_archive, material_id))

    assert list(INCOMPLETE_FIELDS) == ["title", "material_date", "material_type", "department"]
    assert fields(number) == ["title", "material_date", "material_type", "department"]
    assert fields(photo) == ["title", "material_date", "department"]  # 图片 is a type
    # a file name somebody chose is a title; it has no date and type 其他 though
    assert fields(named) == ["material_date", "material_type"]
    assert fields(read) == []

    assert [v.id for v in list_incomplete(core_archive)] == [number, photo, named]
    assert [v.id for v in list_incomplete(core_archive, code="02")] == []
    assert [v.id for v in list_incomplete(core_archive, state="draft")] == [number, photo, named]

    update_material(core_archive, named, {"material_date": "2024-05-01",
                                          "material_type": "方案计划"})
    update_material(core_archive, photo, {"title": "志愿者合影", "material_date": "2024-05-04",
                                          "department": "团市委"})
    assert [v.id for v in list_incomplete(core_archive)] == [number]
