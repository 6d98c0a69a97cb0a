"""More than one indicator system in an archive (issue 15, item 4): the city system and those
evaluated with it, their prefixed codes, weights, and the 测评项目 a bureau makes itself."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from unittest import mock

import pytest
from alembic import command
from sqlalchemy import select

from desktop.core.archive import db
from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item, nodes, rename_item, resolve_targets
from desktop.core.archive.kinds import NodeKind
from desktop.core.archive.models import AuditEntry
from desktop.core.archive.systems import (
    add_category,
    add_system_file,
    create_system,
    edit_system,
    remove_system,
    systems,
)
from desktop.core.common.errors import UnknownCode, ZichaError
from desktop.core.materials.importer import ImportOptions, import_paths

WCN = """\
id: wcn-2023
name: 全国未成年人思想道德建设工作测评体系
edition: "2023"
prefix: W
weight: 20
categories:
  - {code: "01", name: 思想道德教育}
  - {code: "02", name: 活动场所建设}
items:
  - {code: "01.01", name: 主题教育实践活动, criterion: 提供方案、总结和活动图片}
"""


def _yaml(tmp_path: Path, text: str = WCN, name: str = "未成年人.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _last_audit(archive: Archive) -> AuditEntry:
    with archive.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None
        return entry


def test_a_new_archive_has_the_city_system_only(core_archive: Archive) -> None:
    [city] = systems(core_archive)
    assert (city.prefix, city.main, city.categories, city.items, city.source) == (
        "", True, 11, 0, "shipped")
    assert city.label == "全国文明城市（地级以上）测评体系（2023年版）"
    assert {n.system_id for n in nodes(core_archive)} == {city.id}


def test_a_system_from_a_file_files_its_codes_under_its_prefix(core_archive: Archive,
                                                                 tmp_path: Path) -> None:
    view = add_system_file(core_archive, _yaml(tmp_path), actor="管理员")
    assert (view.id, view.prefix, view.weight, view.categories, view.items, view.source) == (
        "wcn-2023", "W", 20, 2, 1, "file")
    tree = [n for n in nodes(core_archive) if n.system_id == "wcn-2023"]
    assert [(n.code, n.parent_code, n.kind) for n in tree] == [
        ("W01", None, NodeKind.CATEGORY), ("W01.01", "W01", NodeKind.ITEM),
        ("W02", None, NodeKind.CATEGORY)]
    # the city's codes come first and are unchanged
    assert [n.code for n in nodes(core_archive)][:2] == ["01", "02"]
    assert _last_audit(core_archive).action == "system.add"
    with core_archive.read() as session:
        assert resolve_targets(session, ["W01.01", "W02"]) == ["W01.01", "W02"]
        with pytest.raises(UnknownCode, match="测评项目 W01 下已有测评内容"):
            resolve_targets(session, ["W01"])


def test_material_is_filed_in_an_added_system(core_archive: Archive, tmp_path: Path) -> None:
    add_system_file(core_archive, _yaml(tmp_path))
    add_item(core_archive, "W02.01", "乡村学校少年宫")
    photo = tmp_path / "少年宫.txt"
    photo.write_text("乡村学校少年宫活动记录", encoding="utf-8")
    [row] = list(import_paths(core_archive, [photo], ImportOptions(codes=["W02.01"])))
    assert row.status == "stored"
    by_id = {s.id: s for s in systems(core_archive)}
    assert (by_id["wcn-2023"].materials, by_id["cn-wmcs-2023-prefecture"].materials) == (1, 0)
    tree = {n.code: n for n in nodes(core_archive)}
    assert (tree["W02"].material_count, tree["W02.01"].material_count) == (1, 1)


def test_an_empty_system_gets_categories_numbered_one_after_another(
        core_archive: Archive) -> None:
    view = create_system(core_archive, " 文明村镇 测评体系 ", prefix="c", weight=10)
    assert (view.name, view.prefix, view.weight, view.categories) == (
        "文明村镇 测评体系", "C", 10, 0)
    assert add_category(core_archive, "C", "乡风文明") == "C01"
    assert add_category(core_archive, "文明村镇 测评体系", "村容整洁") == "C02"
    assert add_category(core_archive, view.id, "乡风文明") == "C01"  # the same name: the same one
    # the bureau's own 测评项目 may be renamed; the city system's may not
    rename_item(core_archive, "C02", "村容村貌整洁")
    assert {n.code: n.name for n in nodes(core_archive)}["C02"] == "村容村貌整洁"
    with pytest.raises(ZichaError, match="名称来自测评体系"):
        rename_item(core_archive, "01", "别的名字")
    with pytest.raises(ZichaError, match="不能新建"):
        add_category(core_archive, "cn-wmcs-2023-prefecture", "新项目")


@pytest.mark.parametrize(("prefix", "message"), [
    ("", "1 到 3 个英文大写字母"), ("W1", "1 到 3 个英文大写字母"), ("ABCD", "1 到 3 个"),
    ("未", "1 到 3 个英文大写字母")])
def test_a_bad_prefix_is_refused(core_archive: Archive, prefix: str, message: str) -> None:
    with pytest.raises(ZichaError, match=message):
        create_system(core_archive, "未成年人", prefix=prefix)
    assert len(systems(core_archive)) == 1


def test_what_would_clash_is_refused_and_changes_nothing(core_archive: Archive,
                                                         tmp_path: Path) -> None:
    add_system_file(core_archive, _yaml(tmp_path))
    before = _last_audit(core_archive).seq
    with pytest.raises(ZichaError, match="已在档案中"):
        add_system_file(core_archive, _yaml(tmp_path))
    with pytest.raises(ZichaError, match="编号前缀 W 已被测评体系“全国未成年人.*”使用"):
        create_system(core_archive, "文明村镇", prefix="W")
    with pytest.raises(ZichaError, match="已有测评体系“全国未成年人思想道德建设工作测评体系”"):
        create_system(core_archive, "全国未成年人思想道德建设工作测评体系", prefix="X")
    with pytest.raises(ZichaError, match="权重 120% 不对"):
        create_system(core_archive, "文明村镇", prefix="C", weight=120)
    no_prefix = _yaml(tmp_path, WCN.replace("prefix: W\n", "").replace("wcn-2023", "x"), "x.yaml")
    with pytest.raises(ZichaError, match="没有写编号前缀") as caught:
        add_system_file(core_archive, no_prefix)
    assert "--prefix" in caught.value.hint and "--prefix" not in str(caught.value)
    assert _last_audit(core_archive).seq == before
    assert len(systems(core_archive)) == 2


def test_a_file_that_breaks_the_schema_is_named(core_archive: Archive, tmp_path: Path) -> None:
    bad = _yaml(tmp_path, WCN.replace('code: "02"', 'code: "2"'), "坏.yaml")
    with pytest.raises(ZichaError, match=r"测评体系文件 .*坏\.yaml 格式不对（categories/1/code）"):
        add_system_file(core_archive, bad)
    with pytest.raises(ZichaError, match="无法读取"):
        add_system_file(core_archive, tmp_path / "没有.yaml")
    assert len(systems(core_archive)) == 1


def test_weights_and_names_are_edited_and_audited(core_archive: Archive,
                                                  tmp_path: Path) -> None:
    add_system_file(core_archive, _yaml(tmp_path))
    assert edit_system(core_archive, "W", weight=25, name="未成年人思想道德建设") == {
        "weight": [20, 25],
        "name": ["全国未成年人思想道德建设工作测评体系", "未成年人思想道德建设"]}
    assert _last_audit(core_archive).action == "system.edit"
    assert edit_system(core_archive, "w", weight=25) == {}
    assert edit_system(core_archive, "W", weight=None) == {"weight": [25, None]}
    with pytest.raises(ZichaError, match="主测评体系.*不能改名"):
        edit_system(core_archive, "cn-wmcs-2023-prefecture", name="别的")
    with pytest.raises(UnknownCode, match="档案中没有测评体系“Q”"):
        edit_system(core_archive, "Q", weight=1)


def test_a_system_in_use_is_not_removed(core_archive: Archive, tmp_path: Path) -> None:
    add_system_file(core_archive, _yaml(tmp_path))
    note = tmp_path / "记录.txt"
    note.write_text("主题教育实践活动记录", encoding="utf-8")
    list(import_paths(core_archive, [note], ImportOptions(codes=["W01.01"])))
    with pytest.raises(ZichaError, match="已有 1 份材料，不能删除"):
        remove_system(core_archive, "W")
    with pytest.raises(ZichaError, match="主测评体系，不能删除"):
        remove_system(core_archive, "cn-wmcs-2023-prefecture")
    create_system(core_archive, "文明村镇", prefix="C")
    add_category(core_archive, "C", "乡风文明")
    add_item(core_archive, "C01.01", "移风易俗")
    removed = remove_system(core_archive, "C")
    assert removed.prefix == "C"
    assert [s.prefix for s in systems(core_archive)] == ["", "W"]
    assert not [n for n in nodes(core_archive) if n.code.startswith("C")]


def test_an_archive_made_before_gets_its_system_recorded(tmp_path: Path) -> None:
    """Migration 0009 on an archive with 测评内容: its one system is recorded from archive_info
    and every node belongs to it."""
    root = tmp_path / "档案"
    with Archive.create(root) as archive:
        add_item(archive, "01.01", "学习宣传")
    path = root / "zicha.db"
    engine = db.make_engine(path)
    try:
        with mock.patch.dict(os.environ, {"ZICHA_USER": "测试员"}):
            command.downgrade(db._alembic_config(engine), "0008")
            conn = sqlite3.connect(path)
            assert "indicator_system" not in {t for (t,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            conn.close()
            command.upgrade(db._alembic_config(engine), "head")
    finally:
        engine.dispose()
    with Archive.open(root) as archive:
        [city] = systems(archive)
        assert (city.id, city.name, city.edition, city.level, city.prefix, city.items) == (
            "cn-wmcs-2023-prefecture", "全国文明城市（地级以上）测评体系", "2023", "地级以上城市",
            "", 1)
        assert {n.system_id for n in nodes(archive)} == {city.id}


def test_verify_names_a_node_whose_code_is_not_of_its_system(core_archive: Archive,
                                                             tmp_path: Path) -> None:
    from desktop.core.admin.fsck import verify_archive

    add_system_file(core_archive, _yaml(tmp_path))
    [check] = [c for c in verify_archive(core_archive).checks if c.name == "测评体系"]
    assert check.ok and check.count == 14
    conn = sqlite3.connect(core_archive.root / "zicha.db")  # written behind the app's back
    with conn:
        conn.execute("UPDATE indicator_node SET system_id = 'cn-wmcs-2023-prefecture' "
                     "WHERE code = 'W02'")
    conn.close()
    [check] = [c for c in verify_archive(core_archive).checks if c.name == "测评体系"]
    assert not check.ok
    assert check.problems == ["W02 活动场所建设 的编号与测评体系“全国文明城市（地级以上）测评体系”"
                              "（编号前缀 无）不符"]
