"""desktop.core imports no Qt, ever (DESIGN.md §5): the CLI and tests run without a screen."""

from __future__ import annotations

import ast
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import desktop.core

CORE_DIR = Path(desktop.core.__file__).parent
REPO = CORE_DIR.parents[1]
QT_PREFIXES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
CORE_MODULES = sorted(
    f"desktop.core.{m.name}" for m in pkgutil.iter_modules([str(CORE_DIR)])
)
QT_IMPORT_LINE = re.compile(r"^\s*(?:from|import)\s+(?:PySide6|shiboken6)\b", re.MULTILINE)
# One fresh interpreter imports every core module in turn and names the first one after whose
# import a Qt module is loaded (a fresh process: this pytest process may have Qt loaded already).
CHECK = f"""
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
    qt = sorted(m for m in sys.modules if m.startswith({QT_PREFIXES!r}))
    if qt:
        sys.exit(f"importing {{name}} loaded {{', '.join(qt[:5])}}")
print("imported", len(sys.argv) - 1)
"""


def test_core_modules_are_discovered() -> None:
    expected = {"archive", "audit", "db", "detect", "importer", "indicators", "items",
                "materials", "models", "store", "verify"}
    assert {m.rsplit(".", 1)[1] for m in CORE_MODULES} >= expected


def test_importing_every_core_module_loads_no_qt() -> None:
    proc = subprocess.run([sys.executable, "-c", CHECK, *CORE_MODULES], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"imported {len(CORE_MODULES)}"


def test_the_import_check_catches_a_module_that_loads_qt() -> None:
    proc = subprocess.run([sys.executable, "-c", CHECK, "desktop.core.archive.store",
                           "PySide6.QtCore"],
                          cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode != 0
    assert "importing PySide6.QtCore loaded PySide6" in proc.stderr


def _qt_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                  "import_module", "__import__")):
            names = [node.args[0].value]  # importlib.import_module("PySide6...")
        else:
            continue
        found += [f"{path.name}:{node.lineno} {n}" for n in names if n.startswith(QT_PREFIXES)]
    return found


def test_no_core_source_file_imports_qt() -> None:
    files = sorted(CORE_DIR.rglob("*.py"))
    assert len(files) >= len(CORE_MODULES)
    offenders = [hit for path in files for hit in _qt_imports(path)]
    assert offenders == []
    for path in files:  # belt and braces: not even in a string handed to exec
        assert not QT_IMPORT_LINE.search(path.read_text(encoding="utf-8")), path


def test_the_static_check_finds_qt_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nimport PySide6.QtCore\n"
                      "from shiboken6 import isValid\n"
                      "def f():\n    from PySide6 import QtGui\n"
                      "importlib.import_module('PySide6.QtWidgets')\n", encoding="utf-8")
    assert [hit.split(" ")[1] for hit in _qt_imports(sample)] == [
        "PySide6.QtCore", "shiboken6", "PySide6", "PySide6.QtWidgets"]
    assert len(QT_IMPORT_LINE.findall(sample.read_text(encoding="utf-8"))) == 3
