"""Text of Word/Excel/PowerPoint 97-2003 files and what an OLE container holds (extract/legacy).

The fixtures in tests/fixtures/formats/legacy were written by LibreOffice 7.4 (see README.md
there); poi/ holds a few files written by Microsoft Office, from Apache POI's test data.
"""

from __future__ import annotations

import gzip
import os
import random
import shutil
import struct
import time
from pathlib import Path

import olefile
import pytest

from desktop.core.extract import legacy
from desktop.core.extract.base import ExtractError, Extraction
from desktop.core.extract.legacy import OleKind, extract_doc, extract_ppt, extract_xls, ole_kind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "legacy"
POI = FIXTURES / "poi"
DOC = FIXTURES / "tongzhi.doc"
XLS = FIXTURES / "taizhang.xls"
ENCRYPTED_DOC = FIXTURES / "tongzhi-encrypted.doc"
ENCRYPTED_XLS = FIXTURES / "taizhang-encrypted.xls"
ENCRYPTED_DOCX = FIXTURES / "tongzhi-encrypted.docx"
FAST = 2.0  # seconds: a broken file must be refused at least this fast


@pytest.fixture(scope="module")
def ppt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The LibreOffice .ppt, stored gzip-compressed (its preview bitmap is 590 KB of white)."""
    path = tmp_path_factory.mktemp("legacy") / "jianbao.ppt"
    path.write_bytes(gzip.decompress((FIXTURES / "jianbao.ppt.gz").read_bytes()))
    return path


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def _timed_error(reader: object, path: Path) -> str:
    assert callable(reader)
    start = time.perf_counter()
    with pytest.raises(ExtractError) as caught:
        reader(path)
    assert time.perf_counter() - start < FAST
    return caught.value.reason


# --------------------------------------------------------------------------- Word


def test_doc_text_title_paragraphs_table_notes_headers() -> None:
    result = extract_doc(DOC)
    assert result.state == "done"
    assert [page.index for page in result.pages] == [0]
    text = result.text
    lines = text.split("\n")
    assert lines[0] == "关于开展档案安全检查工作的通知"
    assert "在全县范围内开展档案安全检查工作。" in text  # the footnote mark in it is dropped
    assert "单位\t检查时间\t负责人" in lines
    assert "县档案馆\t12月5日" in lines  # a row's trailing empty cell dropped, as for DOCX
    assert "城关镇\t\t王五" in lines  # an empty cell inside the row kept
    assert "县委办\t12月8日\t李四 赵六" in lines  # a cell's two paragraphs on the row's line
    assert "脚注：检查标准见省档案局有关文件。" in lines
    assert text.count("某某县人民政府办公室文件（页眉）") == 1
    assert "\x07" not in text and "\r" not in text


def test_doc_fields_keep_their_results_only() -> None:
    text = extract_doc(DOC).text
    assert "详情见档案局网站，联系电话" in text  # HYPERLINK field: the shown text
    assert "第 1 页（页脚）" in text  # PAGE field in the footer: its result
    assert "HYPERLINK" not in text and "PAGE" not in text and "example.org" not in text


def test_wps_text_is_a_doc(tmp_path: Path) -> None:
    wps = _copy(DOC, tmp_path / "通知.wps")
    assert extract_doc(wps) == extract_doc(DOC)
    assert ole_kind(wps).kind == "doc"


def test_doc_written_by_word_97_compressed_text_and_table() -> None:
    text = extract_doc(POI / "simple-table.doc").text
    assert "created using Word 97 – SR2" in text  # cp1252 piece, en dash included
    assert "Cell 1,1\tCell 1,2\tCell 1,3" in text.split("\n")
    assert "This text is below the table." in text


def test_doc_headers_and_footers_from_word() -> None:
    text = extract_doc(POI / "ThreeColHeadFoot.doc").text
    assert "More on page one" in text
    assert "First header column!" in text
    assert "Footer Left" in text


def test_word_6_document() -> None:
    result = extract_doc(POI / "Word6.doc")
    assert result.state == "done"
    assert "The quick brown fox jumps over the lazy dog" in result.text


def test_encrypted_doc() -> None:
    reason = _timed_error(extract_doc, ENCRYPTED_DOC)
    assert "加密" in reason and "Word/WPS" in reason


def test_field_results_nested_and_unbalanced() -> None:
    nested = "a\x13 IF \x13 MERGEFIELD x \x14X\x15 = 1 \x14yes\x15b"
    assert legacy._field_results(nested) == "ayesb"
    assert legacy._field_results("a\x13 TOC \x15b") == "ab"  # no separator: nothing shown
    assert legacy._field_results("a\x14b\x15c") == "abc"  # stray marks do no harm
    assert legacy._field_results("a\x13 code without end") == "a"


def test_table_paragraph_sprms() -> None:
    flags = legacy._paragraph_flags
    assert flags(struct.pack("<HB", 0x2417, 1)) == (False, True)  # TTP: ends a row
    assert flags(struct.pack("<HB", 0x2416, 1)) == (True, False)  # InTable: in a cell
    assert flags(struct.pack("<HI", 0x6649, 2)) == (True, False)  # table depth 2
    table_def = struct.pack("<HH", 0xD608, 3) + b"\x00\x00"  # skipped by its own size
    assert flags(table_def + struct.pack("<HB", 0x2417, 1)) == (False, True)
    assert flags(b"\xff") == (False, False)


# --------------------------------------------------------------------------- Excel


def test_xls_one_page_per_sheet_with_numbers_and_dates() -> None:
    result = extract_xls(XLS)
    assert result.state == "done"
    assert [page.index for page in result.pages] == [0, 1]  # the blank third sheet has no page
    first, second = (page.text.split("\n") for page in result.pages)
    assert first[0] == "经费台账"
    assert first[1] == "项目\t金额（元）\t日期"
    assert "档案数字化\t125000\t2026-03-15" in first
    assert "库房改造\t38500.5\t2026-11-02" in first
    assert "合计\t163500.5\t已审核" in first  # a formula's cached value
    assert second == ["人员名单", "姓名\t科室", "张三\t档案管理科", "李四\t信息技术科"]


def test_et_text_is_an_xls(tmp_path: Path) -> None:
    et = _copy(XLS, tmp_path / "台账.et")
    assert extract_xls(et) == extract_xls(XLS)
    assert ole_kind(et).kind == "xls"


def test_xls_excel_95_book_stream_and_1904_dates() -> None:
    text = extract_xls(POI / "testEXCEL_95.xls").text
    assert "Sample Excel Worksheet - Numbers and their Squares" in text
    assert extract_xls(POI / "1904DateWindowing.xls").text.split("\n")[1] == (
        "2000-01-01\t2000-01-01")


def test_encrypted_xls() -> None:
    reason = _timed_error(extract_xls, ENCRYPTED_XLS)
    assert "加密" in reason


# --------------------------------------------------------------------------- PowerPoint


def test_ppt_one_page_per_slide(ppt: Path) -> None:
    result = extract_ppt(ppt)
    assert result.state == "done"
    assert [page.index for page in result.pages] == [0, 1, 2]
    slides = [page.text.split("\n") for page in result.pages]
    assert slides[0] == ["档案工作汇报", "二〇二六年度", "县档案局"]
    assert slides[1][:3] == ["一、基本情况", "馆藏档案 12 万卷", "数字化率达到百分之八十"]
    assert "文本框：数据截至十一月底" in slides[1]  # a text box, not a placeholder
    assert "备注：汇报时强调安全检查" in slides[1]  # the slide's notes
    assert slides[2] == ["二、下一步计划", "完善库房消防设施", "推进电子档案单套制"]
    assert "单击此处" not in result.text and "Click to" not in result.text  # no master text


def test_dps_text_is_a_ppt(ppt: Path, tmp_path: Path) -> None:
    dps = _copy(ppt, tmp_path / "汇报.dps")
    assert extract_ppt(dps) == extract_ppt(ppt)
    assert ole_kind(dps).kind == "ppt"


def test_ppt_written_by_powerpoint_with_notes() -> None:
    pages = extract_ppt(POI / "basic_test_ppt_file.ppt").pages
    assert len(pages) == 2
    assert pages[0].text.startswith("This is a test title\nThis is a test subtitle")
    assert "These are the notes for page 1" in pages[0].text
    assert "These are the notes on page two" in pages[1].text


def test_encrypted_ppt() -> None:
    reason = _timed_error(extract_ppt, POI / "Password_Protected-hello.ppt")
    assert "加密" in reason
    assert ole_kind(POI / "Password_Protected-hello.ppt") == OleKind(
        "ppt", True, "PowerPoint 97-2003 / WPS 演示文稿")


def test_ppt_marked_encrypted_in_current_user(ppt: Path, tmp_path: Path) -> None:
    """LibreOffice cannot encrypt a .ppt: the token of a copy is changed (same size)."""
    marked = _copy(ppt, tmp_path / "marked.ppt")
    with olefile.OleFileIO(str(marked), write_mode=True) as ole:
        user = bytearray(ole.openstream("Current User").read())
        struct.pack_into("<I", user, 12, 0xF3D1C4DF)
        ole.write_stream("Current User", bytes(user))
    assert ole_kind(marked).encrypted
    assert "加密" in _timed_error(extract_ppt, marked)


def test_encrypted_ppt_known_by_its_user_edit_atom(tmp_path: Path) -> None:
    """The token in Current User set to "plain": the UserEditAtom still names the session."""
    plain = _copy(POI / "Password_Protected-hello.ppt", tmp_path / "token.ppt")
    with olefile.OleFileIO(str(plain), write_mode=True) as ole:
        user = bytearray(ole.openstream("Current User").read())
        struct.pack_into("<I", user, 12, 0xE391C05F)
        ole.write_stream("Current User", bytes(user))
    assert ole_kind(plain).encrypted
    assert "加密" in _timed_error(extract_ppt, plain)
    assert legacy._edit_encrypted(struct.pack("<HHI", 0, 0x0FF5, 0x20))
    assert not legacy._edit_encrypted(struct.pack("<HHI", 0, 0x0FF5, 0x1C))
    assert not legacy._edit_encrypted(b"")


def test_ppt_without_current_user_and_the_all_text_fallback(ppt: Path, tmp_path: Path) -> None:
    broken = _copy(ppt, tmp_path / "no-user.ppt")
    with olefile.OleFileIO(str(broken), write_mode=True) as ole:
        size = ole.get_size("Current User")
        ole.write_stream("Current User", b"\x00" * size)
    # the last UserEditAtom is then found by walking the top-level records
    assert extract_ppt(broken) == extract_ppt(ppt)
    with olefile.OleFileIO(str(ppt)) as ole:
        walker = legacy._Walker(ole.openstream("PowerPoint Document").read())
    texts = legacy._ppt_all_text(walker)
    assert "档案工作汇报" in texts and "推进电子档案单套制" in "\n".join(texts)


def test_ppt_deep_nesting_and_record_flood(monkeypatch: pytest.MonkeyPatch) -> None:
    atom = struct.pack("<HHI", 0, 0x0FA0, 4) + "深层".encode("utf-16-le")
    data = atom
    for _ in range(5000):  # containers 5000 deep: no RecursionError, the text is out of reach
        data = struct.pack("<HHI", 0x000F, 0x03EE, len(data)) + data
    top = legacy._Record(0, 0, True, 0, len(data))
    assert list(legacy._Walker(data).texts(top)) == []
    assert list(legacy._Walker(atom).texts(legacy._Record(0, 0, True, 0, len(atom)))) == ["深层"]
    monkeypatch.setattr(legacy, "_MAX_RECORDS", 100)
    flood = struct.pack("<HHI", 0, 0x0FA0, 0) * 1000
    with pytest.raises(ExtractError, match="记录过多"):
        list(legacy._Walker(flood).texts(legacy._Record(0, 0, True, 0, len(flood))))


# --------------------------------------------------------------------------- OLE kinds


def test_ole_kind_of_each_fixture(ppt: Path) -> None:
    assert ole_kind(DOC) == OleKind("doc", False, "Word 97-2003 / WPS 文字文档")
    assert ole_kind(XLS) == OleKind("xls", False, "Excel 97-2003 / WPS 表格工作簿")
    assert ole_kind(ppt) == OleKind("ppt", False, "PowerPoint 97-2003 / WPS 演示文稿")
    assert ole_kind(ENCRYPTED_DOC) == OleKind("doc", True, "Word 97-2003 / WPS 文字文档")
    assert ole_kind(ENCRYPTED_XLS) == OleKind("xls", True, "Excel 97-2003 / WPS 表格工作簿")
    encrypted = ole_kind(ENCRYPTED_DOCX)
    assert encrypted.kind is None and encrypted.encrypted and "DOCX" in encrypted.note
    for name in ("simple-table.doc", "Word6.doc", "ThreeColHeadFoot.doc"):
        assert ole_kind(POI / name) == OleKind("doc", False, "Word 97-2003 / WPS 文字文档")
    assert ole_kind(POI / "testEXCEL_95.xls").kind == "xls"  # a "Book" stream


def test_ole_kind_of_outlook_mail() -> None:
    mail = FIXTURES.parent / "markup" / "poi-chinese-traditional.msg"
    assert ole_kind(mail) == OleKind("msg", False, "Outlook 邮件（MSG）")


def test_ole_kind_of_files_that_are_not_office(tmp_path: Path) -> None:
    assert ole_kind(FIXTURES / "src" / "tongzhi.fodt") == OleKind(None, False, "不是 OLE 复合文档")
    empty = tmp_path / "empty.doc"
    empty.write_bytes(b"")
    assert ole_kind(empty).kind is None
    garbage = tmp_path / "garbage.doc"
    garbage.write_bytes(legacy._OLE_MAGIC + random.Random(7).randbytes(5000))
    found = ole_kind(garbage)
    assert found.kind is None and not found.encrypted and "损坏" in found.note
    assert ole_kind(tmp_path / "missing.doc").kind is None


# --------------------------------------------------------------------------- broken files


def _readers(ppt: Path) -> list[tuple[object, Path]]:
    return [(extract_doc, DOC), (extract_xls, XLS), (extract_ppt, ppt)]


@pytest.mark.parametrize("keep", ["2k", "half"])
def test_truncated_files_fail_fast(ppt: Path, tmp_path: Path, keep: str) -> None:
    for reader, source in _readers(ppt):
        data = source.read_bytes()
        cut = tmp_path / f"{keep}{source.suffix}"
        cut.write_bytes(data[:2048] if keep == "2k" else data[: len(data) // 2])
        reason = _timed_error(reader, cut)
        assert "损坏" in reason or "不完整" in reason
        assert ole_kind(cut).kind in (None, "doc", "xls", "ppt")  # answers, never raises


def test_every_truncation_is_an_error_or_text(ppt: Path, tmp_path: Path) -> None:
    """Cuts every 512 bytes through the .doc and .xls: no traceback, no hang."""
    for reader, source in _readers(ppt)[:2]:
        data = source.read_bytes()
        cut = tmp_path / f"cut{source.suffix}"
        for size in range(0, len(data), 512):
            cut.write_bytes(data[:size])
            start = time.perf_counter()
            try:
                assert callable(reader)
                result = reader(cut)
            except ExtractError as exc:
                assert exc.reason
            else:
                assert isinstance(result, Extraction)
            assert time.perf_counter() - start < FAST


def test_random_bytes_behind_the_ole_magic(ppt: Path, tmp_path: Path) -> None:
    rng = random.Random(14)
    for reader, source in _readers(ppt):
        for size in (0, 600, 5000, 70_000):
            garbage = tmp_path / f"garbage{size}{source.suffix}"
            garbage.write_bytes(legacy._OLE_MAGIC + rng.randbytes(size))
            assert "损坏" in _timed_error(reader, garbage)


def test_streams_with_flipped_bytes(tmp_path: Path) -> None:
    """Damage inside the text streams (where container-level damage never reaches)."""
    with olefile.OleFileIO(str(DOC)) as ole:
        word = ole.openstream("WordDocument").read()
        table = ole.openstream("1Table").read()
    rng = random.Random(3)
    for _ in range(300):
        broken = bytearray(word)
        for _ in range(rng.randint(1, 6)):
            broken[rng.randrange(1024)] = rng.randrange(256)  # the FIB
        table_broken = bytearray(table)
        table_broken[rng.randrange(len(table))] = rng.randrange(256)
        try:
            fib = legacy._Fib(bytes(broken))
            legacy._doc_text(bytes(broken), fib, bytes(table_broken) if fib.word97 else word)
        except ExtractError:
            pass


def test_files_that_are_something_else(tmp_path: Path) -> None:
    rtf = tmp_path / "a.doc"
    rtf.write_bytes(b"{\\rtf1\\ansi hello}")
    assert "RTF" in _timed_error(extract_doc, rtf)
    html = tmp_path / "b.xls"
    html.write_bytes(b"<html><table><tr><td>1</td></tr></table></html>")
    assert "网页" in _timed_error(extract_xls, html)
    zipped = tmp_path / "c.ppt"
    zipped.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert "PPTX" in _timed_error(extract_ppt, zipped)
    empty = tmp_path / "d.doc"
    empty.write_bytes(b"")
    assert "空的" in _timed_error(extract_doc, empty)
    assert "不存在" in _timed_error(extract_doc, tmp_path / "missing.doc")
    # an OLE file of the wrong kind
    assert "WordDocument" in _timed_error(extract_doc, XLS)
    assert "Workbook" in _timed_error(extract_xls, DOC)
    assert "PowerPoint Document" in _timed_error(extract_ppt, DOC)


def test_text_is_capped(monkeypatch: pytest.MonkeyPatch, ppt: Path) -> None:
    from desktop.core.extract import base

    monkeypatch.setattr(legacy, "MAX_CHARS", 10)
    monkeypatch.setattr(base, "MAX_CHARS", 10)  # the text budget every reader shares
    assert len(extract_doc(DOC).text) == 10
    assert sum(len(page.text) for page in extract_xls(XLS).pages) <= 10
    assert sum(len(page.text) for page in extract_ppt(ppt).pages) <= 10


@pytest.mark.skipif(os.environ.get("ZICHA_TIMINGS") is None, reason="set ZICHA_TIMINGS=1")
def test_print_timings(ppt: Path) -> None:  # pragma: no cover - a measurement, not a check
    for reader, source in [*_readers(ppt), (extract_doc, POI / "simple-table.doc")]:
        assert callable(reader)
        start = time.perf_counter()
        for _ in range(20):
            reader(source)
        print(f"{source.name}: {(time.perf_counter() - start) / 20 * 1000:.1f} ms")
