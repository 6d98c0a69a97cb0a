"""Settling 报送包 conflicts (issue 16, item 4; docs/transfers.md "Settling conflicts"): each
kind of conflict (decided, deleted, same_file) with each resolution (keep, theirs, both) and
the refusals, on real archives with real signatures (the Bureau of test_cli_transfer). After
every resolution the city's archive verifies (`zicha verify --archive`: states backed by their
signatures, audit log, files) and the row says who settled it, when and how."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import archive_snapshot
from tests.e2e.test_cli_transfer import Bureau, assert_refused, bureau  # noqa: F401

ADMIN = "创文办主任"


def _audit(root: Path, action: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect((root / "zicha.db").as_uri() + "?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT detail FROM audit_entry WHERE action = ? ORDER BY seq",
                            (action,)).fetchall()
    finally:
        conn.close()
    return [json.loads(detail) for (detail,) in rows]


def _resolve(b: Bureau, conflict: int, how: str, who: str = ADMIN) -> Any:
    return b.ok_json(who, b.city, "transfer", "resolve", conflict, f"--{how}", "--as", who)


def _city_material(b: Bureau, dept: str, word: str) -> dict[str, Any]:
    return next(m for m in b.ok_json(ADMIN, b.city, "list")
                if word in m["title"] and m["department"] == dept)


def _decided(b: Bureau, tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The city passes 复审 on 公安's work plan; the department returns it at its own 复审 and
    renames it: package 2 is a `decided` conflict. (the conflict, the city's material)"""
    dept, root = "市公安局", b.departments["市公安局"]
    b.send(dept, tmp_path / "1.zip")
    b.apply(tmp_path / "1.zip")
    at_city = _city_material(b, dept, "工作方案")
    b.ok("市复审人", b.city, "review", at_city["id"], "--as", "市复审人", "--approve",
         "--comment", "复审同意")
    plan = b.ids[dept]["工作方案"]
    b.ok("公安复审", root, "review", plan, "--as", "公安复审", "--reject", "--comment", "重写")
    b.ok("公安经办", root, "edit", plan, "--title", "改写后的工作方案")
    b.send(dept, tmp_path / "2.zip")
    [conflict] = b.apply(tmp_path / "2.zip")["conflicts"]
    assert conflict["kind"] == "decided"
    return conflict, at_city


def _resolved_row(b: Bureau, conflict: int) -> dict[str, Any]:
    assert not [c for c in b.ok_json(ADMIN, b.city, "transfer", "conflicts")
                if c["id"] == conflict]
    [row] = [c for c in b.ok_json(ADMIN, b.city, "transfer", "conflicts", "--all")
             if c["id"] == conflict]
    assert row["resolved_by"] == ADMIN and row["resolved_at"], row
    return row


def test_decided_keep(bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    b = bureau
    conflict, at_city = _decided(b, tmp_path)
    # only an admin settles a conflict; a reviewer is refused, nothing changes
    before = archive_snapshot(b.cli, b.city)
    refused = b.run("市复审人", b.city, "transfer", "resolve", conflict["conflict"], "--keep",
                    "--as", "市复审人")
    assert_refused(refused, "市复审人", "管理员")
    assert archive_snapshot(b.cli, b.city) == before
    done = _resolve(b, conflict["conflict"], "keep")
    assert (done["how"], done["kind"], done["material_id"]) == ("keep", "decided", at_city["id"])
    shown = b.ok_json(ADMIN, b.city, "show", at_city["id"])
    assert (shown["title"], shown["state"]) == (at_city["title"], "second_approved")
    assert _resolved_row(b, conflict["conflict"])["resolution"] == "keep"
    again = b.run(ADMIN, b.city, "transfer", "resolve", conflict["conflict"], "--theirs",
                  "--as", ADMIN)
    assert_refused(again, f"报送冲突 {conflict['conflict']}", "已于", "不能再处理")
    text = b.ok(ADMIN, b.city, "transfer", "conflicts", "--all").stdout
    assert "已处理：保留本档案的材料（创文办主任" in text
    assert b.verify(b.city)["ok"]
    [entry] = _audit(b.city, "transfer.resolve")
    assert (entry["how"], entry["conflict"]) == ("keep", conflict["conflict"])


def test_decided_theirs(bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    """Taking the department's version: the city's 复审 approval forks from the department's
    return, so it comes off (kept in the audit entry), the department's return and title
    apply, and the next 报送包 (resubmitted) merges as an ordinary update."""
    b = bureau
    conflict, at_city = _decided(b, tmp_path)
    done = _resolve(b, conflict["conflict"], "theirs")
    assert done["material_id"] == at_city["id"]
    assert len(done["set_aside"]) == 1 and "复审通过（市复审人" in done["set_aside"][0], done
    assert "title" in done["changed"] and "state" in done["changed"]
    shown = b.ok_json(ADMIN, b.city, "show", at_city["id"])
    assert (shown["title"], shown["state"]) == ("改写后的工作方案", "returned"), shown
    # the department's chain, exactly as at the department: renamed after both were signed
    history = b.run(ADMIN, b.city, "history", at_city["id"], "--json").json()
    assert [(h["stage"], h["verdict"], h["reviewer"]) for h in history] == [
        ("first", "approve", "公安初审"), ("second", "reject", "公安复审")]
    assert all("材料名称已改变" in h["problem"] for h in history), history
    assert b.verify(b.city)["ok"]
    [entry] = _audit(b.city, "transfer.resolve")
    [kept] = entry["set_aside_decisions"]
    assert kept["signature"] and '"stage":"second"' in kept["payload"]
    # the department resubmits: its next package is an update, no conflict
    dept, root = "市公安局", b.departments["市公安局"]
    b.ok("公安经办", root, "submit", b.ids[dept]["工作方案"], "--as", "公安经办")
    b.send(dept, tmp_path / "3.zip")
    report = b.apply(tmp_path / "3.zip")
    assert not report["conflicts"] and [u["id"] for u in report["updated"]] == [at_city["id"]]
    assert b.ok_json(ADMIN, b.city, "show", at_city["id"])["state"] == "submitted"
    assert b.verify(b.city)["ok"]


def test_decided_both(bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    b = bureau
    conflict, at_city = _decided(b, tmp_path)
    done = _resolve(b, conflict["conflict"], "both")
    copy = done["added_id"]
    assert copy and copy != at_city["id"]
    kept = b.ok_json(ADMIN, b.city, "show", at_city["id"])
    assert (kept["title"], kept["state"]) == (at_city["title"], "second_approved")
    second = b.ok_json(ADMIN, b.city, "show", copy)
    assert (second["title"], second["state"], second["department"]) == \
        ("改写后的工作方案", "draft", "市公安局"), second
    assert second["files"] and [f["sha256"] for f in second["files"]] == \
        [f["sha256"] for f in kept["files"]]
    assert b.ok_json(ADMIN, b.city, "history", copy) == []
    assert _resolved_row(b, conflict["conflict"])["outcome"]["added_id"] == copy
    assert b.verify(b.city)["ok"]


def _deleted(b: Bureau, tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    dept, root = "市教育局", b.departments["市教育局"]
    b.send(dept, tmp_path / "1.zip")
    b.apply(tmp_path / "1.zip")
    record = b.ids[dept]["活动记录"]
    b.ok("教育复审", root, "review", record, "--as", "教育复审", "--reject", "--comment", "重做")
    b.ok("教育经办", root, "delete", record)
    b.send(dept, tmp_path / "2.zip")
    [conflict] = b.apply(tmp_path / "2.zip")["conflicts"]
    assert conflict["kind"] == "deleted"
    return conflict, _city_material(b, dept, "活动记录")


def test_deleted_keep_both_and_theirs(bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    b = bureau
    conflict, at_city = _deleted(b, tmp_path)
    number = conflict["conflict"]
    before = archive_snapshot(b.cli, b.city)
    # both: there is no second material in a deletion
    assert_refused(b.run(ADMIN, b.city, "transfer", "resolve", number, "--both", "--as", ADMIN),
                   f"报送冲突 {number}", "删除")
    # theirs while the material is in review at the city: the city's deletion rule holds
    assert_refused(b.run(ADMIN, b.city, "transfer", "resolve", number, "--theirs", "--as",
                         ADMIN), "待复审", "没有删除")
    assert archive_snapshot(b.cli, b.city) == before
    # the city's 复审 returns it; now the department's deletion can be taken
    b.ok("市复审人", b.city, "review", at_city["id"], "--as", "市复审人", "--reject",
         "--comment", "对方已撤回")
    stale = b.run(ADMIN, b.city, "transfer", "resolve", number, "--theirs", "--as", ADMIN)
    assert_refused(stale, "在冲突之后又有审核")  # the conflict saw it before the return
    done = _resolve(b, number, "keep")
    assert done["how"] == "keep"
    assert len(b.ok_json(ADMIN, b.city, "list")) == 2
    assert b.verify(b.city)["ok"]


def test_deleted_theirs(bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    """The city returned the material before the deletion arrived: taking theirs deletes it."""
    b = bureau
    dept, root = "市教育局", b.departments["市教育局"]
    b.send(dept, tmp_path / "1.zip")
    b.apply(tmp_path / "1.zip")
    at_city = _city_material(b, dept, "活动记录")
    b.ok("市复审人", b.city, "review", at_city["id"], "--as", "市复审人", "--reject",
         "--comment", "请补充")
    record = b.ids[dept]["活动记录"]
    b.ok("教育复审", root, "review", record, "--as", "教育复审", "--reject", "--comment", "重做")
    b.ok("教育经办", root, "delete", record)
    b.send(dept, tmp_path / "2.zip")
    [conflict] = b.apply(tmp_path / "2.zip")["conflicts"]
    assert conflict["kind"] == "deleted"
    done = _resolve(b, conflict["conflict"], "theirs")
    assert (done["deleted_id"], done["material_id"]) == (at_city["id"], None)
    left = b.ok_json(ADMIN, b.city, "list")
    assert [m["title"] for m in left] == ["教育工作方案"], left
    assert b.verify(b.city)["ok"]


def _same_file_new(b: Bureau, tmp_path: Path) -> dict[str, Any]:
    """卫健 files 公安's work plan (the same file) under 02.01: a new material not added."""
    b.send("市公安局", tmp_path / "p1.zip")
    b.apply(tmp_path / "p1.zip")
    b.send("市卫健委", tmp_path / "h1.zip")
    b.apply(tmp_path / "h1.zip")
    health = b.departments["市卫健委"]
    plan = b.files.base / "公安" / "公安工作方案.pdf"
    b.ok_json("卫健经办", health, "import", plan, "--item", "02.01", "--department", "市卫健委",
              "--title", "借用的工作方案", "--no-ocr")
    b.send("市卫健委", tmp_path / "h2.zip")
    [conflict] = b.apply(tmp_path / "h2.zip")["conflicts"]
    assert (conflict["kind"], conflict["id"]) == ("same_file", None)
    return conflict


def test_same_file_new_keep_and_both_refused(bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    b = bureau
    conflict = _same_file_new(b, tmp_path)
    assert_refused(b.run(ADMIN, b.city, "transfer", "resolve", conflict["conflict"], "--both",
                         "--as", ADMIN), "未加入", "采用对方")
    done = _resolve(b, conflict["conflict"], "keep")
    assert done["material_id"] is None and done["added_id"] is None
    assert "借用的工作方案" not in {m["title"] for m in b.ok_json(ADMIN, b.city, "list")}
    assert b.verify(b.city)["ok"]


def test_same_file_new_theirs(bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    b = bureau
    conflict = _same_file_new(b, tmp_path)
    done = _resolve(b, conflict["conflict"], "theirs")
    added = b.ok_json(ADMIN, b.city, "show", done["added_id"])
    assert (added["title"], added["department"], added["state"]) == \
        ("借用的工作方案", "市卫健委", "draft"), added
    assert len(added["files"]) == 1
    assert b.verify(b.city)["ok"]
    # it is the department's material by uid: its next change is an ordinary update
    health = b.departments["市卫健委"]
    mine = next(m for m in b.ok_json("卫健经办", health, "list") if m["title"] == "借用的工作方案")
    b.ok("卫健经办", health, "edit", mine["id"], "--title", "借用的公安工作方案")
    b.send("市卫健委", tmp_path / "h3.zip")
    report = b.apply(tmp_path / "h3.zip")
    assert [u["id"] for u in report["updated"]] == [done["added_id"]], report


def test_same_file_update_both(bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    """A draft the city holds is re-filed at the department under another item, where another
    department files the same file: the update is a conflict; both keeps the city's material
    and adds the department's version as a draft of the city's own."""
    b = bureau
    b.send("市公安局", tmp_path / "p1.zip")
    b.apply(tmp_path / "p1.zip")
    health = b.departments["市卫健委"]
    plan = b.files.base / "公安" / "公安工作方案.pdf"
    [row] = b.ok_json("卫健经办", health, "import", plan, "--item", "01.01", "--department",
                      "市卫健委", "--title", "借用的工作方案", "--no-ocr")
    b.send("市卫健委", tmp_path / "h1.zip")
    assert len(b.apply(tmp_path / "h1.zip")["added"]) == 3
    b.ok("卫健经办", health, "edit", row["id"], "--item", "02.01")
    b.send("市卫健委", tmp_path / "h2.zip")
    [conflict] = b.apply(tmp_path / "h2.zip")["conflicts"]
    assert conflict["kind"] == "same_file" and conflict["id"] is not None
    at_city = b.ok_json(ADMIN, b.city, "show", conflict["id"])
    done = _resolve(b, conflict["conflict"], "both")
    copy = b.ok_json(ADMIN, b.city, "show", done["added_id"])
    assert b.ok_json(ADMIN, b.city, "show", conflict["id"])["items"] == at_city["items"]
    assert "02.01" in str(copy["items"]) and copy["state"] == "draft", copy
    assert b.verify(b.city)["ok"]


def test_same_file_update_theirs(bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    b = bureau
    b.send("市公安局", tmp_path / "p1.zip")
    b.apply(tmp_path / "p1.zip")
    health = b.departments["市卫健委"]
    plan = b.files.base / "公安" / "公安工作方案.pdf"
    [row] = b.ok_json("卫健经办", health, "import", plan, "--item", "01.01", "--department",
                      "市卫健委", "--title", "借用的工作方案", "--no-ocr")
    b.send("市卫健委", tmp_path / "h1.zip")
    b.apply(tmp_path / "h1.zip")
    b.ok("卫健经办", health, "edit", row["id"], "--item", "02.01")
    b.send("市卫健委", tmp_path / "h2.zip")
    [conflict] = b.apply(tmp_path / "h2.zip")["conflicts"]
    done = _resolve(b, conflict["conflict"], "theirs")
    assert done["changed"] == ["items"], done
    assert "02.01" in str(b.ok_json(ADMIN, b.city, "show", conflict["id"])["items"])
    assert b.verify(b.city)["ok"]
