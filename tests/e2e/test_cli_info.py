"""`zicha info` and the global ids (issue 16, item 1): an archive says what it is, and every
material, task list, task, problem and 负面清单 line has a UUID that an older archive gets too."""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path
from unittest import mock

import openpyxl
from alembic import command

from desktop.core.archive import db
from tests.conftest import ZichaCli

GLOBAL = ("material", "task_list", "task", "problem", "negative_item")


def _uids(root: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(root / "zicha.db")
    try:
        return {t: [u for (u,) in conn.execute(f"SELECT uid FROM {t} ORDER BY id")]
                for t in GLOBAL}
    finally:
        conn.close()


def _fill(cli: ZichaCli, root: Path, tmp_path: Path) -> None:
    a = ("--archive", root)
    for name in ("方案.txt", "总结.txt"):
        (tmp_path / name).write_text(f"文明城市创建{name}", encoding="utf-8")
        cli.ok("import", tmp_path / name, "--item", "01", "--no-ocr", *a)
    book = openpyxl.Workbook()
    book.active.append(["测评项目", "测评内容", "牵头单位", "完成时限"])
    book.active.append(["01 理想信念教育", "深入学习宣传", "市委宣传部", "2024-06-30"])
    book.save(tmp_path / "清单.xlsx")
    cli.ok("tasks", "import", tmp_path / "清单.xlsx", *a)
    cli.env["ZICHA_PASSPHRASE"] = "admin-pass-1"
    key = cli.ok("key", "new", "管理员戊", *a).stdout.strip().split()[-1]
    cli.ok("user", "add", "管理员戊", "--department", "市创城办", "--role", "admin",
           "--public-key", key, *a)
    cli.ok("negative", "add", "发生重大安全事故", "--item", "09", "--as", "管理员戊", *a)


def test_info_says_what_the_archive_is(zicha_cli: ZichaCli, cli_archive: Path,
                                       tmp_path: Path) -> None:
    _fill(zicha_cli, cli_archive, tmp_path)
    zicha_cli.ok("systems", "add", "--name", "文明村镇测评体系", "--prefix", "C", "--weight", "10",
                 "--archive", cli_archive)
    facts = zicha_cli.ok_json("info", "--archive", cli_archive)
    assert uuid.UUID(facts["id"]).version == 4
    assert (facts["engine"], facts["revision"], facts["format"]) == (
        "sqlite", db.HEAD_REVISION, "zicha-archive/1")
    assert facts["database"] == str(cli_archive / "zicha.db")
    assert [(s["prefix"], s["weight"]) for s in facts["systems"]] == [("", None), ("C", 10)]
    assert {k: facts["counts"][k] for k in ("materials", "files", "tasks", "negatives")} == {
        "materials": 2, "files": 2, "tasks": 1, "negatives": 1}
    text = zicha_cli.ok("info", "--archive", cli_archive).stdout
    assert f"档案编号：{facts['id']}" in text
    assert "文明村镇测评体系（编号前缀 C，权重 10%）" in text
    assert "材料 2，文件 2" in text
    listed = zicha_cli.ok_json("list", "--archive", cli_archive)
    assert len({m["uid"] for m in listed}) == 2 and all(m["origin"] is None for m in listed)
    assert [m["uid"] for m in listed] == _uids(cli_archive)["material"]
    missing = zicha_cli.run("info", "--archive", tmp_path / "没有")
    assert missing.returncode == 1 and "不存在" in missing.stderr


def test_an_older_archive_gets_global_ids(zicha_cli: ZichaCli, cli_archive: Path,
                                          tmp_path: Path) -> None:
    _fill(zicha_cli, cli_archive, tmp_path)
    before = _uids(cli_archive)
    assert all(before[t] for t in GLOBAL if t != "problem")
    engine = db.make_engine(cli_archive / "zicha.db")
    try:
        with mock.patch.dict(os.environ, {"ZICHA_USER": "测试员"}):
            command.downgrade(db._alembic_config(engine), "0009")
            conn = sqlite3.connect(cli_archive / "zicha.db")
            assert "uid" not in [c[1] for c in conn.execute("PRAGMA table_info(material)")]
            conn.close()
    finally:
        engine.dispose()
    zicha_cli.ok("list", "--archive", cli_archive)  # opens it writable: upgrades it
    after = _uids(cli_archive)
    for table in GLOBAL:
        assert len(after[table]) == len(before[table]), table
        assert len(set(after[table])) == len(after[table]), table
        assert all(uuid.UUID(u).version == 4 for u in after[table]), table
    assert zicha_cli.ok_json("verify", "--archive", cli_archive)["ok"]


def test_reading_an_older_archive_upgrades_it_or_says_why_not(zicha_cli: ZichaCli,
                                                              cli_archive: Path) -> None:
    import filelock

    engine = db.make_engine(cli_archive / "zicha.db")
    try:
        command.downgrade(db._alembic_config(engine), "0009")
    finally:
        engine.dispose()
    lock = filelock.FileLock(str(cli_archive / "zicha.lock"), timeout=0)
    lock.acquire()  # another program has it open for writing
    try:
        held = zicha_cli.run("info", "--archive", cli_archive)
    finally:
        lock.release()
    assert held.returncode == 1
    assert f"需要先升级数据库结构（0009 → {db.HEAD_REVISION}）才能读取" in held.stderr
    assert "正被另一个程序使用" in held.stderr
    assert zicha_cli.ok_json("info", "--archive", cli_archive)["revision"] == db.HEAD_REVISION
