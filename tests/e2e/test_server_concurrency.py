"""Many writers on one server archive (issue 17): four processes import, edit, submit and two of
them review the same materials at once, against one PostgreSQL database and one folder. After
it: `zicha verify` is clean (the audit log one unbroken chain), every change a process saw
committed is there, no material was decided twice at one stage, and no process saw an error
that is not a ZichaError the person would understand (the reviewer who lost a race is told).

The run lasts ZICHA_TEST_CONCURRENCY_SECONDS (default 8 s, so the suite stays short on two
cores; the issue's 60 s run: ZICHA_TEST_CONCURRENCY_SECONDS=60)."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
import traceback
from pathlib import Path
from unittest import mock

from tests.conftest import REVIEW_PASS, ZichaCli

WORKERS = 4
REVIEWERS = {0: "初审甲", 1: "初审乙"}  # workers 0 and 1 also review, racing each other
DEPARTMENT = "市文明办"


def _seconds() -> float:
    return float(os.environ.get("ZICHA_TEST_CONCURRENCY_SECONDS", "8"))


def _worker(number: int, root: str, home: str, out: str, seconds: float) -> None:
    """One desktop: its own process, its own connection pool, the shared folder."""
    from sqlalchemy import select

    from desktop.core.archive.archive import Archive
    from desktop.core.archive.models import Material
    from desktop.core.common.errors import ZichaError
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.materials.service import update_material
    from desktop.core.review import decisions, keys

    clerk = f"经办人{number}"
    report: dict[str, object] = {"imported": {}, "decided": [], "refused": [], "errors": []}
    imported: dict[str, str] = {}
    decided: list[int] = []
    refused: list[str] = []
    errors: list[str] = []
    src = Path(out).with_suffix("")
    src.mkdir()
    with mock.patch.dict(os.environ, {"ZICHA_HOME": home, "ZICHA_USER": clerk}), \
            Archive.open(Path(root)) as archive:
        reviewer = REVIEWERS.get(number)
        key = keys.load_private(reviewer, REVIEW_PASS) if reviewer else None
        n = 0
        until = time.monotonic() + seconds  # from here: a spawned process is slow to start
        while time.monotonic() < until:
            n += 1
            try:
                path = src / f"材料{number}-{n}.txt"
                path.write_text(f"第 {number} 台电脑的第 {n} 份文明城市创建材料", encoding="utf-8")
                [row] = import_paths(archive, [path], ImportOptions(
                    codes=["08"], department=DEPARTMENT, actor=clerk))
                title = f"材料 {number}-{n}（已改）"
                update_material(archive, row.id, {"title": title}, actor=clerk)
                imported[str(row.id)] = title
                decisions.submit(archive, [row.id], clerk)
                if reviewer and key is not None:
                    with archive.read() as session:
                        waiting = session.scalars(select(Material.id).where(
                            Material.state == "submitted").order_by(Material.id).limit(1)).first()
                    if waiting is not None:
                        try:
                            decisions.decide(archive, waiting, reviewer, "approve", "同意", key,
                                             seen_stage="first")
                            decided.append(waiting)
                        except ZichaError as exc:  # the other reviewer was first
                            refused.append(f"#{waiting}: {exc}")
            except ZichaError as exc:
                errors.append(f"ZichaError: {exc}")
            except Exception:
                errors.append(traceback.format_exc())
    report.update(imported=imported, decided=decided, refused=refused, errors=errors, rounds=n)
    Path(out).write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")


def test_four_desktops_at_once_on_one_server_archive(zicha_cli: ZichaCli, tmp_path: Path,
                                                      pg_database: str) -> None:
    from desktop.core.archive.archive import Archive
    from desktop.core.review import keys, roster

    root, home = tmp_path / "共享" / "市档案", tmp_path / "home"
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(home), "ZICHA_USER": "管理员"}), \
            Archive.create(root, server_url=pg_database) as archive:
        for number in range(WORKERS):
            name = f"经办人{number}"
            roster.add_person(archive, name, DEPARTMENT, ["clerk"], keys.new_key(name, REVIEW_PASS))
        for name in REVIEWERS.values():
            roster.add_person(archive, name, DEPARTMENT, ["first"], keys.new_key(name, REVIEW_PASS))
    spawn = multiprocessing.get_context("spawn")
    outs = [tmp_path / f"worker{n}.json" for n in range(WORKERS)]
    procs = [spawn.Process(target=_worker,
                           args=(n, str(root), str(home), str(outs[n]), _seconds()))
             for n in range(WORKERS)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=_seconds() + 120)
        assert proc.exitcode == 0, f"a worker ended with {proc.exitcode}"
    reports = [json.loads(out.read_text(encoding="utf-8")) for out in outs]
    assert [r["errors"] for r in reports] == [[]] * WORKERS
    for r in reports:  # the reviewer who lost a race is told who was first
        for message in r["refused"]:
            assert "的初审刚由 初审" in message and "你的决定没有记录" in message, message
    imported = {int(i): t for r in reports for i, t in r["imported"].items()}
    decided = [i for r in reports for i in r["decided"]]
    assert len(imported) >= WORKERS and len(imported) == sum(r["rounds"] for r in reports)
    assert decided and len(decided) == len(set(decided))  # one decision per material and stage
    # every committed change is there, as its writer left it
    listed = {m["id"]: m for m in zicha_cli.ok_json("list", "--archive", root)}
    assert set(listed) == set(imported)
    assert {i: listed[i]["title"] for i in imported} == imported
    assert {i for i, m in listed.items() if m["state"] == "first_approved"} == set(decided)
    assert {m["state"] for i, m in listed.items() if i not in decided} == {"submitted"}
    for material_id in decided[:5]:
        [first] = zicha_cli.ok_json("history", material_id, "--archive", root)
        assert first["stage"] == "first" and first["verdict"] == "approve"
    report = zicha_cli.ok_json("verify", "--archive", root)
    assert report["ok"], report
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["审计日志哈希链"]["count"] >= 3 * len(imported) + len(decided)
    # the head record outside the database names the last entry: written in commit order
    head = json.loads((root / "audit-head.json").read_text(encoding="utf-8"))
    assert head["seq"] == checks["审计日志哈希链"]["count"]


def test_two_reviewers_on_the_same_stage_one_is_told_the_other_was_first(
        tmp_path: Path, pg_database: str) -> None:
    import pytest

    from desktop.core.archive.archive import Archive
    from desktop.core.common.errors import ZichaError
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.review import decisions, keys, roster

    root = tmp_path / "市档案"
    (tmp_path / "方案.txt").write_text("文明城市创建工作方案", encoding="utf-8")
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(tmp_path / "home"),
                                      "ZICHA_USER": "经办人0"}):
        with Archive.create(root, server_url=pg_database) as archive:
            roster.add_person(archive, "经办人0", DEPARTMENT, ["clerk"],
                              keys.new_key("经办人0", REVIEW_PASS))
            for name in REVIEWERS.values():
                roster.add_person(archive, name, DEPARTMENT, ["first"],
                                  keys.new_key(name, REVIEW_PASS))
            [row] = import_paths(archive, [tmp_path / "方案.txt"],
                                 ImportOptions(codes=["08"], department=DEPARTMENT))
            decisions.submit(archive, [row.id], "经办人0")
        # two desktops, both showing the material 待初审
        with Archive.open(root) as one, Archive.open(root) as two:
            decisions.decide(one, row.id, "初审甲", "approve", "同意",
                             keys.load_private("初审甲", REVIEW_PASS), seen_stage="first")
            with pytest.raises(ZichaError) as late:
                decisions.decide(two, row.id, "初审乙", "reject", "缺少附件",
                                 keys.load_private("初审乙", REVIEW_PASS), seen_stage="first")
            assert f"材料 #{row.id} 的初审刚由 初审甲 做出（通过，" in str(late.value)
            assert "现为“待复审”；你的决定没有记录，请刷新后再看" in str(late.value)
            with two.read() as session:
                assert [d.reviewer for d in decisions._history(session, row.id)] == ["初审甲"]


HOLDER = """
import sys, time
from pathlib import Path
from sqlalchemy import text
from desktop.core.archive.archive import Archive

with Archive.open(Path(sys.argv[1])) as archive, archive.write() as (session, log):
    session.execute(text("UPDATE archive_info SET value = '改了没提交' WHERE key = 'name'"))
    log("material.edit", "archive", {"never": "committed"})
    session.flush()
    print("holding", flush=True)
    time.sleep(120)
"""


def test_a_desktop_killed_mid_transaction_loses_only_its_own_uncommitted_work(
        zicha_cli: ZichaCli, tmp_path: Path, pg_database: str) -> None:
    import signal
    import subprocess
    import sys

    root = tmp_path / "市档案"
    zicha_cli.ok("init", "--archive", root, "--server", pg_database, "--name", "市档案")
    (tmp_path / "a.txt").write_text("文明城市创建材料", encoding="utf-8")
    zicha_cli.ok("import", tmp_path / "a.txt", "--item", "08", "--archive", root)
    before = zicha_cli.ok_json("verify", "--archive", root)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(root)], env=zicha_cli.env,
                              cwd=zicha_cli.cwd, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        holder.send_signal(signal.SIGKILL)  # mid-transaction, holding the write lane
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
    # the server let go of the lane with the connection: the next writer goes ahead at once
    started = time.monotonic()
    (tmp_path / "b.txt").write_text("另一份文明城市创建材料", encoding="utf-8")
    zicha_cli.ok("import", tmp_path / "b.txt", "--item", "08", "--archive", root)
    assert time.monotonic() - started < 30
    assert zicha_cli.ok_json("info", "--archive", root)["name"] == "市档案"
    after = zicha_cli.ok_json("verify", "--archive", root)
    assert after["ok"], after
    chain = {c["name"]: c for c in after["checks"]}["审计日志哈希链"]
    old = {c["name"]: c for c in before["checks"]}["审计日志哈希链"]
    assert chain["count"] > old["count"] and not chain["problems"]
    assert len(zicha_cli.ok_json("list", "--archive", root)) == 2


def test_the_server_drops_every_connection_mid_import(zicha_cli: ZichaCli, tmp_path: Path,
                                                       pg_database: str) -> None:
    """As a server restart does: the import either reconnects and goes on, or stops saying the
    connection was lost; what it committed stays, verify is clean, and importing the folder
    again finishes the job."""
    import psycopg

    from tests.pg import server_url

    root = tmp_path / "市档案"
    zicha_cli.ok("init", "--archive", root, "--server", pg_database)
    src = tmp_path / "src"
    src.mkdir()
    for n in range(60):
        (src / f"材料{n:02d}.txt").write_text(f"第 {n} 份文明城市创建材料", encoding="utf-8")
    importing = zicha_cli.popen("import", src, "--item", "08", "--no-ocr", "--archive", root)
    dropped = 0
    with psycopg.connect(pg_database, autocommit=True) as watch:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and importing.poll() is None:
            if watch.execute("SELECT count(*) FROM material").fetchone()[0] >= 5:  # type: ignore[index]
                break
            time.sleep(0.05)
    with psycopg.connect(server_url(), autocommit=True) as admin:
        dropped = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND application_name = 'zicha'",
            [pg_database.rsplit("/", 1)[1]]).fetchone()[0]  # type: ignore[index]
    out, err = importing.communicate(timeout=120)
    assert "Traceback" not in err, err
    if importing.returncode != 0:
        assert "连接中断" in err or "无法连接" in err, err
    assert dropped >= 1 or importing.returncode == 0
    assert zicha_cli.ok_json("verify", "--archive", root)["ok"]
    zicha_cli.ok("import", src, "--item", "08", "--no-ocr", "--archive", root)
    assert len(zicha_cli.ok_json("list", "--archive", root)) == 60
    assert zicha_cli.ok_json("verify", "--archive", root)["ok"]
