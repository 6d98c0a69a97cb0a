"""packaging/elf_floor.py: the newest glibc symbol version each ELF file of a bundle needs, read
from its version-needs section, and the build's floor check that fails above it."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
import elf_floor  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("readelf") is None or os.name == "nt",
                                reason="needs binutils' readelf (Linux)")


def _bundle(tmp_path: Path) -> Path:
    root = tmp_path / "bundle"
    (root / "_internal").mkdir(parents=True)
    shutil.copy(os.path.realpath(sys.executable), root / "python")
    (root / "_internal" / "notes.txt").write_text("不是 ELF 文件", encoding="utf-8")
    return root


def test_the_interpreter_needs_a_glibc_version(tmp_path: Path) -> None:
    [needs] = elf_floor.scan(_bundle(tmp_path))
    assert needs.path == "python"
    assert needs.glibc is not None and elf_floor.version_key(needs.glibc) >= (2, 2)
    assert "libc.so.6" in needs.libraries


def test_the_floor_fails_above_and_passes_below(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    root = _bundle(tmp_path)
    assert elf_floor.main([str(root), "--floor", "2.0"]) == 1
    assert "python" in capsys.readouterr().err
    assert elf_floor.main([str(root), "--floor", "99.0"]) == 0
    assert "every file runs on glibc 99.0" in capsys.readouterr().out
    assert elf_floor.main([str(tmp_path / "nowhere")]) == 2
