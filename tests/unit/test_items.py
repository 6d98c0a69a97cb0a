"""测评内容 (items) the bureau adds, and which codes a material may be filed under."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item, nodes, resolve_targets
from desktop.core.archive.kinds import NodeKind
from desktop.core.archive.models import AuditEntry
from desktop.core.common.errors import UnknownCode, ZichaError


def _resolve(archive: Archive, codes: list[str]) -> list[str]:
    with archive.read() as session:
        return resolve_targets(session, codes)


def _audit_count(archive: Archive) -> int:
    with archive.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_add_item_puts_it_under_its_category(core_archive: Archive) -> None:
    add_item(core_archive, "02.01", "社会主义核心价值观宣传", "有方案、有活动记录")
    add_item(core_archive, "02.02", "道德模范评选")
    tree = {n.code: n for n in nodes(core_archive)}
    item = tree["02.01"]
    assert (item.kind, item.parent_code, item.name, item.criterion) == (
        NodeKind.ITEM, "02", "社会主义核心价值观宣传", "有方案、有活动记录")
    assert [n.code for n in nodes(core_archive)][:4] == ["01", "02", "02.01", "02.02"]


def test_add_item_is_audited(core_archive: Archive) -> None:
    before = _audit_count(core_archive)
    add_item(core_archive, "10.01", "垃圾分类", actor="管理员")
    with core_archive.read() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert _audit_count(core_archive) == before + 1
    assert (last.action, last.target, last.actor) == ("item.add", "10.01", "管理员")


@pytest.mark.parametrize("code", ["1.01", "01", "01-01", "01.1", "01.ab", "01.01.01", ""])
def test_add_item_refuses_a_badly_formed_code(core_archive: Archive, code: str) -> None:
    before = _audit_count(core_archive)
    with pytest.raises(ZichaError, match="格式不对"):
        add_item(core_archive, code, "名称")
    assert _audit_count(core_archive) == before


def test_add_item_refuses_an_unknown_category(core_archive: Archive) -> None:
    with pytest.raises(UnknownCode, match="12"):
        add_item(core_archive, "12.01", "不存在的项目")


def test_add_item_refuses_a_duplicate_and_an_empty_name(core_archive: Archive) -> None:
    add_item(core_archive, "01.01", "理论学习")
    before = _audit_count(core_archive)
    with pytest.raises(ZichaError, match="已存在"):
        add_item(core_archive, "01.01", "又一次")
    with pytest.raises(ZichaError, match="缺少名称"):
        add_item(core_archive, "01.02", "   ")
    assert _audit_count(core_archive) == before
    assert [n.name for n in nodes(core_archive) if n.code == "01.01"] == ["理论学习"]


def test_a_category_code_is_accepted_while_it_has_no_items(core_archive: Archive) -> None:
    assert _resolve(core_archive, ["01", " 02 ", "01"]) == ["01", "02"]
    add_item(core_archive, "01.01", "理论学习")
    with pytest.raises(UnknownCode) as err:
        _resolve(core_archive, ["01"])
    assert "01.01" in str(err.value)  # names an item to use instead
    assert _resolve(core_archive, ["01.01", "02"]) == ["01.01", "02"]


@pytest.mark.parametrize("codes", [["99"], ["01.99"], ["01", "xyz"]])
def test_unknown_codes_are_refused(core_archive: Archive, codes: list[str]) -> None:
    with pytest.raises(UnknownCode, match="未知的测评内容编号"):
        _resolve(core_archive, codes)


def test_no_code_at_all_is_refused(core_archive: Archive) -> None:
    with pytest.raises(ZichaError, match="至少要指定一个测评内容编号"):
        _resolve(core_archive, [])
