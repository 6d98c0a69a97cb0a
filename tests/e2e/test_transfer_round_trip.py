"""The whole round between three departments and the city (issue 16, "What must be shown"):
each department files, submits and passes 初审 at home and sends a 报送包; the city merges all
three, imports its task list, finds a problem, reviews and returns one material; its 下发包
carries the return (with the reason), the tasks, the problem and a receipt to the department;
the clerk fixes the material and re-sends; the second 报送包 carries only that change; the city
passes it and its upload export holds every department's material, passing `zicha verify`
and bagit-python. Real archives, real files, real signatures (the Bureau of
test_cli_transfer). Then the 下发包's own refusals: a replay, another department's archive,
a changed byte, a sender who is not an admin."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from desktop.core.transfer.package import TRANSFER_JSON, schema
from tests.conftest import archive_snapshot
from tests.e2e.test_cli_transfer import (  # noqa: F401
    DEPARTMENTS,
    Bureau,
    _task_list,
    assert_refused,
    bureau,
)

ADMIN = "创文办主任"
POLICE = "市公安局"


def _material(b: Bureau, root: Path, dept: str, word: str) -> dict[str, Any]:
    return next(m for m in b.ok_json(ADMIN, root, "list")
                if word in m["title"] and m["department"] == dept)


def _task_uids(root: Path, department: str | None = None) -> list[str]:
    conn = sqlite3.connect((root / "zicha.db").as_uri() + "?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT task.uid, department.name FROM task JOIN department ON "
                            "department.id = task.department_id ORDER BY task.uid").fetchall()
    finally:
        conn.close()
    return [uid for uid, name in rows if department in (None, name)]


def _pass(b: Bureau, material_id: int) -> None:
    for who in ("市复审人", "市终审人"):
        b.ok(who, b.city, "review", material_id, "--as", who, "--approve", "--comment", "同意")


def _dispatch(b: Bureau, to: str, out: Path, *extra: str) -> Any:
    return b.ok_json(ADMIN, b.city, "transfer", "dispatch", "--to", to, "--out", out,
                     "--as", ADMIN, *extra)


def test_three_departments_and_the_city_round_trip(bureau: Bureau,  # noqa: F811
                                                   tmp_path: Path) -> None:
    b = bureau
    archive_ids = {}
    for dept in DEPARTMENTS:
        out = tmp_path / f"{dept}-1.zip"
        b.send(dept, out)
        report = b.apply(out)
        assert report["kind"] == "report" and len(report["added"]) == 2
        archive_ids[dept] = report["from_archive"]

    # the city: its task list (one task per department), a problem for 市公安局, its review
    b.ok(ADMIN, b.city, "tasks", "import", _task_list(tmp_path / "任务清单.xlsx"))
    b.ok(ADMIN, b.city, "problem", "add", "宣传栏内容陈旧", "--item", "01.01", "--department",
         POLICE, "--deadline", "2030-06-30", "--as", ADMIN)
    returned = _material(b, b.city, POLICE, "活动记录")
    b.ok("市复审人", b.city, "review", returned["id"], "--as", "市复审人", "--reject",
         "--comment", "缺少活动照片，请补充")
    for m in b.ok_json(ADMIN, b.city, "list"):
        if m["id"] != returned["id"]:
            _pass(b, m["id"])
    assert b.verify(b.city)["ok"]

    # the 下发包 to 市公安局: the return with its reason, the task, the problem, the receipt
    down = tmp_path / "下发-公安-1.zip"
    sent = _dispatch(b, archive_ids[POLICE], down)
    assert (sent["department"], sent["seq"], sent["receipt"]) == (POLICE, 1, 1)
    assert len(sent["reviews"]) == 2 and (sent["tasks"], sent["problems"]) == (1, 1)
    carried = {r["title"]: r for r in sent["reviews"]}
    assert (carried[returned["title"]]["reviewer"], carried[returned["title"]]["comment"]) == (
        "市复审人", "缺少活动照片，请补充")
    with zipfile.ZipFile(down) as zf:
        assert zf.namelist() == [TRANSFER_JSON]
        doc = json.loads(zf.read(TRANSFER_JSON))
    jsonschema.validate(doc, schema())
    assert doc["kind"] == "dispatch" and doc["to"] == {"archive": archive_ids[POLICE],
                                                       "department": POLICE}

    home = b.departments[POLICE]
    got = b.ok_json("公安经办", home, "transfer", "apply", down, "--as", "公安经办")
    assert got["kind"] == "dispatch" and got["acknowledged"] == [1] and not got["skipped"]
    states = {r["title"]: (r["state"], r["comment"]) for r in got["reviews"]}
    assert states[returned["title"]] == ("returned", "缺少活动照片，请补充")
    assert (got["tasks_added"], got["problems_added"], got["task_lists"]) == (1, 1, 1)
    at_home = _material(b, home, POLICE, "活动记录")
    assert at_home["state"] == "returned"
    history = b.ok_json("公安经办", home, "history", at_home["id"])
    assert [(h["stage"], h["verdict"], h["ok"]) for h in history] == [
        ("first", "approve", True), ("second", "reject", True)]
    plan = _material(b, home, POLICE, "工作方案")
    assert plan["state"] == "final_approved"  # the city's 复审 and 终审 verify here too
    [task] = b.ok_json("公安经办", home, "tasks", "list")
    assert (task["department"], task["item"]) == (POLICE, "01.01")
    assert _task_uids(home) == _task_uids(b.city, POLICE)  # the city's uid
    [problem] = b.ok_json("公安经办", home, "problem", "list")
    assert problem["description"] == "宣传栏内容陈旧" and problem["department"] == POLICE
    assert b.verify(home)["ok"]
    listed = b.ok_json("公安经办", home, "transfer", "list")
    assert [(r["direction"], r["kind"], bool(r["acknowledged_at"])) for r in listed] == [
        ("sent", "report", True), ("received", "dispatch", False)]

    # the same 下发包 again, or at another department's archive: refused, nothing changes
    before = archive_snapshot(b.cli, home)
    assert_refused(b.run("公安经办", home, "transfer", "apply", down), down.name, "已应用过")
    assert archive_snapshot(b.cli, home) == before
    other = b.departments["市教育局"]
    assert_refused(b.run("教育经办", other, "transfer", "apply", down), "另一个档案")

    # the clerk fixes the returned material, submits it again, 初审 passes it at home
    b.ok("公安经办", home, "edit", at_home["id"], "--description", "补充了活动照片说明")
    b.ok("公安经办", home, "submit", at_home["id"], "--as", "公安经办")
    b.ok("公安初审", home, "review", at_home["id"], "--as", "公安初审", "--approve",
         "--comment", "已补充")
    b.ok("公安经办", home, "problem", "rectify", problem["id"], "--note", "已更新宣传栏",
         "--as", "公安经办")

    # the second 报送包 carries only the change, built on what the city acknowledged
    second = b.send(POLICE, tmp_path / f"{POLICE}-2.zip")
    assert [m["title"] for m in second["materials"]] == [at_home["title"]]
    assert (second["seq"], second["since"], second["problems"]) == (2, 1, 1)
    with zipfile.ZipFile(tmp_path / f"{POLICE}-2.zip") as zf:
        assert json.loads(zf.read(TRANSFER_JSON))["base"] == 1
    report = b.apply(tmp_path / f"{POLICE}-2.zip")
    assert [m["id"] for m in report["updated"]] == [returned["id"]] and not report["conflicts"]
    assert report["problems"] == 1
    assert len(report["unchanged"]) == 0 and not report["added"]
    fixed = _material(b, b.city, POLICE, "活动记录")
    assert fixed["state"] == "first_approved"
    _pass(b, fixed["id"])

    # the city's view over its departments
    overview = b.ok_json(ADMIN, b.city, "transfer", "departments", "--since", "2000-01-01")
    rows = {r["department"]: r for r in overview["departments"]}
    assert rows[POLICE]["packages"] == 2 and rows[POLICE]["approved"] == 2
    assert {rows[d]["materials"] for d in DEPARTMENTS} == {2}
    assert overview["not_reported"] == []
    later = b.ok_json(ADMIN, b.city, "transfer", "departments", "--since", "2999-01-01")
    assert set(later["not_reported"]) >= set(DEPARTMENTS)

    # the upload export holds every department's material and passes both validators
    out = tmp_path / "吴州市网上申报材料.zip"
    exported = b.ok_json(ADMIN, b.city, "export", out, "--formats", "pdf,text")
    assert exported["verify"]["ok"] and exported["materials"] == 6
    assert b.cli.run("verify", out).returncode == 0
    bagit = pytest.importorskip("bagit")
    unpacked = tmp_path / "解包"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(unpacked)
    bagit.Bag(str(next(unpacked.iterdir()))).validate()
    assert b.verify(b.city)["ok"] and b.verify(home)["ok"]

    # the next 下发包 carries only what changed: the fixed material's 复审 and 终审, and the
    # problem the city confirmed
    [city_problem] = b.ok_json(ADMIN, b.city, "problem", "list")
    assert city_problem["state"] == "rectified"
    b.ok(ADMIN, b.city, "problem", "confirm", city_problem["id"], "--comment", "整改到位",
         "--as", ADMIN)
    again = _dispatch(b, archive_ids[POLICE], tmp_path / "下发-公安-2.zip")
    assert [m["id"] for m in again["reviews"]] == [fixed["id"]]
    assert (again["tasks"], again["problems"], again["receipt"], again["seq"]) == (0, 1, 2, 2)
    got = b.ok_json("公安经办", home, "transfer", "apply", tmp_path / "下发-公安-2.zip")
    assert got["acknowledged"] == [2]
    assert _material(b, home, POLICE, "活动记录")["state"] == "final_approved"
    [problem] = b.ok_json("公安经办", home, "problem", "list")
    assert (problem["state"], problem["rectification"]) == ("confirmed", "已更新宣传栏")
    assert b.verify(home)["ok"]
    nothing = b.run(ADMIN, b.city, "transfer", "dispatch", "--to", archive_ids[POLICE],
                    "--out", tmp_path / "下发-公安-3.zip", "--as", ADMIN)
    assert_refused(nothing, "没有新的")
    assert not (tmp_path / "下发-公安-3.zip").exists()


def test_dispatch_refusals(bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    b = bureau
    out = tmp_path / "1.zip"
    b.send(POLICE, out)
    police_archive = b.apply(out)["from_archive"]
    b.ok("市复审人", b.city, "review", _material(b, b.city, POLICE, "工作方案")["id"],
         "--as", "市复审人", "--reject", "--comment", "请补充")

    # only an admin signs a 下发包
    not_admin = b.run("市复审人", b.city, "transfer", "dispatch", "--to", police_archive,
                      "--out", tmp_path / "x.zip", "--as", "市复审人")
    assert_refused(not_admin, "管理员")
    # an archive that never reported needs its department named, and a known one
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_refused(b.run(ADMIN, b.city, "transfer", "dispatch", "--to", unknown, "--out",
                         tmp_path / "x.zip", "--as", ADMIN), "还没有收到")
    assert_refused(b.run(ADMIN, b.city, "transfer", "dispatch", "--to", unknown, "--out",
                         tmp_path / "x.zip", "--as", ADMIN, "--department", "市不存在局"),
                   "市不存在局")
    assert_refused(b.run(ADMIN, b.city, "transfer", "dispatch", "--to", police_archive,
                         "--out", tmp_path / "x.zip", "--as", ADMIN, "--department",
                         "市教育局"), "市公安局")
    assert not (tmp_path / "x.zip").exists()

    down = tmp_path / "下发.zip"
    _dispatch(b, police_archive, down)
    home = b.departments[POLICE]
    before = archive_snapshot(b.cli, home)
    # one changed byte of transfer.json: the signature no longer holds
    forged = tmp_path / "改动.zip"
    with zipfile.ZipFile(down) as src, zipfile.ZipFile(forged, "w") as dst:
        doc = json.loads(src.read(TRANSFER_JSON))
        doc["reviews"][0]["title"] += "（改）"
        dst.writestr(TRANSFER_JSON, json.dumps(doc, ensure_ascii=False))
    assert_refused(b.run("公安经办", home, "transfer", "apply", forged), forged.name, "签名无效")
    # the city's package is not a 报送包 for the city itself
    assert_refused(b.run(ADMIN, b.city, "transfer", "apply", down), down.name)
    assert archive_snapshot(b.cli, home) == before
    got = b.ok_json("公安经办", home, "transfer", "apply", down)
    assert [r["state"] for r in got["reviews"]] == ["returned"]


def test_a_lost_package_is_resent_from_the_receipt(bureau: Bureau,  # noqa: F811
                                                   tmp_path: Path) -> None:
    """Package 2 never reaches the city: package 3 is refused (the city lacks 2), and
    `--resend` carries everything since the receipt (package 1), which the city takes."""
    b = bureau
    home = b.departments[POLICE]
    b.send(POLICE, tmp_path / "1.zip")
    police_archive = b.apply(tmp_path / "1.zip")["from_archive"]
    b.ok(ADMIN, b.city, "problem", "add", "台账不全", "--item", "01.01", "--department", POLICE,
         "--deadline", "2030-06-30", "--as", ADMIN)  # something to send down besides the receipt
    _dispatch(b, police_archive, tmp_path / "下发.zip")
    assert b.ok_json("公安经办", home, "transfer", "apply", tmp_path / "下发.zip")["acknowledged"] \
        == [1]
    def new(name: str) -> None:
        source = b.files.pdf(f"公安/{name}.pdf", f"市公安局{name}")
        b.ok("公安经办", home, "import", source, "--item", "01.01", "--department", POLICE,
             "--no-ocr")

    new("第二季度总结")
    b.send(POLICE, tmp_path / "2-lost.zip")
    new("第三季度总结")
    b.send(POLICE, tmp_path / "3.zip")
    assert_refused(b.run(ADMIN, b.city, "transfer", "apply", tmp_path / "3.zip"), "还缺第 2 号")
    resent = b.send(POLICE, tmp_path / "4.zip", "--resend")
    assert (resent["seq"], resent["since"]) == (4, 1)
    assert sorted(m["title"] for m in resent["materials"]) == ["第三季度总结", "第二季度总结"]
    report = b.apply(tmp_path / "4.zip")
    assert sorted(m["title"] for m in report["added"]) == ["第三季度总结", "第二季度总结"]
    assert len(b.ok_json(ADMIN, b.city, "list")) == 4
    assert b.verify(b.city)["ok"]


def test_problem_states_cross_both_ways(bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    """整改 goes up in a 报送包, the city's 退回 comes down in a 下发包 (it saw that very
    rectification); a rectification made at the department after the city's latest step is
    not overwritten by that step, though the city's new deadline is taken."""
    b = bureau
    home = b.departments[POLICE]
    b.send(POLICE, tmp_path / "1.zip")
    police_archive = b.apply(tmp_path / "1.zip")["from_archive"]
    b.ok(ADMIN, b.city, "problem", "add", "公益广告破损", "--item", "01.01", "--department",
         POLICE, "--deadline", "2030-06-30", "--as", ADMIN)
    _dispatch(b, police_archive, tmp_path / "下发-1.zip")
    b.ok_json("公安经办", home, "transfer", "apply", tmp_path / "下发-1.zip")
    [problem] = b.ok_json("公安经办", home, "problem", "list")
    b.ok("公安经办", home, "problem", "rectify", problem["id"], "--note", "已更换",
         "--as", "公安经办")
    b.send(POLICE, tmp_path / "2.zip")
    assert b.apply(tmp_path / "2.zip")["problems"] == 1
    [at_city] = b.ok_json(ADMIN, b.city, "problem", "list")
    b.ok(ADMIN, b.city, "problem", "return", at_city["id"], "--comment", "更换不彻底",
         "--as", ADMIN)

    _dispatch(b, police_archive, tmp_path / "下发-2.zip")
    assert b.ok_json("公安经办", home, "transfer", "apply",
                     tmp_path / "下发-2.zip")["problems_updated"] == 1
    [problem] = b.ok_json("公安经办", home, "problem", "list")
    assert (problem["state"], problem["feedback"]) == ("returned", "更换不彻底")

    # the clerk rectifies again; the city, not having seen it, assigns a new deadline
    b.ok("公安经办", home, "problem", "rectify", problem["id"], "--note", "已全部更换",
         "--as", "公安经办")
    b.ok(ADMIN, b.city, "problem", "assign", at_city["id"], "--department", POLICE,
         "--deadline", "2030-09-30", "--as", ADMIN)
    _dispatch(b, police_archive, tmp_path / "下发-3.zip")
    b.ok_json("公安经办", home, "transfer", "apply", tmp_path / "下发-3.zip")
    [problem] = b.ok_json("公安经办", home, "problem", "list")
    assert (problem["state"], problem["rectification"]) == ("rectified", "已全部更换")
    assert problem["deadline"] == "2030-09-30"
    assert b.verify(home)["ok"] and b.verify(b.city)["ok"]


def test_a_dispatch_round_for_every_department(bureau: Bureau,  # noqa: F811
                                               tmp_path: Path) -> None:
    """The city writes one 下发包 per department that reported, with one passphrase; a second
    round with nothing new is refused and writes nothing; after a decision on one department's
    material only that department gets a package; each applies at home."""
    b = bureau
    ids = {}
    for dept in DEPARTMENTS:
        b.send(dept, tmp_path / f"{dept}.zip")
        ids[dept] = b.apply(tmp_path / f"{dept}.zip")["from_archive"]
    folder = tmp_path / "本轮下发"
    missing = b.run(ADMIN, b.city, "transfer", "dispatch", "--every-department", "--out",
                    folder, "--as", ADMIN)
    assert_refused(missing, str(folder), "文件夹")
    folder.mkdir()
    first = b.ok_json(ADMIN, b.city, "transfer", "dispatch", "--every-department", "--out",
                      folder, "--as", ADMIN)
    assert first["kind"] == "dispatch_round" and not first["failed"] and not first["unchanged"]
    assert sorted(s["department"] for s in first["sent"]) == sorted(DEPARTMENTS)
    for sent in first["sent"]:  # the receipt of its 报送包, in a file named for it
        assert (sent["to"], sent["seq"], sent["receipt"]) == (ids[sent["department"]], 1, 1)
        assert Path(sent["out"]).parent == folder and sent["department"] in Path(sent["out"]).name
    assert len(list(folder.iterdir())) == 3

    again = b.run(ADMIN, b.city, "transfer", "dispatch", "--every-department", "--out", folder,
                  "--as", ADMIN)
    assert_refused(again, "没有新的")
    assert len(list(folder.iterdir())) == 3

    returned = _material(b, b.city, POLICE, "活动记录")
    b.ok("市复审人", b.city, "review", returned["id"], "--as", "市复审人", "--reject",
         "--comment", "缺少活动照片")
    second = b.ok_json(ADMIN, b.city, "transfer", "dispatch", "--every-department", "--out",
                       folder, "--as", ADMIN)
    [sent] = second["sent"]
    assert (sent["department"], sent["seq"], len(sent["reviews"])) == (POLICE, 2, 1)
    assert sorted(u["department"] for u in second["unchanged"]) == sorted(
        set(DEPARTMENTS) - {POLICE})
    assert "第2号" in Path(sent["out"]).name  # the first round's file is kept beside it
    home = b.departments[POLICE]
    for package in sorted(Path(s["out"]) for s in [*first["sent"], sent]
                          if s["department"] == POLICE):  # 第1号 before 第2号
        b.ok_json("公安经办", home, "transfer", "apply", package, "--as", "公安经办")
    assert _material(b, home, POLICE, "活动记录")["state"] == "returned"
    # --department belongs to a single 下发包
    usage = b.run(ADMIN, b.city, "transfer", "dispatch", "--every-department", "--out", folder,
                  "--as", ADMIN, "--department", POLICE)
    assert usage.returncode == 2 and "--department" in usage.stderr
