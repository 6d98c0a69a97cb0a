"""The audit log's head is anchored outside the database and in signed decisions, so deleted,
truncated or recomputed entries are found (issue 12, item 2)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop.core.admin.fsck import verify_archive
from desktop.core.archive import audit
from desktop.core.archive.archive import DB_NAME, HEAD_NAME, Archive
from desktop.core.common.errors import NotAnArchive
from tests.conftest import build_reviewed_archive


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("anchored")
    root = base / "档案"
    build_reviewed_archive(root, base / "keys", base / "files")
    return root


@pytest.fixture
def archive_copy(reviewed: Path, tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "档案"
    shutil.copytree(reviewed, root)
    return root


def _audit_problems(root: Path) -> list[str]:
    with Archive.open(root, writable=False) as archive:
        check = next(c for c in verify_archive(archive).checks if c.name == "审计日志哈希链")
    return check.problems


def _sql(root: Path, *statements: str) -> None:
    with sqlite3.connect(root / DB_NAME) as conn:
        for statement in statements:
            conn.execute(statement)


def _entries(root: Path) -> int:
    with sqlite3.connect(root / DB_NAME) as conn:
        return conn.execute("select count(*) from audit_entry").fetchone()[0]


def _recompute_chain(root: Path) -> None:
    """What a forger who knows the format does after deleting entries: renumber and rehash."""
    with sqlite3.connect(root / DB_NAME) as conn:
        rows = conn.execute("select seq, at, actor, action, target, detail from audit_entry "
                            "order by seq").fetchall()
        prev = audit.GENESIS
        conn.execute("update audit_entry set seq = -seq, hash = 'old' || seq")
        for seq, (old, at, actor, action, target, detail) in enumerate(rows, 1):
            digest = audit.entry_hash(seq, at, actor, action, target, detail, prev)
            conn.execute("update audit_entry set seq=?, prev_hash=?, hash=? where seq=?",
                         (seq, prev, digest, -old))
            prev = digest


def test_the_head_is_recorded_after_each_commit(archive_copy: Path) -> None:
    head = json.loads((archive_copy / HEAD_NAME).read_text("utf-8"))
    assert head["seq"] == _entries(archive_copy)
    assert _audit_problems(archive_copy) == []


def test_a_deleted_tail_is_found(archive_copy: Path) -> None:
    last = _entries(archive_copy)
    _sql(archive_copy, f"delete from audit_entry where seq > {last - 3}")
    problems = _audit_problems(archive_copy)
    assert f"审计日志被截断：链头记录到第 {last} 条，数据库中只到第 {last - 3} 条" in problems


def test_all_but_the_first_entries_deleted_is_found(archive_copy: Path) -> None:
    last = _entries(archive_copy)
    _sql(archive_copy, "delete from audit_entry where seq >= 5")
    problems = _audit_problems(archive_copy)
    assert f"审计日志被截断：链头记录到第 {last} 条，数据库中只到第 4 条" in problems
    assert any("签名时审计日志已有第" in p for p in problems)  # the decisions' anchors too


def test_a_recomputed_chain_is_found(archive_copy: Path) -> None:
    _sql(archive_copy, "delete from audit_entry where seq between 5 and 8")
    _recompute_chain(archive_copy)
    problems = _audit_problems(archive_copy)
    assert problems and "哈希链接不上" not in " ".join(problems)  # the chain itself is whole
    assert any("链头记录" in p for p in problems)


def test_a_recomputed_chain_with_a_forged_head_is_found_by_the_signed_anchors(
        archive_copy: Path) -> None:
    _sql(archive_copy, "delete from audit_entry where seq between 5 and 8")
    _recompute_chain(archive_copy)
    with sqlite3.connect(archive_copy / DB_NAME) as conn:
        seq, digest = conn.execute(
            "select seq, hash from audit_entry order by seq desc limit 1").fetchone()
    head = json.loads((archive_copy / HEAD_NAME).read_text("utf-8"))
    (archive_copy / HEAD_NAME).write_text(json.dumps({**head, "seq": seq, "hash": digest}),
                                          "utf-8")
    problems = _audit_problems(archive_copy)
    assert problems
    assert all("决定" in p for p in problems)  # only the signed decisions still tell


def test_a_missing_head_record_is_reported(archive_copy: Path) -> None:
    (archive_copy / HEAD_NAME).unlink()
    [problem] = _audit_problems(archive_copy)
    assert problem.startswith(f"审计日志链头记录 {HEAD_NAME} 不存在")


def test_a_database_ahead_of_its_head_record_passes(archive_copy: Path) -> None:
    stale = (archive_copy / HEAD_NAME).read_bytes()  # as if killed between commit and record
    with Archive.open(archive_copy) as archive, archive.write("测试员") as (_, log):
        log("test.note", "-", {})
    (archive_copy / HEAD_NAME).write_bytes(stale)
    assert _audit_problems(archive_copy) == []


def test_an_empty_database_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "档案"
    root.mkdir()
    (root / DB_NAME).write_bytes(b"")
    with pytest.raises(NotAnArchive, match="0 字节"):
        Archive.open(root, writable=False)
    assert (root / DB_NAME).stat().st_size == 0
    assert sorted(p.name for p in root.iterdir()) == [DB_NAME]


def test_a_deleted_tail_stays_found_after_later_writes(archive_copy: Path) -> None:
    last = _entries(archive_copy)
    _sql(archive_copy, f"delete from audit_entry where seq > {last - 2}")
    with Archive.open(archive_copy) as archive:
        for n in range(3):  # the next writes would otherwise write a new, matching head
            with archive.write("测试员") as (_, log):
                log("test.note", "-", {"n": n})
    problems = _audit_problems(archive_copy)
    assert any(p.startswith(f"审计日志第 {last - 1} 条：写入时发现链头记录的第 {last} 条")
               for p in problems), problems
    head = json.loads((archive_copy / HEAD_NAME).read_text("utf-8"))
    assert head["seq"] == last + 2  # the head moved on; the finding stays in the log itself


def test_a_deleted_tail_found_by_a_write_that_fails_is_found_again(archive_copy: Path) -> None:
    last = _entries(archive_copy)
    _sql(archive_copy, f"delete from audit_entry where seq > {last - 2}")
    with Archive.open(archive_copy) as archive:
        with pytest.raises(RuntimeError), archive.write("测试员") as (_, log):
            log("test.note", "-", {})
            raise RuntimeError("the operation fails: its transaction is rolled back")
        with archive.write("测试员") as (_, log):
            log("test.note", "-", {})
    assert any("写入时发现链头记录" in p for p in _audit_problems(archive_copy))
