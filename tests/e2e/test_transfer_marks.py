"""红线标注 travel in a 报送包 (issue 19, item 1): a department marks a passage, submits, passes
初审 and sends; the city's copy has the same marks, so the department's signature (which covers
them) still verifies there, the city's own 复审/终审 sign them, and its export carries the
marked copy and passes 四性检测. A second package without a change changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import FileBuilder, ZichaCli
from tests.e2e.test_cli_transfer import DEPARTMENTS, STAFF, Bureau, _archive

DEPT = "市公安局"
SHORT = DEPARTMENTS[DEPT]


def test_marks_go_with_the_material_and_its_signatures(tmp_path: Path) -> None:
    cli = ZichaCli(tmp_path, tmp_path)
    homes = {name: tmp_path / "keys" / name for name in STAFF}
    keys = {name: cli.as_person(name, home).in_process("key", "new", name).strip()
            for name, home in homes.items()}
    city, dept = tmp_path / "市创文办", tmp_path / DEPT
    _archive(cli, homes, keys, city, items=False)
    _archive(cli, homes, keys, dept, items=True)
    city_id = cli.ok_json("info", "--archive", city)["id"]
    b = Bureau(tmp_path, cli, homes, city, {DEPT: dept}, city_id, FileBuilder(tmp_path / "src"))
    source = b.files.pdf(f"{SHORT}/工作方案.pdf", f"{DEPT}文明交通劝导工作方案")
    [row] = b.ok_json(f"{SHORT}经办", dept, "import", source, "--item", "01.01",
                      "--department", DEPT, "--no-ocr")
    made = b.ok_json(f"{SHORT}经办", dept, "marks", "add", row["id"], "文明交通劝导",
                     "--as", f"{SHORT}经办")
    b.ok(f"{SHORT}经办", dept, "submit", row["id"], "--as", f"{SHORT}经办")
    b.ok(f"{SHORT}初审", dept, "review", row["id"], "--as", f"{SHORT}初审", "--approve",
         "--comment", "初审同意")

    report = b.apply(b_send(b, tmp_path / "1.zip"))
    [added] = report["added"]
    there = b.ok_json("创文办主任", city, "marks", "list", added["id"])
    assert [(m["uid"], m["text"], m["rects"], m["by"]) for m in there] == \
        [(made["uid"], made["text"], made["rects"], made["by"])]
    history = b.ok_json("创文办主任", city, "history", added["id"])
    assert [d["ok"] for d in history] == [True]
    b.verify(city)

    again = b.apply(b_send(b, tmp_path / "2.zip", "--all"))  # the same again: unchanged
    assert not again["updated"] and not again["added"]

    for who in ("市复审人", "市终审人"):
        b.ok(who, city, "review", added["id"], "--as", who, "--approve", "--comment", "同意")
    out = tmp_path / "申报材料"
    b.ok("创文办主任", city, "export", out, "--folder")
    doc = json.loads((out / "zicha/manifest.json").read_text(encoding="utf-8"))
    assert [f["role"] for f in doc["files"] if f.get("material") == added["id"]] == \
        ["material", "marked"]
    b.ok("创文办主任", city, "verify", out)


def b_send(b: Bureau, out: Path, *extra: str) -> Path:
    b.send(DEPT, out, *extra)
    return out
