"""档号 on every path that makes a material finally approved (issue 19, item 4), through the
`zicha` command on real archives with real signatures (the Bureau of test_cli_transfer: a city
and three department archives): `zicha review` at the city, `zicha package apply` of an offline
终审, a 报送包 merged at the city, a 下发包 received by the department, `zicha transfer resolve
--theirs`; a numbered material deleted keeps its number in the register as withdrawn, and no
number is given twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.e2e.test_cli_transfer import Bureau, assert_refused, bureau  # noqa: F401

ADMIN = "创文办主任"


def _numbers(b: Bureau, root: Path) -> dict[str, str | None]:
    return {f"{m['department']}:{m['title']}": m["archival_number"]
            for m in b.ok_json(ADMIN, root, "list")}


def _year(b: Bureau, root: Path, material_id: int) -> int:
    """The 年度 a number takes: the material's date's year, else this year (Beijing)."""
    shown = b.ok_json(ADMIN, root, "show", material_id)
    if shown["material_date"]:
        return int(shown["material_date"][:4])
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).year


def _register(b: Bureau, root: Path) -> list[dict[str, Any]]:
    return b.ok_json(ADMIN, root, "archival", "register")


def _city(b: Bureau, dept: str, word: str) -> dict[str, Any]:
    return next(m for m in b.ok_json(ADMIN, b.city, "list")
                if word in m["title"] and m["department"] == dept)


def test_every_final_approval_path_numbers_and_a_deletion_keeps_the_line(
        bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    b = bureau
    police = b.departments["市公安局"]
    # only an admin sets the rules; a reviewer is refused by name
    assert_refused(b.run("市复审人", b.city, "archival", "set", "--fonds", "C001", "--as",
                         "市复审人"), "只有管理员")
    rules = b.ok_json(ADMIN, b.city, "archival", "set", "--fonds", "C001", "--as", ADMIN)
    assert (rules["fonds"], rules["retention"], rules["numbered"]) == ("C001", "D30", [])
    b.ok(ADMIN, police, "archival", "set", "--fonds", "G001", "--retention", "D10",
         "--as", ADMIN)

    # 1. a 报送包 carrying a material the department finally approved: numbered in both
    plan = b.ids["市公安局"]["工作方案"]
    b.ok("公安复审", police, "review", plan, "--as", "公安复审", "--approve", "--comment", "同意")
    b.ok("市终审人", police, "review", plan, "--as", "市终审人", "--approve", "--comment", "同意")
    year = _year(b, police, plan)
    assert b.ok_json(ADMIN, police, "show", plan)["archival_number"] == f"G001-{year}-D10-0001"
    b.send("市公安局", tmp_path / "p1.zip")
    b.apply(tmp_path / "p1.zip")
    at_city = _city(b, "市公安局", "工作方案")
    assert at_city["state"] == "final_approved"
    assert at_city["archival_number"] == f"C001-{year}-D30-0001"

    # 2. `zicha review` at the city: the 活动记录 passes 复审 and 终审 there
    record = _city(b, "市公安局", "活动记录")
    record_year = _year(b, b.city, record["id"])
    b.ok("市复审人", b.city, "review", record["id"], "--as", "市复审人", "--approve")
    assert b.ok_json(ADMIN, b.city, "show", record["id"])["archival_number"] is None
    b.ok("市终审人", b.city, "review", record["id"], "--as", "市终审人", "--approve")
    shown = b.ok(ADMIN, b.city, "show", record["id"]).stdout
    second = f"C001-{record_year}-D30-000{2 if record_year == year else 1}"
    assert f"档号：{second}" in shown

    # 3. the 下发包 brings the city's 终审 to the department: numbered there in its own register
    police_id = b.ok_json(ADMIN, police, "info")["id"]
    b.ok_json(ADMIN, b.city, "transfer", "dispatch", "--to", police_id, "--out",
              tmp_path / "d1.zip", "--as", ADMIN)
    b.ok_json(ADMIN, police, "transfer", "apply", tmp_path / "d1.zip", "--as", ADMIN)
    mine = b.ok_json(ADMIN, police, "show", b.ids["市公安局"]["活动记录"])
    assert mine["state"] == "final_approved"
    assert mine["archival_number"] == \
        f"G001-{record_year}-D10-000{2 if record_year == year else 1}"

    # 4. an offline 终审 applied from a decisions file (the 教育局 work plan at the city)
    education = b.departments["市教育局"]
    b.send("市教育局", tmp_path / "e1.zip")
    b.apply(tmp_path / "e1.zip")
    edu_plan = _city(b, "市教育局", "工作方案")
    b.ok("市复审人", b.city, "review", edu_plan["id"], "--as", "市复审人", "--approve")
    package = tmp_path / "终审包.zip"
    b.ok(ADMIN, b.city, "package", "export", "--stage", "final", "--out", package)
    decided = tmp_path / "终审决定.json"
    b.as_("市终审人").run("package", "review", package, "--as", "市终审人", "--approve",
                         edu_plan["id"], "--comment", "同意", "--out", decided).succeeded()
    b.ok(ADMIN, b.city, "package", "apply", decided)
    assert b.ok_json(ADMIN, b.city, "show", edu_plan["id"])["archival_number"]

    # 5. `zicha transfer resolve --theirs` adds a material the department finally approved
    health = b.departments["市卫健委"]
    borrowed = b.ok_json("卫健经办", health, "import", b.files.base / "公安" / "公安工作方案.pdf",
                         "--item", "02.01", "--department", "市卫健委", "--title", "借用的工作方案",
                         "--no-ocr")[0]["id"]
    b.ok("卫健经办", health, "submit", borrowed, "--as", "卫健经办")
    for who in ("卫健初审", "卫健复审", "市终审人"):
        b.ok(who, health, "review", borrowed, "--as", who, "--approve", "--comment", "同意")
    b.send("市卫健委", tmp_path / "h1.zip")
    conflicts = b.apply(tmp_path / "h1.zip")["conflicts"]
    [same] = [c for c in conflicts if c["kind"] == "same_file"]
    done = b.ok_json(ADMIN, b.city, "transfer", "resolve", same["conflict"], "--theirs",
                     "--as", ADMIN)
    added = b.ok_json(ADMIN, b.city, "show", done["added_id"])
    assert added["state"] == "final_approved" and added["archival_number"]

    # every number at the city once, each sequence without gaps
    lines = _register(b, b.city)
    codes = [line["code"] for line in lines]
    assert len(codes) == len(set(codes)) == 4
    assert all(line["withdrawn"] is None for line in lines)
    numbers = {v for v in _numbers(b, b.city).values() if v}
    assert numbers == set(codes)

    # a numbered material deleted (the department's return taken, then the city deletes
    # it): its line stays, withdrawn, and the next number is not the freed one
    b.ok("教育复审", education, "review", b.ids["市教育局"]["活动记录"], "--as", "教育复审",
         "--reject", "--comment", "重做")
    edu_record = _city(b, "市教育局", "活动记录")
    b.ok("市复审人", b.city, "review", edu_record["id"], "--as", "市复审人", "--approve")
    b.ok("市终审人", b.city, "review", edu_record["id"], "--as", "市终审人", "--approve")
    numbered = b.ok_json(ADMIN, b.city, "show", edu_record["id"])["archival_number"]
    b.ok("教育经办", education, "edit", b.ids["市教育局"]["活动记录"], "--title", "重做的活动记录")
    b.send("市教育局", tmp_path / "e2.zip")
    [decided_conflict] = b.apply(tmp_path / "e2.zip")["conflicts"]
    assert decided_conflict["kind"] == "decided"
    b.ok_json(ADMIN, b.city, "transfer", "resolve", decided_conflict["conflict"], "--theirs",
              "--as", ADMIN)
    returned = b.ok_json(ADMIN, b.city, "show", edu_record["id"])
    assert returned["state"] == "returned" and returned["archival_number"] == numbered
    b.ok(ADMIN, b.city, "delete", edu_record["id"])
    [gone] = [line for line in _register(b, b.city) if line["code"] == numbered]
    assert gone["withdrawn"]["reason"] == "材料已删除" and gone["material"] is None
    assert gone["material_uid"] == edu_record["uid"]
    text = b.ok(ADMIN, b.city, "archival", "register").stdout
    assert "已撤销" in text and "材料已删除" in text and "共 5 个档号" in text
    summary = b.ok_json(ADMIN, b.city, "archival")
    assert (summary["numbers"], summary["in_force"], summary["withdrawn"]) == (5, 4, 1)
    assert b.verify(b.city)["ok"]
