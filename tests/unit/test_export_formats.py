"""The export and its 四性检测 on the formats offices keep: OFD drawn as PDF, a HEIC photo as a
captioned page, Word 97/WPS and PowerPoint converted by LibreOffice where it is installed (kept
as they are, with a note, where it is not), a video copied and held to the size limit."""

from __future__ import annotations

import gzip
import os
import zipfile
from pathlib import Path
from unittest import mock

import pymupdf
import pytest

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item
from desktop.core.export import bag, convert
from desktop.core.export.model import ExportRules
from desktop.core.export.plan import make_plan
from desktop.core.export.verify import verify_export
from desktop.core.materials.importer import ImportOptions, import_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
FILES = {"通知.ofd": "ofd/notice_easyofd.ofd", "手机照片.heic": "media/photo.heic",
         "检查通知.doc": "legacy/tongzhi.doc", "工作汇报.dps": "legacy/jianbao.ppt.gz",
         "活动视频.mp4": "media/clip.mp4", "宣传片.mkv": "media/clip.mkv"}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("export-formats")
    folder = base / "材料"
    folder.mkdir()
    for name, fixture in FILES.items():
        data = (FIXTURES / fixture).read_bytes()
        (folder / name).write_bytes(gzip.decompress(data) if fixture.endswith(".gz") else data)
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(base / "home")}), \
            Archive.create(base / "档案") as opened:
        add_item(opened, "01.01", "测试内容")
        rows = list(import_paths(opened, [folder], ImportOptions(codes=["01.01"])))
        assert [r.status for r in rows] == ["stored"] * len(FILES)
        yield opened


def _actions(plan) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {f.source_name: (f.action, Path(f.path).suffix) for m in plan.materials
            for f in m.files}


def test_the_plan_without_libreoffice(archive: Archive) -> None:
    plan = make_plan(archive, ExportRules(docx_to_pdf=True), all_stages=True, soffice=None)
    assert _actions(plan) == {
        "通知.ofd": ("ofd_pdf", ".pdf"), "手机照片.heic": ("image_pdf", ".pdf"),
        "检查通知.doc": ("copy", ".doc"), "工作汇报.dps": ("copy", ".ppt"),
        "活动视频.mp4": ("copy", ".mp4"), "宣传片.mkv": ("copy", ".mkv")}
    assert any("未安装 LibreOffice" in note for note in plan.notes)
    flags = {f for m in plan.materials for f in m.flags}
    assert any("检查通知.doc" in f and "LibreOffice" in f for f in flags)
    assert any("宣传片.mkv" in f and "MP4" in f for f in flags)
    assert not any("活动视频.mp4" in f or "通知.ofd" in f or "手机照片" in f for f in flags)


def test_the_size_limit_holds_for_video(archive: Archive) -> None:
    tiny = ExportRules(max_file_mb=0.001)
    flags = {f for m in make_plan(archive, tiny, all_stages=True, soffice=None).materials
             for f in m.flags}
    assert any("活动视频.mp4" in f and "上限" in f for f in flags)


def test_export_draws_the_ofd_and_the_photo_and_passes_its_check(archive: Archive,
                                                                  tmp_path: Path) -> None:
    rules = ExportRules(allowed_formats=("pdf", "jpeg", "mp4", "doc", "ppt", "mkv"))
    out = tmp_path / "导出.zip"
    bag.write_export(archive, make_plan(archive, rules, all_stages=True, soffice=None), out)
    report = verify_export(out)
    assert report.ok, [c.problems for c in report.checks if c.problems]
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        ofd_pdf = next(n for n in names if n.endswith("_通知.pdf"))
        with pymupdf.open(stream=zf.read(ofd_pdf), filetype="pdf") as pdf:
            assert pdf.page_count == 3
            assert "材料自查" in "".join(page.get_text() for page in pdf).replace("\n", "")
    assert any(n.endswith("_工作汇报.ppt") for n in names)  # WPS 演示, kept as what it is


@pytest.mark.skipif(convert.find_soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_word_97_and_wps_presentations(archive: Archive,
                                                            tmp_path: Path) -> None:
    plan = make_plan(archive, ExportRules(docx_to_pdf=True), all_stages=True)
    assert _actions(plan)["检查通知.doc"] == ("office_pdf", ".pdf")
    out = tmp_path / "转换.zip"
    bag.write_export(archive, plan, out)
    with zipfile.ZipFile(out) as zf:
        doc_pdf = next(n for n in zf.namelist() if n.endswith("_检查通知.pdf"))
        with pymupdf.open(stream=zf.read(doc_pdf), filetype="pdf") as pdf:
            assert "档案安全检查" in pdf[0].get_text().replace("\n", "")
        assert any(n.endswith("_工作汇报.pdf") for n in zf.namelist())
