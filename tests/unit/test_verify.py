"""verify_archive(): the archive fsck finds damaged, missing and stray files."""

from __future__ import annotations

import sqlite3
import stat

from desktop.core.admin.fsck import verify_archive
from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.materials.importer import ImportOptions, import_paths
from tests.conftest import FileBuilder


def _store_two(archive: Archive, builder: FileBuilder) -> list[str]:
    rows = list(import_paths(archive, [builder.pdf("一.pdf"), builder.docx("二.docx")],
                             ImportOptions(codes=["01"])))
    return [r.sha256 for r in rows]


def _check(archive: Archive, name: str):  # -> Check
    return next(c for c in verify_archive(archive).checks if c.name == name)


def test_a_fresh_archive_verifies(core_archive: Archive, file_builder: FileBuilder) -> None:
    _store_two(core_archive, file_builder)
    report = verify_archive(core_archive)
    assert report.ok
    assert [c.name for c in report.checks] == [
        "数据库完整性", "测评体系", "文件哈希与引用", "审计日志哈希链", "全文索引",
        "审核签名与材料现状", "档号登记"]
    assert _check(core_archive, "文件哈希与引用").count == 2
    assert _check(core_archive, "审计日志哈希链").count == 3
    data = report.to_json()
    assert (data["kind"], data["ok"]) == ("archive", True)


def test_a_changed_file_is_found(core_archive: Archive, file_builder: FileBuilder) -> None:
    sha, _ = _store_two(core_archive, file_builder)
    path = core_archive.store.path_for(sha)
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    path.write_bytes(path.read_bytes().replace(b"%PDF", b"%PDX", 1))
    check = _check(core_archive, "文件哈希与引用")
    assert not check.ok
    assert check.problems == [f"文件 files/{sha[:2]}/{sha} 内容已被改动（哈希不符）"]


def test_a_changed_recorded_sm3_is_found(core_archive: Archive,
                                         file_builder: FileBuilder) -> None:
    """The SM3 recorded at import is what exports write of a copied file: verify reads every
    file's SM3 beside its SHA-256 and names a file whose record no longer matches it."""
    sha, other = _store_two(core_archive, file_builder)
    assert _check(core_archive, "文件哈希与引用").ok
    conn = sqlite3.connect(core_archive.root / DB_NAME)
    with conn:
        conn.execute("UPDATE blob SET sm3 = ? WHERE sha256 = ?", ("0" * 64, sha))
        conn.execute("UPDATE blob SET sm3 = NULL WHERE sha256 = ?", (other,))  # before 0020
    conn.close()
    check = _check(core_archive, "文件哈希与引用")
    assert len(check.problems) == 1 and f"files/{sha[:2]}/{sha} 的 SM3" in check.problems[0]


def test_a_missing_file_is_found(core_archive: Archive, file_builder: FileBuilder) -> None:
    _, sha = _store_two(core_archive, file_builder)
    core_archive.store.path_for(sha).unlink()
    check = _check(core_archive, "文件哈希与引用")
    assert check.problems == [f"文件 files/{sha[:2]}/{sha} 丢失"]
    assert not verify_archive(core_archive).ok


def test_a_file_referenced_but_not_registered_is_found(core_archive: Archive,
                                                       file_builder: FileBuilder) -> None:
    sha, _ = _store_two(core_archive, file_builder)
    # a second connection, with SQLite's default of foreign keys off, as another tool would
    conn = sqlite3.connect(core_archive.root / DB_NAME)
    with conn:
        conn.execute("DELETE FROM blob WHERE sha256 = ?", (sha,))
    conn.close()
    report = verify_archive(core_archive)
    assert not report.ok
    problems = [p for c in report.checks for p in c.problems]
    assert f"材料引用的文件 {sha[:12]}… 没有登记" in problems
    assert any(p.startswith("外键引用断开: 表 material_file") for p in problems)


def test_stray_and_temporary_files_are_notes_not_failures(core_archive: Archive,
                                                          file_builder: FileBuilder) -> None:
    _store_two(core_archive, file_builder)
    core_archive.store.put(file_builder.image("未登记.png", "PNG"))  # copied, never committed
    (core_archive.root / "tmp" / "incoming-x").write_bytes(b"partial")
    check = _check(core_archive, "文件哈希与引用")
    assert check.ok
    assert len(check.notes) == 2
    assert "1 个文件未被任何材料引用" in check.notes[0]
