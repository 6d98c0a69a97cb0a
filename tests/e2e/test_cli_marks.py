"""红线标注 from the command line (issue 19, item 1): `zicha marks add` finds the text on the
page and marks it, `zicha marks list` shows it, the export carries the marked copy and passes
四性检测, `zicha marks remove` takes it away; bad input is refused with one line and changes
nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf

from tests.conftest import ZichaCli, archive_snapshot

LINES = ("一、文明交通劝导行动方案总体要求", "二、每周组织志愿者上路劝导不文明行为")


def _pdf(path: Path) -> Path:
    with pymupdf.open() as doc:
        page = doc.new_page()
        for n, line in enumerate(LINES):
            page.insert_text((72, 100 + 30 * n), line, fontname="china-s", fontsize=14)
        doc.new_page().insert_text((72, 100), "第二页：劝导记录纳入考核台账", fontname="china-s")
        doc.save(path)
    return path


def test_mark_list_export_and_remove(zicha_cli: ZichaCli, tmp_path: Path) -> None:
    root = tmp_path / "档案"
    zicha_cli.ok("init", "--archive", root)
    zicha_cli.ok("items", "add", "01.01", "文明交通", "--archive", root)
    [row] = zicha_cli.ok_json("import", _pdf(tmp_path / "方案.pdf"), "--item", "01.01",
                              "--archive", root)
    made = zicha_cli.ok_json("marks", "add", str(row["id"]), "志愿者上路 劝导", "--as", "张经办",
                             "--archive", root)
    assert (made["page"], made["text"], made["by"]) == (1, "志愿者上路劝导", "张经办")
    assert made["file_sha256"] == row["sha256"] and len(made["rects"]) == 1
    second = zicha_cli.ok_json("marks", "add", str(row["id"]), "考核台账", "--archive", root)
    assert second["page"] == 2  # the first page that has it
    listed = zicha_cli.ok_json("marks", "list", str(row["id"]), "--archive", root)
    assert [m["text"] for m in listed] == ["志愿者上路劝导", "考核台账"]
    assert "共 2 处红线标注" in zicha_cli.ok("marks", "list", str(row["id"]),
                                          "--archive", root).stdout
    shown = zicha_cli.ok_json("show", str(row["id"]), "--archive", root)
    assert [m["text"] for m in shown["marks"]] == ["志愿者上路劝导", "考核台账"]
    assert "红线标注（2 处）" in zicha_cli.ok("show", str(row["id"]), "--archive", root).stdout

    hits = zicha_cli.ok_json("search", "志愿者", "--archive", root)
    [hit] = [h for h in hits if h["id"] == row["id"]]
    assert hit["marked"] == {"mark": made["id"], "page": 1, "text": "志愿者上路劝导"}
    assert "红线标注（第 1 页）：志愿者上路劝导" in zicha_cli.ok(
        "search", "志愿者", "--archive", root).stdout
    assert all("marked" not in h for h in zicha_cli.ok_json("search", "总体要求",
                                                            "--archive", root))

    out = tmp_path / "申报材料"
    zicha_cli.ok("export", out, "--folder", "--all-stages", "--archive", root)
    doc = json.loads((out / "zicha/manifest.json").read_text(encoding="utf-8"))
    [marked] = [f for f in doc["files"] if f["role"] == "marked"]
    assert marked["path"].endswith("-标注.pdf") and marked["source_sha256"] == row["sha256"]
    assert (out / marked["copy_of"]).read_bytes() == (tmp_path / "方案.pdf").read_bytes()
    zicha_cli.ok("verify", out, "--archive", root)

    gone = zicha_cli.ok_json("marks", "remove", str(made["id"]), "--archive", root)
    assert gone["removed"] is True
    assert [m["text"] for m in zicha_cli.ok_json("marks", "list", str(row["id"]),
                                                 "--archive", root)] == ["考核台账"]


def test_bad_marks_are_refused_and_change_nothing(zicha_cli: ZichaCli, tmp_path: Path) -> None:
    root = tmp_path / "档案"
    zicha_cli.ok("init", "--archive", root)
    zicha_cli.ok("items", "add", "01.01", "文明交通", "--archive", root)
    [row] = zicha_cli.ok_json("import", _pdf(tmp_path / "方案.pdf"), "--item", "01.01",
                              "--archive", root)
    before = archive_snapshot(zicha_cli, root)
    for args, said in (
            (("add", str(row["id"]), "没有这段文字"), "文字层中没有"),
            (("add", str(row["id"]), "志愿者", "--page", "9"), "没有第 9 页"),
            (("add", str(row["id"]), "志愿者", "--file", "2"), "没有第 2 个"),
            (("add", "999", "志愿者"), "没有编号为 999 的材料"),
            (("remove", "5"), "没有编号为 5 的标注")):
        result = zicha_cli.run("marks", *args, "--archive", root)
        assert result.returncode != 0 and said in result.stderr, str(result)
        assert len(result.stderr_lines) == 1, str(result)
    assert archive_snapshot(zicha_cli, root) == before
