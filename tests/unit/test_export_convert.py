"""desktop.core.export.convert: photo pages, DOCX through LibreOffice, merged PDFs."""

from __future__ import annotations

import sys
from pathlib import Path

import pymupdf
import pytest
from docx import Document
from PIL import Image, ImageDraw

from desktop.core.common.errors import ZichaError
from desktop.core.export import convert
from desktop.core.export.convert import (
    ConversionError,
    docx_to_pdf,
    find_soffice,
    image_page_pdf,
    merge_pdfs,
    pdf_page_count,
)

CAPTION = {"时间": "2024年5月12日", "地点": "人民广场", "人物": "", "主题": "学雷锋志愿服务",
           "摄影": "张三"}


def _photo(size: tuple[int, int] = (400, 300), mode: str = "RGB") -> Image.Image:
    image = Image.new("RGB", size, (70, 130, 180))
    ImageDraw.Draw(image).rectangle((10, 10, size[0] // 2, size[1] // 2), fill=(200, 60, 40))
    return image.convert(mode)


def _only_page(data: bytes) -> pymupdf.Page:
    doc = pymupdf.open(stream=data, filetype="pdf")
    assert doc.page_count == 1
    return doc[0]


def _pdf(pages: int, toc: list[list] | None = None) -> bytes:
    doc = pymupdf.open()
    for n in range(pages):
        doc.new_page().insert_text((72, 72), f"page {n + 1}")
    if toc:
        doc.set_toc(toc)
    return doc.tobytes()


def test_rotated_jpeg_becomes_upright_centred_a4_page(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, to be shown turned 90° clockwise
    _photo((400, 300)).save(path, exif=exif)

    page = _only_page(image_page_pdf(path, CAPTION, "文明交通劝导活动照片"))

    assert (round(page.rect.width), round(page.rect.height)) == (595, 842)
    [info] = page.get_image_info()
    box = pymupdf.Rect(info["bbox"])
    assert box.height > box.width
    assert abs((box.x0 + box.x1) / 2 - page.rect.width / 2) <= 2
    text = page.get_text()
    assert "文明交通劝导活动照片" in text
    for line in ("时间：2024年5月12日", "地点：人民广场", "主题：学雷锋志愿服务", "摄影：张三"):
        assert line in text
    assert "人物：" not in text
    order = [text.index(k) for k in ("时间：", "地点：", "主题：", "摄影：")]
    assert order == sorted(order)
    # title above the photo, caption below it
    title_y = page.search_for("文明交通")[0].y1
    caption_y = page.search_for("时间")[0].y0
    assert title_y <= box.y0 and caption_y >= box.y1
    assert page.parent.metadata["title"] == "文明交通劝导活动照片"


def test_png_with_alpha_is_flattened(tmp_path: Path) -> None:
    path = tmp_path / "screen.png"
    image = _photo((300, 200), "RGBA")
    image.putalpha(128)
    image.save(path)

    page = _only_page(image_page_pdf(path, {"主题": "科普"}, "科普活动"))

    [(xref, smask, *_)] = page.get_images()
    assert smask == 0  # no soft mask: flattened onto white
    assert "主题：科普" in page.get_text()


def test_multi_page_tiff_uses_first_page(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    first, second = _photo((300, 500)), _photo((500, 300))
    first.save(path, save_all=True, append_images=[second], compression="tiff_lzw")

    page = _only_page(image_page_pdf(path, {}, "端午主题活动"))

    box = pymupdf.Rect(page.get_image_info()[0]["bbox"])
    assert box.height > box.width  # the portrait first page, not the landscape second


@pytest.mark.parametrize("mode", ["CMYK", "L", "P"])
def test_other_jpeg_and_tiff_modes(tmp_path: Path, mode: str) -> None:
    path = tmp_path / f"photo-{mode}.{'tif' if mode == 'P' else 'jpg'}"
    _photo(mode=mode).save(path)
    page = _only_page(image_page_pdf(path, {"地点": "市民广场"}, "照片"))
    assert len(page.get_images()) == 1


def test_sixteen_bit_tiff(tmp_path: Path) -> None:
    path = tmp_path / "deep.tif"
    Image.new("I;16", (200, 100), 40000).save(path)
    page = _only_page(image_page_pdf(path, {}, "扫描照片"))
    pix = page.get_pixmap(dpi=20)
    centre = pix.pixel(pix.width // 2, pix.height // 2)
    assert 140 < centre[0] < 170  # 40000 / 256 ≈ 156: scaled, not clipped to white


def test_merge_pdfs_bookmarks_each_part(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    _photo().save(photo)
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(_pdf(2))
    parts: list[tuple[str, bytes | Path]] = [
        ("01_活动照片", image_page_pdf(photo, CAPTION, "活动照片")),
        ("02_会议纪要", minutes),
        ("03_统计表", _pdf(3, toc=[[1, "第一节", 2]])),
    ]
    out = tmp_path / "out" / "01.02 合并.pdf"

    assert merge_pdfs(parts, out, "01.02 加强爱国主义教育") == 6

    with pymupdf.open(out) as doc:
        assert doc.page_count == 6
        toc = doc.get_toc()
        assert [e for e in toc if e[0] == 1] == [[1, "01_活动照片", 1], [1, "02_会议纪要", 2],
                                                 [1, "03_统计表", 4]]
        assert [2, "第一节", 5] in toc  # a part's own bookmarks follow one level down
        assert doc.metadata["title"] == "01.02 加强爱国主义教育"
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temp file left
    assert pdf_page_count(out.read_bytes()) == 6


def test_merge_rejects_a_broken_part(tmp_path: Path) -> None:
    out = tmp_path / "merged.pdf"
    with pytest.raises(ConversionError, match="坏文件"):
        merge_pdfs([("好文件", _pdf(1)), ("坏文件", b"not a pdf")], out, "合并")
    assert not out.exists()


def test_docx_without_libreoffice_names_the_file(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(convert, "_SOFFICE_FALLBACKS", ())
    assert find_soffice() is None
    docx = tmp_path / "会议纪要.docx"
    Document().save(str(docx))

    with pytest.raises(ConversionError) as caught:
        docx_to_pdf(docx, tmp_path / "work")
    assert isinstance(caught.value, ZichaError)
    assert str(caught.value) == ("未安装 LibreOffice，无法把 会议纪要.docx 转为 PDF；"
                                 "将保留 DOCX 原件")


def _fake_soffice(tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell script stands in for soffice")
def test_docx_timeout_and_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docx = tmp_path / "方案.docx"
    Document().save(str(docx))
    _fake_soffice(tmp_path, 'echo "Error: source file could not be loaded" >&2\nexec /bin/sleep 30',
                  monkeypatch)
    with pytest.raises(ConversionError, match=r"方案\.docx 超过 0\.5 秒"):
        docx_to_pdf(docx, tmp_path / "work", timeout_s=0.5)
    assert [p.name for p in (tmp_path / "work").iterdir()] == []  # private profile removed

    (tmp_path / "bin" / "soffice").write_text(
        "#!/bin/sh\necho 'Error: source file could not be loaded' >&2\n")
    with pytest.raises(ConversionError,
                       match=r"未能把 方案\.docx 转为 PDF（Error: source file could not be"):
        docx_to_pdf(docx, tmp_path / "work")


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_docx_to_pdf_with_libreoffice(tmp_path: Path) -> None:
    docx = tmp_path / "-创建工作会议纪要.docx"
    document = Document()
    document.add_heading("创建全国文明城市工作推进会会议纪要", level=1)
    document.add_paragraph("会议研究部署了文明交通劝导和垃圾分类工作。")
    document.save(str(docx))

    pdf = docx_to_pdf(docx, tmp_path / "work")

    assert pdf == tmp_path / "work" / "-创建工作会议纪要.pdf"
    with pymupdf.open(pdf) as doc:
        text = "".join(page.get_text() for page in doc).replace("\n", "")
    assert "创建全国文明城市工作推进会会议纪要" in text
    assert "垃圾分类" in text
    assert [p.name for p in (tmp_path / "work").iterdir()] == [pdf.name]


def _printed_dpi(page: pymupdf.Page) -> float:
    [info] = page.get_image_info()
    return info["width"] / (pymupdf.Rect(info["bbox"]).width / 72)


def test_an_upright_jpeg_up_to_keep_dpi_is_placed_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    _photo((2600, 1460)).save(path, quality=92)  # 380 dpi across the page
    doc = pymupdf.open(stream=image_page_pdf(path, CAPTION, "活动照片"), filetype="pdf")
    [(xref, *_)] = doc[0].get_images()
    assert doc.xref_stream_raw(xref) == path.read_bytes()  # no second lossy compression
    assert convert.MAX_DPI < _printed_dpi(doc[0]) <= convert.KEEP_DPI


def test_a_larger_photo_is_brought_down_to_about_max_dpi(tmp_path: Path) -> None:
    path = tmp_path / "phone.jpg"
    _photo((4000, 3000)).save(path, quality=92)  # a phone's 12 megapixels: 580 dpi
    page = _only_page(image_page_pdf(path, CAPTION, "活动照片"))
    assert convert.DRAFT_SHARE * convert.MAX_DPI <= _printed_dpi(page) <= convert.MAX_DPI


@pytest.mark.parametrize(("mode", "space"), [("RGB", "DeviceRGB"), ("L", "DeviceGray")])
def test_a_jpeg_is_placed_with_its_colours_and_profile(tmp_path: Path, mode: str,
                                                       space: str) -> None:
    """The photo's own bytes under DCTDecode, its colour space from its mode, its ICC profile
    (when it has one for those colours) as an ICCBased space; it looks as insert_image makes
    it look."""
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    plain, profiled = tmp_path / "plain.jpg", tmp_path / "profiled.jpg"
    _photo((800, 600), mode).save(plain, quality=90)
    _photo((800, 600), mode).save(profiled, quality=90, icc_profile=srgb)
    for path, with_profile in ((plain, False), (profiled, mode == "RGB")):
        doc = pymupdf.open(stream=image_page_pdf(path, CAPTION, "活动照片"), filetype="pdf")
        [(xref, _smask, width, height, bpc, colours, _alt, _name, kind, *_)] = \
            doc[0].get_images()
        assert (width, height, bpc, kind) == (800, 600, 8, "DCTDecode")
        assert doc.xref_stream_raw(xref) == path.read_bytes()
        assert colours == ("ICCBased" if with_profile else space)
        if with_profile:
            profile = doc.xref_get_key(xref, "ColorSpace")[1]
            assert doc.xref_stream(int(profile.split()[1])) == srgb
        reference = pymupdf.open()
        page = reference.new_page(width=convert.PAGE.width, height=convert.PAGE.height)
        page.insert_image(doc[0].get_image_rects(xref)[0], stream=path.read_bytes())
        ours = doc[0].get_pixmap(dpi=40, clip=doc[0].get_image_rects(xref)[0])
        theirs = page.get_pixmap(dpi=40, clip=doc[0].get_image_rects(xref)[0])
        assert (ours.width, ours.height) == (theirs.width, theirs.height)
        diff = max(abs(a - b) for a, b in zip(ours.samples, theirs.samples, strict=True))
        assert diff <= 8, diff
