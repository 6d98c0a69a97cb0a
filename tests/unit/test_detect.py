"""detect(): what a file is, from its content; bad files are refused with a reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.core.materials.detect import Refused, detect
from tests.conftest import IS_ROOT, FileBuilder


def _refused(path: Path) -> str:
    with pytest.raises(Refused) as err:
        detect(path)
    reason = str(err.value)
    assert reason and "\n" not in reason
    return reason


def test_pdf_with_page_count(file_builder: FileBuilder) -> None:
    found = detect(file_builder.pdf("关于印发《文明交通行动方案》的通知.pdf", pages=3))
    assert (found.kind, found.mime, found.page_count, found.note) == (
        "pdf", "application/pdf", 3, "")


def test_docx(file_builder: FileBuilder) -> None:
    found = detect(file_builder.docx("志愿服务活动方案.docx"))
    assert found.kind == "docx"
    assert found.mime.endswith("wordprocessingml.document")
    assert (found.page_count, found.note) == (None, "")


def test_xlsx(file_builder: FileBuilder) -> None:
    found = detect(file_builder.xlsx("任务分解清单.xlsx"))
    assert found.kind == "xlsx"
    assert found.mime.endswith("spreadsheetml.sheet")
    assert found.note == ""


@pytest.mark.parametrize("fmt, name, kind, mime, pages", [
    ("JPEG", "现场照片.jpg", "jpeg", "image/jpeg", None),
    ("JPEG", "现场照片.jpeg", "jpeg", "image/jpeg", None),
    ("PNG", "宣传栏.png", "png", "image/png", None),
    ("TIFF", "扫描件.tif", "tiff", "image/tiff", 1),
])
def test_images(file_builder: FileBuilder, fmt: str, name: str, kind: str, mime: str,
                pages: int | None) -> None:
    found = detect(file_builder.image(name, fmt))
    assert (found.kind, found.mime, found.page_count, found.note) == (kind, mime, pages, "")


def test_text_in_gb18030(file_builder: FileBuilder) -> None:
    data = "创建全国文明城市，共建美好家园。\r\n市文明办\r\n".encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # so this really is the GB18030 path
    found = detect(file_builder.bytes("工作简报.txt", data))
    assert (found.kind, found.mime, found.note) == ("text", "text/plain", "")


def test_text_in_utf8(file_builder: FileBuilder) -> None:
    found = detect(file_builder.bytes("说明.txt", "文明城市".encode() * 3000))
    assert found.kind == "text"


def test_mislabelled_pdf_named_docx_is_a_pdf_with_a_note(file_builder: FileBuilder) -> None:
    pdf = file_builder.pdf("real.pdf")
    fake = file_builder.bytes("实施方案.docx", pdf.read_bytes())
    found = detect(fake)
    assert (found.kind, found.page_count) == ("pdf", 1)
    assert ".docx" in found.note and "PDF" in found.note


def test_image_without_extension_gets_a_note(file_builder: FileBuilder) -> None:
    jpg = file_builder.image("photo.jpg")
    found = detect(file_builder.bytes("无扩展名", jpg.read_bytes()))
    assert found.kind == "jpeg"
    assert "无扩展名" in found.note


def test_encrypted_pdf_is_refused(file_builder: FileBuilder) -> None:
    assert "加密" in _refused(file_builder.encrypted_pdf("加密文件.pdf"))


def test_corrupt_pdf_is_refused(file_builder: FileBuilder) -> None:
    assert "PDF" in _refused(file_builder.corrupt_pdf("损坏.pdf"))


def test_truncated_pdf_is_refused(file_builder: FileBuilder) -> None:
    whole = file_builder.pdf("whole.pdf").read_bytes()
    assert "PDF" in _refused(file_builder.bytes("截断.pdf", whole[:300]))


def test_empty_file_is_refused(file_builder: FileBuilder) -> None:
    assert "空" in _refused(file_builder.bytes("空文件.pdf", b""))


def test_an_ole_file_that_is_no_office_document_is_kept_as_other(
        file_builder: FileBuilder) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    found = detect(file_builder.bytes("旧版文档.doc", ole))
    assert found.kind == "other" and found.note


def test_a_zip_of_files_is_kept_as_an_archive(file_builder: FileBuilder) -> None:
    found = detect(file_builder.zip("压缩包.zip", {"说明.txt": "不是 Office 文件"}))
    assert (found.kind, found.mime, found.note) == ("zip", "application/zip", "")


def test_zip_named_docx_is_an_archive_with_the_mismatch_named(file_builder: FileBuilder) -> None:
    found = detect(file_builder.zip("假的.docx", {"readme.txt": "hello"}))
    assert found.kind == "zip" and found.note == "扩展名 .docx，内容是 ZIP，按 ZIP 保存"


def test_docx_named_wps_is_filed_by_content(file_builder: FileBuilder) -> None:
    docx = file_builder.docx("正文.docx").read_bytes()
    found = detect(file_builder.bytes("通知.wps", docx))
    assert found.kind == "docx" and found.note == "扩展名 .wps，内容是 DOCX，按 DOCX 保存"


def test_broken_docx_is_refused(file_builder: FileBuilder) -> None:
    whole = file_builder.docx("whole.docx").read_bytes()
    assert "损坏" in _refused(file_builder.bytes("残缺.docx", whole[: len(whole) // 2]))


def test_corrupt_image_is_refused(file_builder: FileBuilder) -> None:
    png = file_builder.image("ok.png", "PNG").read_bytes()
    assert "PNG" in _refused(file_builder.bytes("坏图.png", png[:40]))


def test_unknown_binary_is_kept_as_other(file_builder: FileBuilder) -> None:
    found = detect(file_builder.bytes("程序.exe", b"MZ\x90\x00" + bytes(200)))
    assert found.kind == "other" and "无法识别" in found.note


def test_binary_named_txt_is_kept_as_other(file_builder: FileBuilder) -> None:
    found = detect(file_builder.bytes("伪装.txt", b"\x00\x01\x02binary"))
    assert found.kind == "other" and "无法识别" in found.note


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("页面.htm", b"<!DOCTYPE html><html><body>\xe9\x80\x9a\xe7\x9f\xa5</body></html>", "html"),
    ("来信.eml", b"From: a@example.cn\nTo: b@example.cn\nSubject: hi\n\nbody\n", "eml"),
    ("统计.csv", "区县,数量\n雁峰,3\n".encode("gb18030"), "csv"),
    ("说明.md", "# 标题\n\n正文".encode(), "markdown"),
    ("笔记.rtf", b"{\\rtf1\\ansi\\ansicpg936 hi}", "rtf"),
    ("记事本.txt", "记事本的 Unicode".encode("utf-16"), "text"),
    ("config.json", b'{"a": 1}', "text"),
    ("包.7z", b"7z\xbc\xaf\x27\x1c" + bytes(40), "7z"),
    ("包.rar", b"Rar!\x1a\x07\x01\x00" + bytes(40), "rar"),
])
def test_kinds_read_from_content(file_builder: FileBuilder, name: str, data: bytes,
                                 kind: str) -> None:
    found = detect(file_builder.bytes(name, data))
    assert (found.kind, found.note) == (kind, "")


@pytest.mark.parametrize(("fmt", "name", "kind"), [
    ("BMP", "扫描.bmp", "bmp"), ("GIF", "动图.gif", "gif"), ("WEBP", "网图.webp", "webp"),
])
def test_more_image_kinds(file_builder: FileBuilder, fmt: str, name: str, kind: str) -> None:
    found = detect(file_builder.image(name, fmt))
    assert (found.kind, found.note) == (kind, "")


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their mode bits; "
                                    "test_file_whose_read_fails covers unreadable files as root")
def test_file_with_mode_000_is_refused(file_builder: FileBuilder) -> None:
    path = file_builder.pdf("无权限.pdf")
    path.chmod(0)
    assert "权限" in _refused(path)


def test_file_whose_read_fails(file_builder: FileBuilder) -> None:
    path, _how = file_builder.unreadable("读不出.pdf")
    reason = _refused(path)
    assert "读" in reason or "权限" in reason


def test_dangling_link_is_refused(file_builder: FileBuilder) -> None:
    link = file_builder.base / "失效链接.pdf"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(file_builder.base / "不存在.pdf")
    assert "无法读取" in _refused(link)


def test_a_named_pipe_is_refused_without_blocking(file_builder: FileBuilder) -> None:
    file_builder.base.mkdir(parents=True, exist_ok=True)
    fifo = file_builder.base / "管道.pdf"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    assert "不是普通文件" in _refused(fifo)


def test_a_folder_is_refused(file_builder: FileBuilder) -> None:
    folder = file_builder.base / "看起来像文件.pdf"
    folder.mkdir(parents=True)
    assert "文件夹" in _refused(folder)


@pytest.mark.parametrize("lead", ["", "a"])
def test_long_gb18030_text_whatever_byte_the_sample_ends_on(file_builder: FileBuilder,
                                                            lead: str) -> None:
    # detect() samples the first 8 KiB; with an odd lead the sample ends inside a character
    data = (lead + "创建全国文明城市" * 1000).encode("gb18030")
    assert len(data) > 8192
    assert detect(file_builder.bytes(f"长文本{lead}.txt", data)).kind == "text"


FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


@pytest.mark.parametrize(("fixture", "says"), [
    ("legacy/tongzhi-encrypted.doc", "Word 97-2003"),
    ("legacy/taizhang-encrypted.xls", "Excel 97-2003"),
    ("legacy/tongzhi-encrypted.docx", "DOCX"),
    ("markup/加密.pptx", "PPTX"),
    ("markup/加密.odt", "ODT"),
])
def test_encrypted_office_files_are_refused_saying_so(fixture: str, says: str) -> None:
    reason = _refused(FORMATS / fixture)
    assert "已加密" in reason and says in reason and "取消密码" in reason


@pytest.mark.parametrize(("fixture", "kind"), [
    ("legacy/tongzhi.doc", "doc"), ("legacy/taizhang.xls", "xls"),
    ("markup/汇报.pptx", "pptx"), ("markup/通知.odt", "odt"), ("markup/台账.ods", "ods"),
    ("markup/汇报.odp", "odp"), ("markup/通知.epub", "epub"), ("markup/通知.rtf", "rtf"),
    ("markup/poi-chinese-traditional.msg", "msg"), ("ofd/notice_easyofd.ofd", "ofd"),
    ("media/photo.heic", "heic"), ("media/clip.3gp", "3gp"), ("media/tone.wma", "wma"),
    ("media/clip.wmv", "wmv"), ("media/tone.m4a", "m4a"), ("media/clip.mov", "mov"),
    ("media/clip.ts", "mpeg"), ("media/tone.amr", "amr"), ("archives/chinese.7z", "7z"),
])
def test_real_files_are_told_by_content(fixture: str, kind: str) -> None:
    found = detect(FORMATS / fixture)
    assert (found.kind, found.note) == (kind, "")
