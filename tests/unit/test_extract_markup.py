"""desktop.core.extract.markup on real files (tests/fixtures/formats/markup, see its README) and
on small files made here for the edge cases: GBK everywhere, repeats, bombs, broken copies."""

from __future__ import annotations

import base64
import os
import random
import re
import time
import zipfile
import zlib
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from desktop.core.extract.base import ExtractError, Extraction
from desktop.core.extract.markup import (
    Attachment,
    email_attachments,
    extract_delimited,
    extract_eml,
    extract_epub,
    extract_html,
    extract_msg,
    extract_odf,
    extract_pptx,
    extract_rtf,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "markup"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def fixture(name: str) -> Path:
    return FIXTURES / name


def squash(text: str) -> str:
    return "".join(text.split())


def odf(kind: str) -> Callable[[Path], Extraction]:
    return lambda path: extract_odf(path, kind)


def delimited(kind: str) -> Callable[[Path], Extraction]:
    return lambda path: extract_delimited(path, kind)


# every fixture: its reader and words that must come back
CASES: list[tuple[str, Callable[[Path], Extraction], list[str]]] = [
    ("汇报.pptx", extract_pptx, ["文明城市创建工作汇报", "志愿服务站点覆盖全部社区", "市公安局"]),
    ("通知.rtf", extract_rtf, ["关于开展文明城市创建材料自查工作的通知", "未成年人思想道德建设"]),
    ("WPS风格.rtf", extract_rtf, ["关于报送创建材料的通知", "文明实践站台账", "背街小巷环境整治"]),
    ("通知.odt", odf("odt"), ["关于开展文明城市创建材料自查工作的通知", "定人员、定时限"]),
    ("台账.ods", odf("ods"), ["学雷锋志愿服务站点建设", "远端单元格", "进度统计"]),
    ("汇报.odp", odf("odp"), ["文明城市创建工作汇报", "背街小巷整治"]),
    ("通知.html", extract_html, ["关于开展文明城市创建材料自查工作的通知", "联系人：王芳"]),
    ("政府网页.html", extract_html, ["关于公布文明单位名单的公告", "吴州市精神文明建设委员会"]),
    ("通知.epub", extract_epub, ["关于开展文明城市创建材料自查工作的通知", "背街小巷环境整治"]),
    ("报送函.eml", extract_eml, ["关于报送学雷锋志愿服务台账的函", "附件是本季度志愿服务活动台账"]),
    ("poi-chinese-traditional.msg", extract_msg, ["格式測試", "模範勞工代表"]),
    ("poi-attachment_test_msg.msg", extract_msg, ["test pièce jointe 1", "pj1.txt"]),
    ("名单.csv", delimited("csv"), ["李建国;组长", "市文明办"]),
    ("名单.tsv", delimited("tsv"), ["陈晓梅", "市教育局"]),
    ("说明.md", delimited("markdown"), ["材料整理说明", "序号_材料名称"]),
]
IDS = [name for name, _, _ in CASES]
ZIPPED = [case for case in CASES if case[0].endswith((".pptx", ".odt", ".ods", ".odp", ".epub"))]


@pytest.mark.parametrize(("name", "reader", "words"), CASES, ids=IDS)
def test_text_of_every_format_comes_back(name: str, reader: Callable[[Path], Extraction],
                                         words: list[str]) -> None:
    started = time.perf_counter()
    result = reader(fixture(name))
    assert time.perf_counter() - started < 2
    assert result.state == "done", result.reason
    assert all(page.source == "text" for page in result.pages)
    for word in words:
        assert squash(word) in squash(result.text), word


def _broken_reason(reader: Callable[[Path], Extraction], path: Path) -> str:
    started = time.perf_counter()
    with pytest.raises(ExtractError) as caught:
        reader(path)
    assert time.perf_counter() - started < 2
    reason = caught.value.reason
    assert CHINESE.search(reason), reason
    assert "Traceback" not in reason and "\n" not in reason
    return reason


@pytest.mark.parametrize(("name", "reader", "words"),
                         [*ZIPPED, *[c for c in CASES if c[0].endswith((".rtf", ".msg"))]],
                         ids=[c[0] for c in ZIPPED] + [c[0] for c in CASES
                                                       if c[0].endswith((".rtf", ".msg"))])
def test_a_truncated_copy_is_refused_in_chinese(tmp_path: Path, name: str,
                                                reader: Callable[[Path], Extraction],
                                                words: list[str]) -> None:
    data = fixture(name).read_bytes()
    cut = tmp_path / ("cut" + Path(name).suffix)
    cut.write_bytes(data[: len(data) // 2])
    _broken_reason(reader, cut)


@pytest.mark.parametrize(("name", "reader", "words"), CASES, ids=IDS)
def test_garbage_is_refused_in_chinese(tmp_path: Path, name: str,
                                       reader: Callable[[Path], Extraction],
                                       words: list[str]) -> None:
    junk = tmp_path / ("junk" + Path(name).suffix)
    junk.write_bytes(random.Random(name).randbytes(20_000))
    _broken_reason(reader, junk)


# --------------------------------------------------------------------------- slides


def test_pptx_has_a_page_per_slide_with_title_table_group_and_notes() -> None:
    result = extract_pptx(fixture("汇报.pptx"))
    assert [page.index for page in result.pages] == [0, 1, 2]
    first, second, third = (page.text for page in result.pages)
    assert first.splitlines()[0] == "文明城市创建工作汇报"
    assert first.count("文明城市创建工作汇报") == 1  # the title is not repeated as a shape
    assert second.splitlines()[-1] == "备注：汇报时强调未成年人思想道德建设成效"
    assert "测评项目\t责任单位" in third.splitlines()
    assert "组合图形中的文字：背街小巷整治" in third


def test_odp_has_a_page_per_slide_and_notes_without_placeholders() -> None:
    result = extract_odf(fixture("汇报.odp"), "odp")
    assert [page.index for page in result.pages] == [0, 1, 2]
    assert result.pages[1].text.splitlines()[-1] == "备注：汇报时强调未成年人思想道德建设成效"
    assert "公共文明秩序\t市公安局" in result.pages[2].text.splitlines()


def test_encrypted_pptx_says_it_is_encrypted() -> None:
    reason = _broken_reason(extract_pptx, fixture("加密.pptx"))
    assert "加密" in reason


def test_an_old_binary_file_named_pptx_says_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "旧版.pptx"
    path.write_bytes(fixture("poi-attachment_test_msg.msg").read_bytes())
    assert "旧版" in _broken_reason(extract_pptx, path)


# --------------------------------------------------------------------------- RTF


def test_libreoffice_rtf_writes_chinese_as_unicode_escapes() -> None:
    data = fixture("通知.rtf").read_bytes()
    assert re.search(rb"\\u\d{4,5}", data)  # what the fixture exercises
    text = extract_rtf(fixture("通知.rtf")).text
    assert "序号\t测评内容\t责任单位" in text.splitlines()


def test_gbk_rtf_decodes_hex_escapes_and_drops_pictures() -> None:
    data = fixture("WPS风格.rtf").read_bytes()
    assert b"\\ansicpg936" in data and b"\\'" in data and b"\\bin" in data
    text = extract_rtf(fixture("WPS风格.rtf")).text
    lines = text.splitlines()
    assert lines[0] == "关于报送创建材料的通知"
    assert "各责任单位：请于月底前报送文明实践站台账。" in lines  # \u25991 + GBK fallback once
    assert "背街小巷环境整治" in lines  # GBK bytes in a run of the Latin (\fcharset0) font
    assert "序号\t测评内容" in lines and "1\t志愿服务" in lines
    assert "伪装" not in text and "0123456789abcdef" not in text and "PNG" not in text
    assert "\ufffd" not in text


def test_rtf_with_raw_gbk_bytes_and_big_picture(tmp_path: Path) -> None:
    picture = "{\\pict\\pngblip " + "ab" * 3_000_000 + "}"
    rtf = ("{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\\f0 "
           + "创建文明城市" + picture + "\\par 测评体系}")
    path = tmp_path / "raw.rtf"
    path.write_bytes(rtf.encode("gbk"))
    started = time.perf_counter()
    text = extract_rtf(path).text
    assert time.perf_counter() - started < 2
    assert text.splitlines() == ["创建文明城市", "测评体系"]


def test_rtf_without_text_has_no_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.rtf"
    path.write_bytes(b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\par}")
    assert extract_rtf(path).state == "no_text"


# --------------------------------------------------------------------------- ODF


def test_odt_keeps_header_paragraphs_and_table_rows() -> None:
    result = extract_odf(fixture("通知.odt"), "odt")
    lines = result.text.splitlines()
    assert lines[0] == "吴州市文明办"  # the page header, from styles.xml
    assert "1\t未成年人思想道德建设\t市教育局" in lines


def test_encrypted_odt_says_it_is_encrypted() -> None:
    manifest = zipfile.ZipFile(fixture("加密.odt")).read("META-INF/manifest.xml")
    assert b"manifest:encryption-data" in manifest
    assert "加密" in _broken_reason(odf("odt"), fixture("加密.odt"))


def test_ods_has_a_page_per_sheet_with_tab_separated_rows() -> None:
    result = extract_odf(fixture("台账.ods"), "ods")
    assert [page.index for page in result.pages] == [0, 1]
    first = result.pages[0].text.splitlines()
    assert first[0] == "任务清单"
    assert first[1] == "序号\t测评项目\t测评内容\t责任单位\t完成时限"
    # Z2 sits in column 26: the empty columns in between are kept as tabs
    assert first[2].split("\t")[25] == "远端单元格"
    assert result.pages[1].text.splitlines()[2] == "市教育局\t12\t3"


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _odf_file(path: Path, content: str, mimetype: str = "spreadsheet") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"),
                    f"application/vnd.oasis.opendocument.{mimetype}")
        zf.writestr("content.xml", content)
    return path


def test_ods_repeats_do_not_blow_up(tmp_path: Path) -> None:
    cell = '<table:table-cell><text:p>{}</text:p></table:table-cell>'
    content = (
        f'<office:document-content {_ODS_NS}><office:body><office:spreadsheet>'
        '<table:table table:name="汇总">'
        '<table:table-row>' + cell.format("吴州") +
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        '<table:table-row>'
        '<table:table-cell table:number-columns-repeated="3"><text:p>是</text:p>'
        '</table:table-cell><table:table-cell table:number-columns-repeated="100000000"/>'
        '</table:table-row>'
        '<table:table-row table:number-rows-repeated="1000000000">' + cell.format("同") +
        '</table:table-row>'
        '</table:table></office:spreadsheet></office:body></office:document-content>')
    path = _odf_file(tmp_path / "repeat.ods", content)
    started = time.perf_counter()
    result = extract_odf(path, "ods")
    assert time.perf_counter() - started < 2
    lines = result.text.splitlines()
    assert lines[:4] == ["汇总", "吴州", "", "是\t是\t是"]
    assert 1 < lines.count("同") <= 1000  # a huge repeat of a row is cut, not expanded
    assert len(result.text) < 10_000


def test_zip_bomb_disguised_as_odt_is_refused(tmp_path: Path) -> None:
    # a real deflate stream that inflates to 1.1 GB of zeros (from one 1 MB block repeated)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(bytes(1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)
    stream = block * 1100 + packer.flush(zlib.Z_FINISH)
    path = _odf_file(tmp_path / "炸弹.odt", "<x/>", "text")
    _patch_member(path, "styles.xml", stream, 1100 << 20)
    assert path.stat().st_size < 3 * (1 << 20)
    reason = _broken_reason(odf("odt"), path)
    assert "压缩炸弹" in reason


def _patch_member(path: Path, name: str, stream: bytes, size: int) -> None:
    """Rewrite the ZIP with member ``name`` holding the raw deflate ``stream`` of ``size``."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist() if info.filename != name]
    out = bytearray()
    central = bytearray()
    entries = [(info.filename.encode(), zlib.compress(data)[2:-4] if info.compress_type
                else data, len(data), zlib.crc32(data), info.compress_type)
               for info, data in members]
    entries.append((name.encode(), stream, size, 0, zipfile.ZIP_DEFLATED))
    for raw_name, payload, length, crc, method in entries:
        offset = len(out)
        out += (b"PK\x03\x04" + (20).to_bytes(2, "little") + bytes(2)
                + method.to_bytes(2, "little") + bytes(4) + crc.to_bytes(4, "little")
                + len(payload).to_bytes(4, "little") + length.to_bytes(4, "little")
                + len(raw_name).to_bytes(2, "little") + bytes(2) + raw_name + payload)
        central += (b"PK\x01\x02" + (20).to_bytes(2, "little") * 2 + bytes(2)
                    + method.to_bytes(2, "little") + bytes(4) + crc.to_bytes(4, "little")
                    + len(payload).to_bytes(4, "little") + length.to_bytes(4, "little")
                    + len(raw_name).to_bytes(2, "little") + bytes(12)
                    + offset.to_bytes(4, "little") + raw_name)
    end = (b"PK\x05\x06" + bytes(4) + len(entries).to_bytes(2, "little") * 2
           + len(central).to_bytes(4, "little") + len(out).to_bytes(4, "little") + bytes(2))
    path.write_bytes(bytes(out + central + end))


def test_odt_without_content_says_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "空壳.odt"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert "content.xml" in _broken_reason(odf("odt"), path)


def test_odt_with_entities_is_not_expanded(tmp_path: Path) -> None:
    content = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "哈哈哈哈哈哈哈哈">'
               '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
               f'<office:document-content {_ODS_NS}><office:body><office:text>'
               '<text:p>正文&c;</text:p></office:text></office:body></office:document-content>')
    path = _odf_file(tmp_path / "实体.odt", content, "text")
    result = extract_odf(path, "odt")
    assert "正文" in result.text and "哈" not in result.text


# --------------------------------------------------------------------------- HTML


def test_gbk_page_keeps_title_and_drops_scripts_and_styles() -> None:
    text = extract_html(fixture("政府网页.html")).text
    lines = text.splitlines()
    assert lines[0] == "吴州市人民政府 政务公开"
    assert "市教育局\t团市委" in lines
    assert "“市级文明单位”" in text  # &ldquo; entities
    for hidden in ("统计代码", "不应出现", "宋体", "隐藏", "请开启脚本"):
        assert hidden not in text


def test_libreoffice_xhtml_tables_come_back_as_rows() -> None:
    lines = extract_html(fixture("通知.html")).text.splitlines()
    assert lines[0] == "创建材料自查通知"
    assert "2\t志愿服务活动开展情况\t团市委" in lines


@pytest.mark.parametrize(("data", "label"), [
    ("<html><body><p>测评体系说明</p></body></html>".encode("gbk"), "GBK without a charset"),
    ("<meta charset='utf-8'><p>测评体系说明</p>".encode(), "meta charset"),
    ("<p>测评体系说明</p>".encode("utf-16"), "UTF-16 with BOM"),
    (b"\xef\xbb\xbf" + "<p>测评体系说明</p>".encode(), "UTF-8 BOM"),
    ('<meta http-equiv="content-type" content="text/html;charset=GB2312"><p>测评体系说明</p>'
     '<p>镕</p>'.encode("gbk"), "gb2312 label with a GBK-only character"),
    ("<?xml version='1.0' encoding='gbk'?><html><p>测评体系说明</p></html>".encode("gbk"),
     "XML declaration"),
])
def test_html_encodings(tmp_path: Path, data: bytes, label: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(data)
    assert "测评体系说明" in extract_html(path).text, label


def test_saved_mhtml_page(tmp_path: Path) -> None:
    page = EmailMessage(policy=default)
    page["MIME-Version"] = "1.0"
    page["Subject"] = "已保存的网页"
    page.set_content("<html><body><h1>文明交通劝导</h1></body></html>".encode("gbk"), "text",
                     "html", params={"charset": "gbk"}, cte="quoted-printable")
    page.make_related()
    path = tmp_path / "page.mht"
    path.write_bytes(page.as_bytes())
    assert extract_html(path).text == "文明交通劝导"


def test_deeply_nested_html_is_fast(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_bytes(("<div>" * 50_000 + "深处的文字" + "</div>" * 50_000).encode())
    started = time.perf_counter()
    result = extract_html(path)
    assert time.perf_counter() - started < 2
    assert result.state in ("done", "no_text")


def test_empty_page_has_no_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_bytes(b"<html><head><script>x()</script></head><body></body></html>")
    assert extract_html(path).state == "no_text"


# --------------------------------------------------------------------------- EPUB


def test_epub_has_a_page_per_spine_item_in_order() -> None:
    result = extract_epub(fixture("通知.epub"))
    assert [page.index for page in result.pages] == [0, 1]
    assert result.pages[0].text.startswith("关于开展文明城市创建材料自查工作的通知")
    assert result.pages[1].text.startswith("附件：材料自查清单")


def _epub(path: Path, encrypted: bool = False, container: bool = True) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
        if container:
            zf.writestr("META-INF/container.xml",
                        '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                        '<rootfiles><rootfile full-path="书/内容.opf"/></rootfiles></container>')
        zf.writestr("书/内容.opf",
                    '<package xmlns="http://www.idpf.org/2007/opf"><manifest>'
                    '<item id="b" href="%E7%AC%AC%E4%BA%8C.xhtml"/><item id="a" href="a.xhtml"/>'
                    '</manifest><spine><itemref idref="a"/><itemref idref="b"/></spine></package>')
        zf.writestr("书/a.xhtml", "<html><body><p>第一章 测评</p></body></html>")
        zf.writestr("书/第二.xhtml", "<html><body><p>第二章 创建</p></body></html>")
        if encrypted:
            zf.writestr("META-INF/encryption.xml",
                        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                        '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes'
                        '128-cbc"/><enc:CipherData><enc:CipherReference URI="书/a.xhtml"/>'
                        '</enc:CipherData></enc:EncryptedData></encryption>')
    return path


def test_epub_spine_order_not_manifest_order(tmp_path: Path) -> None:
    result = extract_epub(_epub(tmp_path / "书.epub"))
    assert [page.text for page in result.pages] == ["第一章 测评", "第二章 创建"]


def test_drm_epub_says_it_is_encrypted(tmp_path: Path) -> None:
    assert "加密" in _broken_reason(extract_epub, _epub(tmp_path / "书.epub", encrypted=True))


def test_epub_without_container_says_so(tmp_path: Path) -> None:
    reason = _broken_reason(extract_epub, _epub(tmp_path / "书.epub", container=False))
    assert "container.xml" in reason


# --------------------------------------------------------------------------- e-mail


def test_eml_headers_body_and_attachments() -> None:
    raw = fixture("报送函.eml").read_bytes()
    assert b"=?GBK?B?" in raw and b'charset="gbk"' in raw and b"base64" in raw
    lines = extract_eml(fixture("报送函.eml")).text.splitlines()
    assert lines[:5] == [
        "发件人：王芳 <wangfang@example.gov.cn>",
        "收件人：李建国 <lijianguo@example.gov.cn>",
        "抄送：陈晓梅 <chenxm@example.gov.cn>",
        "日期：2024-03-05 09:30:00+08:00",
        "主题：关于报送学雷锋志愿服务台账的函",
    ]
    assert "附件是本季度志愿服务活动台账，请审阅。" in lines
    assert lines[-2:] == ["附件：志愿服务台账.csv（19 字节）", "附件：活动照片说明.pdf（15 字节）"]


def test_eml_attachments_are_listed_for_the_viewer() -> None:
    assert email_attachments(fixture("报送函.eml")) == [
        Attachment("志愿服务台账.csv", 19, "text/csv"),
        Attachment("活动照片说明.pdf", 15, "application/pdf"),
    ]


def test_html_only_gb2312_mail_with_raw_gbk_subject(tmp_path: Path) -> None:
    body = base64.b64encode("<html><body><p>关于志愿服务的通知</p><p>镕</p></body></html>"
                            .encode("gbk")).decode()
    raw = ("From: =?gb2312?B?" + base64.b64encode("市文明办".encode("gbk")).decode()
           + "?= <a@example.cn>\r\nSubject: ").encode() + "创建简报".encode("gbk") + (
        "\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=gb2312\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" + body + "\r\n").encode()
    path = tmp_path / "简报.eml"
    path.write_bytes(raw)
    lines = extract_eml(path).text.splitlines()
    assert lines[0] == "发件人：市文明办 <a@example.cn>"
    assert "主题：创建简报" in lines
    assert "关于志愿服务的通知" in lines and "镕" in lines


def test_forwarded_mail_is_listed_as_attachment(tmp_path: Path) -> None:
    inner = EmailMessage(policy=default)
    inner["Subject"] = "原始通知"
    inner.set_content("内层正文")
    inner.add_attachment(b"x", maintype="application", subtype="octet-stream",
                         filename="内层附件.bin")
    outer = EmailMessage(policy=default)
    outer["Subject"] = "转发：原始通知"
    outer.set_content("请查收")
    outer.add_attachment(inner)
    outer.add_attachment(b"doc", maintype="application", subtype="msword",
                         filename="C:\\fakepath\\报告.doc")
    path = tmp_path / "转发.eml"
    path.write_bytes(outer.as_bytes())
    names = [attachment.name for attachment in email_attachments(path)]
    assert names == ["原始通知.eml", "报告.doc"]  # the inner message's own files stay inside
    assert "请查收" in extract_eml(path).text


def test_msg_uses_the_code_page_of_its_ansi_strings() -> None:
    lines = extract_msg(fixture("poi-chinese-traditional.msg")).text.splitlines()
    assert lines[0] == "发件人：Tests Chang@FT (張毓倫)"
    assert "主题：Alfresco MSG format testing ( MSG 格式測試 )" in lines
    assert "日期：2011-03-29 08:52:48+00:00" in lines


def test_msg_attachments_are_listed_and_the_file_is_closed() -> None:
    path = fixture("poi-attachment_test_msg.msg")
    before = _open_files(path)
    text = extract_msg(path).text
    assert text.splitlines()[-2:] == ["附件：test-unicode.doc（23.5 KB）",
                                      "附件：pj1.txt（89 字节）"]
    assert email_attachments(path) == [
        Attachment("test-unicode.doc", 24064, "application/msword"),
        Attachment("pj1.txt", 89, "text/plain"),
    ]
    assert _open_files(path) == before


def _open_files(path: Path) -> int:
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        return 0
    count = 0
    for fd in fds.iterdir():
        try:
            count += os.readlink(fd) == str(path)
        except OSError:
            continue
    return count


def test_a_mail_that_is_not_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "note.eml"
    path.write_text("这只是一段文字，没有邮件头。\n", encoding="utf-8")
    assert "邮件" in _broken_reason(extract_eml, path)
    assert "OLE" in _broken_reason(extract_msg, path)
    with pytest.raises(ExtractError):
        email_attachments(path)


# --------------------------------------------------------------------------- CSV, TSV, Markdown


def test_semicolon_csv_in_gbk() -> None:
    lines = extract_delimited(fixture("名单.csv"), "csv").text.splitlines()
    assert lines == ["序号\t姓名\t单位", "1\t王芳\t市文明办", "2\t李建国;组长\t团市委"]


def test_comma_csv_with_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "表.csv"
    path.write_text('单位,说明\n市教育局,"第一行\n第二行"\n团市委,"甲,乙"\n', encoding="utf-8-sig")
    lines = extract_delimited(path, "csv").text.splitlines()
    assert lines == ["单位\t说明", "市教育局\t第一行 第二行", "团市委\t甲,乙"]


def test_markdown_is_kept_as_text() -> None:
    text = extract_delimited(fixture("说明.md"), "markdown").text
    assert text.splitlines()[0] == "# 材料整理说明"


def test_empty_csv_has_no_text(tmp_path: Path) -> None:
    path = tmp_path / "空.csv"
    path.write_bytes(b"")
    assert extract_delimited(path, "csv").state == "no_text"


def test_header_words_in_gb2312_with_gbk_characters_and_raw_utf8(tmp_path: Path) -> None:
    def word(text: str, charset: str) -> str:
        return f"=?{charset}?B?{base64.b64encode(text.encode('gbk')).decode()}?="

    raw = ("From: a@example.cn\r\nSubject: 关于 " + word("朱镕基同志", "gb2312") + " 的函\r\n"
           "To: " + word("市文明办", "GBK") + " <x@example.cn>, 李四 <l@example.cn>\r\n"
           "\r\n正文\r\n")
    path = tmp_path / "函.eml"
    path.write_bytes(raw.encode("utf-8"))
    lines = extract_eml(path).text.splitlines()
    assert "收件人：市文明办 <x@example.cn>, 李四 <l@example.cn>" in lines
    assert "主题：关于 朱镕基同志 的函" in lines


def test_pptx_pictures_and_media_are_not_loaded(tmp_path: Path) -> None:
    from PIL import Image
    from pptx import Presentation
    from pptx.util import Inches

    picture = tmp_path / "photo.png"
    Image.new("RGB", (64, 64), "red").save(picture)
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "活动照片"
    slide.shapes.add_picture(str(picture), Inches(1), Inches(2))
    path = tmp_path / "照片.pptx"
    prs.save(str(path))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ppt/media/video1.mp4", bytes(100 << 20))  # 100 MB, never read
    started = time.perf_counter()
    result = extract_pptx(path)
    assert time.perf_counter() - started < 2
    assert result.text == "活动照片"


@pytest.mark.parametrize("content_type", [
    'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
    'multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b"',
])
def test_encrypted_mail_says_it_is_encrypted(tmp_path: Path, content_type: str) -> None:
    path = tmp_path / "加密.eml"
    path.write_bytes(("From: a@example.cn\r\nSubject: 密件\r\nMIME-Version: 1.0\r\n"
                      f"Content-Type: {content_type}\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQA=\r\n")
                     .encode())
    assert "加密" in _broken_reason(extract_eml, path)


def test_a_broken_msg_leaves_no_file_open(tmp_path: Path) -> None:
    data = fixture("poi-chinese-traditional.msg").read_bytes()
    path = tmp_path / "坏.msg"
    path.write_bytes(data[:512] + bytes(len(data) - 512))  # header kept, the rest zeroed
    _broken_reason(extract_msg, path)
    with pytest.raises(ExtractError):
        email_attachments(path)
    assert _open_files(path) == 0


@pytest.mark.parametrize(("suffix", "reader"), [(".odt", odf("odt")), (".pptx", extract_pptx),
                                                (".epub", extract_epub)])
def test_a_zip_with_a_damaged_directory_is_refused(tmp_path: Path, suffix: str,
                                                   reader: Callable[[Path], Extraction]) -> None:
    data = bytearray(fixture("通知" + suffix if suffix != ".pptx" else "汇报.pptx").read_bytes())
    entry = data.rfind(b"PK\x01\x02")  # the last central directory entry
    flags = int.from_bytes(data[entry + 8:entry + 10], "little") | 0x800  # "names are UTF-8"
    data[entry + 8:entry + 10] = flags.to_bytes(2, "little")
    data[entry + 46] = 0xFF  # not UTF-8: zipfile raises UnicodeDecodeError
    path = tmp_path / ("坏" + suffix)
    path.write_bytes(bytes(data))
    assert "损坏" in _broken_reason(reader, path)


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path: Path) -> None:
    path = tmp_path / "导出.csv"  # Excel's "Unicode 文本" saved under a .csv name
    path.write_bytes("单位\t人数\r\n市教育局\t12\r\n".encode("utf-16"))
    assert extract_delimited(path, "csv").text.splitlines() == ["单位\t人数", "市教育局\t12"]
