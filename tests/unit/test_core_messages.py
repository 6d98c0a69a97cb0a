"""Core error messages are shown by the window too, so they name no command-line command or
flag (issue 11, item 9); what to type goes in the error's `hint`, which `zicha` appends."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from desktop.core.common.errors import ZichaError

CORE = Path(__file__).resolve().parents[2] / "desktop" / "core"
COMMAND = re.compile(r"zicha [a-z]")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _texts(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant)
            and isinstance(n.value, str)]


def _offences() -> list[str]:
    offences = []
    for path in sorted(CORE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):  # hints may name commands: leave them out of the scan
            if isinstance(node, ast.keyword) and node.arg == "hint":
                skip.update(id(n) for n in ast.walk(node.value))
        where = path.relative_to(CORE.parent.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and id(node) not in skip and COMMAND.search(node.value):
                offences.append(f"{where}:{node.lineno}: {node.value!r}")
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                for arg in node.exc.args:
                    for text in _texts(arg):
                        if FLAG.search(text):
                            offences.append(f"{where}:{node.lineno}: {text!r}")
    return offences


def test_core_messages_name_no_command_or_flag() -> None:
    assert _offences() == []


def test_the_hint_travels_with_the_error_not_in_its_message(core_archive) -> None:
    from desktop.core.archive.items import resolve_targets

    with pytest.raises(ZichaError) as err, core_archive.read() as session:
        resolve_targets(session, ["99.99"])
    assert "99.99" in str(err.value) and "zicha" not in str(err.value)
    assert "zicha items" in err.value.hint


def test_errors_without_a_hint_have_an_empty_one() -> None:
    assert ZichaError("无").hint == ""
    assert str(ZichaError("有", hint="用 zicha x")) == "有"
