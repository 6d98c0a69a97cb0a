"""Departments → city through `zicha transfer` (issue 16, items 2, 3 and 7; docs/transfers.md):
three department archives and one city archive made from one bureau roster (the same people
and keys in each), real files, real signatures. Each department imports, submits and passes
初审 at home, then sends a 报送包; the city merges all three, refuses a replay, takes a second
package carrying only a change (the old approval void), records a conflict for a file two
departments filed under different items, checks clean, verifies the transferred decisions and
signs its own on them."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from desktop.core.transfer.package import TRANSFER_JSON, schema
from tests.conftest import CliResult, FileBuilder, ZichaCli, archive_snapshot

DEPARTMENTS = {"市公安局": "公安", "市教育局": "教育", "市卫健委": "卫健"}
ITEMS = {"01.01": "学习宣传", "02.01": "诚信建设", "03.01": "文明交通"}


def _people() -> dict[str, tuple[str, tuple[str, ...]]]:
    staff: dict[str, tuple[str, tuple[str, ...]]] = {
        "创文办主任": ("市文明办", ("admin",)),
        "市复审人": ("市文明办", ("second",)),
        "市终审人": ("市文明办", ("final",)),
    }
    for dept, short in DEPARTMENTS.items():
        staff[f"{short}经办"] = (dept, ("clerk",))
        staff[f"{short}初审"] = (dept, (f"first@{dept}",))
        staff[f"{short}复审"] = (dept, (f"second@{dept}",))
    return staff


STAFF = _people()


def assert_refused(result: CliResult, *needles: str) -> None:
    assert result.returncode == 1, str(result)
    assert len(result.stderr_lines) == 1, str(result)
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, str(result)
    for needle in needles:
        assert needle in result.stderr, str(result)


@dataclass
class Bureau:
    """The city's archive and three departments' archives, everyone's key store."""

    base: Path
    cli: ZichaCli
    homes: dict[str, Path]
    city: Path
    departments: dict[str, Path]
    city_id: str
    files: FileBuilder
    ids: dict[str, dict[str, int]] = field(default_factory=dict)  # dept -> title -> id there

    def as_(self, name: str) -> ZichaCli:
        return self.cli.as_person(name, self.homes[name])

    def run(self, name: str, root: Path, *args: str | int | Path) -> CliResult:
        return self.as_(name).run(*map(str, args), "--archive", root)

    def ok(self, name: str, root: Path, *args: str | int | Path) -> CliResult:
        return self.run(name, root, *args).succeeded()

    def ok_json(self, name: str, root: Path, *args: str | int | Path) -> Any:
        return self.ok(name, root, *args, "--json").json()

    def send(self, dept: str, out: Path, *extra: str) -> Any:
        short = DEPARTMENTS[dept]
        return self.ok_json(f"{short}经办", self.departments[dept], "transfer", "export",
                            "--to", self.city_id, "--out", out, "--as", f"{short}经办", *extra)

    def verify(self, root: Path) -> Any:
        """`zicha verify --archive` (the fsck), which must pass; its report."""
        report = self.cli.run("verify", "--archive", root, "--json")
        assert report.returncode == 0, str(report)
        return report.json()

    def apply(self, package: Path) -> Any:
        return self.ok_json("创文办主任", self.city, "transfer", "apply", package,
                            "--as", "创文办主任")


def _archive(cli: ZichaCli, homes: dict[str, Path], keys: dict[str, str], root: Path,
             items: bool) -> None:
    cli.in_process("init", "--archive", root)
    for name, (dept, roles) in STAFF.items():
        cli.in_process("user", "add", name, "--department", dept,
                       *[a for r in roles for a in ("--role", r)], "--public-key", keys[name],
                       "--archive", root)
    if items:  # the city has only the 测评项目: the 测评内容 come with the packages
        for code, name in ITEMS.items():
            cli.in_process("items", "add", code, name, "--archive", root)


@pytest.fixture
def bureau(tmp_path: Path) -> Bureau:
    cli = ZichaCli(tmp_path, tmp_path)
    homes = {name: tmp_path / "keys" / name for name in STAFF}
    keys = {name: cli.as_person(name, home).in_process("key", "new", name).strip()
            for name, home in homes.items()}
    city = tmp_path / "市创文办"
    _archive(cli, homes, keys, city, items=False)
    departments = {dept: tmp_path / dept for dept in DEPARTMENTS}
    for root in departments.values():
        _archive(cli, homes, keys, root, items=True)
    city_id = cli.ok_json("info", "--archive", city)["id"]
    b = Bureau(tmp_path, cli, homes, city, departments, city_id, FileBuilder(tmp_path / "src"))
    for dept, short in DEPARTMENTS.items():
        root = departments[dept]
        sources = [b.files.pdf(f"{short}/{short}工作方案.pdf", f"{dept}文明创建工作方案"),
                   b.files.bytes(f"{short}/{short}活动记录.txt",
                                 f"{dept}志愿服务活动记录\n".encode())]
        rows = b.ok_json(f"{short}经办", root, "import", *sources, "--item", "01.01",
                         "--department", dept, "--no-ocr")
        b.ids[dept] = {Path(r["path"]).stem.removeprefix(short): r["id"] for r in rows}
        ids = list(b.ids[dept].values())
        b.ok(f"{short}经办", root, "submit", *ids, "--as", f"{short}经办")
        for material_id in ids:
            b.ok(f"{short}初审", root, "review", material_id, "--as", f"{short}初审",
                 "--approve", "--comment", "初审同意")
    return b


def test_three_departments_report_to_the_city(bureau: Bureau, tmp_path: Path) -> None:
    b = bureau
    packages = {dept: tmp_path / f"{dept}-1.zip" for dept in DEPARTMENTS}
    for dept, out in packages.items():
        sent = b.send(dept, out)
        assert (sent["seq"], sent["since"], len(sent["materials"]), sent["files"]) == (1, 0, 2, 2)
        # the package is the documented format
        import zipfile
        with zipfile.ZipFile(out) as zf:
            doc = json.loads(zf.read(TRANSFER_JSON))
            assert sorted(zf.namelist()) == sorted([TRANSFER_JSON,
                                                    *(f"files/{s}" for s in doc["manifest"])])
        jsonschema.validate(doc, schema())
        assert doc["from"]["department"] == dept and doc["to"]["archive"] == b.city_id

    started = time.monotonic()
    reports = {dept: b.apply(out) for dept, out in packages.items()}
    elapsed = time.monotonic() - started
    print(f"\napplying 3 packages of 2 materials each: {elapsed:.2f} s")
    for dept, report in reports.items():
        assert len(report["added"]) == 2 and not report["updated"] and not report["conflicts"]
        assert report["department"] == dept and report["files_stored"] == 2
    assert reports["市公安局"]["nodes"] == ["01.01"]  # the 测评内容 came with the first package
    listed = b.ok_json("创文办主任", b.city, "list")
    assert len(listed) == 6
    assert {m["department"] for m in listed} == set(DEPARTMENTS)
    assert {m["state"] for m in listed} == {"first_approved"}

    # the same package again: refused, nothing changes
    before = archive_snapshot(b.cli, b.city)
    again = b.run("创文办主任", b.city, "transfer", "apply", packages["市公安局"])
    assert_refused(again, packages["市公安局"].name, "已应用过")
    assert archive_snapshot(b.cli, b.city) == before

    # every transferred decision verifies at the city, and the city archive checks clean
    for m in listed:
        history = b.ok_json("创文办主任", b.city, "history", m["id"])
        assert [(h["stage"], h["reviewer"][-2:], h["ok"]) for h in history] == \
            [("first", "初审", True)], history
    assert b.verify(b.city)["ok"]

    # the city decides on a transferred material: its signature names the material's origin
    police = next(m for m in listed if m["department"] == "市公安局" and "方案" in m["title"])
    b.ok("市复审人", b.city, "review", police["id"], "--as", "市复审人", "--approve",
         "--comment", "复审同意")
    [first, second] = b.ok_json("创文办主任", b.city, "history", police["id"])
    assert first["ok"] and second["ok"]
    assert b.verify(b.city)["ok"]

    # nothing new at a department: no package
    nothing = b.run("教育经办", b.departments["市教育局"], "transfer", "export", "--to",
                    b.city_id, "--out", tmp_path / "空.zip", "--as", "教育经办")
    assert_refused(nothing, "没有新的或改动过的")
    assert not (tmp_path / "空.zip").exists()

    # the 公安 department returns one material, fixes its title, resubmits: the second package
    # carries only that change; at the city it is updated and its 初审 approval is void
    dept, root = "市公安局", b.departments["市公安局"]
    record = b.ids[dept]["活动记录"]
    b.ok("公安复审", root, "review", record, "--as", "公安复审", "--reject",
         "--comment", "标题不规范")
    b.ok("公安经办", root, "edit", record, "--title", "市公安局文明交通志愿服务活动记录")
    b.ok("公安经办", root, "submit", record, "--as", "公安经办")
    second_package = tmp_path / f"{dept}-2.zip"
    sent = b.send(dept, second_package)
    assert (sent["seq"], sent["since"]) == (2, 1)
    assert [m["id"] for m in sent["materials"]] == [record]
    report = b.apply(second_package)
    assert not report["added"] and not report["conflicts"]
    [updated] = report["updated"]
    assert updated["title"] == "市公安局文明交通志愿服务活动记录"
    assert updated["decisions_added"] == 1
    assert "title" in updated["changed"] and "state" in updated["changed"]
    assert updated["voided"] and "初审通过" in updated["voided"][0] \
        and "材料名称" in updated["voided"][0], updated
    shown = b.ok_json("创文办主任", b.city, "show", updated["id"])
    assert (shown["state"], shown["title"]) == ("submitted", updated["title"]), shown
    history = b.ok_json("创文办主任", b.city, "history", updated["id"])
    assert [(h["stage"], h["verdict"], h["round"], h["ok"]) for h in history] == \
        [("first", "approve", 1, True), ("second", "reject", 1, True)], history

    # the 卫健 department files 公安's work plan (the same file) under another item: a conflict
    health, short = b.departments["市卫健委"], "卫健"
    police_plan = b.files.base / "公安" / "公安工作方案.pdf"
    rows = b.ok_json(f"{short}经办", health, "import", police_plan, "--item", "02.01",
                     "--department", "市卫健委", "--title", "借用的工作方案", "--no-ocr")
    sent = b.send("市卫健委", tmp_path / "市卫健委-2.zip")
    assert [m["id"] for m in sent["materials"]] == [rows[0]["id"]]
    report = b.apply(tmp_path / "市卫健委-2.zip")
    assert not report["added"] and not report["updated"]
    [conflict] = report["conflicts"]
    assert conflict["kind"] == "same_file" and conflict["id"] is None
    assert "02.01" in conflict["reason"] and "01.01" in conflict["reason"]
    open_rows = b.ok_json("创文办主任", b.city, "transfer", "conflicts")
    assert [(c["kind"], c["title"], c["department"]) for c in open_rows] == \
        [("same_file", "借用的工作方案", "市卫健委")]
    assert len(b.ok_json("创文办主任", b.city, "list")) == 6  # left as the city has it

    # the record of what was sent and applied
    got = [r for r in b.ok_json("创文办主任", b.city, "transfer", "list")
           if r["direction"] == "received"]
    assert [(r["department"], r["seq"]) for r in got] == [
        ("市公安局", 1), ("市教育局", 1), ("市卫健委", 1), ("市公安局", 2), ("市卫健委", 2)]
    sent_rows = b.ok_json("公安经办", root, "transfer", "list")
    assert [(r["direction"], r["seq"], r["counts"]["materials"]) for r in sent_rows] == \
        [("sent", 1, 2), ("sent", 2, 1)]
    assert b.verify(b.city)["ok"]


def test_a_deleted_material_the_city_holds_is_a_conflict(bureau: Bureau, tmp_path: Path) -> None:
    b = bureau
    dept, root = "市教育局", b.departments["市教育局"]
    b.send(dept, tmp_path / "1.zip")
    b.apply(tmp_path / "1.zip")
    record = b.ids[dept]["活动记录"]
    b.ok("教育复审", root, "review", record, "--as", "教育复审", "--reject", "--comment", "重做")
    b.ok("教育经办", root, "delete", record)
    sent = b.send(dept, tmp_path / "2.zip")
    assert sent["deleted"] and not sent["materials"]
    report = b.apply(tmp_path / "2.zip")
    [conflict] = report["conflicts"]
    assert conflict["kind"] == "deleted" and conflict["id"] is not None
    assert len(b.ok_json("创文办主任", b.city, "list")) == 2  # the city keeps it


def test_packages_out_of_order_are_refused(bureau: Bureau, tmp_path: Path) -> None:
    b = bureau
    dept, root = "市教育局", b.departments["市教育局"]
    first = tmp_path / "1.zip"
    b.send(dept, first)
    b.ok("教育经办", root, "items", "add", "01.02", "志愿服务")
    rows = b.ok_json("教育经办", root, "import", b.files.pdf("新材料.pdf", "新的材料"),
                     "--item", "01.02", "--department", dept, "--no-ocr")
    assert rows[0]["status"] == "stored"
    second = tmp_path / "2.zip"
    b.send(dept, second)
    before = archive_snapshot(b.cli, b.city)
    refused = b.run("创文办主任", b.city, "transfer", "apply", second)
    assert_refused(refused, "2.zip", "缺第 1 号")
    assert archive_snapshot(b.cli, b.city) == before
    b.apply(first)
    assert len(b.apply(second)["added"]) == 1
    assert_refused(b.run("创文办主任", b.city, "transfer", "apply", first), "已应用过")
    # everything again (--all): the city has it all, nothing changes but the record
    everything = tmp_path / "3.zip"
    sent = b.send(dept, everything, "--all")
    assert (sent["seq"], sent["since"], len(sent["materials"])) == (3, 0, 3)
    report = b.apply(everything)
    assert len(report["unchanged"]) == 3 and not report["added"] and not report["updated"]


def test_the_city_decided_and_the_department_changed_it(bureau: Bureau, tmp_path: Path) -> None:
    """The city passes 复审 on a material; meanwhile the department returns it and edits it:
    the department's change is a conflict, the city's material stays as the city has it."""
    b = bureau
    dept, root = "市公安局", b.departments["市公安局"]
    b.send(dept, tmp_path / "1.zip")
    b.apply(tmp_path / "1.zip")
    plan = b.ids[dept]["工作方案"]
    at_city = next(m for m in b.ok_json("创文办主任", b.city, "list")
                   if "工作方案" in m["title"] and m["department"] == dept)
    b.ok("市复审人", b.city, "review", at_city["id"], "--as", "市复审人", "--approve",
         "--comment", "复审同意")
    b.ok("公安复审", root, "review", plan, "--as", "公安复审", "--reject", "--comment", "重写")
    b.ok("公安经办", root, "edit", plan, "--title", "改写后的工作方案")
    b.send(dept, tmp_path / "2.zip")
    report = b.apply(tmp_path / "2.zip")
    [conflict] = report["conflicts"]
    assert (conflict["kind"], conflict["id"]) == ("decided", at_city["id"])
    assert "1 条对方没有的审核记录" in conflict["reason"]
    shown = b.ok_json("创文办主任", b.city, "show", at_city["id"])
    assert (shown["title"], shown["state"]) == (at_city["title"], "second_approved")
    [row] = b.ok_json("创文办主任", b.city, "transfer", "conflicts")
    assert (row["kind"], row["material_id"]) == ("decided", at_city["id"])
    assert b.verify(b.city)["ok"]


def _task_list(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "测评项目", "测评内容", "工作要求", "牵头单位", "配合单位", "完成时限"])
    ws.append([1, "理想信念教育", "学习宣传", "开展学习宣传", "市公安局", "", "2024-12-31"])
    ws.append([2, "理想信念教育", "学习宣传", "开展学习宣传", "市教育局", "", "2024-12-31"])
    wb.save(path)
    return path


def test_task_progress_reaches_the_city(bureau: Bureau, tmp_path: Path) -> None:
    """A task the city assigned (here: the same list imported in both archives, the
    department's task given the city's uid, as the 下发包 will carry it) closed at the
    department is closed at the city by the next 报送包; the other department's is not."""
    import sqlite3

    b = bureau
    dept = "市公安局"
    root = b.departments[dept]
    tasks = _task_list(tmp_path / "任务清单.xlsx")
    for archive in (b.city, root):
        b.ok("创文办主任", archive, "tasks", "import", tasks)
    city_db = sqlite3.connect(b.city / "zicha.db")
    dept_db = sqlite3.connect(root / "zicha.db")
    try:
        query = ("SELECT task.uid FROM task JOIN department ON department.id = "
                 "task.department_id WHERE department.name = ?")
        [(uid,)] = city_db.execute(query, (dept,)).fetchall()
        with dept_db:
            dept_db.execute("UPDATE task SET uid = ? WHERE department_id = (SELECT id FROM "
                            "department WHERE name = ?)", (uid, dept))
    finally:
        city_db.close()
        dept_db.close()
    [task] = [t for t in b.ok_json("创文办主任", root, "tasks", "list") if t["department"] == dept]
    b.ok("创文办主任", root, "tasks", "close", task["id"], "--reason", "由市局统一报送",
         "--as", "创文办主任")
    sent = b.send(dept, tmp_path / "1.zip")
    assert sent["tasks"] == 1
    report = b.apply(tmp_path / "1.zip")
    assert (report["tasks"], report["unknown"]) == (1, 0)
    at_city = {t["department"]: t for t in b.ok_json("创文办主任", b.city, "tasks", "list")}
    assert at_city[dept]["status"] == "closed"
    assert at_city[dept]["closed_reason"] == "由市局统一报送"
    assert at_city["市教育局"]["status"] != "closed"
    assert b.verify(b.city)["ok"]
