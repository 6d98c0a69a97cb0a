"""Writing the bag: cancelling leaves nothing, a failed DOCX conversion keeps the original."""

from __future__ import annotations

import os
import zipfile
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest

from desktop.core.archive.archive import Archive
from desktop.core.common.progress import Progress
from desktop.core.export import bag, convert
from desktop.core.export.plan import archive_rules, make_plan
from desktop.core.export.verify import verify_export
from tests.conftest import build_reviewed_archive


@pytest.fixture
def reviewed(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = tmp_path / "档案"
    build_reviewed_archive(root, tmp_path / "home", tmp_path / "files")
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(tmp_path / "home")}), \
            Archive.open(root) as archive:
        yield archive


def test_cancelling_leaves_no_export_and_no_partial_file(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(reviewed, archive_rules(reviewed))
    out = tmp_path / "导出.zip"
    calls = iter(range(100))
    with pytest.raises(bag.ExportCancelled):
        bag.write_export(reviewed, plan, out,
                         progress=Progress(cancelled=lambda: next(calls) >= 3))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "home", "档案"]


def test_a_failed_docx_conversion_keeps_the_original(reviewed, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(docx: Path, work_dir: Path, timeout_s: float = 120) -> Path:
        raise convert.ConversionError(f"未能把 {docx.name} 转为 PDF（测试）；将保留 DOCX 原件")

    monkeypatch.setattr(convert, "docx_to_pdf", refuse)
    plan = make_plan(reviewed, replace(archive_rules(reviewed), docx_to_pdf=True),
                     soffice="/usr/bin/soffice")
    planned = [f for m in plan.materials for f in m.files if f.source_kind == "docx"]
    assert planned and all(f.action == "docx_pdf" and f.path.endswith(".pdf") for f in planned)
    out = tmp_path / "导出.zip"
    result = bag.write_export(reviewed, plan, out)
    assert any("通知.docx" in note and "保留 DOCX 原件" in note for note in result.notes)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert any(n.endswith("002_志愿服务活动通知.docx") for n in names)
    assert not any(n.endswith("002_志愿服务活动通知.pdf") for n in names)
    assert verify_export(out).ok


def test_the_export_is_logged_in_the_audit_log(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from desktop.core.archive.models import AuditEntry

    bag.write_export(reviewed, make_plan(reviewed, archive_rules(reviewed)), tmp_path / "导出.zip",
                     actor="经办人甲")
    with reviewed.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry.action == "export.write" and entry.actor == "经办人甲"
    assert "导出.zip" in entry.detail
