"""The limits on inputs, case by case in the core: task lists (sizes declared and actual, rows,
columns), profiles (aliases, nesting, dates), detection (padded and sparse files, zip bombs),
the extraction child's memory, what error messages quote, and the names an export gives."""

from __future__ import annotations

import io
import random
import struct
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from desktop.core.admin.profile import load_profile
from desktop.core.common.errors import ZichaError
from desktop.core.export.layout import safe_name
from desktop.core.ledger.tasklist import read_task_list
from desktop.core.materials.detect import Refused, detect
from tests.conftest import build_docx, build_pdf

HEAD = "format: zicha-bureau-profile/1\nbureau:\n  name: 吴州市文明办\n  code: WZ-01\n"


def _task_list(path: Path, rows: int = 3, extra_columns: int = 0) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["测评内容", "牵头单位", "完成时限", *[f"备注{n}" for n in range(extra_columns)]])
    for n in range(rows):
        sheet.append([f"任务{n + 1}", "市文明办", "2024-06-30",
                      *(["x"] * extra_columns)])
    book.save(path)
    return path


# -- what messages quote ------------------------------------------------------------------------

def test_quoted_shortens_long_input_and_says_how_long_it_was() -> None:
    from desktop.core.common.limits import quoted

    assert quoted("市文明办") == "市文明办"
    assert quoted("a\nb\tc") == "a b c"
    long = quoted("吴" * 3_000_000)
    assert len(long) < 100 and long.startswith("吴" * 60) and "3000000" in long


def test_a_long_sheet_name_asked_for_is_quoted_short(tmp_path: Path) -> None:
    listed = _task_list(tmp_path / "清单.xlsx")
    with pytest.raises(ZichaError) as caught:
        read_task_list(listed, sheet="表" * 1_000_000)
    assert len(str(caught.value)) < 300 and "1000000" in str(caught.value)


# -- task lists ---------------------------------------------------------------------------------

def _lie_about_sizes(path: Path, member: str, declared: int) -> None:
    """Rewrite the uncompressed size of `member` in its local header and the central
    directory, as a crafted bomb does to slip past a size check."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46:position + 46 + name_length].decode() == member:
            struct.pack_into("<I", data, position + 24, declared)
        position = data.find(b"PK\x01\x02", position + 4)
    path.write_bytes(bytes(data))


def test_a_member_that_inflates_past_its_declared_size_is_refused(tmp_path: Path) -> None:
    listed = _task_list(tmp_path / "清单.xlsx", rows=5000)
    _lie_about_sizes(listed, "xl/worksheets/sheet1.xml", 1000)
    started = time.monotonic()
    with pytest.raises(ZichaError) as caught:
        read_task_list(listed)
    assert time.monotonic() - started < 10
    assert "清单.xlsx" in str(caught.value) and "内部错误" not in str(caught.value)


def test_a_huge_task_list_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "清单.xlsx"
    with huge.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(5 * 1024**3)  # sparse: no disk
    with pytest.raises(ZichaError, match="50 MB 上限"):
        read_task_list(huge)


def test_too_many_columns_are_refused(tmp_path: Path) -> None:
    listed = _task_list(tmp_path / "宽表.xlsx", rows=2, extra_columns=250)
    with pytest.raises(ZichaError, match="200 列上限"):
        read_task_list(listed)


def test_a_list_whose_declared_range_is_too_small_is_read_whole(tmp_path: Path) -> None:
    listed = _task_list(tmp_path / "清单.xlsx", rows=30)
    with zipfile.ZipFile(listed) as package:
        members = {name: package.read(name) for name in package.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    members["xl/worksheets/sheet1.xml"] = sheet.replace('<dimension ref="A1:C31"/>',
                                                        '<dimension ref="A1:C3"/>').encode()
    assert members["xl/worksheets/sheet1.xml"] != sheet.encode()
    with zipfile.ZipFile(listed, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    assert len(read_task_list(listed).rows) == 30


# -- profiles -----------------------------------------------------------------------------------

def test_any_yaml_alias_is_refused_with_its_line(tmp_path: Path) -> None:
    profile = tmp_path / "单位配置.yaml"
    profile.write_text(HEAD + "departments: &d [市文明办]\ntasks: {warn_days: 7}\n", "utf-8")
    with pytest.raises(ZichaError, match="第 5 行.*别名"):
        load_profile(profile)


def test_a_deeply_nested_profile_is_a_clear_message(tmp_path: Path) -> None:
    profile = tmp_path / "单位配置.yaml"
    profile.write_text(HEAD + "departments: " + "[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    with pytest.raises(ZichaError, match="单位配置.yaml 第 5 行嵌套超过 20 层上限"):
        load_profile(profile)


def test_toml_dates_still_load(tmp_path: Path) -> None:
    profile = tmp_path / "单位配置.toml"
    profile.write_text('format = "zicha-bureau-profile/1"\n[bureau]\nname = "吴州市文明办"\n'
                       'code = "WZ-01"\n[export]\nevaluation_date = 2024-06-30\n', "utf-8")
    assert load_profile(profile).data["export"]["evaluation_date"] == "2024-06-30"


# -- detection ----------------------------------------------------------------------------------

def test_a_small_pdf_without_its_trailer_is_still_repaired(tmp_path: Path) -> None:
    pdf = build_pdf(tmp_path / "无尾.pdf", pages=2)
    data = pdf.read_bytes()
    pdf.write_bytes(data[:data.rfind(b"startxref")])
    assert detect(pdf).page_count == 2


def test_a_padded_docx_is_refused(tmp_path: Path) -> None:
    docx = build_docx(tmp_path / "通知.docx")
    padded = tmp_path / "填充.docx"
    # zeros between the members and the central directory: still a valid zip
    with zipfile.ZipFile(docx) as package, zipfile.ZipFile(padded, "w") as out:
        for info in package.infolist():
            out.writestr(info, package.read(info.filename))
        out.fp.write(b"\x00" * 40 * 1024 * 1024)  # type: ignore[union-attr]
        out.start_dir = out.fp.tell()  # type: ignore[attr-defined,union-attr]
    with zipfile.ZipFile(padded) as package:
        assert package.testzip() is None
    with pytest.raises(Refused, match="填充"):
        detect(padded)


def test_a_docx_bomb_is_refused_before_it_inflates(tmp_path: Path) -> None:
    bomb = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(build_docx(tmp_path / "a.docx")) as source, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info.filename))
        with out.open("word/media/zeros.bin", "w", force_zip64=True) as handle:
            for _ in range(64):
                handle.write(b"\x00" * 1024 * 1024)
    started = time.monotonic()
    with pytest.raises(Refused, match="200 倍上限"):
        detect(bomb)
    assert time.monotonic() - started < 5


# -- extraction ---------------------------------------------------------------------------------

def _hungry_docx(path: Path, megabytes: int) -> Path:
    doc = Document()
    doc.add_paragraph("x")
    buffer = io.BytesIO()
    doc.save(buffer)
    numbers = random.Random(3)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED,
                                                            compresslevel=1) as out:
        for info in source.infolist():
            xml = source.read(info.filename)
            if info.filename == "word/document.xml":
                head = xml.decode().split("<w:body>")[0]
                body = "".join(f"<w:p><w:r><w:t>{numbers.randrange(10**6)}</w:t></w:r></w:p>"
                               for _ in range(megabytes * 1024 * 1024 // 40))
                xml = f"{head}<w:body>{body}</w:body></w:document>".encode()
            out.writestr(info.filename, xml)
    return path


@pytest.mark.slow
def test_the_extraction_child_has_a_memory_limit(tmp_path: Path) -> None:
    from desktop.core.extract.runner import ExtractJob, ExtractRunner

    hungry = _hungry_docx(tmp_path / "大文档.docx", 40)
    small = build_docx(tmp_path / "通知.docx")
    with ExtractRunner(memory_mb=150) as runner:
        result = runner.run(ExtractJob("a", hungry, "docx", "text"))
        assert result.state == "failed" and "内存超过 150 MB 上限" in result.reason, result
        after = runner.run(ExtractJob("b", small, "docx", "text"))  # the child goes on
    assert after.state == "done" and "文明交通" in after.text


# -- exported names -----------------------------------------------------------------------------

@pytest.mark.parametrize("hidden", ["\u202e", "\u202d", "\u2066", "\u200b", "\u200f", "\ufeff",
                                    "\x9b", "\u061c"])
def test_exported_names_lose_bidi_and_format_characters(hidden: str) -> None:
    name = safe_name(f"报告{hidden}fdp.exe", suffix=".pdf")
    assert name == "报告fdp.exe.pdf"
