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


def test_why_names_the_symbols_above_the_floor(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = _bundle(tmp_path)
    symbols = elf_floor.symbols_above(root / "python", "2.0")
    assert symbols
    for symbol in symbols:
        name, version = symbol.split("@GLIBC_")
        assert name and elf_floor.version_key(version) > (2, 0)
    assert elf_floor.symbols_above(root / "python", "99.0") == []
    assert elf_floor.main([str(root), "--floor", "2.0", "--why"]) == 1
    assert symbols[0] in capsys.readouterr().err


def _system_library(name: str) -> Path | None:
    for folder in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64"):
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    return None


def test_the_floor_leaves_out_system_libraries_the_target_has(tmp_path: Path) -> None:
    import build  # packaging/build.py

    sqlite = _system_library("libsqlite3.so.0")
    if sqlite is None:
        pytest.skip("no libsqlite3.so.0 on this system")
    root = _bundle(tmp_path)
    shutil.copy(sqlite, root / "_internal" / "libsqlite3.so.0")
    needs = elf_floor.needs_of(root / "_internal" / "libsqlite3.so.0", root).glibc
    assert needs is not None
    build.drop_system_libraries(root, "99.0")  # needs no newer glibc than the floor: kept
    assert (root / "_internal" / "libsqlite3.so.0").is_file()
    (root / "_internal" / "libsqlite3.so.0").write_bytes(b"\x7fELF not the system's")
    build.drop_system_libraries(root, "2.0")  # not a copy of the system's: kept
    assert (root / "_internal" / "libsqlite3.so.0").is_file()
    shutil.copy(sqlite, root / "_internal" / "libsqlite3.so.0")
    shutil.copy(os.path.realpath(sys.executable), root / "_internal" / "libother.so.1")
    build.drop_system_libraries(root, "2.0")  # a copy needing more than the floor: left out
    assert not (root / "_internal" / "libsqlite3.so.0").exists()
    assert (root / "_internal" / "libother.so.1").is_file()  # not one the targets provide
