"""desktop.core.extract: text layers, OCR and the isolating runner, on files made here.

The OCR tests (names contain "ocr") are slow-ish (a few seconds in all) and are never skipped:
the OCR engine is a declared dependency, so a missing or broken install must fail CI.
"""

from __future__ import annotations

import io
import os
import signal
import threading
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pymupdf
import pytest
from docx import Document
from lxml import etree
from PIL import Image

from desktop.core.extract import (
    ExtractError,
    ExtractJob,
    ExtractRunner,
    PageText,
    decode_text,
    extract_text,
    normalise_ocr_lines,
    ocr_available,
    ocr_file,
)
from desktop.demo.samples import make_docx, make_pdf, make_photo, make_scanned_pdf, make_xlsx

PHRASE = "未成年人思想道德建设"
CAPTION = "2024年3月5日　吴州市姑苏区文明实践站　学雷锋志愿服务活动"
SCAN_LINES = [
    "序号　姓名　　单位　　　　签到时间",
    "1　　王芳　　市文明办　　8:30",
    "2　　李建国　团市委　　　8:35",
    "3　　陈晓梅　市教育局　　8:41",
]


def squash(text: str) -> str:
    return "".join(text.split())


def hits(text: str, needles: list[str]) -> int:
    """How many of the needles occur in ``text`` (whitespace ignored)."""
    flat = squash(text)
    return sum(needle in flat for needle in needles)


# --------------------------------------------------------------------------- PDF


def test_pdf_text_comes_back_per_page_with_page_numbers(tmp_path: Path) -> None:
    paragraphs = [f"第{n}段：吴州市推进文明交通行动，设置劝导岗{n}处。" * 6 for n in range(1, 13)]
    path = make_pdf(tmp_path / "方案.pdf", "文明交通专项行动方案", paragraphs, pages=3,
                    issuer="吴州市交通运输局", doc_number="吴交发〔2024〕7号")
    result = extract_text(path, "pdf")
    assert result.state == "done"
    assert result.ocr_pages == ()
    assert [page.index for page in result.pages] == [0, 1, 2]
    assert all(page.source == "text" for page in result.pages)
    for page in result.pages:  # the footer of page n says so
        assert f"第{page.index + 1}页共3页" in squash(page.text)
    assert "吴交发〔2024〕7号" in result.pages[0].text


def test_pdf_phrase_across_a_line_break_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "跨行.pdf"
    with pymupdf.open() as doc:
        page = doc.new_page()
        page.insert_text((72, 100), "各地要切实加强未成年人思想", fontname="china-s", fontsize=14)
        page.insert_text((72, 124), "道德建设，营造良好社会环境。", fontname="china-s", fontsize=14)
        doc.save(path)
    text = extract_text(path, "pdf").text
    assert "\n" in text.strip()
    assert PHRASE in squash(text)


def test_scanned_pdf_pages_are_listed_for_ocr(tmp_path: Path) -> None:
    path = make_scanned_pdf(tmp_path / "签到表.pdf", "会议签到表", SCAN_LINES)
    result = extract_text(path, "pdf")
    assert result.state == "done"
    assert result.pages == ()
    assert result.ocr_pages == (0,)


def test_pdf_with_text_and_image_only_pages(tmp_path: Path) -> None:
    picture = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(picture, format="PNG")
    path = tmp_path / "混合.pdf"
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), "第一页是文字层，" * 4, fontname="china-s")
        doc.new_page().insert_image(pymupdf.Rect(50, 50, 500, 400), stream=picture.getvalue())
        doc.new_page().insert_text((72, 72), "1", fontname="helv")  # a page number only
        doc.save(path)
    result = extract_text(path, "pdf")
    assert result.state == "done"
    assert [page.index for page in result.pages] == [0, 2]
    assert result.ocr_pages == (1,)


def test_blank_pdf_has_no_text(tmp_path: Path) -> None:
    path = tmp_path / "空白.pdf"
    with pymupdf.open() as doc:
        doc.new_page()
        doc.save(path)
    result = extract_text(path, "pdf")
    assert result.state == "no_text"
    assert result.reason


def test_encrypted_pdf_fails_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "加密.pdf"
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), "内部资料", fontname="china-s")
        doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="yonghu",
                 owner_pw="guanli")
    result = extract_text(path, "pdf")
    assert result.state == "failed"
    assert "加密" in result.reason
    assert "\n" not in result.reason


def test_corrupt_pdf_fails_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "损坏.pdf"
    garbage = bytes((i * 73 + 11) % 251 for i in range(600)).replace(b"obj", b"xxx")
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + garbage)
    result = extract_text(path, "pdf")
    assert result.state == "failed"
    assert "损坏" in result.reason
    assert "\n" not in result.reason


def test_missing_file_fails_with_a_reason(tmp_path: Path) -> None:
    result = extract_text(tmp_path / "missing.pdf", "pdf")
    assert result.state == "failed"
    assert "不存在" in result.reason


# --------------------------------------------------------------------------- DOCX


def test_docx_paragraphs_tables_headers_and_footers(tmp_path: Path) -> None:
    document = Document()
    document.sections[0].header.paragraphs[0].text = "吴州市创建全国文明城市工作资料"
    document.sections[0].footer.paragraphs[0].text = "吴州市精神文明建设委员会办公室"
    document.add_paragraph("正文第一段：关于报送佐证材料的说明。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "姓名"
    table.cell(0, 1).text = "单位"
    table.cell(1, 0).text = "王芳"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "嵌套表格甲"
    inner.cell(0, 1).text = "嵌套表格乙"
    document.add_paragraph("表格之后的段落。")
    second = document.add_section()
    second.header.is_linked_to_previous = False
    second.header.paragraphs[0].text = "吴州市创建全国文明城市工作资料"  # same text again
    second.footer.is_linked_to_previous = False
    second.footer.paragraphs[0].text = "第二节页脚：市委宣传部"
    document.add_paragraph("第二节正文。")
    path = tmp_path / "通知.docx"
    document.save(str(path))

    result = extract_text(path, "docx")
    assert result.state == "done"
    assert [(page.index, page.source) for page in result.pages] == [(0, "text")]
    text = result.pages[0].text
    order = ["正文第一段", "姓名\t单位", "王芳", "嵌套表格甲", "嵌套表格乙", "表格之后的段落",
             "第二节正文"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert text.count("吴州市创建全国文明城市工作资料") == 1
    assert "吴州市精神文明建设委员会办公室" in text
    assert "第二节页脚：市委宣传部" in text


def test_docx_content_controls_text_boxes_and_tracked_changes(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("普通段落")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = "<w:txbxContent><w:p><w:r><w:t>文本框里的版头文字</w:t></w:r></w:p></w:txbxContent>"
    xml = [
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>内容控件里的文字</w:t></w:r></w:p></w:sdtContent></w:sdt>",
        f"<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>{box}</w:drawing>"
        f"</mc:Choice><mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent>"
        "</w:r></w:p>",
        "<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:delText>已删除的字</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>新插入的字</w:t></w:r></w:ins></w:p>",
    ]
    body = document.element.body
    for fragment in xml:
        body.insert(len(body) - 1, etree.fromstring(
            f'<w:body xmlns:w="{w}" xmlns:mc="{mc}">{fragment}</w:body>')[0])
    path = tmp_path / "控件.docx"
    document.save(str(path))
    text = extract_text(path, "docx").text
    assert "内容控件里的文字" in text
    assert text.count("文本框里的版头文字") == 1
    assert "保留新插入的字" in text
    assert "已删除" not in text


def test_pdf_form_values_and_comments_are_text(tmp_path: Path) -> None:
    path = tmp_path / "表单.pdf"
    with pymupdf.open() as doc:
        page = doc.new_page()
        page.insert_text((72, 60), "申报表", fontname="china-s")
        field = pymupdf.Widget()
        field.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
        field.field_name = "unit"
        field.field_value = "Wuzhou Civilization Office"
        field.rect = pymupdf.Rect(72, 80, 400, 100)
        page.add_widget(field)
        page.add_text_annot((72, 120), "请补充活动照片")
        doc.save(path)
    text = extract_text(path, "pdf").text
    assert text.count("Wuzhou Civilization Office") == 1
    assert "请补充活动照片" in text


def test_sample_docx_is_read_whole(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "总结.docx", "志愿服务工作总结", ["全年开展志愿服务活动120场次。"],
                     table=[["项目", "数量"], ["注册志愿者", "35812"]],
                     header="吴州市创建全国文明城市工作资料", footer="团市委")
    text = extract_text(path, "docx").text
    for part in ("志愿服务工作总结", "120场次", "注册志愿者\t35812", "工作资料", "团市委"):
        assert part in text


def test_empty_docx_has_no_text(tmp_path: Path) -> None:
    path = tmp_path / "空.docx"
    Document().save(str(path))
    result = extract_text(path, "docx")
    assert result.state == "no_text"
    assert result.pages == ()
    assert result.reason


@pytest.mark.parametrize("content, word", [
    (b"PK\x03\x04" + b"\x00" * 200, "损坏"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "加密"),
])
def test_broken_or_encrypted_docx_fails_with_a_reason(tmp_path: Path, content: bytes,
                                                      word: str) -> None:
    path = tmp_path / "坏.docx"
    path.write_bytes(content)
    result = extract_text(path, "docx")
    assert result.state == "failed"
    assert word in result.reason


def test_zip_that_is_not_a_word_document_fails(tmp_path: Path) -> None:
    path = tmp_path / "假.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "不是 Word 文档")
    result = extract_text(path, "docx")
    assert result.state == "failed"
    assert "DOCX" in result.reason


# --------------------------------------------------------------------------- XLSX


def test_xlsx_every_sheet_is_a_page(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "台账"
    first.append(["序号", "问题描述", "整改时限", "金额"])
    first.append([1, "占道经营", date(2024, 5, 20), 12.5])
    first.append([2, "小广告乱贴", datetime(2024, 6, 1, 0, 0), 3.0])
    workbook.create_sheet("空表")
    third = workbook.create_sheet("汇总")
    third["B3"] = "合计"
    third["C3"] = "=SUM(1,2)"  # no cached value: read as empty with data_only
    third["D3"] = 15.5
    path = tmp_path / "台账.xlsx"
    workbook.save(path)

    result = extract_text(path, "xlsx")
    assert result.state == "done"
    assert [page.index for page in result.pages] == [0, 2]
    ledger, total = result.pages
    assert ledger.text.splitlines() == [
        "台账", "序号\t问题描述\t整改时限\t金额", "1\t占道经营\t2024-05-20\t12.5",
        "2\t小广告乱贴\t2024-06-01\t3"]
    assert total.text.splitlines() == ["汇总", "\t合计\t\t15.5"]


def test_sample_xlsx(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "空气.xlsx", "2024年空气质量月度统计", ["月份", "PM2.5（μg/m³）"],
                     [["2024年1月", 41], ["2024年2月", 37]])
    text = extract_text(path, "xlsx").text
    assert "2024年空气质量月度统计" in text
    assert "2024年2月\t37" in text


def test_empty_xlsx_has_no_text(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    openpyxl.Workbook().save(path)
    assert extract_text(path, "xlsx").state == "no_text"


# --------------------------------------------------------------------------- plain text and images

TEXT = "吴州市文明办关于报送2024年第一季度台账的通知\r\n各单位：请于3月31日前报送。\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_files_in_chinese_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(TEXT.encode(encoding))
    result = extract_text(path, "text")
    assert result.state == "done"
    assert result.pages == (PageText(0, TEXT.replace("\r\n", "\n").strip(), "text"),)


def test_gb18030_beyond_gbk_and_undecodable_text() -> None:
    rare = "𠮷野家与䶮"  # outside GBK, inside GB18030
    assert decode_text(rare.encode("gb18030")) == rare
    with pytest.raises(ExtractError, match="编码"):
        decode_text(b"\xff\xff\x81\x30\xff")


def test_empty_text_file(tmp_path: Path) -> None:
    path = tmp_path / "空.txt"
    path.write_bytes(b"\xef\xbb\xbf \r\n")
    assert extract_text(path, "text").state == "no_text"


def test_images_need_ocr_for_every_frame(tmp_path: Path) -> None:
    frames = [Image.new("L", (200, 100), shade) for shade in (255, 200, 150)]
    tiff = tmp_path / "多页.tif"
    frames[0].save(tiff, format="TIFF", save_all=True, append_images=frames[1:])
    png = tmp_path / "图.png"
    frames[0].save(png, format="PNG")
    assert extract_text(tiff, "tiff") == extract_text(tiff, "tif")
    result = extract_text(tiff, "tiff")
    assert (result.state, result.pages, result.ocr_pages) == ("done", (), (0, 1, 2))
    assert extract_text(png, "png").ocr_pages == (0,)
    broken = tmp_path / "坏.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    assert extract_text(broken, "jpeg").state == "failed"


def test_unsupported_kind_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        extract_text(tmp_path / "a.exe", "exe")


def test_ocr_lines_are_put_in_reading_order_and_unspaced() -> None:
    def box(x: float, y: float, w: float = 100, h: float = 20) -> list[list[float]]:
        return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]

    boxes = [box(300, 52), box(10, 50), box(10, 100), box(10, 150)]
    texts = ["共 8 1 条", "检查情况 ：", "No. 12 PM2.5", "王 芳"]
    assert normalise_ocr_lines(boxes, texts) == "检查情况： 共81条\nNo. 12 PM2.5\n王芳"


# ------------------------------------------------------------------- OCR (slow, never skipped)


def test_ocr_reads_the_caption_of_a_photo(tmp_path: Path) -> None:
    assert ocr_available(), "rapidocr/onnxruntime are dependencies and must be installed"
    path = make_photo(tmp_path / "活动.jpg", CAPTION, seed=3, scene="plaza")
    pages = ocr_file(path, "jpeg", [0])
    assert [(page.index, page.source) for page in pages] == [(0, "ocr")]
    found = hits(pages[0].text, ["2024", "吴州", "文明实践", "学雷锋", "志愿服务"])
    assert found >= 4, pages[0].text


def test_ocr_of_a_scanned_pdf_through_the_runner(tmp_path: Path) -> None:
    path = make_scanned_pdf(tmp_path / "签到表.pdf", "文明交通志愿服务签到表", SCAN_LINES)
    with ExtractRunner() as runner:
        text_phase = runner.run(ExtractJob("k1", path, "pdf", "text"))
        assert text_phase.ocr_pages == (0,)
        result = runner.run(ExtractJob("k1", path, "pdf", "ocr", text_phase.ocr_pages))
    assert result.state == "done", result.reason
    assert [(page.index, page.source) for page in result.pages] == [(0, "ocr")]
    found = hits(result.pages[0].text, ["签到表", "王芳", "李建国", "陈晓梅", "文明办", "教育局"])
    assert found >= 5, result.pages[0].text


def test_ocr_timeout_kills_the_child_and_the_next_job_works(tmp_path: Path) -> None:
    photo = make_photo(tmp_path / "活动.png", CAPTION, fmt="PNG", seed=5)
    pdf = make_pdf(tmp_path / "通知.pdf", "关于开展文明交通行动的通知", ["请各单位认真落实。"])
    with ExtractRunner(ocr_timeout_per_page=0.5) as runner:
        started = time.monotonic()
        result = runner.run(ExtractJob("k2", photo, "png", "ocr", (0,)))
        assert time.monotonic() - started < 5
        assert result.state == "failed"
        assert result.reason.startswith("超时：0.5 秒内未完成")
        assert runner.restarts == 1
        after = runner.run(ExtractJob("k3", pdf, "pdf", "text"))
    assert after.state == "done"
    assert "文明交通" in after.text


# --------------------------------------------------------------------------- runner (no OCR)


def test_runner_runs_text_jobs_and_reports_errors(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "方案.pdf", "工作方案", [PHRASE + "工作方案正文。"], pages=2)
    docx = make_docx(tmp_path / "纪要.docx", "会议纪要", ["会议研究了创建工作。"])
    broken = tmp_path / "坏.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    with ExtractRunner() as runner:
        first = runner.run(ExtractJob("a", pdf, "pdf", "text"))
        pid = runner.child_pid
        second = runner.run(ExtractJob("b", docx, "docx", "text"))
        # the child raises (the image cannot be decoded): a failed result, not a traceback
        raised = runner.run(ExtractJob("c", broken, "jpeg", "ocr", (0,)))
        unknown = runner.run(ExtractJob("d", pdf, "exe", "text"))
        assert runner.child_pid == pid  # one child for all of them
        assert runner.restarts == 0
    assert runner.child_pid is None
    assert first.state == "done" and [p.index for p in first.pages] == [0, 1]
    assert PHRASE in squash(first.text)
    assert second.state == "done" and "会议研究了创建工作" in second.text
    assert raised.state == "failed" and "图片已损坏" in raised.reason
    assert unknown.state == "failed" and "不支持的文件类型" in unknown.reason
    assert "\n" not in raised.reason + unknown.reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO to hang a read (POSIX)")
def test_runner_survives_hanging_crashing_and_cancelled_jobs(tmp_path: Path) -> None:
    fifo = tmp_path / "挂起.txt"
    os.mkfifo(fifo)  # opening it for reading blocks until a writer comes: a hang
    text = tmp_path / "正常.txt"
    text.write_text("创建工作正常推进", encoding="utf-8")
    with ExtractRunner(text_timeout=1.0) as runner:
        hung = runner.run(ExtractJob("h", fifo, "text", "text"))
        assert hung.state == "failed" and hung.reason == "超时：1 秒内未完成"

        runner.text_timeout = 30.0
        assert runner.run(ExtractJob("t", text, "text", "text")).state == "done"
        pid = runner.child_pid
        assert pid is not None
        killer = threading.Timer(0.5, os.kill, (pid, signal.SIGKILL))
        killer.start()  # a segfault in a C library looks the same from outside
        crashed = runner.run(ExtractJob("c", fifo, "text", "text"))
        killer.join()
        assert crashed.state == "failed"
        assert "崩溃" in crashed.reason and "SIGKILL" in crashed.reason
        assert runner.restarts == 2
        again = runner.run(ExtractJob("t", text, "text", "text"))
        assert again.state == "done" and again.text == "创建工作正常推进"

        canceller = threading.Timer(0.5, runner.cancel)
        canceller.start()  # the user pressed 取消 while a file hangs
        cancelled = runner.run(ExtractJob("c", fifo, "text", "text"))
        canceller.join()
        assert cancelled.state == "failed" and cancelled.reason.startswith("已取消")
        assert runner.run(ExtractJob("t", text, "text", "text")).state == "done"


def test_ocr_job_without_pages_needs_no_child() -> None:
    runner = ExtractRunner()
    assert runner.run(ExtractJob("x", Path("nothing.pdf"), "pdf", "ocr")).state == "done"
    assert runner.child_pid is None
    with pytest.raises(ValueError):
        runner.run(ExtractJob("x", Path("nothing.pdf"), "pdf", "index"))

