"""Importing files and folders as materials (core API; the CLI is covered in tests/e2e)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.core.admin.fsck import verify_archive
from desktop.core.archive.archive import Archive
from desktop.core.archive.items import nodes
from desktop.core.archive.models import AuditEntry, Blob
from desktop.core.common.errors import UnknownCode, ZichaError
from desktop.core.materials.importer import ImportOptions, expand, import_paths
from desktop.core.materials.service import list_materials
from tests.conftest import FileBuilder


def _run(archive: Archive, paths: list[Path], codes: list[str], **kw: str) -> list:
    return list(import_paths(archive, paths, ImportOptions(codes=codes, **kw)))


def _counts(archive: Archive) -> tuple[int, int, int]:
    with archive.read() as session:
        audit = session.scalar(select(func.count()).select_from(AuditEntry))
        blobs = session.scalar(select(func.count()).select_from(Blob))
    return len(list_materials(archive)), blobs or 0, audit or 0


def test_folder_import_is_recursive_in_name_order(core_archive: Archive,
                                                  file_builder: FileBuilder) -> None:
    folder = file_builder.base / "材料"
    file_builder.pdf("材料/二级/关于印发《文明交通行动方案》的通知.pdf")
    file_builder.docx("材料/工作方案.docx")
    file_builder.xlsx("材料/台账.xlsx")
    file_builder.image("材料/二级/三级/现场.png", "PNG")
    rows = _run(core_archive, [folder], ["05"], department="市文化局")

    assert [Path(r.path).relative_to(folder).as_posix() for r in rows] == [
        "台账.xlsx", "工作方案.docx", "二级/关于印发《文明交通行动方案》的通知.pdf",
        "二级/三级/现场.png"]
    assert {r.status for r in rows} == {"stored"}
    assert rows[2].title == "关于印发《文明交通行动方案》的通知"
    assert all(r.items == ["05"] for r in rows)
    assert [m.department for m in list_materials(core_archive)] == ["市文化局"] * 4
    assert {n.code: n.material_count for n in nodes(core_archive)}["05"] == 4
    for row in rows:
        assert core_archive.store.has(row.sha256)


def test_same_content_twice_is_stored_once_and_filed_under_both(
        core_archive: Archive, file_builder: FileBuilder) -> None:
    pdf = file_builder.pdf("方案.pdf")
    copy = file_builder.bytes("副本/方案（最终版）.pdf", pdf.read_bytes())
    (first,) = _run(core_archive, [pdf], ["01"])
    counts = _counts(core_archive)
    (again,) = _run(core_archive, [pdf], ["01"])
    assert again.status == "duplicate"
    assert (again.id, again.sha256) == (first.id, first.sha256)
    assert f"#{first.id}" in again.reason
    assert _counts(core_archive) == counts  # nothing stored, nothing logged

    (other,) = _run(core_archive, [copy], ["02"])
    assert other.status == "duplicate" and other.id == first.id
    assert other.items == ["01", "02"]
    assert "02" in other.reason
    materials, blobs, audit = _counts(core_archive)
    assert (materials, blobs, audit) == (counts[0], counts[1], counts[2] + 1)


def test_bad_files_are_refused_and_the_batch_goes_on(core_archive: Archive,
                                                     file_builder: FileBuilder) -> None:
    file_builder.pdf("批次/1-好的.pdf")
    file_builder.encrypted_pdf("批次/2-加密.pdf")
    file_builder.corrupt_pdf("批次/3-损坏.pdf")
    file_builder.bytes("批次/4-空.pdf", b"")
    file_builder.unreadable("批次/5-读不出.pdf")
    file_builder.docx("批次/6-好的.docx")
    rows = _run(core_archive, [file_builder.base / "批次"], ["01"])
    assert [r.status for r in rows] == ["stored", "refused", "refused", "refused", "refused",
                                        "stored"]
    for row in rows:
        assert (row.status == "refused") == (row.id is None)
        assert (row.status == "refused") == bool(row.reason)
    assert len(list_materials(core_archive)) == 2
    assert verify_archive(core_archive).ok


def test_mislabelled_file_is_stored_with_a_note(core_archive: Archive,
                                                file_builder: FileBuilder) -> None:
    pdf = file_builder.pdf("x.pdf")
    (row,) = _run(core_archive, [file_builder.bytes("实为PDF.docx", pdf.read_bytes())], ["01"])
    assert row.status == "stored"
    assert ".docx" in row.reason
    assert list_materials(core_archive)[0].files[0].kind == "pdf"


def test_problems_found_up_front_import_nothing(core_archive: Archive,
                                                file_builder: FileBuilder) -> None:
    good = file_builder.pdf("好的.pdf")
    before = _counts(core_archive)
    with pytest.raises(ZichaError, match="找不到"):
        _run(core_archive, [good, file_builder.base / "不存在.pdf"], ["01"])
    with pytest.raises(UnknownCode):
        _run(core_archive, [good], ["01", "77.01"])
    with pytest.raises(ZichaError, match="只能用于导入单个文件"):
        _run(core_archive, [good, good], ["01"], title="一个名称")
    with pytest.raises(ZichaError, match="材料类型 乱写"):
        _run(core_archive, [good], ["01"], material_type="乱写")
    assert _counts(core_archive) == before


def test_title_and_type_options(core_archive: Archive, file_builder: FileBuilder) -> None:
    (row,) = _run(core_archive, [file_builder.pdf("scan0001.pdf")], ["01"],
                  title="市委理论学习中心组学习计划", material_type="方案计划")
    view = list_materials(core_archive)[0]
    assert row.title == view.title == "市委理论学习中心组学习计划"
    assert view.material_type == "方案计划"


def test_files_inside_the_archive_are_refused(core_archive: Archive) -> None:
    before = _counts(core_archive)
    (row,) = _run(core_archive, [core_archive.root / "zicha.db"], ["01"])
    assert row.status == "refused" and "档案文件夹内部" in row.reason
    assert _counts(core_archive) == before


def test_expand_keeps_dangling_links_so_they_are_reported(file_builder: FileBuilder) -> None:
    folder = file_builder.base / "夹"
    file_builder.pdf("夹/a.pdf")
    (folder / "b.pdf").symlink_to(folder / "gone.pdf")
    assert [p.name for p in expand([folder])] == ["a.pdf", "b.pdf"]


def test_a_link_to_a_folder_is_reported_not_passed_over(core_archive: Archive,
                                                        file_builder: FileBuilder) -> None:
    outside = file_builder.base / "别处"
    file_builder.pdf("别处/c.pdf")
    folder = file_builder.base / "夹"
    file_builder.pdf("夹/a.pdf")
    (folder / "链接").symlink_to(outside, target_is_directory=True)
    rows = list(import_paths(core_archive, [folder], ImportOptions(codes=["01"])))
    assert [(Path(r.path).name, r.status) for r in rows] == [
        ("a.pdf", "stored"), ("链接", "refused")]
    assert "链接" in rows[1].reason and "没有展开" in rows[1].reason


def test_the_same_file_again_leaves_a_material_in_review_filed_as_signed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core.export.plan import archive_rules, make_plan, refusal
    from desktop.core.review import decisions
    from tests.conftest import build_reviewed_archive

    root = tmp_path / "档案"
    ids = build_reviewed_archive(root, tmp_path / "home", tmp_path / "files")
    monkeypatch.setenv("ZICHA_USER", "经办人甲")
    with Archive.open(root) as archive:
        [row] = import_paths(archive, [tmp_path / "files" / "方案.pdf"],
                             ImportOptions(codes=["03.01"]))
        assert row.id == ids["文明交通劝导行动方案"]
        assert "已终审" in row.reason and "没有归入 03.01" in row.reason
        assert row.items == ["01.01"]
        assert decisions.signed_state_problems(archive) == []
        assert refusal(make_plan(archive, archive_rules(archive))) is None
