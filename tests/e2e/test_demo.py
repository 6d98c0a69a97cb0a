"""The sample archive a newcomer opens first (`zicha demo`, 打开示例档案): its demo department's
materials stand at every stage of review with real signed decisions, so history, review and
the upload-ready export work on it at once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from desktop.demo.sample_archive import DEMO_DEPARTMENT, RETURN_COMMENT
from tests.conftest import ZichaCli


def test_the_demo_can_be_exported_at_once(zicha_cli: ZichaCli, tmp_path: Path) -> None:
    demo = tmp_path / "示例档案"
    zicha_cli.ok("demo", "--archive", demo)
    materials = zicha_cli.ok_json("list", "--archive", demo)
    ours = [m for m in materials if m["department"] == DEMO_DEPARTMENT]
    assert Counter(m["state"] for m in ours) == {
        "final_approved": 3, "returned": 1, "first_approved": 1, "submitted": 1,
        "draft": len(ours) - 6}
    assert {m["state"] for m in materials if m["department"] != DEMO_DEPARTMENT} == {"draft"}
    for m in ours:
        history = zicha_cli.ok_json("history", str(m["id"]), "--archive", demo)
        assert all(entry["ok"] for entry in history), history
        if m["state"] == "returned":
            assert history[-1]["verdict"] == "reject"
            assert history[-1]["comment"] == RETURN_COMMENT
    out = tmp_path / "申报材料.zip"
    exported = zicha_cli.ok_json("export", out, "--archive", demo)
    assert exported["materials"] == 3 and not exported["draft"]
    assert zicha_cli.ok_json("verify", out)["ok"]
    assert zicha_cli.ok_json("verify", "--archive", demo)["ok"]
