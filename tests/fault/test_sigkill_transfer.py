"""SIGKILL at a random moment during `zicha transfer apply` (issue 16, "What must be shown"):
a real `python -m desktop transfer apply` process on a city archive that already holds a
material of its own, killed at moments spread over a clean run. After each kill the city archive
verifies clean, the next write works at once, the package is merged whole or not at all (the
city's own material untouched), and a rerun completes (or, when the kill came after the commit,
is refused in one line as already applied). See tests/fault/kill.py."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ZichaCli, build_pdf
from tests.fault.kill import Outcome, check_archive, clean_run, in_process, moments, run_and_kill

pytestmark = pytest.mark.slow

PEOPLE = {"公安经办": ("市公安局", "clerk"), "公安初审": ("市公安局", "first@市公安局"),
          "创文办主任": ("市文明办", "admin")}
MATERIALS = 24


def _list(cli: ZichaCli, root: Path) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = in_process(cli, "list", "--archive", root, "--json").json()
    return listed


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> tuple[ZichaCli, Path, Path]:
    """A city archive with one material of its own, and a 报送包 of 市公安局 holding MATERIALS
    materials (PDFs of one to three pages, half of them past 初审) for it."""
    base = tmp_path_factory.mktemp("sigkill-transfer")
    cli = ZichaCli(base, base)
    homes = {name: base / "keys" / name for name in PEOPLE}
    keys = {name: in_process(cli.as_person(name, homes[name]), "key", "new", name)
            .succeeded().stdout.strip() for name in PEOPLE}
    city, dept = base / "市创文办", base / "市公安局"
    for root in (city, dept):
        in_process(cli, "init", "--archive", root).succeeded()
        for name, (department, role) in PEOPLE.items():
            in_process(cli, "user", "add", name, "--department", department, "--role", role,
                       "--public-key", keys[name], "--archive", root).succeeded()
    own = build_pdf(base / "市里自己的材料.pdf", "市创文办自己的工作材料")
    in_process(cli, "import", own, "--item", "02", "--no-ocr", "--archive", city).succeeded()
    src = base / "src"
    for k in range(MATERIALS):
        build_pdf(src / f"公安-{k:02d} 文明创建材料.pdf", f"市公安局 文明创建材料 {k}",
                  pages=1 + k % 3)
    rows = in_process(cli, "import", src, "--item", "01", "--department", "市公安局",
                      "--no-ocr", "--archive", dept, "--json").succeeded().json()
    ids = [str(r["id"]) for r in rows]
    clerk = cli.as_person("公安经办", homes["公安经办"])
    reviewer = cli.as_person("公安初审", homes["公安初审"])
    in_process(clerk, "submit", *ids, "--as", "公安经办", "--archive", dept).succeeded()
    for material_id in ids[: MATERIALS // 2]:
        in_process(reviewer, "review", material_id, "--as", "公安初审", "--approve",
                   "--comment", "同意", "--archive", dept).succeeded()
    city_id = in_process(cli, "info", "--archive", city, "--json").json()["id"]
    package = base / "报送包.zip"
    in_process(clerk, "transfer", "export", "--to", city_id, "--out", package, "--as", "公安经办",
               "--archive", dept).succeeded()
    return cli, city, package


def test_sigkill_during_transfer_apply(reported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli, template, package = reported
    admin = ["--as", "创文办主任"]
    outcome = Outcome("transfer apply")
    outcome.clean_s = min(clean_run(cli, ["transfer", "apply", package, *admin, "--archive",
                                          shutil.copytree(template, tmp_path / f"clean{n}")])
                          for n in range(2))
    before = _list(cli, template)
    for trial, delay in enumerate(moments(outcome.clean_s)):
        root = shutil.copytree(template, tmp_path / f"t{trial}", symlinks=True)
        run = run_and_kill(cli, ["transfer", "apply", package, *admin, "--archive", root],
                           delay)
        outcome.trials += 1
        outcome.killed += run.killed
        merged = _list(cli, root)
        if merged == before:
            applied = False
        elif len(merged) == len(before) + MATERIALS and merged[0] == before[0]:
            applied = True
        else:
            outcome.fail(trial, f"merged in part: {len(merged)} materials")
            continue
        after = check_archive(cli, root, outcome, trial)
        if len(after) != len(merged):
            outcome.fail(trial, "the materials changed after verify and a write")
        again = in_process(cli, "transfer", "apply", package, *admin, "--archive", root, "--json")
        if not applied:
            if again.returncode != 0 or len(again.json()["added"]) != MATERIALS:
                outcome.fail(trial, f"the rerun after the kill did not complete: {again}")
            elif (report := in_process(cli, "verify", "--archive", root)).returncode != 0:
                outcome.fail(trial, f"verify after the rerun failed: {report.stdout[-500:]}")
        elif (again.returncode != 1 or "已应用过" not in again.stderr
              or len(again.stderr_lines) != 1):
            outcome.fail(trial, f"a second apply was not refused in one line: {again}")
        shutil.rmtree(root)
    outcome.assert_clean()
