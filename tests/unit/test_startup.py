"""desktop.core.common.startup: the collector paused while modules load, openpyxl without
numpy; `zicha export` loads no numpy and its 材料目录.xlsx is still a workbook."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.common import startup
from desktop.core.common.startup import loading
from tests.conftest import build_reviewed_archive

REPO = Path(__file__).resolve().parents[2]


def test_loading_pauses_the_collector_and_freezes_what_was_loaded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(startup, "_first_command", True)
    assert gc.isenabled()
    try:
        with loading():
            assert not gc.isenabled()
            with loading():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the outer block still runs
            kept = [[] for _ in range(10)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(kept)
        gc.disable()
        with loading():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_process_that_runs_commands_one_after_another_freezes_only_before_the_first_ends(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The tests run the CLI in-process, command after command: each freeze would keep that
    command's cyclic garbage (its archive's sessions and engines) for good."""
    from desktop.cli import main

    monkeypatch.setattr(startup, "_first_command", True)
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    try:
        assert main(["init", "--archive", str(tmp_path / "a")]) == 0
        frozen = gc.get_freeze_count()
        assert frozen > 0
        for n in range(3):
            assert main(["init", "--archive", str(tmp_path / f"b{n}")]) == 0
            with loading():
                kept = [[] for _ in range(10)]
        # (frozen objects freed meanwhile lower the count: only a second freeze raises it)
        assert gc.get_freeze_count() <= frozen, "frozen again after the first command"
        assert kept
    finally:
        gc.unfreeze()


def _run(code: str, *args: str, env: dict[str, str] | None = None) -> list[str]:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                            check=False, cwd=REPO, env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_openpyxl_without_numpy_still_writes_and_numpy_still_imports(tmp_path: Path) -> None:
    out = tmp_path / "b.xlsx"
    lines = _run("import sys\n"
                 "from desktop.core.common.startup import openpyxl_without_numpy\n"
                 "openpyxl_without_numpy()\n"
                 "print('numpy' in sys.modules, 'openpyxl' in sys.modules)\n"
                 "import openpyxl\n"
                 "book = openpyxl.Workbook(); book.active.append(['序号', 1, 2.5])\n"
                 "book.save(sys.argv[1])\n"
                 "import numpy\n"
                 "print(numpy.int64(3) + 1)\n", str(out))
    assert lines == ["False True", "4"]
    import openpyxl

    assert [c.value for c in next(openpyxl.load_workbook(out).active.iter_rows())] == \
        ["序号", 1, 2.5]


def test_the_export_command_loads_no_numpy(tmp_path: Path) -> None:
    root = tmp_path / "档案"
    build_reviewed_archive(root, tmp_path / "home", tmp_path / "files")
    out = tmp_path / "导出"
    lines = _run("import sys\n"
                 "from desktop.cli import main\n"
                 "code = main(['export', sys.argv[1], '--folder', '--archive', sys.argv[2]])\n"
                 "print(code, 'numpy' in sys.modules)\n", str(out), str(root),
                 env={"ZICHA_HOME": str(tmp_path / "home"), "ZICHA_USER": "经办人甲"})
    assert lines[-1] == "0 False", lines
    import openpyxl

    book = openpyxl.load_workbook(out / "data/材料目录.xlsx", read_only=True)
    assert "材料目录" in book.sheetnames
    book.close()
