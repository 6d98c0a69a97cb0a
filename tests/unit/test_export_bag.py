"""Writing the bag: cancelling leaves nothing, a failed DOCX conversion keeps the original."""

from __future__ import annotations

import hashlib
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


def test_the_exports_digests_are_those_of_the_bytes_written(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ExportResult.digests: each payload file's SHA-256 and SM3, as a reader computes them."""
    out = tmp_path / "导出"
    result = bag.write_export(reviewed, make_plan(reviewed, archive_rules(reviewed)), out,
                              as_zip=False)
    assert result.digests and len(result.digests) == result.files
    for path, (sha, sm3) in result.digests.items():
        data = (out / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha
        assert hashlib.new("sm3", data).hexdigest() == sm3
    assert "digests" not in result.to_json()


def test_verify_takes_a_known_sm3_only_for_the_bytes_it_was_computed_of(reviewed,  # type: ignore[no-untyped-def]
                                                                         tmp_path: Path) -> None:
    out = tmp_path / "导出.zip"
    result = bag.write_export(reviewed, make_plan(reviewed, archive_rules(reviewed)), out)
    assert verify_export(out, known=result.digests).ok
    path = next(p for p in result.digests if p.endswith(".pdf"))
    sha, _sm3 = result.digests[path]
    # the file read back has the SHA-256 the export computed: its SM3 is the export's (here a
    # wrong one, which the SM3 manifest then contradicts)
    wrong = verify_export(out, known={**result.digests, path: (sha, "0" * 64)})
    assert not wrong.ok
    [manifest] = [c for c in wrong.checks if c.code == "2-7"]
    assert any(path in p and "SM3" in p for p in manifest.problems)
    # a known SHA-256 that is not the file's: the SM3 is computed from the file again
    assert verify_export(out, known={**result.digests, path: ("f" * 64, "0" * 64)}).ok
