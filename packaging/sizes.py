#!/usr/bin/env python3
"""What takes the space in a bundle: MB per package or library, largest first.

    python3 packaging/sizes.py BUNDLE                 # one bundle
    python3 packaging/sizes.py BEFORE AFTER           # two, side by side (a Markdown table)

A part is a top-level entry of `_internal/` with the wheel's `.libs` folder counted with its
package (`cv2` + `opencv_python_headless.libs`, `av` + `av.libs`, …); the libraries PyInstaller
copied loose into `_internal/` are grouped as the interpreter (libpython), the Python standard
library's modules, Qt's and the other system libraries; the executables are one part each.
Standard library only.
"""

from __future__ import annotations

import sys
from pathlib import Path

# a wheel's vendored-library folder -> the part it belongs to
LIBS_OF = {
    "opencv_python_headless.libs": "cv2", "opencv_python.libs": "cv2",
    "av.libs": "av", "pillow.libs": "PIL", "pillow_heif.libs": "pillow_heif",
    "numpy.libs": "numpy", "shapely.libs": "shapely", "psycopg_binary.libs": "psycopg_binary",
    "psycopg_c.libs": "psycopg_c",
    "pymupdf.libs": "pymupdf", "onnxruntime.libs": "onnxruntime", "pyclipper.libs": "pyclipper",
}


def part_of(rel: Path) -> str:
    parts = rel.parts
    if parts[0] != "_internal":
        return parts[0]
    if len(parts) == 2:  # a file loose in _internal/
        name = parts[1]
        if name.startswith("libpython"):
            return "libpython"
        if name.startswith("base_library.zip"):
            return "python stdlib"
        if name.startswith(("libQt", "libicu", "libpyside", "libshiboken")):
            return "PySide6"
        return "system libraries" if name.startswith("lib") else "other"
    top = parts[1]
    if top == "python3.11":
        return "python stdlib"
    if top.endswith(".dist-info"):
        return "metadata (.dist-info)"
    return LIBS_OF.get(top, top)


def sizes(bundle: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            part = part_of(path.relative_to(bundle))
            found[part] = found.get(part, 0) + path.stat().st_size
    return found


def mb(n: int) -> str:
    return f"{n / 1e6:.1f}"


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    bundles = [Path(a) for a in argv]
    for b in bundles:
        if not (b / "_internal").is_dir():
            print(f"sizes: {b} is not a PyInstaller bundle (no _internal/)", file=sys.stderr)
            return 2
    tables = [sizes(b) for b in bundles]
    names = sorted(set().union(*tables), key=lambda n: -max(t.get(n, 0) for t in tables))
    if len(tables) == 1:
        print("| part | MB |\n|---|---:|")
        for name in names:
            print(f"| {name} | {mb(tables[0][name])} |")
        print(f"| **total** | **{mb(sum(tables[0].values()))}** |")
        return 0
    before, after = tables
    print("| part | before MB | after MB |\n|---|---:|---:|")
    for name in names:
        b, a = before.get(name, 0), after.get(name, 0)
        print(f"| {name} | {mb(b) if b else '—'} | {mb(a) if a else '—'} |")
    print(f"| **total** | **{mb(sum(before.values()))}** | **{mb(sum(after.values()))}** |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
