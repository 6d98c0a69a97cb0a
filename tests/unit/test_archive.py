"""Creating, opening and locking an archive folder."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.archive.items import nodes
from desktop.core.archive.kinds import NodeKind
from desktop.core.common.errors import ArchiveLocked, NotAnArchive, ZichaError
from desktop.core.indicators.system import DEFAULT_SYSTEM_ID


def test_create_records_the_system_and_its_categories(core_archive: Archive) -> None:
    info = core_archive.info()
    assert info["system_id"] == DEFAULT_SYSTEM_ID
    assert info["format"] == "zicha-archive/1"
    assert info["name"] == "档案"
    assert core_archive.system().id == DEFAULT_SYSTEM_ID
    tree = nodes(core_archive)
    assert [n.code for n in tree] == [f"{n:02d}" for n in range(1, 12)]
    assert {n.kind for n in tree} == {NodeKind.CATEGORY}
    assert tree[0].name == "理想信念教育"
    assert all(n.material_count == 0 for n in tree)
    assert (core_archive.root / "files").is_dir()


def test_database_uses_wal_and_foreign_keys(core_archive: Archive) -> None:
    with core_archive.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_create_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "别的文件.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ZichaError, match="不是空的"):
        Archive.create(tmp_path / "x")
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["别的文件.txt"]


def test_create_refuses_an_existing_archive(core_archive: Archive) -> None:
    with pytest.raises(ZichaError, match="已经是一个档案"):
        Archive.create(core_archive.root)


def test_open_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(NotAnArchive, match="不存在"):
        Archive.open(tmp_path / "没有这个")
    assert not (tmp_path / "没有这个").exists()


def test_open_a_folder_that_is_not_an_archive(tmp_path: Path) -> None:
    (tmp_path / "文档").mkdir()
    (tmp_path / "文档" / "a.pdf").write_bytes(b"%PDF-1.7")
    with pytest.raises(NotAnArchive, match=DB_NAME):
        Archive.open(tmp_path / "文档")
    assert sorted(p.name for p in (tmp_path / "文档").iterdir()) == ["a.pdf"]


def test_open_a_database_that_is_not_ours(tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    with sqlite3.connect(tmp_path / "other" / DB_NAME) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(NotAnArchive, match="不是 Zicha 档案数据库"):
        Archive.open(tmp_path / "other")


def test_open_a_garbage_database_file(tmp_path: Path) -> None:
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / DB_NAME).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(NotAnArchive):
        Archive.open(tmp_path / "junk")


def test_a_second_writer_is_refused_while_readers_may_open(tmp_path: Path) -> None:
    from tests.unit.test_archive_reopen import first_line, other_process

    Archive.create(tmp_path / "档案").close()
    with other_process(tmp_path / "档案") as holder:  # another process writes to it
        assert first_line(holder) == "OPEN"
        with pytest.raises(ArchiveLocked) as err:
            Archive.open(tmp_path / "档案")
        assert "正被另一个程序使用" in str(err.value)
        assert f"pid {holder.pid}" in str(err.value)  # says who holds it
        with Archive.open(tmp_path / "档案", writable=False) as reader:
            assert reader.info()["system_id"] == DEFAULT_SYSTEM_ID
            with pytest.raises(ZichaError, match="只读"), reader.write():
                pass
    with Archive.open(tmp_path / "档案") as again:  # the other process has closed it
        assert again.writable


def test_reopen_keeps_what_was_committed(core_archive: Archive) -> None:
    from desktop.core.archive.items import add_item
    from desktop.core.archive.models import IndicatorNode

    add_item(core_archive, "03.01", "公益广告")
    root = core_archive.root
    core_archive.close()
    with Archive.open(root) as archive, archive.read() as session:
        item = session.scalars(select(IndicatorNode).where(IndicatorNode.code == "03.01")).one()
        assert item.name == "公益广告"


def test_opening_for_writing_clears_leftover_temporary_files(core_archive: Archive) -> None:
    root = core_archive.root
    core_archive.close()
    (root / "tmp" / "incoming-crash").write_bytes(b"half a file")
    with Archive.open(root, writable=False):
        assert (root / "tmp" / "incoming-crash").exists()  # a reader leaves them alone
    with Archive.open(root):
        assert list((root / "tmp").iterdir()) == []


def test_the_migrations_build_exactly_the_models(tmp_path: Path, server_or_none: str | None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """What Alembic creates is what the ORM maps: no table, column, type, nullability, index
    or constraint missing or extra (a model changed without a migration fails here), on
    SQLite and on PostgreSQL (a server archive) alike."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from desktop.core.archive.models import Base

    monkeypatch.setenv("ZICHA_USER", "测试员")
    with Archive.create(tmp_path / "档案", server_url=server_or_none) as archive, \
            archive.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    # the search tables are made with raw SQL (FTS5 and its shadow tables on SQLite,
    # search_gram on PostgreSQL) and are not mapped
    ignored = ("search_", "alembic_version")
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith(ignored))
            and not (d[0] in ("remove_index", "remove_fk") and _on_table(d).startswith(ignored))]
    assert diff == []


def _on_table(difference: tuple) -> str:
    item = difference[1]
    table = getattr(item, "table", None)
    if table is None:
        table = getattr(item, "parent", None)
    return str(getattr(table, "name", ""))
