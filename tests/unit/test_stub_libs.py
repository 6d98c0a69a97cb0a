"""packaging/stub_libs.py: a bundled library a wheel links for a feature Zicha never uses is
replaced by a stub with the same soname and the symbols (and symbol versions) the other files
import, so that they still load; a stubbed function aborts naming itself; a library of the
folder that nothing needs any more is removed; and the .deb's desktop integration files
(packaging/build.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
import build  # noqa: E402
import stub_libs  # noqa: E402

needs_tools = pytest.mark.skipif(
    os.name == "nt" or not (shutil.which("cc") and shutil.which("readelf")),
    reason="needs a C compiler and binutils' readelf (Linux)")

CODEC = """
#include <string.h>
int codec_table[64] = {1, 2, 3};
int codec_open(int n) { return n + 1; }
int codec_unused_here(void) { return 7; }
void *x265_api_get_216(int depth) { return memset; }
"""
CODEC_MAP = ("LIBCODEC_1 { global: codec_table; codec_open; codec_unused_here; "
             "x265_api_get_216; local: *; };\n")
USER = """
extern int codec_table[64];
int codec_open(int n);
void *x265_api_get_216(int depth);
int use_codec(int n) { return codec_open(n) + codec_table[1]; }
int probe(void) { return x265_api_get_216(0) == 0; }
"""


def _cc(tmp: Path, name: str, source: str, *args: str) -> Path:
    c = tmp / f"{name}.c"
    c.write_text(source)
    out = tmp / name
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(out), str(c), *args], check=True)
    return out


def _bundle(tmp_path: Path) -> Path:
    """A bundle whose 'av.libs' holds a versioned codec library (named like PyAV's x265, so
    that STUBS covers it), a helper only the codec needs, and a library using the codec."""
    root = tmp_path / "bundle"
    libs = root / "_internal" / "av.libs"
    libs.mkdir(parents=True)
    build_dir = tmp_path / "src"
    build_dir.mkdir()
    helper = _cc(build_dir, "libhelper-1.so.1", "int helper(void) { return 1; }\n",
                 "-Wl,-soname,libhelper-1.so.1")
    (build_dir / "codec.map").write_text(CODEC_MAP)
    codec = _cc(build_dir, "libx265-abc.so.216", CODEC + "int helper(void);\n"
                "int codec_helped(void) { return helper(); }\n",
                "-Wl,-soname,libx265-abc.so.216",
                f"-Wl,--version-script={build_dir / 'codec.map'}",
                f"-L{build_dir}", "-l:libhelper-1.so.1", "-Wl,-rpath,$ORIGIN")
    user = _cc(build_dir, "libuser.so", USER, f"-L{build_dir}", "-l:libx265-abc.so.216",
               "-Wl,-soname,libuser.so", "-Wl,-rpath,$ORIGIN")
    for lib in (helper, codec, user):
        shutil.copy(lib, libs / lib.name)
    return root


def _call(libs: Path, function: str) -> subprocess.CompletedProcess[str]:
    code = ("import ctypes, sys; lib = ctypes.CDLL(sys.argv[1]); "
            "print(getattr(lib, sys.argv[2])(41))")
    return subprocess.run([sys.executable, "-c", code, str(libs / "libuser.so"), function],
                          capture_output=True, text=True)


@needs_tools
def test_a_stub_keeps_its_users_loading_and_aborts_when_called(tmp_path: Path) -> None:
    root = _bundle(tmp_path)
    libs = root / "_internal" / "av.libs"
    assert _call(libs, "use_codec").stdout.strip() == "44"  # 41 + 1 + codec_table[1]
    size = (libs / "libx265-abc.so.216").stat().st_size
    logged: list[str] = []

    saved = stub_libs.stub_bundle(root, logged.append)

    stub = libs / "libx265-abc.so.216"
    assert saved > 0 and stub.stat().st_size < size + 20_000
    assert stub_libs.soname(stub) == "libx265-abc.so.216"
    defined = {(s.name, s.version) for s in stub_libs.dynsyms(stub)[0]}
    # what libuser imports, with its version; not what nobody imports
    assert {("codec_table", "LIBCODEC_1"), ("codec_open", "LIBCODEC_1")} <= defined
    assert not any(name == "codec_unused_here" for name, _ in defined)
    # the helper only the codec needed is gone; the stub needs nothing of it
    assert not (libs / "libhelper-1.so.1").exists()
    assert "libhelper-1.so.1" not in stub_libs.needed(stub)
    assert any("needed by nothing now" in line for line in logged)
    # a library nothing in the bundle links (loaded by name, say) is not the stubs' to remove
    assert (libs / "libuser.so").is_file()
    # libuser still loads; the probe gets NULL ("no x265"), a real call aborts naming itself
    assert _call(libs, "probe").stdout.strip() == "1"
    called = _call(libs, "use_codec")
    assert called.returncode != 0
    assert "codec_open (in libx265-abc.so.216) is not in this build" in called.stderr


@needs_tools
def test_a_bundle_without_those_folders_is_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "bundle"
    (root / "_internal" / "other.libs").mkdir(parents=True)
    lib = _cc(root / "_internal" / "other.libs", "libavcodec-x.so.1", "int f(void){return 1;}\n")
    before = lib.read_bytes()
    assert stub_libs.stub_bundle(root, lambda _line: None) == 0
    assert lib.read_bytes() == before


def test_the_mime_types_of_our_packages() -> None:
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    tree = ET.fromstring(build.mime_xml())
    types = {t.get("type"): t for t in tree.findall("m:mime-type", ns)}
    assert set(types) == set(build.MIME_TYPES)
    review = types["application/x-zicha-review-package"]
    assert [g.get("pattern") for g in review.findall("m:glob", ns)] == ["*.zicha-review.zip"]
    assert review.find("m:sub-class-of", ns).get("type") == "application/zip"  # type: ignore[union-attr]
    transfer = types["application/x-zicha-transfer-package"]
    assert [g.get("pattern") for g in transfer.findall("m:glob", ns)] == ["*.zicha-transfer.zip"]
    first = transfer.find("m:magic/m:match/m:match", ns)
    assert first is not None and first.get("offset") == "30"
    assert first.get("value") == "transfer.json"
    entry = build.DESKTOP_ENTRY.format(title="某市创文材料自查档案", bureau="某市文明办",
                                       mime_types="".join(f"{t};" for t in build.MIME_TYPES))
    lines = entry.splitlines()
    assert "Exec=/usr/bin/zicha-gui %f" in lines and "Categories=Office;" in lines
    assert "Name[zh_CN]=某市创文材料自查档案" in lines
    assert ("MimeType=application/x-zicha-review-package;"
            "application/x-zicha-transfer-package;") in lines
