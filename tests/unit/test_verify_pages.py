"""What 可用性 3-4 reads of an exported PDF (export/usable.py): by default the text of its first
and last page and every image stream's header and end, without drawing a page; `zicha verify
EXPORT --full` reads and draws every page. A PDF cut short, or one whose image stream is cut
or garbled, is not usable either way."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from desktop.core.export import usable


def _pdf(path: Path, pages: int) -> Path:
    doc = pymupdf.open()
    for n in range(pages):
        doc.new_page().insert_text((72, 72), f"page {n + 1}")
    doc.save(path)
    doc.close()
    return path


def _noise(width: int, height: int, fmt: str = "JPEG", seed: int = 7) -> bytes:
    rng = random.Random(seed)
    img = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    img.save(out, fmt, quality=90)
    return out.getvalue()


def _gradient_png(width: int, height: int) -> bytes:
    img = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _scan(path: Path, image: bytes, pages: int = 3) -> Path:
    """A PDF whose first page holds `image`, its streams compressed as a real export's are."""
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page()
        page.insert_text((72, 60), f"第 {n + 1} 页", fontname="china-s")
        if n == 0:
            page.insert_image(pymupdf.Rect(50, 100, 545, 700), stream=image)
    doc.save(path, deflate=True)
    doc.close()
    return path


def _image_xref(doc: pymupdf.Document) -> int:
    return next(x for x in range(1, doc.xref_length())
                if doc.xref_get_key(x, "Subtype") == ("name", "/Image"))


def _with_image_stream(source: Path, target: Path, change: Callable[[bytes], bytes]) -> Path:
    """A copy of `source` whose image stream is `change`d, the rest of the PDF consistent
    (lengths and cross-references rewritten): only the image itself is damaged."""
    with pymupdf.open(source) as doc:
        xref = _image_xref(doc)
        kind, value = doc.xref_get_key(xref, "Filter")
        doc.update_stream(xref, change(doc.xref_stream_raw(xref)), compress=False)
        doc.xref_set_key(xref, "Filter", value)
        assert kind == "name"
        doc.save(target)
    return target


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """The page numbers PyMuPDF is asked to read (get_text, or usable.interpret: the same
    without decoding images) and to draw."""
    record: dict[str, list[int]] = {"text": [], "drawn": []}
    get_text, get_pixmap = pymupdf.Page.get_text, pymupdf.Page.get_pixmap
    interpret = usable.interpret

    def text(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        record["text"].append(page.number)
        return get_text(page, *args, **kwargs)

    def interpreted(page):  # type: ignore[no-untyped-def]
        record["text"].append(page.number)
        return interpret(page)

    monkeypatch.setattr(usable, "interpret", interpreted)

    def pixmap(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        record["drawn"].append(page.number)
        return get_pixmap(page, *args, **kwargs)

    monkeypatch.setattr(pymupdf.Page, "get_text", text)
    monkeypatch.setattr(pymupdf.Page, "get_pixmap", pixmap)
    return record


def test_by_default_the_first_and_last_page_are_read_and_none_drawn(tmp_path: Path, seen) -> None:  # type: ignore[no-untyped-def]
    usable.check(_pdf(tmp_path / "a.pdf", 12), "pdf", full=False)
    assert seen == {"text": [0, 11], "drawn": []}


def test_full_reads_and_draws_every_page(tmp_path: Path, seen) -> None:  # type: ignore[no-untyped-def]
    usable.check(_pdf(tmp_path / "a.pdf", 5), "pdf", full=True)
    assert seen == {"text": [0, 1, 2, 3, 4], "drawn": [0, 1, 2, 3, 4]}


def test_a_one_page_pdf_is_read_once(tmp_path: Path, seen) -> None:  # type: ignore[no-untyped-def]
    usable.check(_pdf(tmp_path / "a.pdf", 1), "pdf", full=False)
    assert seen == {"text": [0], "drawn": []}


@pytest.mark.parametrize("image", ["small-jpeg", "large-jpeg", "png"])
def test_a_whole_scan_is_usable(tmp_path: Path, image: str) -> None:
    data = {"small-jpeg": lambda: _noise(300, 200), "large-jpeg": lambda: _noise(900, 700),
            "png": lambda: _gradient_png(600, 400)}[image]()
    path = _scan(tmp_path / "扫描件.pdf", data)
    for full in (False, True):
        usable.check(path, "pdf", full=full)


@pytest.mark.parametrize("keep", [0.3, 0.7, 0.98])
def test_a_pdf_cut_short_is_not_usable(tmp_path: Path, keep: float) -> None:
    whole = _scan(tmp_path / "扫描件.pdf", _noise(900, 700)).read_bytes()
    cut = tmp_path / "截断.pdf"
    cut.write_bytes(whole[:int(len(whole) * keep)])
    for full in (False, True):
        with pytest.raises(usable.Unusable, match="不完整.*截断"):
            usable.check(cut, "pdf", full=full)


def test_trailing_blank_bytes_after_the_end_are_allowed(tmp_path: Path) -> None:
    path = _scan(tmp_path / "扫描件.pdf", _noise(300, 200))
    path.write_bytes(path.read_bytes() + b"\r\n" + b"\x00" * 3000)
    usable.check(path, "pdf")


def test_a_dangling_cross_reference_entry_is_allowed(tmp_path: Path) -> None:
    # real editors leave xref entries whose object is missing; readers skip them
    source = _pdf(tmp_path / "原.pdf", pages=2)
    data = source.read_bytes()
    prev = int(re.search(rb"startxref\s+(\d+)", data).group(1))  # type: ignore[union-attr]
    with pymupdf.open(source) as doc:
        missing = doc.xref_length()
    update = b"\nxref\n%d 1\n%010d 00000 n \ntrailer\n<</Size %d/Root 1 0 R/Prev %d>>\n" % (
        missing, len(data) - 20, missing + 1, prev)
    dangling = tmp_path / "悬空对象.pdf"
    dangling.write_bytes(data + update + b"startxref\n%d\n%%%%EOF\n" % (len(data) + 1))
    with pymupdf.open(dangling) as doc, pytest.raises(Exception, match="cannot find object"):
        doc.xref_get_key(missing, "Subtype")
    usable.check(dangling, "pdf")


@pytest.mark.parametrize(("size", "damage", "needle"), [
    ((300, 200), lambda raw: raw[:len(raw) // 2], "EOI"),  # a small stream: read whole
    ((900, 700), lambda raw: raw[:len(raw) // 2], "EOI"),  # a large one: its tail first
    ((900, 700), lambda raw: raw[:-2], "EOI"),
    ((900, 700), lambda raw: b"\x00" * 64 + raw[64:], "SOI"),
    ((900, 700), lambda raw: raw[:2] + b"\xff\xe0\x7f\xff" + raw[6:], "头部"),
], ids=["small-cut", "large-cut", "end-marker-gone", "head-zeroed", "bad-segment-length"])
def test_a_broken_jpeg_stream_is_not_usable(tmp_path: Path, size: tuple[int, int],
                                            damage: Callable[[bytes], bytes],
                                            needle: str) -> None:
    good = _scan(tmp_path / "扫描件.pdf", _noise(*size))
    broken = _with_image_stream(good, tmp_path / "坏图.pdf", damage)
    for full in (False, True):
        with pytest.raises(usable.Unusable, match=f"图像.*{needle}"):
            usable.check(broken, "pdf", full=full)


def test_data_after_a_jpeg_end_is_allowed(tmp_path: Path) -> None:
    """A motion photo carries its video after the JPEG's end marker."""
    good = _scan(tmp_path / "扫描件.pdf", _noise(900, 700))
    video = b"\x00\x00\x00\x18ftypmp42" + random.Random(3).randbytes(300_000)
    usable.check(_with_image_stream(good, tmp_path / "动态照片.pdf", lambda raw: raw + video),
                 "pdf")


@pytest.mark.parametrize("damage", [
    lambda raw: raw[:len(raw) // 2],
    lambda raw: raw[:len(raw) // 2] + bytes(64) + raw[len(raw) // 2 + 64:],
    lambda raw: b"\x13\x37" + raw[2:],
], ids=["cut", "garbled", "bad-header"])
def test_a_broken_flate_image_stream_is_not_usable(tmp_path: Path,
                                                   damage: Callable[[bytes], bytes]) -> None:
    good = _scan(tmp_path / "截图.pdf", _gradient_png(600, 400))
    with pymupdf.open(good) as doc:
        assert doc.xref_get_key(_image_xref(doc), "Filter") == ("name", "/FlateDecode")
    broken = _with_image_stream(good, tmp_path / "坏图.pdf", damage)
    with pytest.raises(usable.Unusable, match="图像.*损坏"):
        usable.check(broken, "pdf")


@pytest.mark.parametrize("member", ["word/document.xml", "word/fontTable.xml",
                                    "docProps/thumbnail.jpeg"])
def test_a_docx_with_a_damaged_member_is_not_usable(tmp_path: Path, member: str) -> None:
    """Any member, parsed or not, whose bytes no longer match its CRC (or do not inflate)."""
    import zipfile

    import docx

    path = tmp_path / "通知.docx"
    document = docx.Document()
    document.add_paragraph("关于开展文明交通志愿服务活动的通知")
    document.save(str(path))
    usable.check(path, "docx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 10
    data[at] ^= 0xFF  # inside the member's compressed bytes: its CRC no longer matches
    path.write_bytes(bytes(data))
    with pytest.raises(usable.Unusable):
        usable.check(path, "docx")


def test_verify_starts_a_decision_chain_where_the_review_does() -> None:
    from desktop.core.export import verify
    from desktop.core.review import decisions

    assert verify.GENESIS == decisions.GENESIS


def test_checking_an_export_imports_no_database_layer(tmp_path: Path) -> None:
    """`zicha verify EXPORT` needs no archive: SQLAlchemy, python-docx and the extraction
    package stay unloaded (they are most of a check's start-up)."""
    import subprocess
    import sys

    probe = ("import sys\n"
             "from desktop.cli import main\n"
             "code = main(['verify', sys.argv[1]])\n"
             "print(sorted(m for m in ('sqlalchemy', 'docx', 'desktop.core.extract') "
             "if m in sys.modules))\n")
    bag = tmp_path / "包"
    (bag / "data").mkdir(parents=True)
    (bag / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
                                   encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", probe, str(bag)], capture_output=True,
                            text=True, check=False)
    assert result.stdout.strip().splitlines()[-1] == "[]", result


@pytest.mark.parametrize(("size", "damage", "needle"), [
    ((300, 200), lambda raw: raw[:len(raw) // 2], "EOI"),  # a small file: read whole
    ((900, 700), lambda raw: raw[:len(raw) // 2], "EOI"),  # a large one: its tail first
    ((900, 700), lambda raw: raw[:-2], "EOI"),
    ((900, 700), lambda raw: raw[:2] + b"\xff\xe0\x7f\xff" + raw[6:], "头部"),
], ids=["small-cut", "large-cut", "end-marker-gone", "bad-segment-length"])
def test_a_broken_jpeg_file_is_not_usable_without_decoding(
        tmp_path: Path, size: tuple[int, int], damage: Callable[[bytes], bytes],
        needle: str) -> None:
    """A JPEG file is checked as a JPEG stream in a PDF is, its pixels not decoded; `full`
    decodes it (and fails it too)."""
    good = tmp_path / "照片.jpg"
    good.write_bytes(_noise(*size))
    usable.check(good, "jpeg")
    usable.check(good, "jpeg", full=True)
    broken = tmp_path / "坏照片.jpg"
    broken.write_bytes(damage(good.read_bytes()))
    with pytest.raises(usable.Unusable, match=needle):
        usable.check(broken, "jpeg")
    with pytest.raises(Exception):  # noqa: B017,PT011 - PIL's own error for a cut JPEG
        usable.check(broken, "jpeg", full=True)


def test_a_motion_photo_file_is_usable(tmp_path: Path) -> None:
    """A motion photo carries its video after the JPEG's end marker: the whole file is read
    to find the end marker."""
    photo = tmp_path / "动态照片.jpg"
    photo.write_bytes(_noise(900, 700) + b"\x00\x00\x00\x18ftypmp42" +
                      random.Random(5).randbytes(300_000))
    usable.check(photo, "jpeg")
    cut = tmp_path / "截断.jpg"
    cut.write_bytes(photo.read_bytes()[:len(_noise(900, 700)) // 2])
    with pytest.raises(usable.Unusable, match="EOI"):
        usable.check(cut, "jpeg")


def test_a_docx_is_checked_in_memory_as_from_its_file(tmp_path: Path) -> None:
    """4-2 and 3-4 of a small DOCX read once into memory find what they find in the file: a
    macro, and a member whose CRC no longer matches."""
    import zipfile

    import docx

    from desktop.core.export import verify
    from desktop.core.export.model import Check

    good = tmp_path / "通知.docx"
    document = docx.Document()
    document.add_paragraph("关于开展文明交通志愿服务活动的通知")
    document.save(str(good))
    macro = tmp_path / "宏.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(macro, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(100))
    damaged = tmp_path / "坏.docx"
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as z:
        info = z.getinfo("word/styles.xml")
    data[info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 10] ^= 0xFF
    damaged.write_bytes(bytes(data))

    def alone(path: Path) -> tuple[str | None, dict[str, list[str]]]:
        checks = {key: Check("", "", "") for key in ("code", "encrypted", "opens")}
        kind = verify._check_alone(f"data/{path.name}", path, checks, False)
        return kind, {key: check.problems for key, check in checks.items() if check.problems}

    assert verify._open_package(good) is not None
    assert alone(good) == ("docx", {})
    kind, found = alone(macro)
    assert kind == "docx" and any("宏" in p for p in found["code"])
    kind, found = alone(damaged)
    assert kind is None and found["opens"], found
