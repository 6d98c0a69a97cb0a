"""desktop.demo.samples writes real, readable Chinese evidence files."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pymupdf
import pytest
from docx import Document
from docx.shared import Mm
from PIL import Image

from desktop.core.common.formats import enable_heif
from desktop.core.extract.media import photo_facts, probe
from desktop.core.materials.detect import detect
from desktop.demo import samples
from desktop.demo.samples import (
    CATEGORIES,
    DEMO_ITEMS,
    DEMO_NOTE,
    MATERIAL_TYPES,
    SampleMaterial,
    make_docx,
    make_pdf,
    make_photo,
    make_scanned_pdf,
    make_xlsx,
    write_demo_corpus,
)

PARAGRAPHS = [
    "为深入推进全国文明城市创建工作，进一步规范市民文明行为，结合我市实际，制定本方案。",
    "一、总体要求",
    "坚持以人民为中心的发展思想，坚持创建为民、创建惠民，推动城市文明程度持续提升。",
    "二、主要任务",
    "在主要路口设置文明交通劝导岗，开展电动自行车驾乘人员佩戴安全头盔专项整治。",
]
WINDOWS_FORBIDDEN = set('\\/:*?"<>|')


def _squash(text: str) -> str:
    return "".join(text.split())


# --------------------------------------------------------------------------- PDF


@pytest.mark.parametrize("pages", [1, 3, 6])
def test_make_pdf_has_extractable_chinese_text_on_every_page(tmp_path: Path, pages: int) -> None:
    title = "关于印发《2024年文明交通专项行动方案》的通知"
    path = make_pdf(tmp_path / f"{pages}页.pdf", title, PARAGRAPHS, pages=pages)
    assert path == tmp_path / f"{pages}页.pdf"
    with pymupdf.open(path) as doc:
        assert doc.page_count == pages
        texts = [_squash(page.get_text()) for page in doc]
        assert _squash(title) in texts[0]
        assert "文明" in "".join(texts)
        for number, (page, text) in enumerate(zip(doc, texts, strict=True), start=1):
            assert f"第{number}页共{pages}页" in text
            assert len(text) > 20, f"page {number} has no body text"
            assert page.rect.width == pytest.approx(595, abs=1)
            assert page.rect.height == pytest.approx(842, abs=1)
        fonts = doc[0].get_fonts()
        assert fonts and all(font[1] == "ttf" for font in fonts)  # embedded, not a base-14 font
        assert doc.metadata["title"] == title


def test_make_pdf_spreads_short_text_over_all_pages(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "短.pdf", "会议纪要", ["会议强调。"], pages=4)
    with pymupdf.open(path) as doc:
        assert doc.page_count == 4
        assert all("会议强调" in page.get_text() for page in doc)


def test_make_pdf_truncates_overlong_text_instead_of_adding_pages(tmp_path: Path) -> None:
    long_text = ["创建全国文明城市，建设美好幸福家园。" * 20] * 40
    path = make_pdf(tmp_path / "长.pdf", "工作方案", long_text, pages=2)
    with pymupdf.open(path) as doc:
        assert doc.page_count == 2
        assert all("创建全国文明城市" in page.get_text() for page in doc)


def test_make_pdf_letterhead_and_signature(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "红头.pdf", "工作方案", PARAGRAPHS, pages=2,
                    issuer="吴州市公安局", doc_number="吴公发〔2024〕18号", signed="2024年3月5日")
    with pymupdf.open(path) as doc:
        first, last = _squash(doc[0].get_text()), _squash(doc[1].get_text())
    assert "吴州市公安局文件" in first
    assert "吴公发〔2024〕18号" in first
    assert "2024年3月5日" in last


def test_make_pdf_rejects_zero_pages(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        make_pdf(tmp_path / "x.pdf", "标题", PARAGRAPHS, pages=0)


def test_make_scanned_pdf_is_image_only(tmp_path: Path) -> None:
    path = make_scanned_pdf(tmp_path / "签到表.pdf", "工作推进会签到表",
                            ["会议名称：工作推进会", "时间：2024年9月10日", "01　张伟　市公安局"])
    with pymupdf.open(path) as doc:
        assert doc.page_count == 1
        page = doc[0]
        assert page.get_text().strip() == ""
        assert page.get_fonts() == []
        images = page.get_images()
        assert len(images) == 1
        info = doc.extract_image(images[0][0])
        assert info["width"] >= 700 and info["height"] >= 1000  # about A4 at 100 dpi


# --------------------------------------------------------------------------- DOCX


def test_make_docx_text_table_header_footer_and_a4(tmp_path: Path) -> None:
    table = [["项目", "金额（万元）", "用途说明"], ["志愿服务", "120", "志愿者保险"],
             ["点位整治", "300", "背街小巷改造"]]
    path = make_docx(tmp_path / "经费.docx", "关于保障创建工作经费的通知", PARAGRAPHS,
                     table=table, footer="吴州市财政局")
    document = Document(str(path))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "关于保障创建工作经费的通知" in body
    assert all(p in body for p in PARAGRAPHS)
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    assert "关于保障创建工作经费的通知" in section.header.paragraphs[0].text
    footer_xml = section.footer._element.xml
    assert "吴州市财政局" in footer_xml and "PAGE" in footer_xml
    assert len(document.tables) == 1
    grid = document.tables[0]
    assert [[c.text for c in row.cells] for row in grid.rows] == table
    assert all(run.bold for run in grid.rows[0].cells[0].paragraphs[0].runs)
    assert document.core_properties.title == "关于保障创建工作经费的通知"
    assert any(p.style.name.startswith("Heading") for p in document.paragraphs)


def test_make_docx_without_table(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "纪要.docx", "会议纪要", PARAGRAPHS, header="吴州市创文资料")
    document = Document(str(path))
    assert document.tables == []
    assert document.sections[0].header.paragraphs[0].text == "吴州市创文资料"


# --------------------------------------------------------------------------- XLSX


def test_make_xlsx_title_header_rows_and_widths(tmp_path: Path) -> None:
    header = ["序号", "活动名称", "日期", "参与人数"]
    rows: list[list[object]] = [[1, "学雷锋集中服务", date(2024, 3, 5), 120],
                                [2, "文明交通劝导", date(2024, 4, 12), 45]]
    path = make_xlsx(tmp_path / "统计表.xlsx", "2024年志愿服务活动统计表", header, rows)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet["A1"].value == "2024年志愿服务活动统计表"
    assert "A1:D1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]] == header
    assert sheet.cell(row=3, column=2).value == "学雷锋集中服务"
    assert sheet.cell(row=4, column=3).value.date() == date(2024, 4, 12)
    assert sheet.cell(row=4, column=4).value == 45
    assert sheet.max_row == 4
    assert sheet.column_dimensions["B"].width >= 14  # 7 CJK characters wide


# --------------------------------------------------------------------------- photos


@pytest.mark.parametrize(("fmt", "expected"), [("JPEG", "JPEG"), ("PNG", "PNG"), ("TIFF", "TIFF")])
def test_make_photo_format_and_size(tmp_path: Path, fmt: str, expected: str) -> None:
    path = make_photo(tmp_path / f"照片.{fmt.lower()}", "2024年4月14日　人民路　文明交通劝导",
                      fmt=fmt, size=(640, 480), seed=3)
    with Image.open(path) as image:
        assert image.format == expected
        assert image.size == (640, 480)
        assert image.mode == "RGB"
        colours = image.resize((64, 48)).getcolors(64 * 48)
        assert colours is not None and len(colours) > 50  # a picture, not a flat fill


def test_make_photo_default_jpeg_is_modest(tmp_path: Path) -> None:
    path = make_photo(tmp_path / "a.jpg", "创建全国文明城市")
    with Image.open(path) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 800))
    assert 30_000 < path.stat().st_size < 400_000


def test_make_photo_varies_with_seed_and_is_deterministic(tmp_path: Path) -> None:
    a = make_photo(tmp_path / "a.png", "主题", fmt="PNG", size=(320, 240), seed=1)
    b = make_photo(tmp_path / "b.png", "主题", fmt="PNG", size=(320, 240), seed=1)
    c = make_photo(tmp_path / "c.png", "主题", fmt="PNG", size=(320, 240), seed=2)
    assert a.read_bytes() == b.read_bytes()
    with Image.open(a) as ia, Image.open(c) as ic:
        assert ia.tobytes() != ic.tobytes()


def test_make_photo_rejects_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        make_photo(tmp_path / "x.gif", "主题", fmt="GIF")


def test_pillow_cjk_font_falls_back_to_pymupdf_font() -> None:
    font = samples._load_pil_font(32, ())
    assert font.getname()[0] == "Droid Sans Fallback"
    masks = [bytes(font.getmask(ch)) for ch in "文明城"]
    assert all(any(m) for m in masks)
    assert len(set(masks)) == 3  # distinct glyphs, not one tofu box repeated


def test_pillow_cjk_font_skips_missing_candidates(tmp_path: Path) -> None:
    font = samples._load_pil_font(20, (str(tmp_path / "missing.ttc"),))
    assert font.getlength("文明") > 0


# --------------------------------------------------------------------------- demo items


def test_categories_and_demo_items() -> None:
    assert list(CATEGORIES) == [f"{n:02d}" for n in range(1, 12)]
    assert CATEGORIES["03"] == "文明风尚培育" and CATEGORIES["11"] == "创建常态长效"
    codes = [code for code, _, _ in DEMO_ITEMS]
    assert codes == sorted(set(codes))
    assert Counter(code[:2] for code in codes) == {c: 3 for c in CATEGORIES}
    assert all(name and criterion for _, name, criterion in DEMO_ITEMS)
    assert DEMO_NOTE == "示例数据：测评内容为演示而编，并非官方2023版测评内容"


# --------------------------------------------------------------------------- corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[SampleMaterial]:
    return write_demo_corpus(tmp_path_factory.mktemp("corpus"), seed=0)


def test_corpus_size_and_files(corpus: list[SampleMaterial]) -> None:
    assert 36 <= len(corpus) <= 50
    paths = [m.path for m in corpus]
    assert len(set(paths)) == len(paths)
    assert all(p.is_file() and p.stat().st_size > 1000 for p in paths)
    assert len({p.parent for p in paths}) == 1


def test_corpus_metadata_is_consistent(corpus: list[SampleMaterial]) -> None:
    codes = {code for code, _, _ in DEMO_ITEMS}
    for m in corpus:
        assert m.item_code in codes
        assert m.material_type in MATERIAL_TYPES
        assert date(2024, 1, 1) <= m.material_date <= date(2025, 6, 30)
        assert m.title and m.department and m.description
        assert not WINDOWS_FORBIDDEN & set(m.path.name)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in m.path.name)
        is_photo = m.path.suffix in (".jpg", ".png", ".tif", ".heic")
        assert (m.material_type == "图片") == is_photo
        assert (m.material_type == "视频") == (m.path.suffix == ".mp4")
        if is_photo or m.path.suffix == ".mp4":
            assert m.doc_number is None
            assert m.caption is not None and set(m.caption) == {"时间", "地点", "人物", "主题"}
        else:
            assert m.caption is None
    numbers = [m.doc_number for m in corpus if m.doc_number]
    assert len(numbers) >= 15
    assert all("〔" in n and n.endswith("号") for n in numbers)


def test_corpus_covers_every_category(corpus: list[SampleMaterial]) -> None:
    assert {m.item_code[:2] for m in corpus} == set(CATEGORIES)
    assert {m.material_type for m in corpus} == set(MATERIAL_TYPES)


def test_corpus_file_types(corpus: list[SampleMaterial]) -> None:
    text_pdfs, scans, page_counts = 0, 0, []
    for m in (m for m in corpus if m.path.suffix == ".pdf"):
        with pymupdf.open(m.path) as doc:
            text = "".join(page.get_text() for page in doc)
            page_counts.append(doc.page_count)
            if text.strip():
                text_pdfs += 1
                assert _squash(m.title) in _squash(doc[0].get_text())
            else:
                scans += 1
                assert doc[0].get_images()
    assert text_pdfs >= 12 and scans >= 2
    assert min(page_counts) >= 1 and max(page_counts) == 6
    assert sum(1 for n in page_counts if n > 1) >= 5

    docx = [m for m in corpus if m.path.suffix == ".docx"]
    assert len(docx) >= 8
    assert sum(1 for m in docx if Document(str(m.path)).tables) >= 3
    for m in docx:
        assert Document(str(m.path)).core_properties.title == m.title

    xlsx = [m for m in corpus if m.path.suffix == ".xlsx"]
    assert len(xlsx) >= 4
    for m in xlsx:
        sheet = openpyxl.load_workbook(m.path).active
        assert sheet["A1"].value == m.title and sheet.max_row >= 5

    formats = Counter()
    enable_heif()
    for m in corpus:
        if m.caption is not None and m.path.suffix != ".mp4":
            with Image.open(m.path) as image:
                formats[image.format] += 1
    assert formats["JPEG"] >= 8 and formats["PNG"] >= 2 and formats["TIFF"] >= 2
    assert formats["HEIF"] == 1
    # the formats offices keep from older systems and phones, read by content
    kinds = Counter(detect(m.path).kind for m in corpus)
    assert (kinds["doc"], kinds["ofd"], kinds["heic"], kinds["mp4"]) == (1, 1, 1, 1)
    heic = next(m for m in corpus if m.path.suffix == ".heic")
    assert photo_facts(heic.path).gps is not None and photo_facts(heic.path).taken_at
    video = next(m for m in corpus if m.path.suffix == ".mp4")
    assert probe(video.path).duration_s == pytest.approx(4.0, abs=0.2)


def test_the_heic_photo_is_the_kept_file_and_decodes(corpus: list[SampleMaterial]) -> None:
    """The demo writes its phone photo without an HEVC encoder (the bundle has none): it is
    desktop/demo/files/10.03.heic, which decodes in full and was taken on the material's day."""
    heic = next(m for m in corpus if m.path.suffix == ".heic")
    kept = Path(samples.__file__).parent / "files" / f"{heic.item_code}.heic"
    assert heic.path.read_bytes() == kept.read_bytes()
    enable_heif()
    with Image.open(kept) as image:
        assert image.format == "HEIF" and image.size == (960, 720)
        pixels = image.convert("L")
        low, high = pixels.getextrema()
        assert high - low > 100  # a drawn scene, not a blank or broken frame
    facts = photo_facts(kept)
    assert facts.taken_at is not None and facts.taken_at.date() == heic.material_date
    assert facts.gps is not None and facts.gps[0] == pytest.approx(31.2585, abs=1e-3)


def test_corpus_is_deterministic(corpus: list[SampleMaterial], tmp_path: Path) -> None:
    again = write_demo_corpus(tmp_path / "again", seed=0)
    other = write_demo_corpus(tmp_path / "other", seed=7)

    def key(m: SampleMaterial) -> tuple[object, ...]:
        return (m.path.name, m.title, m.item_code, m.doc_number, m.material_date, m.caption)

    assert [key(m) for m in again] == [key(m) for m in corpus]
    assert [m.title for m in other] == [m.title for m in corpus]
    assert [m.material_date for m in other] != [m.material_date for m in corpus]
    first_pdf = next(m for m in corpus if m.path.suffix == ".pdf")
    twin = tmp_path / "again" / first_pdf.path.name
    with pymupdf.open(first_pdf.path) as a, pymupdf.open(twin) as b:
        assert [p.get_text() for p in a] == [p.get_text() for p in b]
