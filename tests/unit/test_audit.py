"""The audit log is append-only and hash-chained: any edit, deletion or reordering shows."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from desktop.core.admin.fsck import verify_archive
from desktop.core.archive import audit
from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item
from desktop.core.archive.models import AuditEntry


def _entries(archive: Archive) -> list[AuditEntry]:
    with archive.read() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def _chain(archive: Archive) -> audit.ChainReport:
    return audit.verify_chain(_entries(archive))


@pytest.fixture
def logged(core_archive: Archive) -> Archive:
    """An archive with five entries: create plus four items."""
    for n, name in enumerate(["志愿服务", "文明交通", "公益广告", "垃圾分类"], 1):
        add_item(core_archive, f"0{n}.01", name, actor="管理员")
    return core_archive


def _sql(archive: Archive, statement: str, **params: object) -> None:
    with archive.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_append_chains_each_entry_to_the_one_before(logged: Archive) -> None:
    entries = _entries(logged)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == audit.GENESIS
    assert entries[0].action == "archive.create"
    assert entries[0].actor == "测试员"
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash
    last = entries[-1]
    assert (last.action, last.target, last.actor) == ("item.add", "04.01", "管理员")
    assert json.loads(last.detail)["name"] == "垃圾分类"
    assert last.hash == audit.entry_hash(last.seq, last.at, last.actor, last.action,
                                         last.target, last.detail, last.prev_hash)
    report = _chain(logged)
    assert (report.entries, report.problems) == (5, [])
    assert verify_archive(logged).ok


def test_a_rolled_back_change_leaves_no_entry(logged: Archive) -> None:
    with pytest.raises(RuntimeError), logged.write("某人") as (_session, log):
        log("test.action", "x", {})
        raise RuntimeError("abandon")
    assert len(_entries(logged)) == 5
    assert _chain(logged).problems == []


def test_changing_an_entrys_detail_is_detected(logged: Archive) -> None:
    forged = json.dumps({"name": "伪造", "criterion": "", "source": "manual"}, ensure_ascii=False)
    _sql(logged, "UPDATE audit_entry SET detail = :d WHERE seq = 3", d=forged)
    report = _chain(logged)
    assert report.problems == ["审计日志第 3 条内容被改动（哈希不符）"]
    assert not verify_archive(logged).ok


def test_rehashing_a_changed_entry_still_breaks_the_link_to_the_next(logged: Archive) -> None:
    e = _entries(logged)[2]
    detail = '{"name": "伪造"}'
    new_hash = audit.entry_hash(e.seq, e.at, e.actor, e.action, e.target, detail, e.prev_hash)
    _sql(logged, "UPDATE audit_entry SET detail = :d, hash = :h WHERE seq = 3",
         d=detail, h=new_hash)
    assert _chain(logged).problems == ["审计日志第 4 条与前一条的哈希链接不上"]


def test_deleting_an_entry_is_detected(logged: Archive) -> None:
    _sql(logged, "DELETE FROM audit_entry WHERE seq = 2")
    problems = _chain(logged).problems
    assert "审计日志第 2 条缺失（下一条是第 3 条）" in problems
    assert "审计日志第 3 条与前一条的哈希链接不上" in problems
    report = verify_archive(logged)
    audit_check = next(c for c in report.checks if c.name == "审计日志哈希链")
    assert not audit_check.ok and audit_check.count == 4


def test_deleting_the_first_entry_is_detected(logged: Archive) -> None:
    _sql(logged, "DELETE FROM audit_entry WHERE seq = 1")
    assert _chain(logged).problems[:2] == ["审计日志第 1 条缺失（下一条是第 2 条）",
                                           "审计日志第 2 条与前一条的哈希链接不上"]


def test_swapping_two_entries_is_detected(logged: Archive) -> None:
    # give entry 2 the position of entry 4 and the other way round
    _sql(logged, "UPDATE audit_entry SET seq = -2 WHERE seq = 2")
    _sql(logged, "UPDATE audit_entry SET seq = 2 WHERE seq = 4")
    _sql(logged, "UPDATE audit_entry SET seq = 4 WHERE seq = -2")
    problems = _chain(logged).problems
    assert "审计日志第 2 条内容被改动（哈希不符）" in problems
    assert "审计日志第 4 条内容被改动（哈希不符）" in problems
    assert not verify_archive(logged).ok


def test_entries_read_out_of_order_are_detected(logged: Archive) -> None:
    entries = _entries(logged)
    entries[1], entries[2] = entries[2], entries[1]
    problems = audit.verify_chain(entries).problems
    assert "审计日志第 2 条缺失（下一条是第 3 条）" in problems
    assert any("哈希链接不上" in p for p in problems)
