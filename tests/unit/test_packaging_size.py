"""packaging/build.py and stage.py for the smaller floor bundle: a local wheel that takes the
place of another distribution (psycopg-c for psycopg-binary, packaging/build-psycopg), the
notices following a requirement's extras and such a replacement, and the system libraries
that only a library left out of the bundle needed (libsystemd's) removed with it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
import build  # noqa: E402
import stage  # noqa: E402

needs_tools = pytest.mark.skipif(
    os.name == "nt" or not (shutil.which("cc") and shutil.which("readelf")),
    reason="needs a C compiler and binutils' readelf (Linux)")


def test_a_local_wheel_replaces_the_same_version_of_its_own_or_the_named_distribution() -> None:
    installed = {"numpy": "2.4.6", "psycopg_binary": "3.3.9", "av": "18.1.0"}
    plan = build.local_wheel_plan([
        "numpy-2.4.6-cp311-cp311-linux_x86_64.whl",
        "psycopg_c-3.3.9-cp311-cp311-manylinux_2_28_x86_64.whl",
        "av-17.0.0-cp311-abi3-manylinux_2_28_x86_64.whl",
    ], installed)
    assert plan == [
        ("av-17.0.0-cp311-abi3-manylinux_2_28_x86_64.whl", None, "the build installs av 18.1.0"),
        ("numpy-2.4.6-cp311-cp311-linux_x86_64.whl", None, ""),
        ("psycopg_c-3.3.9-cp311-cp311-manylinux_2_28_x86_64.whl", "psycopg_binary", ""),
    ]
    # psycopg-c must match psycopg's version exactly: another one is not installed
    other = build.local_wheel_plan(["psycopg_c-3.3.9-cp311-cp311-linux_x86_64.whl"],
                                   {"psycopg_binary": "3.3.8"})
    assert other[0][1:] == (None, "the build installs psycopg_binary 3.3.8")
    replaced_by = {k.replace("_", "-"): v.replace("_", "-")
                   for v, k in build.LOCAL_REPLACES.items()}
    assert replaced_by == stage.REPLACED_BY


def _dist(site: Path, name: str, version: str, requires: list[str]) -> None:
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n")


def test_the_notices_follow_extras_and_the_replacement(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    _dist(site, "zicha-fake-root", "1", ["psycopg[binary]>=3.1", "jieba"])
    _dist(site, "psycopg", "3.3.9", ['psycopg-binary==3.3.9; extra == "binary"',
                                     'psycopg-c==3.3.9; extra == "c"', "typing-extensions"])
    _dist(site, "typing-extensions", "4.15.0", [])
    _dist(site, "jieba", "0.42.1", [])
    _dist(site, "psycopg-c", "3.3.9", [])  # what local_wheels installed; binary is gone
    _dist(site, "unrelated-tool", "1", [])
    monkeypatch.setattr(sys, "path", [str(site)])
    names = [d.metadata["Name"] for d in stage.runtime_closure("zicha-fake-root")]
    assert names == ["jieba", "psycopg", "psycopg-c", "typing-extensions", "zicha-fake-root"]
    # with psycopg-binary installed it is the one listed (before: no extras followed at all)
    _dist(site, "psycopg-binary", "3.3.9", [])
    names = [d.metadata["Name"] for d in stage.runtime_closure("zicha-fake-root")]
    assert "psycopg-binary" in names and "psycopg-c" not in names


def _lib(folder: Path, name: str, needs: tuple[str, ...] = ()) -> Path:
    """A shared library `name` (its soname too) that NEEDs `needs`, found in `folder`."""
    sources = folder.parents[1] / "sources"
    sources.mkdir(exist_ok=True)
    src = sources / f"{name}.c"
    src.write_text("int zicha_test(void) { return 1; }\n")
    out = folder / name
    links = [f"-l:{n}" for n in needs]
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(out), str(src), f"-Wl,-soname,{name}",
                    f"-L{folder}", "-Wl,--no-as-needed", *links], check=True)
    return out


@needs_tools
def test_libraries_only_a_left_out_one_needed_go_with_it(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    system = tmp_path / "system"
    system.mkdir()
    # libsystemd -> libgcrypt -> libgpg-error, and liblz4; libdbus -> libsystemd; liblzma is
    # needed by libsystemd and by a module that stays
    _lib(system, "libgpg-error.so.0")
    _lib(system, "libgcrypt.so.20", ("libgpg-error.so.0",))
    _lib(system, "liblz4.so.1")
    _lib(system, "liblzma.so.5")
    _lib(system, "libsystemd.so.0", ("libgcrypt.so.20", "liblz4.so.1", "liblzma.so.5"))
    _lib(system, "libdbus-1.so.3", ("libsystemd.so.0",))
    internal = tmp_path / "bundle" / "_internal"
    internal.mkdir(parents=True)
    for name in ("libgpg-error.so.0", "libgcrypt.so.20", "liblz4.so.1", "liblzma.so.5",
                 "libsystemd.so.0", "libdbus-1.so.3"):
        shutil.copy2(system / name, internal / name)
    _lib(internal, "_lzma.so", ("liblzma.so.5",))
    # a wheel's own library nothing needs stays: not a copy of a system one
    (internal / "pillow.libs").mkdir()
    _lib(internal / "pillow.libs", "libzstd-40ad5e7e.so.1.5.7")
    monkeypatch.setattr(build, "LIBRARY_DIRS", [str(system)])
    monkeypatch.setattr(build.elf_floor, "needs_of",
                        lambda lib, bundle: type("N", (), {"glibc": "2.30"
                                                           if lib.name == "libsystemd.so.0"
                                                           else "2.17"})())
    build.drop_system_libraries(tmp_path / "bundle", "2.28")
    left = sorted(p.name for p in internal.iterdir() if p.is_file())
    assert left == ["_lzma.so", "libdbus-1.so.3", "liblzma.so.5"]
    assert (internal / "pillow.libs" / "libzstd-40ad5e7e.so.1.5.7").is_file()


@needs_tools
def test_symbol_tables_are_stripped_when_the_layout_stays(tmp_path: Path) -> None:
    import ctypes

    internal = tmp_path / "bundle" / "_internal"
    internal.mkdir(parents=True)
    src = tmp_path / "answer.c"
    src.write_text("static int helper(int n) { return n * 2; }\n"
                   "int zicha_answer(int n) { return helper(n) + 40; }\n")
    lib = internal / "libanswer.so.1"
    subprocess.run(["cc", "-shared", "-fPIC", "-g0", "-o", str(lib), str(src)], check=True)
    assert ".symtab" in subprocess.run(["readelf", "-S", "-W", str(lib)], capture_output=True,
                                       text=True, check=True).stdout
    before, layout = lib.stat().st_size, build._layout(lib)
    stripped, kept = build.strip_symbols(tmp_path / "bundle")
    assert (stripped, kept) == (1, [])
    assert lib.stat().st_size < before and build._layout(lib) == layout
    assert ".symtab" not in subprocess.run(["readelf", "-S", "-W", str(lib)],
                                           capture_output=True, text=True, check=True).stdout
    assert ctypes.CDLL(str(lib)).zicha_answer(1) == 42
    assert not list(internal.glob("*.zicha-strip"))
    assert build.strip_symbols(tmp_path / "bundle") == (0, [])  # nothing left to strip
