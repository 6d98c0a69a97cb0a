"""The house rules of the tree (docs/architecture.md): desktop.core imports no Qt, ever
(DESIGN.md §5), so the CLI and tests run without a screen; the core's rooms import only rooms
below them; the window reaches the archive only through core services."""

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
    m.name for m in pkgutil.walk_packages([str(CORE_DIR)], prefix="desktop.core.")
)
# The rooms of desktop.core, lowest first: a module may import its own room and rooms before it.
ROOMS = ("common", "office", "indicators", "archive", "extract", "search", "review", "materials",
         "ledger", "transfer", "export", "admin")
# What the window may not import: the database layer and the file store are core internals.
UI_FORBIDDEN = ("sqlalchemy", "alembic", "desktop.core.archive.db", "desktop.core.archive.models",
                "desktop.core.archive.store", "desktop.core.archive.audit")
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
    expected = {"archive.archive", "archive.audit", "archive.db", "materials.detect",
                "materials.importer", "indicators.system", "archive.items", "materials.service",
                "archive.models", "archive.store", "admin.fsck", "review.decisions"}
    assert {m.removeprefix("desktop.core.") for m in CORE_MODULES} >= expected


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, at any depth (inside functions and TYPE_CHECKING too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["desktop", "core"] else None


def test_every_core_module_lives_in_a_room() -> None:
    flat = sorted(p.name for p in CORE_DIR.glob("*.py") if p.name != "__init__.py")
    assert flat == []
    rooms = sorted(p.name for p in CORE_DIR.iterdir() if (p / "__init__.py").exists())
    assert rooms == sorted(ROOMS)


def test_core_rooms_import_only_downward() -> None:
    offenders = []
    for path in sorted(CORE_DIR.rglob("*.py")):
        own = path.relative_to(CORE_DIR).parts[0]
        if own == "__init__.py":
            continue
        for line, module in _imports(path):
            if module.startswith(("desktop.ui", "desktop.cli", "desktop.demo")):
                offenders.append(f"{path.relative_to(REPO)}:{line} imports {module}")
            room = _room(module)
            if room in ROOMS and ROOMS.index(room) > ROOMS.index(own):
                offenders.append(f"{path.relative_to(REPO)}:{line} ({own}) imports {module}")
    assert offenders == []


def test_the_window_imports_no_database_and_no_store() -> None:
    ui = REPO / "desktop" / "ui"
    offenders = [f"{path.name}:{line} {module}" for path in sorted(ui.rglob("*.py"))
                 for line, module in _imports(path)
                 if module.startswith(UI_FORBIDDEN)]
    assert offenders == []


def test_the_layering_checks_catch_an_upward_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from desktop.core.export.plan import make_plan\n"
                      "import sqlalchemy.orm\n", encoding="utf-8")
    modules = [m for _, m in _imports(sample)]
    assert "desktop.core.export.plan" in modules and "sqlalchemy.orm" in modules
    assert _room("desktop.core.export.plan") == "export" and _room("sqlalchemy.orm") is None
    assert ROOMS.index("export") > ROOMS.index("archive")
    assert "sqlalchemy.orm".startswith(UI_FORBIDDEN)


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
