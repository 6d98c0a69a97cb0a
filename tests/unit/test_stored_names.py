"""Stored files are named by their SHA-256, with no extension: every reader must cope."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.core.extract import extract_text
from desktop.core.materials import render
from desktop.demo.samples import make_docx, make_pdf, make_xlsx


@pytest.mark.parametrize(("kind", "make"), [
    ("xlsx", lambda p: make_xlsx(p, "志愿服务统计", ["姓名", "时长"], [["赵敏", 12]])),
    ("docx", lambda p: make_docx(p, "会议纪要", ["赵敏同志发言。"])),
    ("pdf", lambda p: make_pdf(p, "工作方案", ["赵敏负责。"])),
])
def test_extract_and_preview_a_file_without_extension(tmp_path: Path, kind: str, make) -> None:  # type: ignore[no-untyped-def]
    original = make(tmp_path / f"原件.{kind}")
    stored = tmp_path / ("ab" * 32)  # like files/ab/<sha256>
    shutil.copy(original, stored)
    result = extract_text(stored, kind)
    assert result.state == "done", result.reason
    assert "赵敏" in "".join(p.text for p in result.pages)
    if kind != "pdf":
        assert "赵敏" in render.text_preview(stored, kind)
