#!/usr/bin/env python3
"""Build Zicha for the bureau of one profile (run through packaging/build).

    packaging/build --profile FILE --out DIR

DIR/build-venv   a fresh venv with only the app, its runtime dependencies and PyInstaller
DIR/dist/zicha/  the PyInstaller bundle: zicha (command line) and zicha-gui (window)
DIR/*.deb        on Debian-like systems: the package (files in /opt/zicha)
DIR/*.exe        on Windows with makensis on PATH: the NSIS installer

Only the standard library here: the steps that need the app run in the build venv
(packaging/stage.py), so the developer's environment never leaks into the bundle.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import elf_floor  # noqa: E402  (beside this file)
import icu_data  # noqa: E402
import ocr_models  # noqa: E402
import stub_libs  # noqa: E402

WINDOWS = os.name == "nt"
# what `pip install .` needs from the checkout; copied so the build never writes into it
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "desktop", "schema", "resources"]
PYINSTALLER = "pyinstaller>=6.10,<7"
# build-only: ocr_models.py stores the OCR recognition model's weights as float16 with it
ONNX_TOOL = "onnx==1.23.2"
FONTS = [  # the first one found is bundled (Linux); Windows has its own CJK fonts
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
]
FONT_PACKAGE = "fonts-wqy-microhei"
# what Qt's xcb platform plugin loads from the system; packages found by ldd are added
DEB_DEPENDS = [
    "libc6", "libegl1", "libgl1", "libfontconfig1", "libfreetype6", "libdbus-1-3",
    "libglib2.0-0", "libx11-6", "libx11-xcb1", "libxcb1", "libxcb-cursor0", "libxcb-icccm4",
    "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0",
    "libxcb-shape0", "libxcb-xfixes0", "libxcb-xinerama0", "libxcb-xkb1", "libxkbcommon0",
    "libxkbcommon-x11-0",
]


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


@contextlib.contextmanager
def step(name: str, timings: dict[str, float]) -> Iterator[None]:
    log(f"{name} …")
    start = time.monotonic()
    yield
    timings[name] = time.monotonic() - start
    log(f"{name}: {timings[name]:.1f} s")


def run(*cmd: str | Path, **kwargs) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if WINDOWS else "bin/python")


def du(path: Path) -> int:
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


# -- build venv ----------

def copy_sources(dest: Path) -> None:
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    # a profile a developer dropped into resources/ must not be baked into another bureau's build
    ignore_baked = shutil.ignore_patterns("__pycache__", "*.pyc", "bureau-profile.yaml",
                                          "bureau-profile.toml", "bureau-logo.*")
    for name in SOURCES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name,
                            ignore=ignore_baked if name == "resources" else ignore)
        else:
            shutil.copy2(src, dest / name)


def build_venv(out: Path, python: str, fresh: bool, floor: str | None = None) -> Path:
    """A venv with the app installed from a copy of the checkout, plus PyInstaller. Reused
    while pyproject.toml is unchanged (the app itself is reinstalled every time). With a glibc
    `floor`, a venv of its own whose compiled packages are then replaced by wheels built for
    that floor (floor_wheels)."""
    venv = out / (f"build-venv-glibc{floor}" if floor else "build-venv")
    stamp = venv / ".zicha-build"
    want = hashlib.sha256((REPO / "pyproject.toml").read_bytes() + PYINSTALLER.encode()
                          + ONNX_TOOL.encode()
                          + json.dumps(FLOOR_PINS).encode()).hexdigest()
    if fresh or not stamp.is_file() or stamp.read_text().strip() != want:
        shutil.rmtree(venv, ignore_errors=True)
        run(python, "-m", "venv", venv)
    py = venv_python(venv)
    src = out / "src"
    copy_sources(src)
    pip = [py, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run(*pip, "--upgrade", "pip")
    pins = [f"{name}=={version}" for name, version in
            {**BUNDLE_PINS, **FLOOR_PINS.get(floor or "", {})}.items()]
    run(*pip, src, PYINSTALLER, ONNX_TOOL, *pins)
    run(*pip, "--no-deps", "--force-reinstall", src)
    if floor:
        floor_wheels(py, out / f"wheels-glibc{floor}", floor)
        local_wheels(py)
    stamp.write_text(want)
    return py


# A local wheel that takes the place of another distribution of the same version:
# psycopg's C implementation linked to a libpq without its own OpenSSL (packaging/build-psycopg)
# for psycopg-binary, which psycopg[binary] installs (psycopg picks either, C first).
LOCAL_REPLACES = {"psycopg_c": "psycopg_binary"}


def local_wheel_plan(wheels: list[str],
                     installed: dict[str, str]) -> list[tuple[str, str | None, str]]:
    """For each local wheel file name: (wheel, the distribution it replaces or None, why), the
    distribution replaced being the one of its own name or its LOCAL_REPLACES entry, installed
    at the wheel's version; why is "" for a wheel to install, else the note why not."""
    plan = []
    for wheel in sorted(wheels):
        name, version = wheel.split("-")[:2]
        target = LOCAL_REPLACES.get(name.lower(), name.lower())
        have = installed.get(target)
        if have == version:
            plan.append((wheel, target if target != name.lower() else None, ""))
        else:
            plan.append((wheel, None, f"the build installs {target} {have}"))
    return plan


def local_wheels(py: Path) -> None:
    """Wheels built for the floor bundle (packaging/build-opencv, build-numpy, build-av,
    build-psycopg), in the folder $ZICHA_LOCAL_WHEELS (build-floor mounts its cache's `wheels/`
    there): each replaces the installed distribution of the same name and version (or the one
    LOCAL_REPLACES names, which is then uninstalled); one of another version is left alone,
    with a note."""
    folder = os.environ.get("ZICHA_LOCAL_WHEELS")
    if not folder or not Path(folder).is_dir():
        return
    frozen = subprocess.run([str(py), "-m", "pip", "list", "--format", "json",
                             "--disable-pip-version-check"], capture_output=True, text=True,
                            check=True).stdout
    installed = {d["name"].lower().replace("-", "_"): d["version"] for d in json.loads(frozen)}
    wheels = [w.name for w in Path(folder).glob("*.whl")]
    for wheel, replaced, why in local_wheel_plan(wheels, installed):
        if why:
            log(f"local wheel {wheel} not used: {why}")
            continue
        run(py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps",
            "--force-reinstall", Path(folder) / wheel)
        if replaced:
            run(py, "-m", "pip", "uninstall", "-q", "-y", "--disable-pip-version-check",
                replaced)
            log(f"local wheel: {wheel} instead of {replaced}")
        else:
            log(f"local wheel: {wheel} instead of the one from PyPI")


# Versions the bundle takes instead of the newest (pip applies them to a reused venv too).
# OpenCV: RapidOCR needs only its image functions; 4.10's wheel carries a 66 MB cv2 module and
# libgfortran 3 (1.3 MB) where 5.1's has 79 MB and libgfortran 5 with libquadmath (10 MB), for
# the same OCR (checked on the smoke test's PNG: the same text).
BUNDLE_PINS = {"opencv-python-headless": "4.10.0.84"}
# ONNX Runtime: 1.19.2 is the oldest release built for numpy 2 (1.17 and 1.18 fail to import
# with it) and has manylinux_2_28 wheels; its Python module is 17.4 MB where 1.32.0's is 36.6,
# for the same OCR with RapidOCR's PP-OCRv6 models (packaging/README.md, "Size": the same text
# and boxes on 12 pages, scores within 1e-5).
BUNDLE_PINS["onnxruntime"] = "1.19.2"

# Packages whose newest release has no wheel for a floor: the last release that has one
# (PySide6 6.10 and later are manylinux_2_34 only; 6.9.3 is the last manylinux_2_28 release,
# so it is also the newest for bullseye's 2.31 and UOS 20's 2.28-2.31).
_PYSIDE_2_28 = {"PySide6-Essentials": "6.9.3", "shiboken6": "6.9.3"}
FLOOR_PINS: dict[str, dict[str, str]] = {
    "2.28": _PYSIDE_2_28, "2.29": _PYSIDE_2_28, "2.30": _PYSIDE_2_28, "2.31": _PYSIDE_2_28,
    "2.32": _PYSIDE_2_28, "2.33": _PYSIDE_2_28,
}


def floor_tags(floor: str) -> list[str]:
    """The platform tags of wheels that run on glibc `floor` (x86-64), newest first."""
    major, minor = (int(x) for x in floor.split("."))
    tags = [f"manylinux_{major}_{m}_x86_64" for m in range(minor, 4, -1)]
    return [*tags, "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]


def floor_wheels(py: Path, folder: Path, floor: str) -> None:
    """Replace every compiled package of the venv by the same version's wheel for `floor`
    (pip picks the newest tag this machine allows, e.g. manylinux_2_34, when an older one
    exists too). A compiled package with no such wheel stops the build, naming it."""
    frozen = subprocess.run([str(py), "-m", "pip", "list", "--format", "json",
                             "--disable-pip-version-check"], capture_output=True, text=True,
                            check=True).stdout
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    platform = [a for tag in floor_tags(floor) for a in ("--platform", tag)]
    missing = []
    for dist in json.loads(frozen):
        name, version = dist["name"], dist["version"]
        if name.lower() in ("zicha", "pip", "setuptools"):
            continue
        if name.lower().replace("-", "_") in LOCAL_REPLACES:
            continue  # only ever installed from a local wheel (a venv reused after one)
        found = subprocess.run(
            [str(py), "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
             "--only-binary=:all:", *platform, "--python-version", "3.11",
             "--implementation", "cp", "-d", str(folder), f"{name}=={version}"],
            capture_output=True, text=True)
        if found.returncode != 0:
            missing.append(f"{name}=={version}")
    compiled = [w for w in folder.glob("*.whl") if not w.name.endswith("-none-any.whl")]
    for name in missing:  # pure-Python source distributions are fine at any floor
        if _compiled(py, name.split("==")[0]):
            sys.exit(f"build: {name} has no wheel for glibc {floor} "
                     f"({', '.join(floor_tags(floor)[:2])}, …); pin an older release in "
                     "FLOOR_PINS")
    if compiled:
        run(py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps",
            "--force-reinstall", *compiled)
    log(f"glibc {floor}: {len(compiled)} compiled packages from floor wheels"
        + (f"; pure source packages kept: {', '.join(missing)}" if missing else ""))


def _compiled(py: Path, name: str) -> bool:
    """Whether an installed distribution holds a compiled extension (.so)."""
    probe = ("import importlib.metadata as m, sys; f = m.distribution(sys.argv[1]).files or []; "
             "print(any(str(p).endswith('.so') or '.so.' in str(p) for p in f))")
    result = subprocess.run([str(py), "-c", probe, name], capture_output=True, text=True)
    return result.stdout.strip() == "True"


# -- staging: what the spec adds to the bundle ----------

def find_font(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit)
    if WINDOWS:
        return None
    for name in FONTS:
        if Path(name).is_file():
            return Path(name)
    if shutil.which("apt-get") and os.geteuid() == 0:
        log(f"no CJK font found: installing {FONT_PACKAGE}")
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", FONT_PACKAGE,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        return next((Path(n) for n in FONTS if Path(n).is_file()), None)
    return None


def font_licence(font: Path) -> Path | None:
    """Debian's copyright file of the package that owns the font, if any."""
    package = owning_package(str(font)) if shutil.which("dpkg") else None
    path = Path(f"/usr/share/doc/{package}/copyright")
    return path if package and path.is_file() else None


def stage(out: Path, py: Path, profile: Path, info: dict, font: Path | None) -> Path:
    stage_dir = out / "stage"
    shutil.rmtree(stage_dir, ignore_errors=True)
    (stage_dir / "fonts").mkdir(parents=True)
    (stage_dir / "resources").mkdir()
    shutil.copy2(profile, stage_dir / "resources" / "bureau-profile.yaml")
    if info.get("logo"):
        logo = profile.parent / info["logo"]
        if Path(info["logo"]).is_absolute() or "/" in info["logo"] or "\\" in info["logo"]:
            sys.exit(f"build: the profile's window.logo must be a file name next to it: "
                     f"{info['logo']}")
        shutil.copy2(logo, stage_dir / "resources" / info["logo"])
    extras = []
    if font is not None:
        shutil.copy2(font, stage_dir / "fonts" / font.name)
        licence = font_licence(font)
        if licence:
            extras += ["--extra", f"Font {font.name} (fonts/)={licence}"]
    run(py, HERE / "stage.py", "notices", stage_dir / "THIRD-PARTY-NOTICES.txt", *extras)
    if WINDOWS:
        run(py, HERE / "stage.py", "icon", REPO / "resources" / "zicha.svg",
            stage_dir / "zicha.ico")
    return stage_dir


def pyinstaller(out: Path, py: Path, stage_dir: Path, floor: str | None = None) -> Path:
    dist = out / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    env = {**os.environ, "ZICHA_STAGE": str(stage_dir)}
    run(py, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", dist, "--workpath", out / "work", HERE / "zicha.spec", env=env,
        cwd=out)  # not the checkout: its desktop/ would shadow the installed package
    bundle = dist / "zicha"
    if not WINDOWS:
        gui = bundle / "zicha-gui"
        gui.write_text(GUI_SCRIPT)
        gui.chmod(0o755)
        stand_in = bundle / "_internal" / "ibus-stand-in" / "ibus-daemon"
        stand_in.parent.mkdir()
        stand_in.write_text(IBUS_STAND_IN)
        stand_in.chmod(0o755)
        strip_debug(bundle)
        if shutil.which("cc") and shutil.which("readelf"):
            saved = stub_libs.stub_bundle(bundle, log)
            log(f"stubs for libraries never used (stub_libs.py): {mb(saved)} less")
            saved = icu_data.trim_bundle(bundle, log)
            log(f"ICU data of root, Chinese and English only (icu_data.py): {mb(saved)} less")
        else:
            log("no C compiler (cc) or readelf: the libraries stub_libs.py would stub and "
                "the ICU data icu_data.py would trim are kept")
    halve_ocr_model(bundle, py)
    if floor and not WINDOWS:
        drop_system_libraries(bundle, floor)
    # next to the executables, where a user looks for them
    notices = (stage_dir / "THIRD-PARTY-NOTICES.txt").read_text("utf-8")
    if not WINDOWS and shutil.which("dpkg"):
        notices += system_library_notices(bundle)
    (bundle / "THIRD-PARTY-NOTICES.txt").write_text(notices, encoding="utf-8", newline="\n")
    shutil.copy2(REPO / "LICENSE", bundle / "LICENSE")
    return bundle


def halve_ocr_model(bundle: Path, py: Path) -> None:
    """The recognition model with its weights stored as float16 (ocr_models.py, run with the
    build venv's Python, which has onnx and ONNX Runtime); the build fails if it recognises
    differently."""
    models = [p for p in bundle.rglob(ocr_models.RECOGNITION_MODEL) if p.parent.name == "models"]
    if not models:
        sys.exit(f"build: {ocr_models.RECOGNITION_MODEL} is not in the bundle (RapidOCR's models)")
    for model in models:
        before = model.stat().st_size
        run(py, HERE / "ocr_models.py", model)
        log(f"OCR recognition model as float16 (ocr_models.py): "
            f"{mb(before - model.stat().st_size)} less")


# Linux: the window's command, `zicha gui ARGS` (a second executable would embed the same
# 15 MB Python modules archive again); /usr/bin/zicha-gui is a symlink to it, hence readlink.
# Chinese input: the PySide6 wheels carry Qt's ibus input-context plugin only, no fcitx one.
# fcitx5 (麒麟, 统信 UOS) answers the IBus protocol too (its ibusfrontend addon writes the
# address file Qt's plugin reads), so under fcitx the window uses the ibus plugin; that plugin
# declines to start unless an `ibus-daemon` executable is on PATH (it never runs it), hence a
# stand-in under _internal/ibus-stand-in/ when the system has no ibus.
GUI_SCRIPT = """#!/bin/sh
here=$(dirname "$(readlink -f "$0")")
case "${QT_IM_MODULE:-}:${XMODIFIERS:-}" in
  fcitx*|:*fcitx*)
    export QT_IM_MODULE=ibus
    command -v ibus-daemon >/dev/null 2>&1 || PATH="$here/_internal/ibus-stand-in:$PATH"
    ;;
esac
exec "$here/zicha" gui "$@"
"""
IBUS_STAND_IN = """#!/bin/sh
echo "zicha: this is not ibus; Qt's ibus input plugin only checks that ibus-daemon exists," \
  "and fcitx5 answers the IBus protocol (installed: /opt/zicha/zicha-gui)" >&2
exit 1
"""


def strip_debug(bundle: Path) -> None:
    """Remove the debug information some wheels leave in their shared libraries (PyAV's and
    SQLAlchemy's Cython modules, …): `strip --strip-debug`, only on files with a .debug_info
    section, only shared objects under _internal/ (the executables carry PyInstaller's archive
    after the ELF image, which strip would cut off). The symbol tables go in strip_symbols, which
    checks each file's layout (--strip-unneeded left numpy's OpenBLAS, whose headers
    auditwheel's patchelf rewrote, a library that no longer loaded)."""
    if not shutil.which("strip"):
        log("strip not on PATH: debug information kept")
        return
    before, count = du(bundle), 0
    for path in elf_files(bundle / "_internal"):
        if not (path.name.endswith(".so") or ".so." in path.name):
            continue
        sections = subprocess.run(["readelf", "-S", "-W", str(path)], capture_output=True,
                                  text=True).stdout
        if ".debug_info" in sections:
            run("strip", "--strip-debug", path)
            count += 1
    # the OpenCV packaging/build-opencv makes (no auditwheel folder beside it) keeps its symbol
    # table, 2.3 MB, of which the module needs none but its dynamic symbols
    internal = bundle / "_internal"
    if not (internal / "opencv_python_headless.libs").exists():
        for path in (internal / "cv2").glob("cv2*.so"):
            run("strip", "--strip-unneeded", path)
            count += 1
    log(f"debug information stripped from {count} shared libraries: "
        f"{mb(before - du(bundle))} less")
    before = du(bundle)
    stripped, kept = strip_symbols(bundle)
    log(f"symbol tables stripped from {stripped} shared libraries: {mb(before - du(bundle))} "
        f"less" + (f"; kept where strip would move a segment: {', '.join(kept)}" if kept else ""))


def _layout(path: Path) -> tuple[str, str, str]:
    """What the dynamic loader reads of an ELF file: its program headers (segments: offsets,
    addresses, sizes), its dynamic section and its dynamic symbols."""
    def readelf(*args: str) -> str:
        return subprocess.run(["readelf", "-W", *args, str(path)], capture_output=True,
                              text=True, check=True).stdout
    segments = readelf("-l")
    segments = segments[segments.index("Program Headers:"):]
    return segments, readelf("-d"), readelf("--dyn-syms")


def strip_symbols(bundle: Path) -> tuple[int, list[str]]:
    """Remove the full symbol tables (.symtab/.strtab, 11 MB in the floor bundle: the C++ and
    Rust libraries of PyMuPDF, cryptography, ICU, GEOS, …) and the .comment sections that
    wheels leave in their shared libraries under _internal/, as Debian's dh_strip does
    (`strip --strip-unneeded --remove-section=.comment`): the loader uses only the dynamic
    symbols. Each file is stripped into a copy that replaces it only if its segments, dynamic
    section and dynamic symbols are exactly as before: on a library whose layout auditwheel's
    patchelf rewrote (numpy's OpenBLAS was one), strip may have to move a segment, and such a
    file is kept as it is. (stripped count, names of the files kept)"""
    count, kept = 0, []
    for path in elf_files(bundle / "_internal"):
        if path.is_symlink() or not (path.name.endswith(".so") or ".so." in path.name):
            continue
        sections = subprocess.run(["readelf", "-S", "-W", str(path)], capture_output=True,
                                  text=True).stdout
        if " .symtab " not in sections and " .comment " not in sections:
            continue
        copy = path.with_name(path.name + ".zicha-strip")
        try:
            run("strip", "--strip-unneeded", "--remove-section=.comment", "-o", copy, path)
            if _layout(copy) != _layout(path):
                kept.append(path.name)
                continue
            copy.chmod(path.stat().st_mode)
            copy.replace(path)
            count += 1
        finally:
            copy.unlink(missing_ok=True)
    return count, kept


# System libraries PyInstaller copies from the build machine that every target desktop has
# as well. With --glibc-floor, a copy that needs a glibc newer than the floor is left out of
# the bundle, so that the target's own is loaded; the .deb then depends on its package (ldd
# finds it on the build system). libmvec is part of glibc itself (package libc6).
SYSTEM_PROVIDED = ("libmvec.so.", "libsystemd.so.", "libpng16.so.", "libsqlite3.so.")


def drop_system_libraries(bundle: Path, floor: str) -> None:
    key = elf_floor.version_key
    dropped = []
    formerly: set[str] = set()
    for lib in sorted((bundle / "_internal").glob("lib*.so*")):
        if lib.is_symlink() or not lib.name.startswith(SYSTEM_PROVIDED):
            continue
        copied = any((Path(d) / lib.name).is_file()
                     and (Path(d) / lib.name).stat().st_size == lib.stat().st_size
                     for d in LIBRARY_DIRS)
        needs = elf_floor.needs_of(lib, bundle).glibc
        if copied and needs and key(needs) > key(floor):
            formerly.update(_needed(lib))
            lib.unlink()
            dropped.append(f"{lib.name} (GLIBC_{needs})")
    if dropped:
        log(f"glibc {floor}: left out, the target's own are used: {', '.join(dropped)}")
    orphans = system_orphans(bundle, formerly) if formerly else []
    if orphans:
        log(f"glibc {floor}: left out too, only those needed them (the target's own are "
            f"loaded with them): {', '.join(orphans)}")


def _needed(path: Path) -> list[str]:
    """The NEEDED entries of an ELF file ([] for one readelf cannot read)."""
    try:
        return stub_libs.needed(path)
    except subprocess.CalledProcessError:
        return []


def system_orphans(bundle: Path, formerly: set[str]) -> list[str]:
    """Remove the system libraries copied into _internal/ that only libraries left out needed
    (`formerly`: their NEEDED entries), e.g. libsystemd's libgcrypt, liblz4 and libzstd: no
    bundled file loads them any more, and the target's libsystemd brings its own. A library
    still NEEDED by any bundled ELF file stays; so does every wheel's library."""
    internal = bundle / "_internal"
    removed: list[str] = []
    while True:
        elves = [p for p in elf_files(bundle) if not p.is_symlink()]
        wanted = {n for p in elves for n in _needed(p)}
        orphans = [lib for lib in sorted(internal.glob("lib*.so*"))
                   if not lib.is_symlink() and lib.name in formerly and lib.name not in wanted
                   and any((Path(d) / lib.name).is_file()
                           and (Path(d) / lib.name).stat().st_size == lib.stat().st_size
                           for d in LIBRARY_DIRS)]
        if not orphans:
            return removed
        for lib in orphans:
            formerly.update(_needed(lib))
            removed.append(f"{lib.name} ({lib.stat().st_size / 1e6:.1f} MB)")
            lib.unlink()


def owning_package(path: str) -> str | None:
    """The Debian package that installed `path`. With merged /usr, dpkg knows a library
    under the directory its package used (/lib or /usr/lib), so match on the file name."""
    real = os.path.realpath(path)
    for pattern in (path, real, f"*/{os.path.basename(real)}"):
        found = subprocess.run(["dpkg", "-S", pattern], capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.split(":")[0].split(",")[0].strip()
    return None


LIBRARY_DIRS = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"]


def system_library_notices(bundle: Path) -> str:
    """PyInstaller also copies libraries from the build machine (libxcb, GLib, D-Bus, …):
    name each with its Debian package and that package's copyright file."""
    owners: dict[str, list[str]] = {}
    for lib in sorted((bundle / "_internal").glob("*.so*")):
        if lib.is_symlink():
            continue
        for folder in LIBRARY_DIRS:
            candidate = Path(folder) / lib.name
            if candidate.is_file() and candidate.stat().st_size == lib.stat().st_size:
                package = owning_package(str(candidate))
                if package:
                    owners.setdefault(package, []).append(lib.name)
                break
    if not owners:
        return ""
    parts = ["=" * 78 + "\nSystem libraries copied from the build machine "
             "(Debian packages and their copyright files)\n\n"]
    for package, libs in sorted(owners.items()):
        copyright_file = Path(f"/usr/share/doc/{package}/copyright")
        text = copyright_file.read_text("utf-8", "replace").strip() \
            if copyright_file.is_file() else "(no copyright file)"
        parts.append(f"{'=' * 78}\n{package}: {', '.join(libs)}\n\n{text}\n\n")
    return "".join(parts)


def check_bundle(bundle: Path) -> None:
    exe = bundle / ("zicha.exe" if WINDOWS else "zicha")
    result = run(exe, "--version", capture_output=True, text=True)
    log(f"{exe.name} --version: {result.stdout.strip()}")
    baked = list(bundle.rglob("bureau-profile.yaml"))
    if not baked:
        sys.exit("build: bureau-profile.yaml is missing from the bundle")


# -- .deb ----------

def deb_version(version: str, code: str) -> str:
    """0.1.0 + WZ-CWB -> 0.1.0+wz.cwb (sorts after plain 0.1.0; only characters Debian allows)."""
    suffix = re.sub(r"[^a-z0-9]+", ".", code.lower()).strip(".")
    return f"{version}+{suffix}" if suffix else version


def elf_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def system_packages(bundle: Path) -> tuple[set[str], set[str]]:
    """Packages owning the system libraries the bundle's ELF files load (ldd with the
    bundle's own folder first, as the bootloader sets it up), and libraries not found."""
    internal = bundle / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal)}
    libs: set[str] = set()
    missing: set[str] = set()
    files = elf_files(bundle)
    for i in range(0, len(files), 50):
        result = subprocess.run(["ldd", *map(str, files[i:i + 50])], capture_output=True,
                                text=True, env=env)
        for line in result.stdout.splitlines():
            match = re.match(r"\s*(\S+) => (\S+)", line)
            if not match:
                continue
            name, target = match.groups()
            if target == "not":
                missing.add(name)
            elif not target.startswith(str(bundle)):
                libs.add(os.path.realpath(target))
    packages = {p for p in map(owning_package, sorted(libs)) if p}
    return packages, missing


def glibc_needed(bundle: Path) -> str | None:
    """The newest GLIBC_x.y symbol version any ELF file in the bundle needs (elf_floor.py)."""
    found = elf_floor.scan(bundle)
    return found[0].glibc if found else None


def check_floor(bundle: Path, floor: str | None) -> None:
    """Log the files needing the newest glibc; with `floor`, stop the build above it."""
    found = elf_floor.scan(bundle)
    newest = found[0].glibc if found else None
    log(f"glibc needed: {newest} (" + ", ".join(f"{n.path} {n.glibc}" for n in found[:3]) + ")")
    if floor is None:
        return
    key = elf_floor.version_key
    above = [n for n in found if n.glibc and key(n.glibc) > key(floor)]
    if above:
        lines = []
        for n in above[:40]:
            symbols = elf_floor.symbols_above(bundle / n.path, floor)
            more = f" (+{len(symbols) - 8})" if len(symbols) > 8 else ""
            lines.append(f"  GLIBC_{n.glibc}  {n.path}: {' '.join(symbols[:8])}{more}")
        sys.exit(f"build: {len(above)} ELF files need a glibc newer than {floor}:\n"
                 + "\n".join(lines))
    log(f"every bundled ELF file runs on glibc {floor}")


DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Name=Zicha
Name[zh_CN]={title}
GenericName=Evidence archive
GenericName[zh_CN]=材料自查档案
Comment=Zicha evidence archive for {bureau}
Comment[zh_CN]=全国文明城市测评佐证材料的归档、审核与导出（{bureau}）
Exec=/usr/bin/zicha-gui %f
Icon=zicha
Terminal=false
Categories=Office;
Keywords=archive;evidence;review;
Keywords[zh_CN]=创文;文明城市;测评;佐证材料;档案;审核包;报送包;
MimeType={mime_types}
StartupNotify=true
"""

# Our package files, so that a double-click opens them in the window (zicha gui FILE; the
# window tells them apart by the manifest each ZIP holds first). The dialogs name them
# *.zicha-review.zip and *.zicha-transfer.zip (报送包, 下发包): GIO and Qt's QMimeDatabase
# take the longest matching suffix over *.zip, but ignore a name glob such as 报送包-*.zip when
# *.zip matches (tried: both said application/zip). The magic (the first member's name at
# offset 30 of a ZIP) finds a renamed one where no glob matches (e.g. a name without .zip).
MIME_TYPES = {
    "application/x-zicha-review-package": ("Zicha review package", "Zicha 审核包",
                                           ["*.zicha-review.zip"], "package.json"),
    "application/x-zicha-transfer-package": ("Zicha transfer package",
                                             "Zicha 报送包或下发包",
                                             ["*.zicha-transfer.zip"], "transfer.json"),
}


def mime_xml() -> str:
    """The shared-mime-info package of our types (/usr/share/mime/packages/zicha.xml)."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n',
             '<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">\n']
    for name, (comment, comment_zh, globs, first_member) in MIME_TYPES.items():
        parts.append(f'  <mime-type type="{name}">\n'
                     f'    <comment>{comment}</comment>\n'
                     f'    <comment xml:lang="zh_CN">{comment_zh}</comment>\n'
                     '    <sub-class-of type="application/zip"/>\n'
                     '    <generic-icon name="package-x-generic"/>\n')
        parts += [f'    <glob pattern="{g}" weight="60"/>\n' for g in globs]
        parts.append('    <magic priority="60">\n'
                     '      <match type="string" offset="0" value="PK\\003\\004">\n'
                     f'        <match type="string" offset="30" value="{first_member}"/>\n'
                     '      </match>\n'
                     '    </magic>\n'
                     '  </mime-type>\n')
    parts.append('</mime-info>\n')
    return "".join(parts)



# dpkg removes the files it installed (and its triggers refresh the desktop and icon caches);
# this removes whatever else appeared inside /opt/zicha, and nothing outside it: the users'
# archives and settings in their home folders stay. A prerm, not a postrm, so that `dpkg -r`
# leaves no "config-files" state behind.
PRERM = """#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /opt/zicha ]; then
    owned=$(mktemp)
    dpkg-query -L zicha | grep '^/opt/zicha' | LC_ALL=C sort >"$owned"
    find /opt/zicha | LC_ALL=C sort | LC_ALL=C comm -13 "$owned" - | LC_ALL=C sort -r |
        while IFS= read -r path; do rm -rf "$path"; done
    rm -f "$owned"
fi
exit 0
"""


def build_deb(out: Path, bundle: Path, info: dict, maintainer: str, level: int) -> Path:
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    version = deb_version(info["version"], info["code"])
    root = out / "deb" / f"zicha_{version}_{arch}"
    shutil.rmtree(out / "deb", ignore_errors=True)
    opt = root / "opt" / "zicha"
    shutil.copytree(bundle, opt, symlinks=True)
    (root / "usr/bin").mkdir(parents=True)
    for name in ("zicha", "zicha-gui"):
        (root / "usr/bin" / name).symlink_to(f"/opt/zicha/{name}")
    apps = root / "usr/share/applications"
    apps.mkdir(parents=True)
    (apps / "zicha.desktop").write_text(
        DESKTOP_ENTRY.format(title=info["title"], bureau=info["bureau"],
                             mime_types="".join(f"{t};" for t in MIME_TYPES)),
        encoding="utf-8")
    mime = root / "usr/share/mime/packages"
    mime.mkdir(parents=True)
    (mime / "zicha.xml").write_text(mime_xml(), encoding="utf-8")
    icons = root / "usr/share/icons/hicolor/scalable/apps"
    icons.mkdir(parents=True)
    shutil.copy2(REPO / "resources" / "zicha.svg", icons / "zicha.svg")
    doc = root / "usr/share/doc/zicha"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Zicha 材料自查档案\nLicense: AGPL-3.0-or-later, full text in /opt/zicha/LICENSE\n"
        "Bundled third-party software: /opt/zicha/THIRD-PARTY-NOTICES.txt\n", encoding="utf-8")

    detected, missing = system_packages(opt)
    if missing:
        log("ldd: not found on this machine (optional plugins?): " + ", ".join(sorted(missing)))
    extra = sorted(detected - set(DEB_DEPENDS))
    if extra:
        log("ldd: also depends on " + ", ".join(extra))
    depends = sorted(set(DEB_DEPENDS) | detected)
    glibc = glibc_needed(opt)
    if glibc:  # the build machine's glibc sets the floor: build on the oldest target system
        depends = [f"libc6 (>= {glibc})" if d == "libc6" else d for d in depends]
        log(f"needs glibc >= {glibc}")

    for path in root.rglob("*"):
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            path.chmod(0o755 if os.access(path, os.X_OK) else 0o644)
    (apps / "zicha.desktop").chmod(0o755)  # dde-open (统信 UOS) starts executable entries only
    control = root / "DEBIAN"
    control.mkdir()
    installed_kb = (du(root) + 1023) // 1024
    (control / "control").write_text(
        f"Package: zicha\nVersion: {version}\nArchitecture: {arch}\n"
        f"Maintainer: {maintainer}\nInstalled-Size: {installed_kb}\n"
        f"Depends: {', '.join(depends)}\nSection: office\nPriority: optional\n"
        f"X-Zicha-App-Version: {info['app_version']}\n"
        f"Description: Zicha evidence archive ({info['bureau']})\n"
        f" Zicha 材料自查档案 keeps the evidence a city bureau collects for the\n"
        f" 全国文明城市 evaluation, built for {info['bureau']} ({info['code']}).\n",
        encoding="utf-8")
    (control / "prerm").write_text(PRERM)
    (control / "prerm").chmod(0o755)
    deb = out / f"zicha_{version}_{arch}.deb"
    deb.unlink(missing_ok=True)
    # xz level 1: 23 s for 216 MB here, against 117 s for 194 MB at dpkg's default level 6
    run("dpkg-deb", "--root-owner-group", "-Zxz", f"-z{level}", "--build", root, deb,
        stdout=subprocess.DEVNULL)
    shutil.rmtree(out / "deb")
    return deb


# -- main ----------

def main() -> int:
    parser = argparse.ArgumentParser(prog="packaging/build", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", required=True, type=Path, help="the bureau profile")
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument("--python", default=sys.executable,
                        help="Python used to create the build venv (default: this one)")
    parser.add_argument("--fresh", action="store_true", help="recreate the build venv")
    parser.add_argument("--font", help="CJK font to bundle (default: WenQuanYi Micro Hei)")
    parser.add_argument("--no-deb", action="store_true", help="stop after the bundle")
    parser.add_argument("--glibc-floor", metavar="X.Y", default=None,
                        help="Linux: fail when a bundled ELF file needs a glibc newer than X.Y")
    parser.add_argument("--no-installer", action="store_true",
                        help="Windows: do not run makensis")
    parser.add_argument("--version", dest="package_version", metavar="X.Y.Z",
                        help="the package's version instead of desktop.__version__ (e.g. an "
                             "upgrade test's second build; the app reports its own)")
    parser.add_argument("--maintainer", default="Zicha packaging <zicha@example.invalid>")
    parser.add_argument("--deb-level", type=int, default=1, choices=range(10), metavar="0-9",
                        help="xz level of the .deb (default 1; 6 is 10%% smaller, 5x slower)")
    args = parser.parse_args()

    started = time.monotonic()
    timings: dict[str, float] = {}
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    profile = args.profile.resolve()
    if not profile.is_file():
        sys.exit(f"build: no such profile: {args.profile}")

    with step("build venv", timings):
        py = build_venv(out, args.python, args.fresh, args.glibc_floor)
    found = subprocess.run([str(py), str(HERE / "stage.py"), "info", str(profile)],
                           stdout=subprocess.PIPE, text=True, encoding="utf-8")
    if found.returncode != 0:
        sys.exit(1)  # stage.py said what is wrong with the profile
    info = json.loads(found.stdout)
    info["app_version"] = info["version"]  # what `zicha --version` says (the smoke test checks)
    if args.package_version:
        if not re.fullmatch(r"[0-9][0-9A-Za-z.~]*", args.package_version):
            sys.exit(f"build: --version {args.package_version}: digits, letters, dots and ~ "
                     "only, starting with a digit (e.g. 0.1.1)")
        info["version"] = args.package_version
    log(f"bureau {info['bureau']} ({info['code']}), title {info['title']}, "
        f"version {info['version']}")
    font = find_font(args.font)
    if font is None and not WINDOWS:
        sys.exit(f"build: no CJK font found; install {FONT_PACKAGE} or pass --font FILE")
    with step("stage", timings):
        stage_dir = stage(out, py, profile, info, font)
    with step("pyinstaller", timings):
        bundle = pyinstaller(out, py, stage_dir, args.glibc_floor)
    check_bundle(bundle)
    if not WINDOWS:
        check_floor(bundle, args.glibc_floor)
    log(f"bundle {bundle}: {mb(du(bundle))}")

    products = [bundle]
    if not WINDOWS and not args.no_deb and shutil.which("dpkg-deb"):
        with step("deb", timings):
            products.append(build_deb(out, bundle, info, args.maintainer, args.deb_level))
    if WINDOWS and not args.no_installer:
        if shutil.which("makensis"):
            with step("nsis", timings):
                installer = out / f"zicha-{info['version']}-{info['code']}-setup.exe"
                run(sys.executable, HERE / "windows" / "nsis.py", "--bundle", bundle,
                    "--code", info["code"], "--title", info["title"],
                    "--version", info["version"], "--icon", stage_dir / "zicha.ico",
                    "--out", installer)
                products.append(installer)
        else:
            log("makensis not on PATH: no installer")

    log("done in " + f"{time.monotonic() - started:.1f} s ("
        + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()) + ")")
    for product in products:
        log(f"  {product}  {mb(du(product))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
