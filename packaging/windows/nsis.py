#!/usr/bin/env python3
"""Compile the Windows installer (packaging/windows/zicha.nsi) for a PyInstaller bundle.

    python packaging/windows/nsis.py --bundle dist/zicha --code WZ-CWB \\
        --title 吴州市创文材料自查档案 --version 0.1.0 --out zicha-setup.exe
    python packaging/windows/nsis.py --standin DIR ...   the same against a stand-in bundle
                                                        (dummy .exe files): checks the script
                                                        compiles where the real bundle cannot
                                                        be built (Linux)

packaging/build.py calls this on Windows. Standard library only; needs makensis on PATH.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def make_standin(folder: Path) -> Path:
    """A folder shaped like the real bundle: the two executables, _internal/ with nested
    folders and a file with a Chinese name."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "_internal" / "desktop" / "resources").mkdir(parents=True)
    (folder / "_internal" / "fonts").mkdir()
    for name in ("zicha.exe", "zicha-gui.exe"):
        (folder / name).write_bytes(b"MZ stand-in for " + name.encode())
    (folder / "_internal" / "python311.dll").write_bytes(b"stand-in")
    (folder / "_internal" / "desktop" / "resources" / "bureau-profile.yaml").write_text(
        "format: zicha-bureau-profile/1\n", encoding="utf-8")
    (folder / "_internal" / "fonts" / "说明.txt").write_text("stand-in\n", encoding="utf-8")
    shutil.copy2(REPO / "LICENSE", folder / "LICENSE")
    (folder / "THIRD-PARTY-NOTICES.txt").write_text("stand-in\n", encoding="utf-8")
    return folder


def uninstall_list(bundle: Path) -> str:
    """NSIS lines deleting every file of the bundle, then its folders, deepest first."""
    lines = []
    folders = []
    for path in sorted(bundle.rglob("*")):
        rel = str(path.relative_to(bundle)).replace("/", "\\")
        if path.is_dir():
            folders.append(rel)
        else:
            lines.append(f'Delete "$INSTDIR\\{rel}"')
    for rel in sorted(folders, key=lambda r: r.count("\\"), reverse=True):
        lines.append(f'RMDir "$INSTDIR\\{rel}"')
    return "\n".join(lines) + "\n"


def version4(version: str) -> str:
    """VIProductVersion needs four numbers: 0.1.0 -> 0.1.0.0 (a suffix such as rc1 dropped)."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])][:4]
    return ".".join(map(str, numbers + [0] * (4 - len(numbers))))


def main() -> int:
    parser = argparse.ArgumentParser(prog="nsis.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundle", type=Path, help="the PyInstaller folder (dist/zicha)")
    parser.add_argument("--standin", type=Path, metavar="DIR",
                        help="create a stand-in bundle in DIR and use it")
    parser.add_argument("--code", required=True, help="bureau code (install folder name)")
    parser.add_argument("--title", required=True, help="window title (shortcut names)")
    parser.add_argument("--version", required=True)
    parser.add_argument("--out", required=True, type=Path, help="the installer .exe")
    parser.add_argument("--icon", type=Path, help=".ico for the installer")
    parser.add_argument("--makensis", default="makensis")
    args = parser.parse_args()
    if bool(args.bundle) == bool(args.standin):
        parser.error("give --bundle or --standin")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", args.code):
        parser.error(f"the bureau code is used as a folder name: {args.code!r}")

    bundle = make_standin(args.standin.resolve()) if args.standin else args.bundle.resolve()
    gui = "zicha-gui.exe"
    if not (bundle / gui).is_file():
        sys.exit(f"nsis.py: {bundle / gui} is missing")
    out = args.out.resolve()
    work = out.parent / "nsis-work"
    work.mkdir(parents=True, exist_ok=True)
    # NSIS reads an include as UTF-8 only with a BOM; the licence page wants CRLF lines
    (work / "uninstall-files.nsh").write_text(uninstall_list(bundle), encoding="utf-8-sig")
    licence = (REPO / "LICENSE").read_text("utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
    (work / "LICENSE.txt").write_text(licence, encoding="utf-8-sig", newline="")

    defines = {
        "BUNDLE_DIR": bundle, "BUREAU_CODE": args.code, "TITLE": args.title,
        "VERSION": args.version, "VERSION4": version4(args.version),
        "LICENSE_FILE": work / "LICENSE.txt", "UNINSTALL_LIST": work / "uninstall-files.nsh",
        "OUTFILE": out, "GUI_EXE": gui, "CLI_EXE": "zicha.exe",
    }
    if args.icon:
        defines["ICON"] = args.icon.resolve()
    cmd = [args.makensis, "-V2", "-INPUTCHARSET", "UTF8",
           *(f"-D{key}={value}" for key, value in defines.items()), str(HERE / "zicha.nsi")]
    start = time.monotonic()
    subprocess.run(cmd, check=True)
    print(f"nsis.py: {out} ({out.stat().st_size / 1e6:.1f} MB) in "
          f"{time.monotonic() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
