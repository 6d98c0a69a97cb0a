"""SIGKILL at a random moment during import, package apply, export, task import, edit and review
(sign): the archive still verifies, nothing committed before is lost, the lock is free at once
and no partial file is left under a final name (DESIGN.md §7 "Crash at any moment"; issue 12
item 10). Each scenario first times a clean run of its command, then kills TRIALS runs at
moments spread over that time. See tests/fault/kill.py."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from desktop.core.export.verify import verify_export
from tests.conftest import ZichaCli, build_pdf, build_reviewed_archive
from tests.fault.kill import (
    TRIALS,
    Outcome,
    check_archive,
    clean_run,
    in_process,
    moments,
    run_and_kill,
    timeline,
)

pytestmark = pytest.mark.slow

PEOPLE = {"经办人甲": "clerk", "初审乙": "first", "复审丙": "second", "终审丁": "final"}
FILES_PER_IMPORT = 20
TASK_ROWS = 40


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ZichaCli, dict[str, Path]]:
    """An archive with a clerk and three reviewers (each with a key store), no material."""
    base = tmp_path_factory.mktemp("sigkill-office")
    cli = ZichaCli(base, base)
    root = base / "档案"
    in_process(cli, "init", "--archive", root).succeeded()
    homes = {name: base / "keys" / name for name in PEOPLE}
    for name, role in PEOPLE.items():
        person = cli.as_person(name, homes[name])
        key = in_process(person, "key", "new", name).succeeded().stdout.strip()
        in_process(cli, "user", "add", name, "--department", "市文明办", "--role", role,
                   "--public-key", key, "--archive", root).succeeded()
    return root, cli, homes


def _copy(root: Path, dest: Path) -> Path:
    return shutil.copytree(root, dest, symlinks=True)


def _pdfs(folder: Path, n: int, label: str) -> Path:
    for k in range(n):
        build_pdf(folder / f"{label}-{k:02d} 文明创建工作材料.pdf", f"{label} 文明创建工作材料 {k}",
                  pages=1 + k % 3)
    return folder


def _materials(cli: ZichaCli, root: Path) -> dict[int, dict[str, Any]]:
    return {m["id"]: m for m in in_process(cli, "list", "--archive", root, "--json").json()}


def _submitted(office: tuple[Path, ZichaCli, dict[str, Path]], dest: Path, n: int) -> list[int]:
    """`dest`: the office with `n` materials imported and submitted for 初审."""
    root, cli, _homes = office
    _copy(root, dest)
    rows = in_process(cli, "import", _pdfs(dest.parent / "src", n, "送审"), "--item", "01",
                      "--department", "市文明办", "--no-ocr", "--archive", dest, "--json").json()
    ids = [r["id"] for r in rows]
    in_process(cli, "submit", *map(str, ids), "--as", "经办人甲", "--archive", dest).succeeded()
    return ids


def _lost(before: dict[int, dict[str, Any]], after: list[dict[str, Any]], trial: int,
          outcome: Outcome, same: tuple[str, ...] = ("files",)) -> None:
    now = {m["id"]: m for m in after}
    for mid, m in before.items():
        if mid not in now:
            outcome.lost.append(f"trial {trial}: material #{mid} is gone")
        elif any(now[mid].get(k) != m.get(k) for k in same):
            outcome.lost.append(f"trial {trial}: material #{mid} changed "
                                f"({[k for k in same if now[mid].get(k) != m.get(k)]})")


def test_sigkill_during_import(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _root, cli, _homes = office
    root = _copy(office[0], tmp_path / "档案")
    outcome = Outcome("import")
    outcome.clean_s, lines = timeline(cli, ["import", _pdfs(tmp_path / "clean", FILES_PER_IMPORT,
                                                            "首批"),
                                            "--item", "06", "--no-ocr", "--archive", root])
    # half the kills anywhere in the run (start-up, storing, text extraction, exit), half while
    # the files are being stored one by one (a short part of the run): timed from the first
    # file reported stored, over the time the clean run took to store the rest
    half = TRIALS // 2
    kills = [(delay, None) for delay in moments(outcome.clean_s, half)] + [
        (delay, "已保存") for delay in moments(lines[FILES_PER_IMPORT - 1] - lines[0],
                                             TRIALS - half)]
    midway = 0  # killed with some of the batch stored and some not
    for trial, (delay, after_line) in enumerate(kills):
        before = _materials(cli, root)
        folder = _pdfs(tmp_path / f"batch{trial}", FILES_PER_IMPORT, f"第{trial}批")
        run = run_and_kill(cli, ["import", folder, "--item", "06", "--no-ocr", "--archive", root],
                           delay, after_line=after_line)
        outcome.trials += 1
        outcome.killed += run.killed
        after = check_archive(cli, root, outcome, trial)
        _lost(before, after, trial, outcome)
        stored = {int(line.split("\t")[1].lstrip("#")) for line in run.stdout.splitlines()
                  if line.startswith("已保存")}
        midway += 0 < len(stored) < FILES_PER_IMPORT
        for mid in sorted(stored - {m["id"] for m in after}):
            outcome.lost.append(f"trial {trial}: #{mid} was reported stored, then lost")
    print(f"\nimport: {midway} of {outcome.trials} kills landed with part of the batch stored")
    outcome.assert_clean()


def test_sigkill_during_package_apply(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _root, cli, homes = office
    template = tmp_path / "模板" / "档案"
    template.parent.mkdir()
    ids = _submitted(office, template, 6)
    package, decisions = tmp_path / "审核包.zip", tmp_path / "决定.json"
    in_process(cli, "package", "export", "--stage", "first", "--out", package,
               "--archive", template).succeeded()
    reviewer = cli.as_person("初审乙", homes["初审乙"])
    in_process(reviewer, "package", "review", package, "--as", "初审乙",
               "--approve", *map(str, ids), "--comment", "同意", "--out", decisions).succeeded()

    outcome = Outcome("package apply")
    outcome.clean_s = min(clean_run(cli, ["package", "apply", decisions, "--archive",
                                          _copy(template, tmp_path / f"clean{n}")])
                          for n in range(3))
    for trial, delay in enumerate(moments(outcome.clean_s)):
        root = _copy(template, tmp_path / f"t{trial}")
        before = _materials(cli, root)
        run = run_and_kill(cli, ["package", "apply", decisions, "--archive", root], delay)
        outcome.trials += 1
        outcome.killed += run.killed
        after = check_archive(cli, root, outcome, trial)
        _lost(before, after, trial, outcome)
        states = {m["state"] for m in after if m["id"] in ids}
        if len(states) != 1:  # the file is applied whole or not at all
            outcome.fail(trial, f"decisions applied in part: {sorted(states)}")
        again = in_process(cli, "package", "apply", decisions, "--archive", root)
        if states == {"submitted"} and again.returncode != 0:
            outcome.fail(trial, f"applying again after the kill failed: {again.stderr[:300]}")
        if states == {"first_approved"} and (again.returncode == 0 or "内部错误" in again.stderr
                                            or len(again.stderr_lines) != 1):
            outcome.fail(trial, f"a second apply was not refused in one line: {again}")
        shutil.rmtree(root)
    outcome.assert_clean()


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("sigkill-export")
    build_reviewed_archive(base / "档案", base / "home", base / "files")
    return base / "档案", base / "home"


def test_sigkill_during_export(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = ZichaCli(tmp_path, tmp_path)
    root = _copy(reviewed[0], tmp_path / "档案")
    out = tmp_path / "导出"
    out.mkdir()
    outcome = Outcome("export")
    outcome.clean_s = min(clean_run(cli, ["export", out / f"clean{n}.zip", "--archive", root])
                          for n in range(3))
    leftovers: list[str] = []
    for trial, delay in enumerate(moments(outcome.clean_s)):
        before = _materials(cli, root)
        target = out / f"申报材料{trial}.zip"
        run = run_and_kill(cli, ["export", target, "--archive", root], delay)
        outcome.trials += 1
        outcome.killed += run.killed
        after = check_archive(cli, root, outcome, trial)
        _lost(before, after, trial, outcome, ("files", "state", "title"))
        if target.exists():  # under its final name only when whole and valid
            report = verify_export(target)
            if not report.ok:
                bad = [(c.code, c.problems[:1]) for c in report.checks if not c.ok]
                outcome.fail(trial, f"{target.name} left under its final name, not valid: {bad}")
        leftovers += [p.name for p in out.iterdir()
                      if p.name.startswith(target.name) and p != target]
    outcome.assert_clean()
    print(f"export: files left beside the final names after kills: {sorted(leftovers)}")


def _task_list(path: Path, trial: int) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务清单"
    ws.append(["序号", "测评项目", "测评内容", "工作要求", "牵头单位", "配合单位", "完成时限"])
    for n in range(TASK_ROWS):
        category = ("01 理想信念教育", "02 公共文明", "03 文明风尚培育")[n % 3]
        ws.append([n + 1, category, f"试验{trial}内容{n}", f"第{trial}轮第{n}项工作要求",
                   "市委宣传部", "市文明办", "2025年6月30日"])
    wb.save(path)
    return path


def test_sigkill_during_task_import(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _root, cli, _homes = office
    root = _copy(office[0], tmp_path / "档案")

    def tasks() -> set[tuple[str, str]]:
        rows = in_process(cli, "tasks", "list", "--archive", root, "--json").json()
        return {(t["item"], t["department"]) for t in rows}

    outcome = Outcome("task import")
    outcome.clean_s = clean_run(cli, ["tasks", "import", _task_list(tmp_path / "首轮.xlsx", 99),
                                      "--archive", root])
    for trial, delay in enumerate(moments(outcome.clean_s)):
        before_tasks, before = tasks(), _materials(cli, root)
        sheet = _task_list(tmp_path / f"清单{trial}.xlsx", trial)
        run = run_and_kill(cli, ["tasks", "import", sheet, "--archive", root], delay)
        outcome.trials += 1
        outcome.killed += run.killed
        after = check_archive(cli, root, outcome, trial)
        _lost(before, after, trial, outcome)
        now = tasks()
        outcome.lost += [f"trial {trial}: task {t} is gone" for t in sorted(before_tasks - now)]
        added = len(now - before_tasks)
        if added not in (0, 2 * TASK_ROWS):  # the list is imported whole or not at all
            outcome.fail(trial, f"task list imported in part: {added} of {2 * TASK_ROWS} tasks")
    outcome.assert_clean()


def test_sigkill_during_edit(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _root, cli, _homes = office
    root = _copy(office[0], tmp_path / "档案")
    rows = in_process(cli, "import", _pdfs(tmp_path / "src", 3, "编辑"), "--item", "02",
                      "--no-ocr", "--archive", root, "--json").json()
    target = rows[0]["id"]
    outcome = Outcome("edit")
    outcome.clean_s = clean_run(cli, ["edit", target, "--title", "初始标题", "--description",
                                      "初始说明", "--archive", root], repeat=3)
    committed = "初始标题"
    for trial, delay in enumerate(moments(outcome.clean_s)):
        before = _materials(cli, root)
        title = f"第{trial}次修改的标题"
        run = run_and_kill(cli, ["edit", target, "--title", title,
                                 "--description", f"第{trial}次修改的说明",
                                 "--doc-number", f"文明办〔2024〕{trial}号", "--archive", root],
                           delay)
        outcome.trials += 1
        outcome.killed += run.killed
        after = check_archive(cli, root, outcome, trial)
        others = {k: v for k, v in before.items() if k != target}
        _lost(others, after, trial, outcome, ("files", "title", "state"))
        now = next((m for m in after if m["id"] == target), None)
        if now is None or now["title"] not in (committed, title):
            outcome.lost.append(f"trial {trial}: the edited material's title is "
                                f"{now and now['title']!r}, neither {committed!r} nor {title!r}")
        elif not run.killed and now["title"] != title:
            outcome.lost.append(f"trial {trial}: a finished edit is not there")
        else:
            committed = now["title"]
    outcome.assert_clean()


def test_sigkill_during_review(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _root, cli, homes = office
    root = tmp_path / "档案"
    ids = _submitted(office, root, TRIALS + 3)
    reviewer = cli.as_person("初审乙", homes["初审乙"])
    outcome = Outcome("review (decide, sign)")
    outcome.clean_s = min(clean_run(reviewer, ["review", mid, "--as", "初审乙", "--approve",
                                               "--comment", "同意", "--archive", root])
                          for mid in ids[-3:])
    approved = set(ids[-3:])
    for trial, delay in enumerate(moments(outcome.clean_s)):
        before = _materials(cli, root)
        mid = ids[trial]
        run = run_and_kill(reviewer, ["review", mid, "--as", "初审乙", "--approve", "--comment",
                                      f"同意（第{trial}份）", "--archive", root], delay)
        outcome.trials += 1
        outcome.killed += run.killed
        after = check_archive(cli, root, outcome, trial)
        _lost({k: v for k, v in before.items() if k != mid}, after, trial, outcome,
              ("files", "state"))
        state = next((m["state"] for m in after if m["id"] == mid), None)
        if state not in ("submitted", "first_approved"):
            outcome.fail(trial, f"#{mid} is {state} after the kill")
        if not run.killed and state != "first_approved":
            outcome.lost.append(f"trial {trial}: a finished review of #{mid} is not there")
        if state == "first_approved":
            approved.add(mid)
        history = in_process(cli, "history", mid, "--archive", root)
        if history.returncode != 0 or "✗" in history.stdout:
            outcome.fail(trial, f"history of #{mid} after the kill: {history}")
    still = {m["id"] for m in _materials(cli, root).values() if m["state"] == "first_approved"}
    outcome.lost += [f"approval of #{mid} is gone" for mid in sorted(approved - still)]
    outcome.assert_clean()
