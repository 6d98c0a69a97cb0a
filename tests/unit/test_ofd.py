"""desktop.core.extract.ofd: OFD page count, text, the PDF drawing and the guards, on the
fixtures of tests/fixtures/formats/ofd (two real OFD writers and one hand-made file, see the
README there) and broken files made from them here."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pymupdf
import pytest

from desktop.core.extract.base import MAX_CHARS, ExtractError
from desktop.core.extract.ofd import MM, extract_ofd, ofd_page_count, ofd_to_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "ofd"
HANDMADE = FIXTURES / "notice_handmade.ofd"
EASYOFD = FIXTURES / "notice_easyofd.ofd"
PDF2OFD = FIXTURES / "notice_pdf2ofd.ofd"
SCAN = FIXTURES / "scan_easyofd.ofd"

TITLE = "某某市文明城市创建工作指挥部文件"
PAGE1_WORDS = ["某某市文明城市创建工作指挥部文件", "创文指〔2026〕5号",
               "关于开展创建材料自查工作的通知", "各区县、各有关单位", "佐证材料",
               "定要求、定人员、定时限", "2026年12月1日"]
PAGE2_WORDS = ["一、自查范围", "二、工作要求", "三、报送时间", "附件：佐证材料自查台账"]
FOOTER = "某某市文明城市创建工作指挥部办公室印发"


def in_order(text: str, words: list[str]) -> bool:
    at = 0
    for word in words:
        found = text.find(word, at)
        if found < 0:
            return False
        at = found + len(word)
    return True


def flat(text: str) -> str:
    return "".join(text.split())


# --------------------------------------------------------------------------- page count, text


@pytest.mark.parametrize(("path", "pages"), [(HANDMADE, 3), (EASYOFD, 3), (PDF2OFD, 2), (SCAN, 1)])
def test_page_count(path: Path, pages: int) -> None:
    assert ofd_page_count(path) == pages


@pytest.mark.parametrize("path", [HANDMADE, EASYOFD])
def test_text_of_each_page_in_reading_order(path: Path) -> None:
    result = extract_ofd(path)
    assert result.state == "done"
    by_page = {page.index: page for page in result.pages}
    assert set(by_page) == {0, 1}
    assert all(page.source == "text" for page in result.pages)
    assert in_order(by_page[0].text, PAGE1_WORDS), by_page[0].text
    assert in_order(by_page[1].text, PAGE2_WORDS), by_page[1].text
    # one line per line of the page, the title first
    assert by_page[0].text.splitlines()[0] == TITLE
    assert "各区县、各有关单位：" in by_page[0].text.splitlines()


def test_scan_pages_go_to_ocr() -> None:
    assert extract_ofd(HANDMADE).ocr_pages == (2,)
    assert extract_ofd(EASYOFD).ocr_pages == (2,)
    scan = extract_ofd(SCAN)
    assert (scan.state, scan.pages, scan.ocr_pages) == ("done", (), (0,))


def test_text_drawn_as_outlines_goes_to_ocr() -> None:
    """pdf2ofd writes every glyph as a filled path: no text, so both pages need OCR."""
    result = extract_ofd(PDF2OFD)
    assert (result.state, result.pages, result.ocr_pages) == ("done", (), (0, 1))


def test_template_text_once_and_ctm_text() -> None:
    pages = extract_ofd(HANDMADE).pages
    # the footer template is applied to pages 1 and 2; its text is kept on page 1 only
    assert FOOTER in pages[0].text and FOOTER not in pages[1].text
    # the subject line is drawn at Size 14 through CTM 0.5: it sits between 文号 and the body
    lines = pages[0].text.splitlines()
    assert lines.index("关于开展创建材料自查工作的通知") == lines.index("创文指〔2026〕5号") + 1


def test_text_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core.extract import ofd

    monkeypatch.setattr(ofd, "MAX_CHARS", 30)
    result = ofd.extract_ofd(HANDMADE)
    assert sum(len(page.text) for page in result.pages) == 30
    assert MAX_CHARS > 30


# --------------------------------------------------------------------------- the PDF


def pdf_of(path: Path) -> pymupdf.Document:
    return pymupdf.open(stream=ofd_to_pdf(path), filetype="pdf")


@pytest.mark.parametrize(("path", "size_mm"), [
    (HANDMADE, (210, 297)), (PDF2OFD, (209.9, 297.04)), (EASYOFD, (140, 90)),
    (SCAN, (60.96, 86.36)),
])
def test_pdf_pages_and_sizes(path: Path, size_mm: tuple[float, float]) -> None:
    doc = pdf_of(path)
    assert doc.page_count == ofd_page_count(path)
    for index in range(doc.page_count):
        page = doc[index]
        assert page.rect.width == pytest.approx(size_mm[0] * MM, abs=1)
        assert page.rect.height == pytest.approx(size_mm[1] * MM, abs=1)


@pytest.mark.parametrize("path", [HANDMADE, EASYOFD])
def test_pdf_text_layer_carries_the_text(path: Path) -> None:
    doc = pdf_of(path)
    first, second = flat(doc[0].get_text()), flat(doc[1].get_text())
    for word in ["某某市文明城市创建工作指挥部文件", "关于开展创建材料自查工作的通知",
                 "各区县、各有关单位", "定要求、定人员、定时限", "某某市文明城市创建工作指挥部"]:
        assert word in first, (word, first)
    for word in PAGE2_WORDS:
        assert word in second, (word, second)
    assert doc[0].search_for("创建材料自查")  # what the viewer's search and highlight use
    assert doc[2].get_text().strip() == ""  # the scan page has only its picture


def red_pixels(page: pymupdf.Page, clip: pymupdf.Rect) -> int:
    pix = page.get_pixmap(dpi=72, clip=clip, alpha=False)
    data, n = pix.samples, pix.n
    # anti-aliased edges of a thin red rule are pink: red well above green and blue
    return sum(1 for i in range(0, len(data), n)
               if data[i] > 150 and data[i + 1] < data[i] * 0.6 and data[i + 2] < data[i] * 0.6)


@pytest.mark.parametrize("path", [HANDMADE, PDF2OFD])
def test_pdf_title_and_rule_are_red(path: Path) -> None:
    page = pdf_of(path)[0]
    width = page.rect.width
    title_band = pymupdf.Rect(0, 70, width, 130)  # the 红头 title, about 25 mm from the top
    rule_band = pymupdf.Rect(0, 176, width, 190)  # the red rule under the 文号
    body_band = pymupdf.Rect(0, 300, width, 330)  # black body text
    assert red_pixels(page, title_band) > 300
    assert red_pixels(page, rule_band) > 200
    assert red_pixels(page, body_band) == 0


def test_pdf_draws_the_images() -> None:
    doc = pdf_of(HANDMADE)
    seal = doc[0].get_image_info()
    assert len(seal) == 1 and seal[0]["width"] == 240  # the seal ImageObject
    assert len(doc[1].get_image_info()) == 1  # the signature's seal at its StampAnnot
    scan = doc[2].get_image_info()
    assert len(scan) == 1
    box, full = pymupdf.Rect(scan[0]["bbox"]), doc[2].rect
    assert [box.x0, box.y0, box.x1, box.y1] == pytest.approx([0, 0, full.x1, full.y1], abs=1)
    # pdf2ofd: the seal on page 1, the scan filling page 2
    doc = pdf_of(PDF2OFD)
    assert len(doc[0].get_image_info()) == 1 and len(doc[1].get_image_info()) == 1
    # easyofd names PNG bytes .jpg: placed all the same
    assert len(pdf_of(SCAN)[0].get_image_info()) == 1


def test_pdf_scan_page_renders_its_picture() -> None:
    page = pdf_of(HANDMADE)[2]
    pix = page.get_pixmap(dpi=30, alpha=False)
    grey = sum(1 for i in range(0, len(pix.samples), 3) if pix.samples[i] < 250)
    assert grey > pix.width * pix.height * 0.5  # the scan's grey paper, not a white page


# --------------------------------------------------------------------------- broken, unsafe


def rewrite(source: Path, target: Path, drop: set[str] = frozenset(),  # type: ignore[assignment]
            replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = (replace or {}).get(info.filename, zin.read(info))
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return target


def fails_fast(path: Path, *fragments: str) -> str:
    for call in (ofd_page_count, extract_ofd, ofd_to_pdf):
        started = time.perf_counter()
        with pytest.raises(ExtractError) as caught:
            call(path)
        assert time.perf_counter() - started < 2.0
        for fragment in fragments:
            assert fragment in caught.value.reason, caught.value.reason
    return caught.value.reason


def test_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "cut.ofd"
    path.write_bytes(HANDMADE.read_bytes()[:5000])
    fails_fast(path, "OFD 文件已损坏")


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "text.ofd"
    path.write_text("这不是 OFD", encoding="utf-8")
    fails_fast(path, "不是有效的压缩包")


def test_zip_without_ofd_xml(tmp_path: Path) -> None:
    path = rewrite(HANDMADE, tmp_path / "no_entry.ofd", drop={"OFD.xml"})
    fails_fast(path, "缺少 OFD.xml", "不是有效的 OFD 版式文件")


def test_missing_document_xml(tmp_path: Path) -> None:
    path = rewrite(HANDMADE, tmp_path / "no_doc.ofd", drop={"Doc_0/Document.xml"})
    fails_fast(path, "缺少 Doc_0/Document.xml")


def test_missing_page_content(tmp_path: Path) -> None:
    """One missing page leaves the others readable; the PDF keeps the page, blank."""
    path = rewrite(HANDMADE, tmp_path / "no_page.ofd", drop={"Doc_0/Pages/Page_1/Content.xml"})
    assert ofd_page_count(path) == 3
    result = extract_ofd(path)
    assert [page.index for page in result.pages] == [0]
    doc = pymupdf.open(stream=ofd_to_pdf(path), filetype="pdf")
    assert doc.page_count == 3 and doc[1].get_text() == ""
    everything = rewrite(SCAN, tmp_path / "no_pages.ofd", drop={"Doc_0/Pages/Page_0/Content.xml"})
    with pytest.raises(ExtractError, match="第 1 页的内容文件"):
        extract_ofd(everything)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lollollollollollollollollollol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">
<ofd:TextObject ID="2" Boundary="0 0 100 10" Font="6" Size="5">
<ofd:TextCode X="0" Y="5">&lol9;</ofd:TextCode></ofd:TextObject>
</ofd:Layer></ofd:Content></ofd:Page>"""


def test_entity_bomb_in_content(tmp_path: Path) -> None:
    """A bomb refuses the whole file (other pages readable or not); nothing is expanded.
    The page count reads Document.xml only, so it still answers."""
    path = rewrite(HANDMADE, tmp_path / "bomb.ofd",
                   replace={"Doc_0/Pages/Page_0/Content.xml": BOMB})
    assert ofd_page_count(path) == 3
    for call in (extract_ofd, ofd_to_pdf):
        started = time.perf_counter()
        with pytest.raises(ExtractError, match="Page_0/Content.xml 含有 DTD/实体声明"):
            call(path)
        assert time.perf_counter() - started < 2.0


def test_entity_bomb_in_document_xml(tmp_path: Path) -> None:
    path = rewrite(HANDMADE, tmp_path / "bomb_doc.ofd",
                   replace={"Doc_0/Document.xml": BOMB.replace(b"ofd:Page", b"ofd:Document")})
    fails_fast(path, "Doc_0/Document.xml", "DTD/实体声明")


def test_member_named_dot_dot(tmp_path: Path) -> None:
    path = rewrite(HANDMADE, tmp_path / "escape.ofd", add={"../x": b"outside"})
    fails_fast(path, "不安全的成员名", "../x")


def test_absolute_member_name(tmp_path: Path) -> None:
    path = rewrite(HANDMADE, tmp_path / "absolute.ofd", add={"/etc/x": b"outside"})
    fails_fast(path, "不安全的成员名")


def test_reference_out_of_the_package_is_ignored(tmp_path: Path) -> None:
    """A BaseLoc that climbs out of the ZIP names nothing: the page is missing, not read."""
    with zipfile.ZipFile(HANDMADE) as zf:
        document = zf.read("Doc_0/Document.xml").replace(
            b"Pages/Page_1/Content.xml", b"../../../../etc/passwd")
    path = rewrite(HANDMADE, tmp_path / "climb.ofd", replace={"Doc_0/Document.xml": document})
    assert [page.index for page in extract_ofd(path).pages] == [0]


def test_zip_bomb_member(tmp_path: Path) -> None:
    path = rewrite(HANDMADE, tmp_path / "zipbomb.ofd",
                   add={"Doc_0/Res/zeros.bin": bytes(50_000_000)})
    fails_fast(path, "压缩炸弹")


def test_encrypted_zip_member(tmp_path: Path) -> None:
    path = tmp_path / "locked.ofd"
    data = bytearray(HANDMADE.read_bytes())
    # set the "encrypted" flag on every central directory entry (what a password ZIP has)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data[at + 8] |= 0x01
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    fails_fast(path, "已加密")


def test_too_many_objects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core.extract import ofd

    monkeypatch.setattr(ofd, "MAX_OBJECTS", 5)
    with pytest.raises(ExtractError, match="图形对象超过 5 个"):
        ofd.extract_ofd(HANDMADE)


def test_too_many_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core.extract import ofd

    monkeypatch.setattr(ofd, "MAX_PAGES", 2)
    with pytest.raises(ExtractError, match="超过 2 页上限"):
        ofd.ofd_page_count(HANDMADE)


def test_deep_nesting(tmp_path: Path) -> None:
    deep = (b'<ofd:PageBlock ID="1">' * 40) + (b"</ofd:PageBlock>" * 40)
    page = (b'<?xml version="1.0"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">'
            b'<ofd:Content><ofd:Layer ID="1">' + deep + b"</ofd:Layer></ofd:Content></ofd:Page>")
    path = rewrite(SCAN, tmp_path / "deep.ofd", replace={"Doc_0/Pages/Page_0/Content.xml": page})
    with pytest.raises(ExtractError, match="嵌套超过"):
        extract_ofd(path)


def test_signed_ofd_opens_normally() -> None:
    """notice_handmade.ofd has Signs/ with a (placeholder) signature: nothing refuses it."""
    with zipfile.ZipFile(HANDMADE) as zf:
        assert "Doc_0/Signs/Sign_0/SignedValue.dat" in zf.namelist()
    assert extract_ofd(HANDMADE).state == "done"


def test_speed() -> None:
    """Each fixture: count, text and PDF well under a second (measured: see the README)."""
    for path in (HANDMADE, EASYOFD, PDF2OFD, SCAN):
        started = time.perf_counter()
        ofd_page_count(path)
        extract_ofd(path)
        ofd_to_pdf(path)
        assert time.perf_counter() - started < 3.0, path.name


# --------------------------------------------------------------------------- objects, one by one

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def make_ofd(path: Path, body: str, *, res: str = "", extra: dict[str, bytes] | None = None,
             ns: str = NS, prefix: str = "ofd:", box: str = "0 0 210 297") -> Path:
    """A one-page A4 OFD whose page layer holds `body` (and DocumentRes.xml holds `res`)."""
    p = prefix
    members = {
        "OFD.xml": f'<{p}OFD {ns} Version="1.1"><{p}DocBody><{p}DocRoot>Doc_0/Document.xml'
                   f'</{p}DocRoot></{p}DocBody></{p}OFD>',
        "Doc_0/Document.xml": f'<{p}Document {ns}><{p}CommonData><{p}PageArea><{p}PhysicalBox>'
                              f'{box}</{p}PhysicalBox></{p}PageArea><{p}DocumentRes>'
                              f'DocumentRes.xml</{p}DocumentRes></{p}CommonData><{p}Pages>'
                              f'<{p}Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></{p}Pages>'
                              f'</{p}Document>',
        "Doc_0/DocumentRes.xml": f'<{p}Res {ns} BaseLoc="Res">{res}</{p}Res>',
        "Doc_0/Pages/Page_0/Content.xml": f'<{p}Page {ns}><{p}Content><{p}Layer ID="2">{body}'
                                          f'</{p}Layer></{p}Content></{p}Page>',
    }
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text.encode("utf-8"))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def text_object(text: str, x: float, y: float, extra: str = "", attrs: str = "") -> str:
    return (f'<ofd:TextObject ID="9" Boundary="{x} {y} 150 10" Font="1" Size="5" {attrs}>'
            f'{extra}<ofd:TextCode X="0" Y="5">{text}</ofd:TextCode></ofd:TextObject>')


def test_no_namespace_and_text_without_delta(tmp_path: Path) -> None:
    body = ('<TextObject ID="3" Boundary="20 30 100 10" Size="5"><TextCode X="0" Y="5">'
            '无命名空间的文字</TextCode></TextObject>')
    path = make_ofd(tmp_path / "plain.ofd", body, ns="", prefix="")
    assert extract_ofd(path).text == "无命名空间的文字"
    assert flat(pdf_of(path)[0].get_text()) == "无命名空间的文字"


def test_lines_from_positions_not_from_file_order(tmp_path: Path) -> None:
    """Objects stored bottom-up and right-to-left still read top-down, left to right; pieces
    on one baseline join into one line."""
    body = (text_object("第三行", 20, 60) + text_object("第二行右", 60, 40)
            + text_object("第二行左", 20, 40) + text_object("第一行", 20, 20))
    result = extract_ofd(make_ofd(tmp_path / "order.ofd", body))
    assert result.text.splitlines() == ["第一行", "第二行左 第二行右", "第三行"]


def test_rotated_text_hidden_text_and_composite(tmp_path: Path) -> None:
    rotated = ('<ofd:TextObject ID="3" Boundary="100 100 10 60" Font="1" Size="5"'
               ' CTM="0 1 -1 0 0 0"><ofd:TextCode X="0" Y="0">竖排旋转文字</ofd:TextCode>'
               '</ofd:TextObject>')
    hidden = text_object("扫描件隐藏文字层", 20, 200, attrs='Fill="false"')
    composite = '<ofd:CompositeObject ID="4" ResourceID="7" Boundary="20 250 100 20"/>'
    res = ('<ofd:CompositeGraphicUnits><ofd:CompositeGraphicUnit ID="7" Width="100" Height="20">'
           '<ofd:Content>' + text_object("复合对象中的文字", 0, 0) + '</ofd:Content>'
           '</ofd:CompositeGraphicUnit></ofd:CompositeGraphicUnits>')
    path = make_ofd(tmp_path / "mixed.ofd", rotated + hidden + composite, res=res)
    text = extract_ofd(path).text
    for word in ("扫描件隐藏文字层", "复合对象中的文字"):
        assert word in text
    page = pdf_of(path)[0]
    layer = flat(page.get_text())
    for word in ("竖排旋转文字", "扫描件隐藏文字层", "复合对象中的文字"):
        assert word in layer
    # the rotated line runs down the page from (100 mm, 100 mm), the glyphs' tops to the right
    hits = page.search_for("竖排")
    assert hits and hits[0].height > hits[0].width
    assert hits[0].x0 == pytest.approx(100 * MM, abs=5)  # the box includes the descent
    assert hits[0].y0 == pytest.approx(100 * MM, abs=3)
    # hidden text is in the text layer but draws nothing
    hidden_box = pymupdf.Rect(20 * MM, 195 * MM, 120 * MM, 210 * MM)
    pix = page.get_pixmap(dpi=72, clip=hidden_box, alpha=False)
    assert min(pix.samples) == 255


def test_paths_arcs_draw_params_and_colour_spaces(tmp_path: Path) -> None:
    res = ('<ofd:ColorSpaces><ofd:ColorSpace ID="5" Type="CMYK"/></ofd:ColorSpaces>'
           '<ofd:DrawParams><ofd:DrawParam ID="6" LineWidth="2">'
           '<ofd:StrokeColor Value="0 0 255"/></ofd:DrawParam></ofd:DrawParams>')
    circle = ('<ofd:PathObject ID="3" Boundary="50 50 40 40" DrawParam="6">'
              '<ofd:AbbreviatedData>M 0 20 A 20 20 0 1 1 40 20 A 20 20 0 1 1 0 20 C'
              '</ofd:AbbreviatedData></ofd:PathObject>')
    square = ('<ofd:PathObject ID="4" Boundary="120 50 30 30" Fill="true" Stroke="false">'
              '<ofd:FillColor Value="0 255 255 0" ColorSpace="5"/>'
              '<ofd:AbbreviatedData>S 0 0 L 30 0 L 30 30 L 0 30 C</ofd:AbbreviatedData>'
              '</ofd:PathObject>')
    curve = ('<ofd:PathObject ID="8" Boundary="20 150 100 50" LineWidth="1">'
             '<ofd:AbbreviatedData>M 0 50 Q 50 0 100 50 B 70 50 30 0 0 0</ofd:AbbreviatedData>'
             '</ofd:PathObject>')
    path = make_ofd(tmp_path / "paths.ofd", circle + square + curve, res=res)
    drawings = pdf_of(path)[0].get_drawings()
    assert len(drawings) == 3
    ring, block, line = drawings
    assert ring["color"] == pytest.approx((0, 0, 1))
    assert ring["width"] == pytest.approx(2 * MM, rel=0.01)
    assert [ring["rect"].x0, ring["rect"].y0, ring["rect"].x1, ring["rect"].y1] == \
        pytest.approx([50 * MM, 50 * MM, 90 * MM, 90 * MM], abs=1.5)
    assert block["fill"] == pytest.approx((1, 0, 0), abs=0.01)  # CMYK 0 255 255 0 is red
    assert block["color"] is None
    assert line["color"] == pytest.approx((0, 0, 0)) and line["fill"] is None
    # three shapes and no text: nothing to index, nothing worth OCR (text drawn as outlines
    # has many paths; see the pdf2ofd fixture)
    result = extract_ofd(path)
    assert (result.state, result.ocr_pages) == ("no_text", ())
    assert "没有文字" in result.reason


def jbig2_file(width: int, height: int) -> bytes:
    """A JBIG2 file (as OFD scans carry): one page, one generic region in MMR (CCITT G4)
    coding; the G4 data comes from Pillow's TIFF writer. Black square on white."""
    import io
    import struct

    from PIL import Image, ImageDraw, ImageOps

    im = Image.new("L", (width, height), 255)
    ImageDraw.Draw(im).rectangle((width // 4, height // 4, width // 2, height // 2), fill=0)
    bilevel = ImageOps.invert(im).convert("1")  # G4 codes 0 as white; JBIG2 has 1 = black
    buffer = io.BytesIO()
    bilevel.save(buffer, format="TIFF", compression="group4")
    tiff = Image.open(io.BytesIO(buffer.getvalue()))
    tags = tiff.tag_v2  # type: ignore[attr-defined]
    start, length = tags[273][0], tags[279][0]
    g4 = buffer.getvalue()[start:start + length]

    def segment(number: int, kind: int, data: bytes, page: int = 1) -> bytes:
        return struct.pack(">IBBBI", number, kind, 0, page, len(data)) + data

    page_info = struct.pack(">IIIIBH", width, height, 0, 0, 0, 0)
    region = struct.pack(">IIIIB", width, height, 0, 0, 0) + b"\x01" + g4
    return (b"\x97JB2\r\n\x1a\n\x01" + struct.pack(">I", 1) + segment(0, 48, page_info)
            + segment(1, 38, region) + segment(2, 49, b"") + segment(3, 51, b"", page=0))


def test_images_of_other_formats(tmp_path: Path) -> None:
    import io

    from PIL import Image

    bmp, tiff = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (40, 20), (200, 0, 0)).save(bmp, format="BMP")
    Image.new("L", (40, 20), 90).save(tiff, format="TIFF")
    names = {5: "a.bmp", 6: "b.tif", 7: "c.jb2", 8: "../../../x.png", 9: "d.jb2"}
    res = "<ofd:MultiMedias>" + "".join(
        f'<ofd:MultiMedia ID="{rid}" Type="Image"><ofd:MediaFile>{name}</ofd:MediaFile>'
        "</ofd:MultiMedia>" for rid, name in names.items()) + "</ofd:MultiMedias>"
    body = "".join(f'<ofd:ImageObject ID="{10 + i}" ResourceID="{rid}" Boundary="20 {20 + 50 * i}'
                   f' 80 40" CTM="80 0 0 40 0 0"/>' for i, rid in enumerate(names))
    extra = {"Doc_0/Res/a.bmp": bmp.getvalue(), "Doc_0/Res/b.tif": tiff.getvalue(),
             "Doc_0/Res/c.jb2": b"\x97JB2\r\n\x1a\n" + bytes(40),
             "Doc_0/Res/d.jb2": jbig2_file(64, 32)}
    path = make_ofd(tmp_path / "images.ofd", body, res=res, extra=extra)
    page = pdf_of(path)[0]
    boxes = [pymupdf.Rect(info["bbox"]) for info in page.get_image_info()]
    # BMP, TIFF and the good JBIG2; the broken JBIG2 and the escaping name are skipped
    assert [round(box.y0 / MM) for box in boxes] == [20, 70, 220]
    # the JBIG2 square is black on white where it belongs
    jb2 = boxes[2]
    pix = page.get_pixmap(dpi=72, clip=jb2, alpha=False)
    assert pix.pixel(2, 2) == (255, 255, 255)
    assert pix.pixel(int(pix.width * 0.375), int(pix.height * 0.375)) == (0, 0, 0)
    assert extract_ofd(path).ocr_pages == (0,)


def test_transparent_and_bold_text_one_font_for_all_pages(tmp_path: Path) -> None:
    res = ('<ofd:Fonts><ofd:Font ID="1" FontName="黑体" Bold="true"/></ofd:Fonts>')
    faint = text_object("半透明水印文字", 20, 20, '<ofd:FillColor Value="0 0 0" Alpha="64"/>')
    path = make_ofd(tmp_path / "alpha.ofd", faint, res=res)
    page = pdf_of(path)[0]
    assert "半透明水印文字" in flat(page.get_text())
    pix = page.get_pixmap(dpi=144, clip=pymupdf.Rect(20 * MM, 20 * MM, 60 * MM, 27 * MM),
                          alpha=False)
    darkest = min(pix.samples)
    assert 150 < darkest < 230  # a quarter-opaque black: grey, not black, not absent
    doc = pdf_of(HANDMADE)
    fonts = {font[:4] for index in range(doc.page_count) for font in doc.get_page_fonts(index)}
    # each font is in the file once, named by every page that uses it
    assert sorted(name.split("+")[-1] for _xref, _ext, _type, name in fonts) == [
        "Droid Sans Fallback Regular", "WenQuanYi Micro Hei Regular"]


def test_embedded_fonts(tmp_path: Path) -> None:
    """The title's TrueType font embedded in notice_handmade.ofd draws the title; fonts that
    are not TrueType, broken, or lack a character leave the text to the CJK font."""
    doc = pdf_of(HANDMADE)
    spans = [span for block in doc[0].get_text("dict")["blocks"]
             for line in block.get("lines", ()) for span in line["spans"]]
    title = next(span for span in spans if span["text"] == TITLE)
    assert "WenQuanYi" in title["font"]
    assert all("Droid" in span["font"] for span in spans if span is not title)
    with zipfile.ZipFile(HANDMADE) as zf:
        ttf = zf.read("Doc_0/Res/font_5.ttf")
    res = ('<ofd:Fonts>'
           '<ofd:Font ID="1" FontName="A"><ofd:FontFile>a.otf</ofd:FontFile></ofd:Font>'
           '<ofd:Font ID="2" FontName="B"><ofd:FontFile>b.ttf</ofd:FontFile></ofd:Font>'
           '<ofd:Font ID="3" FontName="C"><ofd:FontFile>c.ttf</ofd:FontFile></ofd:Font>'
           '</ofd:Fonts>')
    body = "".join(text_object(text, 20, 20 + 20 * i).replace('Font="1"', f'Font="{i + 1}"')
                   for i, text in enumerate(["字体一", "字体二", "某某字体三"]))
    path = make_ofd(tmp_path / "fonts.ofd", body, res=res, extra={
        "Doc_0/Res/a.otf": b"OTTO" + bytes(100), "Doc_0/Res/b.ttf": b"\x00\x01\x00\x00junk",
        "Doc_0/Res/c.ttf": ttf})  # c has 某 but not 字体三
    fonts_doc = pdf_of(path)
    assert flat(fonts_doc[0].get_text()) == "字体一字体二某某字体三"
    assert {font[3].split("+")[-1] for font in fonts_doc.get_page_fonts(0)} == {
        "Droid Sans Fallback Regular"}


def test_backslash_names_and_a_zipped_folder(tmp_path: Path) -> None:
    """Two ways real packages deviate: members named with "\\" by Windows tools, and the
    package zipped together with its folder (everything under one top folder)."""
    with zipfile.ZipFile(HANDMADE) as zin:
        members = [(info.filename, zin.read(info)) for info in zin.infolist()]
    backslash, folder = tmp_path / "backslash.ofd", tmp_path / "folder.ofd"
    with zipfile.ZipFile(backslash, "w") as zb, zipfile.ZipFile(folder, "w") as zf:
        for name, data in members:
            zb.writestr(name.replace("/", "\\"), data)
            zf.writestr("通知/" + name, data)
    for path in (backslash, folder):
        result = extract_ofd(path)
        assert in_order(result.pages[0].text, PAGE1_WORDS), path.name
        doc = pdf_of(path)
        assert doc[0].get_image_info(), path.name  # the seal: relative to DocumentRes' BaseLoc
        assert doc[2].get_image_info(), path.name  # the scan: absolute, /Doc_0/Res/scan_0.jpg
    escape = rewrite(HANDMADE, tmp_path / "escape.ofd", add={"..\\x": b"outside"})
    fails_fast(escape, "不安全的成员名")


def test_seal_stored_as_an_ofd_inside_the_signature(tmp_path: Path) -> None:
    """SES seals often carry their picture as a small OFD: it is drawn, vector and all, at
    the signature's StampAnnot."""
    ring = ('<ofd:PathObject ID="3" Boundary="0 0 40 40" LineWidth="1.5">'
            '<ofd:StrokeColor Value="220 0 0"/><ofd:AbbreviatedData>M 2 20 A 18 18 0 1 1 38 20 '
            'A 18 18 0 1 1 2 20 C</ofd:AbbreviatedData></ofd:PathObject>')
    seal_ofd = make_ofd(tmp_path / "seal.ofd", ring, box="0 0 40 40").read_bytes()
    body = text_object("盖章页", 20, 20)
    path = make_ofd(tmp_path / "signed.ofd", body, extra={
        "Doc_0/Signs/Signatures.xml": (f'<ofd:Signatures {NS}><ofd:Signature ID="1" '
                                       'BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>').encode(),
        "Doc_0/Signs/Sign_0/Signature.xml": (
            f'<ofd:Signature {NS}><ofd:SignedInfo><ofd:StampAnnot ID="1" PageRef="1" '
            'Boundary="100 100 40 40"/></ofd:SignedInfo><ofd:SignedValue>SignedValue.dat'
            '</ofd:SignedValue></ofd:Signature>').encode(),
        "Doc_0/Signs/Sign_0/SignedValue.dat": b"\x30\x82\x10\x00DER..." + seal_ofd + b"\x30tail",
    })
    with zipfile.ZipFile(path) as zf:
        entry = zf.read("OFD.xml").replace(
            b"</ofd:DocRoot>", b"</ofd:DocRoot><ofd:Signatures>Doc_0/Signs/Signatures.xml"
                               b"</ofd:Signatures>")
    signed = rewrite(path, tmp_path / "signed2.ofd", replace={"OFD.xml": entry})
    page = pdf_of(signed)[0]
    assert red_pixels(page, pymupdf.Rect(100 * MM, 100 * MM, 140 * MM, 140 * MM)) > 100
    assert red_pixels(page, pymupdf.Rect(0, 0, 100 * MM, 100 * MM)) == 0
    assert extract_ofd(signed).text == "盖章页"


def test_broken_template_or_resources_lose_only_themselves(tmp_path: Path) -> None:
    path = rewrite(HANDMADE, tmp_path / "broken_parts.ofd", replace={
        "Doc_0/Tpls/Tpl_1/Content.xml": b"<ofd:Page broken",
        "Doc_0/DocumentRes.xml": b"not xml at all",
    })
    result = extract_ofd(path)
    assert in_order(result.pages[0].text, PAGE1_WORDS) and FOOTER not in result.text
    doc = pdf_of(path)
    assert doc.page_count == 3 and not doc[0].get_image_info()  # the seal's resource is gone


def test_absurd_numbers(tmp_path: Path) -> None:
    junk = ('<ofd:TextObject ID="3" Boundary="20 20 100 10" Size="5"><ofd:TextCode X="0" Y="5"'
            ' DeltaX="g inf 5 nan 1e999">数值异常也能读</ofd:TextCode></ofd:TextObject>'
            '<ofd:PathObject ID="4" Boundary="0 0 10 10"><ofd:AbbreviatedData>M 0 0 L x y Q 1'
            ' A 0 0 0 0 0 5 5 L 1e308 1e308 C C B</ofd:AbbreviatedData></ofd:PathObject>')
    path = make_ofd(tmp_path / "junk.ofd", junk)
    assert extract_ofd(path).text == "数值异常也能读"
    assert "数值异常也能读" in flat(pdf_of(path)[0].get_text())
    huge = make_ofd(tmp_path / "huge.ofd", junk, box="0 0 100000 100000")
    with pytest.raises(ExtractError, match="页面尺寸"):
        ofd_to_pdf(huge)


def test_nested_scales_past_any_page(tmp_path: Path) -> None:
    unit = ('<ofd:CompositeGraphicUnits><ofd:CompositeGraphicUnit ID="7" Width="1" Height="1">'
            '<ofd:Content><ofd:CompositeObject ID="8" ResourceID="7" Boundary="0 0 1 1"'
            ' CTM="9999999 0 0 9999999 0 0"/>' + text_object("递归", 0, 0) +
            '</ofd:Content></ofd:CompositeGraphicUnit></ofd:CompositeGraphicUnits>')
    body = '<ofd:CompositeObject ID="4" ResourceID="7" Boundary="0 0 1 1"/>'
    path = make_ofd(tmp_path / "nested.ofd", body, res=unit)
    with pytest.raises(ExtractError, match="嵌套超过"):
        extract_ofd(path)
    with pytest.raises(ExtractError, match="嵌套超过"):
        ofd_to_pdf(path)
