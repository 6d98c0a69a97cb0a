#!/usr/bin/env python3
"""Replace bundled libraries that a wheel links for features Zicha never uses by small stubs.

    python3 packaging/stub_libs.py BUNDLE     # what build.py does on Linux, logged

OpenCV's wheel links FFmpeg (video files) and libavif (AVIF images) into `cv2`; RapidOCR only
resizes, converts and warps images it is handed as arrays. PyAV's FFmpeg links encoders, TLS and
capture devices (STUBS below); Zicha probes and decodes local files, and the demo encodes H.264
only (libx264). pillow-heif links the x265 encoder; Zicha only decodes HEIC (libde265). Pillow
links libxcb for its X11 screen grab, which Zicha never calls. A stub
keeps the library's file name and soname and defines exactly the symbols (with their symbol
versions) that the bundle's other ELF files import from it, so that every file still loads; a
stubbed function, if it were ever called, prints which one and aborts, rather than doing
something wrong. Libraries of the same wheel folder that then nothing needs any more (FFmpeg's
own codecs behind the stubbed ones) are removed. Needs binutils' readelf and a C compiler (cc).
Standard library only.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# wheel library folder under _internal/ -> file-name prefixes of the libraries to stub
STUBS = {
    # cv2: video I/O (FFmpeg) and the AVIF image codec
    "opencv_python_headless.libs": ("libavcodec-", "libavformat-", "libavutil-", "libswscale-",
                                    "libavif-"),
    "opencv_python.libs": ("libavcodec-", "libavformat-", "libavutil-", "libswscale-",
                           "libavif-"),
    # PyAV: encoders (HEVC, AV1, VP8/VP9, MP3, Opus, WebP; FFmpeg's own decoders of VP8/VP9,
    # Opus and WebP come first and stay, as do dav1d for AV1 and x264, which the demo
    # encodes with), TLS for network URLs (GnuTLS with nettle, GMP, libunistring), and the
    # capture devices of libavdevice (ALSA, X11 screen grabbing) and hardware decoding
    # (Intel VPL, DRM): Zicha opens local files and decodes in software
    "av.libs": ("libx265-", "libSvtAv1Enc-", "libvpx-", "libmp3lame-", "libopus-", "libwebp-",
                "libwebpmux-", "libgnutls-", "libasound-", "libxcb-", "libvpl-", "libdrm-"),
    # pillow-heif: the HEVC encoder (only the demo wrote HEIC; it ships its photo now)
    "pillow_heif.libs": ("libx265-",),
    # Pillow: libxcb for ImageGrab's X11 screen capture only (PIL.ImageGrab.grab; nothing in
    # desktop/ grabs the screen); with it goes its libXau (2.1 MB, most of it a hole that
    # auditwheel's patchelf left) and libXdmcp
    "pillow.libs": ("libxcb-",),
}

# stubbed functions that are called while the library is loaded or set up, and whose caller
# takes NULL/0 as "not available" or ignores the result: libavcodec and libheif ask x265 for
# its API at start-up (to list the HEVC encoder's pixel formats / register the encoder) and
# do without it when there is none; libheif's x265_cleanup at its end; avformat_network_init
# (PyAV calls it on import) runs gnutls_global_init, avformat_network_deinit its deinit.
# pillow-heif's libx265 also exports two libstdc++ functions that its libheif takes from it
# (the wheel's compiler is newer than the system libstdc++): ios_base_library_init is only
# referenced, to pull in stream set-up, never called; __throw_bad_array_new_length (a `new[]`
# of a negative size) aborts in the stub instead of throwing
RETURN_NULL = {"x265_api_get_216", "x265_api_get_217", "x265_api_get", "x265_cleanup",
               "gnutls_global_init", "gnutls_global_deinit", "_ZSt21ios_base_library_initv",
               "vpx_codec_vp9_cx", "vpx_codec_vp9_dx", "vpx_codec_get_caps"}


@dataclass(frozen=True)
class Symbol:
    name: str
    version: str  # "" when unversioned
    kind: str  # FUNC, OBJECT, …
    size: int


def _readelf(*args: str) -> str:
    return subprocess.run(["readelf", "-W", *args], capture_output=True, text=True,
                          check=True).stdout


def is_elf(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"\x7fELF"


def needed(path: Path) -> list[str]:
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", _readelf("-d", str(path)))


def soname(path: Path) -> str:
    found = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", _readelf("-d", str(path)))
    return found.group(1) if found else path.name


_SYM = re.compile(r"^\s*\d+:\s+[0-9a-f]+\s+(\d+|0x[0-9a-f]+)\s+(\w+)\s+(\w+)\s+\w+\s+(\w+)\s+"
                  r"(\S+?)(?:@@?([^\s@(]+))?(?:\s+\(\d+\))?\s*$")


def dynsyms(path: Path) -> tuple[list[Symbol], list[Symbol]]:
    """(defined, undefined) dynamic symbols of an ELF file."""
    defined, undefined = [], []
    for line in _readelf("--dyn-syms", str(path)).splitlines():
        m = _SYM.match(line)
        if not m:
            continue
        size, kind, bind, ndx, name, version = m.groups()
        if bind == "LOCAL" or not name:
            continue
        sym = Symbol(name, version or "", kind, int(size, 0))
        (undefined if ndx == "UND" else defined).append(sym)
    return defined, undefined


def stub_source(lib_soname: str, wanted: list[Symbol]) -> tuple[str, str | None]:
    """The C source of a stub defining `wanted`, and its version script (None: unversioned)."""
    lines = ["#include <stdio.h>", "#include <stdlib.h>",
             "static void zicha_left_out(const char *name) {",
             f'    fprintf(stderr, "zicha: %s (in {lib_soname}) is not in this build\\n", name);',
             "    abort();", "}"]
    for sym in sorted(wanted, key=lambda s: s.name):
        if sym.kind == "OBJECT":
            lines.append(f"char {sym.name}[{max(sym.size, 1)}] = {{0}};")
        elif sym.name in RETURN_NULL or sym.name.startswith("x265_api_get"):
            lines.append(f"void *{sym.name}(void) {{ return NULL; }}")
        else:
            lines.append(f'void {sym.name}(void) {{ zicha_left_out("{sym.name}"); }}')
    versions: dict[str, list[str]] = {}
    for sym in wanted:
        if sym.version:
            versions.setdefault(sym.version, []).append(sym.name)
    if not versions:
        return "\n".join(lines) + "\n", None
    unversioned = [s.name for s in wanted if not s.version]
    script = []
    for n, (version, names) in enumerate(sorted(versions.items())):
        names = sorted(names + (unversioned if n == 0 else []))
        script.append(f"{version} {{ global: {' '.join(n + ';' for n in names)} "
                      f"{'local: *; ' if n == 0 else ''}}};")
    return "\n".join(lines) + "\n", "\n".join(script) + "\n"


def stub_bundle(bundle: Path, log=print) -> int:  # type: ignore[no-untyped-def]
    """Stub the STUBS libraries found in `bundle`; returns the bytes saved."""
    internal = bundle / "_internal"
    elves = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p)]
    needs = {p: needed(p) for p in elves}
    saved = 0
    for folder_name, prefixes in STUBS.items():
        folder = internal / folder_name
        if not folder.is_dir():
            continue
        targets = {soname(p): p for p in sorted(folder.iterdir())
                   if p.is_file() and p.name.startswith(prefixes)}
        if not targets:
            continue
        inside = set(targets.values())
        # what the stubbed libraries linked: removed below once nothing else needs them
        formerly = {n for lib in inside for n in needs.get(lib, [])}
        for name, lib in targets.items():
            consumers = [p for p, n in needs.items() if name in n and p not in inside]
            defined, _ = dynsyms(lib)
            offered = {(s.name, s.version): s for s in defined}
            by_name = {s.name: s for s in defined}
            wanted: dict[tuple[str, str], Symbol] = {}
            for consumer in consumers:
                for u in dynsyms(consumer)[1]:
                    sym = offered.get((u.name, u.version)) or (
                        by_name.get(u.name) if not u.version else None)
                    if sym is not None:
                        wanted[(sym.name, sym.version)] = sym
            before = lib.stat().st_size
            build_stub(lib, name, list(wanted.values()))
            saved += before - lib.stat().st_size
            needs[lib] = needed(lib)
            log(f"stub: {folder_name}/{lib.name}: {len(wanted)} symbols for "
                f"{', '.join(sorted(str(c.relative_to(bundle)) for c in consumers)) or 'nothing'}"
                f" ({before / 1e6:.1f} MB -> {lib.stat().st_size / 1e3:.0f} kB)")
        # the folder's libraries that only the stubbed ones linked (FFmpeg's codecs behind
        # them), once nothing needs them any more; nothing else is touched
        while True:
            wanted_names = {n for p, ns in needs.items() if p.exists() for n in ns}
            orphans = [p for p in sorted(folder.iterdir())
                       if p.is_file() and p not in inside and soname(p) in formerly
                       and soname(p) not in wanted_names]
            if not orphans:
                break
            for p in orphans:
                saved += p.stat().st_size
                log(f"stub: {folder_name}/{p.name}: needed by nothing now, removed "
                    f"({p.stat().st_size / 1e6:.1f} MB)")
                formerly |= set(needs.pop(p, []))
                p.unlink()
    # PyInstaller's links in _internal/ to the libraries removed
    for link in internal.iterdir():
        if link.is_symlink() and not link.exists():
            link.unlink()
    return saved


def build_stub(lib: Path, lib_soname: str, wanted: list[Symbol]) -> None:
    source, script = stub_source(lib_soname, wanted)
    with tempfile.TemporaryDirectory() as tmp:
        c = Path(tmp) / "stub.c"
        c.write_text(source)
        cmd = ["cc", "-shared", "-fPIC", "-O1", "-s", "-o", str(Path(tmp) / "stub.so"),
               f"-Wl,-soname,{lib_soname}", str(c)]
        if script:
            (Path(tmp) / "stub.map").write_text(script)
            cmd.append(f"-Wl,--version-script={Path(tmp) / 'stub.map'}")
        subprocess.run(cmd, check=True)
        mode = lib.stat().st_mode
        lib.write_bytes((Path(tmp) / "stub.so").read_bytes())
        lib.chmod(mode)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "_internal").is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    saved = stub_bundle(Path(argv[0]))
    print(f"stub: {saved / 1e6:.1f} MB less")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
