"""What a document says about itself (title, date, 文号, type), read on import. The fixtures are
made here: PDFs with PyMuPDF's built-in CJK font, DOCX with python-docx, JPEGs with EXIF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop.core.materials import docmeta
from desktop.core.materials.docmeta import DocMeta, read
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.materials.service import get_material

TODAY = dt.date(2025, 3, 1)


def _pdf(path: Path, lines: list[tuple[str, float]], *, title: str = "",
         created: str = "", pages: int = 1, center: bool = False, footer: str = "") -> Path:
    """A PDF whose first page has `lines` (text, font size) top to bottom."""
    import pymupdf

    path.parent.mkdir(parents=True, exist_ok=True)
    with pymupdf.open() as doc:
        for n in range(pages):
            page = doc.new_page()
            y = 80.0
            for text, size in (lines if n == 0 else [("续页正文。", 16)]):
                width = pymupdf.get_text_length(text, fontname="china-s", fontsize=size)
                x = (page.rect.width - width) / 2 if center else 72
                page.insert_text((x, y), text, fontname="china-s", fontsize=size)
                y += size * 1.6
            if footer and n == pages - 1:
                page.insert_text((360, 720), footer, fontname="china-s", fontsize=16)
        doc.set_metadata({"title": title, "creationDate": created})
        doc.save(path)
    return path


def _docx(path: Path, paragraphs: list[tuple[str, str]], *, title: str = "",
          created: dt.datetime | None = None) -> Path:
    """A DOCX of (style-or-kind, text) paragraphs; kind "center"/"bold" formats a Normal one."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    for kind, text in paragraphs:
        if kind in ("center", "bold", "Normal"):
            p = document.add_paragraph()
            run = p.add_run(text)
            if kind == "center":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if kind == "bold":
                run.bold = True
        else:
            document.add_paragraph(text, style=kind)
    props = document.core_properties
    props.title = title
    if created:
        props.created = created
        props.author = "市文明办"
    document.save(str(path))
    return path


def _jpeg(path: Path, taken: str | None) -> Path:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", (32, 24), (200, 80, 40))
    exif = Image.Exif()
    if taken:
        exif[0x0132] = "2001:01:01 00:00:00"  # DateTime (changed): not the one wanted
        exif.get_ifd(0x8769)[0x9003] = taken  # DateTimeOriginal
    img.save(path, format="JPEG", exif=exif.tobytes())
    return path


# -- PDF ------------------------------------------------------------------------------------

def test_pdf_two_line_gongwen_title_doc_number_and_luokuan_date(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "1.pdf", [
        ("吴忠市文明办文件", 36),  # 发文机关标志: the largest, not the title
        ("吴文明办发〔2024〕12号", 16),
        ("关于印发《2024年创建全国文明城市", 22),
        ("工作实施方案》的通知", 22),
        ("各县（市、区）文明办，市直各单位：", 16),
        ("现将《实施方案》印发给你们，请于2024年7月10日前报送。", 16),
        ("吴忠市文明办", 16),
        ("2024年6月30日", 16),
    ], created="D:20240701090000+08'00'")
    meta = read(path, "pdf", today=TODAY)
    assert meta.title == "关于印发《2024年创建全国文明城市工作实施方案》的通知"
    assert meta.source == "pdf-heading"
    assert meta.doc_number == "吴文明办发〔2024〕12号"
    assert meta.date == dt.date(2024, 6, 30)  # the 落款, not the deadline or the metadata
    assert meta.material_type == "方案计划"  # 《…实施方案》


def test_pdf_metadata_title_wins_and_junk_metadata_is_ignored(tmp_path: Path) -> None:
    body = [("市志愿服务工作总结", 22), ("正文内容。", 16), ("正文内容。", 16)]
    good = _pdf(tmp_path / "a.pdf", body, title="2024年志愿服务工作总结报告")
    assert read(good, "pdf", today=TODAY).title == "2024年志愿服务工作总结报告"
    for junk in ("Microsoft Word - 2.doc", "untitled", "a.pdf", "scan_0001", "文档1",
                 "WPS 文字 - 新建文档"):
        path = _pdf(tmp_path / f"{abs(hash(junk))}.pdf", body, title=junk)
        meta = read(path, "pdf", today=TODAY)
        assert (meta.title, meta.source) == ("市志愿服务工作总结", "pdf-heading"), junk


def test_pdf_chinese_numeral_date_and_bracket_forms(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "x.pdf", [
        ("关于开展文明交通志愿服务活动的通知", 22),
        ("市文明委[2023]5号", 16),
        ("正文。", 16), ("正文。", 16),
        ("二〇二三年十二月三十一日", 16),
    ])
    meta = read(path, "pdf", today=TODAY)
    assert meta.doc_number == "市文明委[2023]5号"
    assert meta.date == dt.date(2023, 12, 31)


def test_pdf_luokuan_on_the_last_page(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "x.pdf", [("创建工作推进会会议纪要", 22),
                                     ("会议研究了下一阶段的创建工作。", 16)],
                pages=3, footer="2024.05.20")
    meta = read(path, "pdf", today=TODAY)
    assert meta.date == dt.date(2024, 5, 20)
    assert meta.material_type == "活动记录"


def test_pdf_uniform_page_has_no_heading_but_a_centred_gongwen_title(tmp_path: Path) -> None:
    plain = _pdf(tmp_path / "p.pdf", [("文明城市创建工作材料第一段", 12),
                                      ("第二段正文", 12), ("第三段正文", 12)])
    assert read(plain, "pdf", today=TODAY).title == ""
    centred = _pdf(tmp_path / "c.pdf", [("关于做好文明城市测评迎检工作的通知", 12),
                                        ("各单位：现将有关事项通知如下，请认真贯彻落实。", 12),
                                        ("一、总体要求与工作目标的详细说明文字内容", 12)],
                   center=True)
    assert read(centred, "pdf", today=TODAY).title == "关于做好文明城市测评迎检工作的通知"


def test_pdf_dates_must_be_plausible_and_metadata_is_the_fallback(tmp_path: Path) -> None:
    future = _pdf(tmp_path / "f.pdf", [("工作方案", 22), ("正文", 16), ("2031年1月1日", 16)],
                  created="D:20240102000000Z")
    assert read(future, "pdf", today=TODAY).date == dt.date(2024, 1, 2)
    old = _pdf(tmp_path / "o.pdf", [("工作方案", 22), ("正文", 16), ("1998年1月1日", 16)],
               created="D:19990101")
    assert read(old, "pdf", today=TODAY).date is None


def test_broken_and_unknown_files_say_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n not really")
    assert read(bad, "pdf") == DocMeta()
    zipped = tmp_path / "bad.docx"
    zipped.write_bytes(b"PK\x03\x04 broken")
    assert read(zipped, "docx") == DocMeta()
    text = tmp_path / "a.txt"
    text.write_text("关于印发方案的通知", encoding="utf-8")
    assert read(text, "text") == DocMeta()
    assert read(tmp_path / "missing.jpg", "jpeg").date is None


# -- DOCX -----------------------------------------------------------------------------------

def test_docx_core_title_then_heading_then_centred_or_bold(tmp_path: Path) -> None:
    core = _docx(tmp_path / "1.docx", [("Heading 1", "标题段落")], title="市级文明单位管理办法")
    meta = read(core, "docx", today=TODAY)
    assert (meta.title, meta.source, meta.material_type) == (
        "市级文明单位管理办法", "docx-title", "制度机制")

    heading = _docx(tmp_path / "2.docx", [("Normal", "吴文明办发（2024）3号"),
                                          ("Title", "关于开展“文明餐桌”行动的通知"),
                                          ("Normal", "各单位：")], title="Microsoft Word - 2.doc")
    meta = read(heading, "docx", today=TODAY)
    assert (meta.title, meta.source) == ("关于开展“文明餐桌”行动的通知", "docx-heading")
    assert meta.doc_number == "吴文明办发（2024）3号"

    centred = _docx(tmp_path / "3.docx", [("Normal", "某某区创建办"),
                                          ("center", "志愿服务活动记录"),
                                          ("Normal", "活动于上午举行。")])
    assert read(centred, "docx", today=TODAY).title == "志愿服务活动记录"
    bold = _docx(tmp_path / "4.docx", [("bold", "第三季度工作会议纪要"), ("Normal", "会议议定。")])
    assert read(bold, "docx", today=TODAY).title == "第三季度工作会议纪要"
    plain = _docx(tmp_path / "5.docx", [("Normal", "一段普通的正文。"), ("Normal", "又一段。")])
    assert read(plain, "docx", today=TODAY).title == ""


def test_docx_dates_text_then_core_created(tmp_path: Path) -> None:
    signed = _docx(tmp_path / "a.docx", [("Title", "工作方案"), ("Normal", "正文。"),
                                         ("Normal", "市文明办"), ("Normal", "2024年3月5日")],
                   created=dt.datetime(2024, 3, 9, 8, 0))
    assert read(signed, "docx", today=TODAY).date == dt.date(2024, 3, 5)
    created = _docx(tmp_path / "b.docx", [("Title", "工作方案"), ("Normal", "正文。")],
                    created=dt.datetime(2024, 3, 9, 8, 0))
    assert read(created, "docx", today=TODAY).date == dt.date(2024, 3, 9)
    labelled = _docx(tmp_path / "c.docx", [("Title", "创建动态"),
                                           ("Normal", "发布时间：2023-09-19 来源：区创建办"),
                                           ("Normal", "正文。")])
    assert read(labelled, "docx", today=TODAY).date == dt.date(2023, 9, 19)
    # python-docx's own template date (2013-12-23) is not the document's
    template = _docx(tmp_path / "d.docx", [("Title", "工作方案"), ("Normal", "正文。")])
    assert read(template, "docx", today=TODAY).date is None


# -- photos ---------------------------------------------------------------------------------

def test_photo_exif_date_original_and_type(tmp_path: Path) -> None:
    photo = read(_jpeg(tmp_path / "IMG_0001.jpg", "2024:06:30 10:15:00"), "jpeg", today=TODAY)
    assert (photo.title, photo.date, photo.material_type) == ("", dt.date(2024, 6, 30), "图片")
    bare = read(_jpeg(tmp_path / "IMG_0002.jpg", None), "jpeg", today=TODAY)
    assert (bare.date, bare.material_type) == (None, "图片")
    wrong_clock = read(_jpeg(tmp_path / "IMG_0003.jpg", "2099:01:01 00:00:00"), "jpeg",
                       today=TODAY)
    assert wrong_clock.date is None


# -- the small rules ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2024年6月30日", dt.date(2024, 6, 30)),
    ("2024 年 6 月 3 日", dt.date(2024, 6, 3)),
    ("二〇二四年六月三十日", dt.date(2024, 6, 30)),
    ("二○二四年十月一日", dt.date(2024, 10, 1)),
    ("2024-06-30", dt.date(2024, 6, 30)),
    ("2024.6.30", dt.date(2024, 6, 30)),
    ("2024/06/30", dt.date(2024, 6, 30)),
    ("2024年2月30日", None),
    ("20240630", None),
])
def test_find_dates(text: str, expected: dt.date | None) -> None:
    found = docmeta.find_dates(text, TODAY)
    assert (found[0][2] if found else None) == expected


@pytest.mark.parametrize(("lines", "expected"), [
    (["吴文明办发〔2024〕12号"], "吴文明办发〔2024〕12号"),
    (["市委办〔2024〕第3号    签发人：张伟"], "市委办〔2024〕第3号"),
    (["根据《通知》（吴党发〔2021〕14号）要求，"], ""),
    (["吴党发 [ 2021 ] 14 号"], "吴党发[2021]14号"),
    (["正文没有文号"], ""),
])
def test_doc_number(lines: list[str], expected: str) -> None:
    assert docmeta.doc_number_in(lines) == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("关于印发《文明交通行动方案》的通知", "方案计划"),
    ("吴忠市创建全国文明城市工作规划（2021—2023年）", "方案计划"),
    ("志愿服务管理办法", "制度机制"),
    ("创建工作推进会会议纪要", "活动记录"),
    ("关于开展文明交通志愿服务活动的通知", ""),
])
def test_type_from_title(title: str, expected: str) -> None:
    assert docmeta.type_from_title(title) == expected


# -- through the importer -------------------------------------------------------------------

def test_import_takes_the_document_metadata_and_explicit_options_win(core_archive,
                                                                     tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "src" / "1.pdf", [
        ("关于开展志愿服务月活动的通知", 22), ("市文明办〔2024〕7号", 16),
        ("正文。", 16), ("2024年3月1日", 16)])
    photo = _jpeg(tmp_path / "src" / "IMG_0009.jpg", "2024:05:04 09:00:00")
    rows = list(import_paths(core_archive, [pdf, photo], ImportOptions(codes=["01"])))
    shown = [get_material(core_archive, r.id) for r in rows]
    assert [(m.title, m.material_date, m.doc_number, m.material_type) for m in shown] == [
        ("关于开展志愿服务月活动的通知", "2024-03-01", "市文明办〔2024〕7号", "其他"),
        ("IMG_0009", "2024-05-04", "", "图片")]

    other = _pdf(tmp_path / "src" / "2.pdf", [("关于开展志愿服务月活动的实施方案", 22),
                                              ("正文。", 16), ("正文。", 16)])
    (row,) = import_paths(core_archive, [other], ImportOptions(
        codes=["01"], title="自己起的名称", material_type="特色成效"))
    view = get_material(core_archive, row.id)
    assert (view.title, view.material_type) == ("自己起的名称", "特色成效")
    third = _pdf(tmp_path / "src" / "3.pdf", [("另一个工作方案", 22), ("正文", 16), ("正文", 16)])
    (row,) = import_paths(core_archive, [third],
                          ImportOptions(codes=["01"], document_metadata=False))
    assert get_material(core_archive, row.id).title == "3"
