"""Fonts shipped with an installed build: packaging/build copies a CJK font (WenQuanYi Micro
Hei) into the bundle's fonts/ folder, so Chinese text renders on a machine without one."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFontDatabase

FONT_SUFFIXES = (".ttf", ".ttc", ".otf")


def bundled_font_dirs() -> list[Path]:
    """The fonts/ folders of a frozen app: in PyInstaller's _internal/ (sys._MEIPASS), and
    next to the executable. Empty when running from source."""
    candidates = []
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        candidates.append(Path(meipass) / "fonts")
    if getattr(sys, "frozen", False):
        candidates.append(Path(sys.executable).resolve().parent / "fonts")
    found: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and folder.resolve() not in found:
            found.append(folder.resolve())
    return found


def register_bundled_fonts() -> int:
    """Register every bundled font file with Qt; returns how many were registered.
    Call after the QApplication exists and before the first window is built."""
    count = 0
    for folder in bundled_font_dirs():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in FONT_SUFFIXES and \
                    QFontDatabase.addApplicationFont(str(path)) != -1:
                count += 1
    return count
