"""`zicha migrate` (issue 17): a reviewed SQLite archive moved onto a PostgreSQL server and back
again is the same archive by verify and row by row; a move that cannot be checked is taken
away again, leaving the source as it was."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from unittest import mock

from sqlalchemy import inspect, select

from tests.conftest import ZichaCli, build_reviewed_archive

# what a move adds to the new archive's audit log: the move itself and the index rebuild
ADDED_ENTRIES = 2


def _rows(root: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the search index, through the archive's own engine."""
    from desktop.core.archive.archive import Archive
    from desktop.core.archive.models import Base

    found = {}
    with Archive.open(root, writable=False) as archive, archive.engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        for table in Base.metadata.sorted_tables:
            if table.name.startswith("search_") or table.name not in names:
                continue
            order = list(table.primary_key.columns)
            found[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return found


def test_a_reviewed_archive_there_and_back(zicha_cli: ZichaCli, tmp_path: Path,
                                           pg_database: str) -> None:
    home = tmp_path / "home"
    here = tmp_path / "单机档案"
    ids = build_reviewed_archive(here, home, tmp_path / "files")
    zicha_cli.env["ZICHA_HOME"] = str(home)
    on_server, back = tmp_path / "共享" / "市档案", tmp_path / "回到单机"
    moved = zicha_cli.ok_json("migrate", "--to", pg_database, "--out", on_server,
                              "--archive", here)
    assert moved["engine"] == "postgresql" and moved["verified"]
    assert not (on_server / "zicha.db").exists() and (on_server / "zicha-server.json").is_file()
    returned = zicha_cli.ok_json("migrate", "--to", "sqlite", "--out", back,
                                 "--archive", on_server)
    assert returned["engine"] == "sqlite" and (back / "zicha.db").is_file()
    text_out = zicha_cli.ok("migrate", "--to", "SQLite", "--out", tmp_path / "再一次",
                            "--archive", back).stdout
    assert "行数、文件哈希与审计日志逐一核对一致" in text_out
    # the same archive: id, counts, every row (the audit log grows by the moves' entries)
    infos = [zicha_cli.ok_json("info", "--archive", r) for r in (here, on_server, back)]
    assert len({i["id"] for i in infos}) == 1
    assert infos[0]["counts"] == infos[1]["counts"] == infos[2]["counts"]
    assert [i["engine"] for i in infos] == ["sqlite", "postgresql", "sqlite"]
    tables = [_rows(r) for r in (here, on_server, back)]
    assert set(tables[0]) == set(tables[1]) == set(tables[2])
    for name in tables[0]:
        if name == "audit_entry":
            continue
        assert tables[0][name] == tables[1][name] == tables[2][name], name
    log = [t["audit_entry"] for t in tables]
    assert len(log[1]) == len(log[0]) + ADDED_ENTRIES
    assert len(log[2]) == len(log[1]) + ADDED_ENTRIES
    assert log[1][:len(log[0])] == log[0] and log[2][:len(log[1])] == log[1]
    assert [e[3] for e in log[2][-4:]] == ["archive.migrate", "search.rebuild"] * 2
    # verify, signed history and search agree everywhere
    reviewed = ids["文明交通劝导行动方案"]
    for root in (here, on_server, back):
        report = zicha_cli.ok_json("verify", "--archive", root)
        assert report["ok"], (root, report)
        history = zicha_cli.ok_json("history", reviewed, "--archive", root)
        assert [h["stage"] for h in history] == ["first", "second", "final"]
    hits = [sorted(h["id"] for h in zicha_cli.ok_json("search", "文明", "--archive", r))
            for r in (here, on_server, back)]
    assert hits[0] and hits[0] == hits[1] == hits[2]
    # the new server archive takes new material after the copied ids
    (tmp_path / "新.txt").write_text("迁移后新增的材料", encoding="utf-8")
    [row] = zicha_cli.ok_json("import", tmp_path / "新.txt", "--item", "08.02", "--archive",
                              on_server)
    assert row["id"] > max(ids.values())


def test_a_move_that_fails_leaves_nothing_behind(zicha_cli: ZichaCli, tmp_path: Path,
                                                 pg_database: str) -> None:
    import psycopg

    from desktop.core.archive.archive import Archive
    from desktop.core.archive.models import Blob

    home = tmp_path / "home"
    here = tmp_path / "单机档案"
    build_reviewed_archive(here, home, tmp_path / "files")
    zicha_cli.env["ZICHA_HOME"] = str(home)
    before = _rows(here)
    # a stored file no longer matches its hash: the move stops and takes its copy away
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(home)}), \
            Archive.open(here, writable=False) as archive, archive.read() as session:
        sha = session.scalars(select(Blob.sha256).order_by(Blob.sha256)).first()
        assert sha is not None
        stored = archive.store.path_for(sha)
    stored.chmod(0o644)
    stored.write_bytes(b"changed behind the archive")
    target = tmp_path / "共享" / "市档案"
    failed = zicha_cli.run("migrate", "--to", pg_database, "--out", target, "--archive", here)
    assert failed.returncode != 0 and "Traceback" not in failed.stderr, str(failed)
    assert f"文件 {sha} 内容与其哈希不符" in failed.stderr
    assert not target.exists()
    with psycopg.connect(pg_database) as conn:
        left = conn.execute("SELECT table_name FROM information_schema.tables "
                            "WHERE table_schema = 'public'").fetchall()
    assert left == []  # the database is empty again: the move can be retried
    assert _rows(here) == before
    # a target that is not empty, or the archive itself, is refused before anything is made
    (tmp_path / "有东西").mkdir()
    (tmp_path / "有东西" / "a.txt").write_text("x", encoding="utf-8")
    full = zicha_cli.run("migrate", "--to", "sqlite", "--out", tmp_path / "有东西",
                         "--archive", here)
    assert full.returncode != 0 and "不是空的" in full.stderr, str(full)
    itself = zicha_cli.run("migrate", "--to", "sqlite", "--out", here, "--archive", here)
    assert itself.returncode != 0 and "就是档案本身" in itself.stderr, str(itself)
    wrong = zicha_cli.run("migrate", "--to", "mysql://x", "--out", tmp_path / "新",
                          "--archive", here)
    assert wrong.returncode == 2 and "不是 sqlite" in wrong.stderr, str(wrong)


def test_the_demo_archive_there_and_back(zicha_cli: ZichaCli, tmp_path: Path,
                                         pg_database: str) -> None:
    """The sample archive a new user starts with (`zicha demo`), moved onto the server and
    back: verify clean at each step, the same row count in every table (the audit log longer
    by the moves' own entries) and the same rows."""
    zicha_cli.env["ZICHA_HOME"] = str(tmp_path / "home")
    demo = tmp_path / "示例档案"
    zicha_cli.ok("demo", "--archive", demo)
    on_server, back = tmp_path / "共享" / "示例", tmp_path / "回到单机"
    zicha_cli.ok("migrate", "--to", pg_database, "--out", on_server, "--archive", demo)
    zicha_cli.ok("migrate", "--to", "sqlite", "--out", back, "--archive", on_server)
    tables = [_rows(r) for r in (demo, on_server, back)]
    counts = [{name: len(rows) for name, rows in t.items()} for t in tables]
    assert counts[0]["material"] > 0
    for name in counts[0]:
        if name == "audit_entry":
            assert counts[1][name] == counts[0][name] + ADDED_ENTRIES
            assert counts[2][name] == counts[1][name] + ADDED_ENTRIES
        else:
            assert counts[0][name] == counts[1][name] == counts[2][name], name
            assert tables[0][name] == tables[1][name] == tables[2][name], name
    for root in (demo, on_server, back):
        assert zicha_cli.ok_json("verify", "--archive", root)["ok"], root
