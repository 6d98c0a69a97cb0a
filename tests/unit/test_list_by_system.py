"""Listing the materials of one indicator system (issue 15, item 4): `list_materials(system=…)`
takes a system by id, prefix or name, never a node code, and lists every material filed
anywhere in it — a category, an item, or both systems at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item
from desktop.core.archive.systems import add_category, create_system
from desktop.core.common.errors import UnknownCode
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.materials.service import list_materials, update_material


def _file(archive: Archive, tmp_path: Path, name: str, codes: list[str]) -> int:
    path = tmp_path / f"{name}.txt"
    path.write_text(f"{name}：活动记录与总结", encoding="utf-8")
    [row] = list(import_paths(archive, [path], ImportOptions(codes=codes)))
    assert row.status == "stored", row.reason
    return int(row.id)


def test_the_materials_of_one_system(core_archive: Archive, tmp_path: Path) -> None:
    create_system(core_archive, "全国未成年人思想道德建设工作测评体系", prefix="W", weight=20)
    assert add_category(core_archive, "W", "思想道德教育") == "W01"
    assert add_category(core_archive, "W", "活动场所建设") == "W02"
    add_item(core_archive, "W01.01", "主题教育实践活动")
    add_item(core_archive, "01.01", "深入学习贯彻习近平新时代中国特色社会主义思想")
    city = _file(core_archive, tmp_path, "理论学习", ["01.01"])
    item = _file(core_archive, tmp_path, "主题教育", ["W01.01"])
    category = _file(core_archive, tmp_path, "少年宫", ["W02"])  # a category without items
    both = _file(core_archive, tmp_path, "志愿服务", ["01.01", "W01.01"])

    ids = lambda **kw: [v.id for v in list_materials(core_archive, **kw)]  # noqa: E731
    assert ids(system="W") == [item, category, both]  # by prefix
    assert ids(system="bureau-w") == [item, category, both]  # by id
    assert ids(system="全国未成年人思想道德建设工作测评体系") == [item, category, both]
    assert ids(system="cn-wmcs-2023-prefecture") == [city, both]
    # with a code or a state the system narrows what they list
    assert ids(system="W", code="01.01") == [both]
    assert ids(system="W", code="W01") == [item, both]
    update_material(core_archive, category, {"title": "乡村学校少年宫"})
    assert ids(system="W", state="draft") == [item, category, both]
    assert ids(system="W", state="submitted") == []


def test_a_system_is_never_taken_for_a_node_code(core_archive: Archive) -> None:
    create_system(core_archive, "全国文明村镇测评体系", prefix="C", weight=10)
    add_category(core_archive, "C", "乡风文明")
    # "01" is a node code, not a system: refused with the systems the archive has
    with pytest.raises(UnknownCode, match="没有测评体系“01”") as refused:
        list_materials(core_archive, system="01")
    assert "全国文明村镇测评体系" in str(refused.value)
    with pytest.raises(UnknownCode, match="没有测评体系"):
        list_materials(core_archive, system="C01")
    with pytest.raises(UnknownCode, match="没有测评体系"):
        list_materials(core_archive, system="")
    assert list_materials(core_archive, system="C") == []
