"""Text of the markup, e-mail, ebook, ODF and PowerPoint 2007+ formats: PPTX, RTF, ODT/ODS/ODP,
HTML (and MHTML), EPUB, EML, Outlook MSG, CSV/TSV/Markdown.

Each ``extract_<kind>`` takes a path and returns an Extraction the way documents.py does;
a broken, truncated or encrypted file raises ExtractError with one line of Chinese.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import email
import email.header
import email.utils
import io
import mimetypes
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from desktop.core.common import limits
from desktop.core.extract.base import (
    MAX_CHARS,
    ExtractError,
    Extraction,
    PageText,
    TextBudget,
    clean_text,
    describe,
)
from desktop.core.extract.documents import _check_office, decode_text

__all__ = [
    "Attachment",
    "email_attachments",
    "extract_csv",
    "extract_delimited",
    "extract_eml",
    "extract_epub",
    "extract_html",
    "extract_markdown",
    "extract_msg",
    "extract_odf",
    "extract_odp",
    "extract_ods",
    "extract_odt",
    "extract_pptx",
    "extract_rtf",
    "extract_tsv",
    "html_to_text",
]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_PART = 100 * limits.MB  # one XML/XHTML member of a ZIP that is parsed whole
_MAX_READ = MAX_CHARS * 4  # bytes of a text-like file read (UTF-8 is at most 4 per character)
# repeated table cells and rows (ODS writes a 16384-column empty run at the end of a row)
_MAX_COLUMNS = 1024
_MAX_ROW_REPEAT = 1000


# errors passed on as they are: ours, and the ones the runner reports itself
_ACCESS_ERRORS = (ExtractError, MemoryError, FileNotFoundError, PermissionError,
                  IsADirectoryError)



def _pages(texts: list[str], empty_reason: str) -> Extraction:
    """One PageText per non-empty text (its index kept), within the budget."""
    budget = TextBudget()
    pages = []
    for index, raw in enumerate(texts):
        text = clean_text(raw)
        if text.strip() and not budget.spent:
            pages.append(PageText(index, budget.take(text), "text"))
    if not pages:
        return Extraction(state="no_text", reason=empty_reason)
    return Extraction(state="done", pages=tuple(pages))


def _one_page(text: str, empty_reason: str) -> Extraction:
    return _pages([text], empty_reason)


def _read_head(path: Path, size: int = _MAX_READ) -> bytes:
    with path.open("rb") as fh:
        return fh.read(size)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _xml_parser() -> etree.XMLParser:
    # no entities, no DTD, no network; the default depth limit (256) stays in force
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           remove_comments=True, remove_pis=True)


def _zip_member(zf: zipfile.ZipFile, name: str, label: str, limit: int = _MAX_PART) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError as exc:
        raise ExtractError(f"{label} 文件已损坏：缺少 {limits.quoted(name)}") from exc
    if info.file_size > limit:
        raise ExtractError(f"{label} 文件中的 {limits.quoted(name)} 解压后超过 "
                           f"{limits.size_text(limit)}，无法提取文字")
    try:
        return zf.read(info)
    except RuntimeError as exc:  # "File is encrypted, password required"
        raise ExtractError(f"{label} 文件中的 {limits.quoted(name)} 已用压缩包密码加密，"
                           "无法提取文字；请提供未加密的版本") from exc
    except _ACCESS_ERRORS:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, a bad offset (OSError)
        raise ExtractError(f"{label} 文件已损坏，无法解压 {limits.quoted(name)}"
                           f"（{describe(exc)}）；请重新获取完整文件") from exc


def _parse_xml(data: bytes, label: str, name: str) -> etree._Element:
    try:
        return etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as exc:
        if "memory" in str(exc).lower():
            raise ExtractError(f"{label} 文件中的 {limits.quoted(name)} 过大，内存不足，"
                               "无法提取文字") from exc
        raise ExtractError(f"{label} 文件已损坏：{limits.quoted(name)} 不是有效的 XML"
                           f"（{describe(exc)}）") from exc


def _open_zip(path: Path, label: str) -> zipfile.ZipFile:
    """The ZIP of an ODF/EPUB/PPTX file after the bomb check of documents.py."""
    try:
        _check_office(path, label)
        return zipfile.ZipFile(path)
    except _ACCESS_ERRORS:
        raise
    except Exception as exc:  # a damaged directory: bad names (UnicodeDecodeError), offsets
        raise ExtractError(f"{label} 文件已损坏（不是有效的压缩包：{describe(exc)}）；"
                           "请重新获取完整文件") from exc


# --------------------------------------------------------------------------- PPTX


def _shape_lines(shapes: Any, out: list[str], skip: int | None = None) -> None:
    from pptx.shapes.group import GroupShape

    for shape in shapes:
        if skip is not None and shape.shape_id == skip:
            continue
        if isinstance(shape, GroupShape):
            _shape_lines(shape.shapes, out)
            continue
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                line = paragraph.text.replace("\v", "\n")
                if line.strip():
                    out.append(line)
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                cells = [_squash(cell.text.replace("\v", " ")) for cell in row.cells]
                if any(cells):
                    out.append("\t".join(cells).rstrip("\t"))


def _check_encrypted_ooxml(path: Path, label: str) -> None:
    """An encrypted PPTX is an OLE file holding an EncryptedPackage stream."""
    if _read_head(path, 8) != _OLE_MAGIC:
        return
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            encrypted = ole.exists("EncryptedPackage")
    except Exception:
        encrypted = False
    if encrypted:
        raise ExtractError(f"{label} 文件已加密（需要密码才能打开），无法提取文字；"
                           "请提供未加密的版本")
    raise ExtractError(f"这不是 {label} 文件，而是旧版 Office（97-2003）格式的文件；"
                       "请按其实际类型（如 PPT）处理，或用 PowerPoint/WPS 另存为 PPTX")


def _slim_package(zf: zipfile.ZipFile, label: str) -> io.BytesIO:
    """A copy of an OOXML package with only its XML parts: python-pptx reads every part into
    memory when it opens a file, and pictures, videos and embedded files have no text."""
    out = io.BytesIO()
    left = _MAX_PART * 2
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as slim:
        for info in zf.infolist():
            if info.is_dir():
                continue
            xml = info.filename.lower().endswith((".xml", ".rels"))
            left -= info.file_size if xml else 0
            if left < 0:
                raise ExtractError(f"{label} 文件的文字部分解压后超过 "
                                   f"{limits.size_text(_MAX_PART * 2)}，无法提取文字")
            slim.writestr(info.filename, _zip_member(zf, info.filename, label) if xml else b"")
    out.seek(0)
    return out


def extract_pptx(path: Path) -> Extraction:
    """One page per slide: title, text frames, tables, grouped shapes, then "备注：…"."""
    from pptx import Presentation  # imported here: it is slow to import and rarely needed

    path = Path(path)
    _check_encrypted_ooxml(path, "PPTX")
    with _open_zip(path, "PPTX") as zf:
        package = _slim_package(zf, "PPTX")
    try:
        presentation = Presentation(package)
        texts: list[str] = []
        for slide in presentation.slides:
            lines: list[str] = []
            title = slide.shapes.title
            if title is not None and title.has_text_frame and title.text_frame.text.strip():
                lines.append(_squash(title.text_frame.text))
            _shape_lines(slide.shapes, lines,
                         skip=title.shape_id if title is not None else None)
            if slide.has_notes_slide:
                frame = slide.notes_slide.notes_text_frame
                notes = _squash(frame.text) if frame is not None else ""
                if notes:
                    lines.append("备注：" + notes)
            texts.append("\n".join(lines))
    except (ExtractError, MemoryError, FileNotFoundError, PermissionError):
        raise
    except Exception as exc:
        raise ExtractError(f"PPTX 文件已损坏，不是有效的 PowerPoint 演示文稿（{describe(exc)}）"
                           "，请用 PowerPoint 或 WPS 打开后另存") from exc
    if not texts:
        return Extraction(state="no_text", reason="演示文稿中没有幻灯片")
    return _pages(texts, "演示文稿中没有文字")


# --------------------------------------------------------------------------- RTF

# groups whose content is binary or hex data, never text (pictures, OLE objects, fonts)
_RTF_TOKEN = re.compile(
    rb"\\bin(-?\d{1,10}) ?|\\[\\{}]|[{}]|"
    rb"\\(?:pict|objdata|datastore|themedata|colorschememapping|fontemb|fontfile|blipuid)"
    rb"(?![A-Za-z])")
# \ansicpg of a double-byte code page → the \fcharset of its fonts
_DBCS_CHARSET = {936: b"134", 950: b"136", 932: b"128", 949: b"129"}


def _rtf_strip_blobs(data: bytes) -> tuple[bytes, int]:
    """``data`` without \\bin data and picture/object groups, and the brace depth at the end."""
    out = bytearray()
    pos = 0
    depth = 0
    skip_below: int | None = None  # inside a blob group: resume when depth drops below this
    while True:
        match = _RTF_TOKEN.search(data, pos)
        if match is None:
            if skip_below is None:
                out += data[pos:]
            return bytes(out), depth
        token = match.group()
        if skip_below is None:
            out += data[pos:match.start()]
        if match.group(1) is not None:  # \binN: N raw bytes follow
            pos = match.end() + max(int(match.group(1)), 0)
            continue
        pos = match.end()
        if token == b"{":
            depth += 1
        elif token == b"}":
            depth -= 1
            if skip_below is not None and depth < skip_below:
                skip_below = None
        elif token.startswith(b"\\") and len(token) == 2:
            pass  # an escaped brace or backslash
        elif skip_below is None:
            skip_below = depth  # the group this word opens is dropped up to its "}"
            continue
        if skip_below is None:
            out += token


def _rtf_text(data: bytes, label: str = "RTF") -> str:
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip()[:5] == b"{\\rtf":
        raise ExtractError(f"{label} 文件已损坏：开头不是 RTF 标记（{{\\rtf）")
    body, depth = _rtf_strip_blobs(data)
    if depth > 0:
        raise ExtractError(f"{label} 文件不完整（结尾缺少 {depth} 个右括号），可能被截断；"
                           "请重新获取完整文件")
    found = re.search(rb"\\ansicpg(\d{1,5})", body[:4096])
    codepage = int(found.group(1)) if found else 1252
    encoding = f"cp{codepage}"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    if codepage == 936:
        encoding = "gb18030"  # a superset of GBK: what Word writes under 936 always decodes
    charset = _DBCS_CHARSET.get(codepage)
    if charset is not None:
        # striprtf decodes \'xx by the font's \fcharset, and \fcharset0 (a Latin font in whose
        # run Word still writes the double-byte text, see \dbch) as cp1252; in a document
        # whose ANSI code page is double-byte those bytes are in that code page
        body = re.sub(rb"\\fcharset0(?!\d)", b"\\\\fcharset" + charset, body)
    # table cells as tabs and rows as lines (striprtf writes "|" for a cell)
    body = re.sub(rb"\\(?:nest)?cell(?![A-Za-z])", rb"\\tab", body)
    text = body.decode(encoding, errors="replace")  # raw 8-bit bytes are in the code page
    try:
        result: str = rtf_to_text(text, encoding=encoding, errors="replace")
    except (ValueError, LookupError, IndexError) as exc:
        raise ExtractError(f"{label} 文件已损坏，无法解析（{describe(exc)}）") from exc
    if charset is not None:
        # \fcharset134 fonts are decoded as cp936 by striprtf: decode failures only
        result = result.replace("\ufffd", "")
    lines = [line.rstrip("\t ") for line in result.replace("\r", "").split("\n")]
    return "\n".join(line for line in lines if line.strip())


def extract_rtf(path: Path) -> Extraction:
    """Text of an RTF file, GBK (\\ansicpg936) and \\uN escapes decoded, pictures left out."""
    path = Path(path)
    data = _read_head(path, 512 * limits.MB)
    return _one_page(_rtf_text(data), "RTF 文档中没有文字")


# --------------------------------------------------------------------------- ODF

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_PRES = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"

_ODF_LINE = {_TEXT + "p", _TEXT + "h"}
_ODF_SKIP = {
    _TEXT + "tracked-changes", _OFFICE + "annotation", _OFFICE + "annotation-end",
    _TEXT + "note-citation", _TEXT + "table-of-content-source", _TEXT + "index-title-template",
    _TEXT + "sequence-decls", _TEXT + "variable-decls", _TEXT + "user-field-decls",
    _OFFICE + "forms", _TEXT + "bookmark-ref", _PRES + "notes", _OFFICE + "event-listeners",
    _DRAW + "image", _OFFICE + "binary-data", _TEXT + "alphabetical-index-source",
    _TEXT + "illustration-index-source", _TEXT + "user-index-source",
    _TEXT + "bibliography-source", _TEXT + "object-index-source", _TEXT + "table-index-source",
}
_ODF_BOXES = {_DRAW + "frame", _DRAW + "text-box", _TEXT + "note", _DRAW + "custom-shape",
              _DRAW + "rect", _DRAW + "g", _TABLE + "table"}
_ODF_LABELS = {"odt": "ODT", "ods": "ODS", "odp": "ODP"}
_NOTES_CHROME = {"page", "page-number", "date-time", "footer", "header"}


def _repeat(element: etree._Element, attribute: str) -> int:
    try:
        return max(1, int(element.get(attribute, "1")))
    except ValueError:
        return 1


def _odf_inline(element: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if tag == _TEXT + "s":
            parts.append(" " * min(_repeat(child, _TEXT + "c"), 100))
        elif tag == _TEXT + "tab":
            parts.append("\t")
        elif tag == _TEXT + "line-break":
            parts.append("\n")
        elif tag in _ODF_SKIP:
            pass
        elif tag in _ODF_BOXES:
            boxes.append(child)  # a frame or a note in a paragraph: its text follows the line
        else:  # spans, links, fields, ruby
            _odf_inline(child, parts, boxes)
        if child.tail:
            parts.append(child.tail)


def _odf_blocks(container: etree._Element, out: list[str]) -> None:
    """Paragraphs, headings, lists, tables and frames under ``container``, in order."""
    for child in container:
        tag = child.tag
        if not isinstance(tag, str) or tag in _ODF_SKIP:
            continue
        if tag in _ODF_LINE:
            parts: list[str] = []
            boxes: list[etree._Element] = []
            _odf_inline(child, parts, boxes)
            line = "".join(parts)
            if line.strip():
                out.append(line)
            for box in boxes:
                if box.tag == _TABLE + "table":
                    _odf_table(box, out)
                else:
                    _odf_blocks(box, out)
        elif tag == _TABLE + "table":
            _odf_table(child, out)
        else:  # sections, lists, list items, frames, text boxes, shapes, groups, note bodies
            _odf_blocks(child, out)


def _odf_cell_text(cell: etree._Element) -> str:
    lines: list[str] = []
    _odf_blocks(cell, lines)
    return " ".join(_squash(line) for line in lines)


def _odf_rows(table: etree._Element) -> Iterator[tuple[etree._Element, int]]:
    """Rows of a table with their repeat count, looking through row groups and headers."""
    for child in table:
        if child.tag == _TABLE + "table-row":
            yield child, _repeat(child, _TABLE + "number-rows-repeated")
        elif child.tag in (_TABLE + "table-header-rows", _TABLE + "table-rows",
                           _TABLE + "table-row-group"):
            yield from _odf_rows(child)


def _odf_row_text(row: etree._Element) -> str:
    """Cells joined by tabs; a repeated empty run counts only when something follows it."""
    cells: list[str] = []
    pending = 0  # empty columns not yet written
    for cell in row:
        if cell.tag not in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            continue
        repeat = _repeat(cell, _TABLE + "number-columns-repeated")
        text = _odf_cell_text(cell)
        if not text:
            pending += repeat
            continue
        cells.extend([""] * min(pending, _MAX_COLUMNS))
        pending = 0
        cells.extend([text] * min(repeat, _MAX_COLUMNS))
        if len(cells) >= _MAX_COLUMNS:
            break
    return "\t".join(cells[:_MAX_COLUMNS])


def _odf_table(table: etree._Element, out: list[str], budget: int = MAX_CHARS) -> None:
    pending = 0
    for row, repeat in _odf_rows(table):
        line = _odf_row_text(row)
        if not line:
            pending += repeat
            continue
        out.extend([""] * min(pending, 1))  # a run of empty rows: one blank line
        pending = 0
        for _ in range(min(repeat, _MAX_ROW_REPEAT)):
            out.append(line)
            budget -= len(line) + 1
        if budget <= 0:
            break


def _odf_encrypted(zf: zipfile.ZipFile, label: str) -> bool:
    try:
        data = _zip_member(zf, "META-INF/manifest.xml", label, 10 * limits.MB)
    except ExtractError:
        return False  # ODF 1.0 files written by other tools may lack the manifest
    return b"encryption-data" in data


def _odf_master_lines(styles: etree._Element) -> tuple[list[str], list[str]]:
    heads: list[str] = []
    feet: list[str] = []
    for master in styles.iter(_STYLE + "master-page"):
        for part in master:
            local = etree.QName(part).localname
            target = heads if local.startswith("header") else (
                feet if local.startswith("footer") else None)
            if target is None:
                continue
            lines: list[str] = []
            _odf_blocks(part, lines)
            for line in lines:
                if line not in target:
                    target.append(line)
    return heads, feet


def extract_odf(path: Path, kind: str) -> Extraction:
    """ODT (one page, with headers and footers), ODS (a page per sheet), ODP (per slide)."""
    path = Path(path)
    label = _ODF_LABELS.get(kind)
    if label is None:
        raise ValueError(f"不是 ODF 类型：{kind}")
    with _open_zip(path, label) as zf:
        if _odf_encrypted(zf, label):
            raise ExtractError(f"{label} 文件已加密（需要密码才能打开），无法提取文字；"
                               "请提供未加密的版本")
        root = _parse_xml(_zip_member(zf, "content.xml", label), label, "content.xml")
        styles = None
        if kind == "odt" and "styles.xml" in zf.namelist():
            try:
                styles = _parse_xml(_zip_member(zf, "styles.xml", label), label, "styles.xml")
            except ExtractError:
                styles = None  # the body is still worth reading
    body = root.find(_OFFICE + "body")
    if body is None:
        raise ExtractError(f"{label} 文件已损坏：content.xml 中没有正文")
    if kind == "ods":
        texts: list[str] = []
        left = MAX_CHARS
        for table in body.iter(_TABLE + "table"):
            parent = table.getparent()
            if parent is not None and parent.tag != _OFFICE + "spreadsheet":
                continue  # a table inside a cell or a shape is text of its sheet
            rows: list[str] = []
            _odf_table(table, rows, left)
            text = "\n".join(rows).strip("\n")
            left -= len(text)
            name = table.get(_TABLE + "name", "")
            texts.append(f"{name}\n{text}" if text else "")
            if left <= 0:
                break
        return _pages(texts, "表格中没有任何单元格内容")
    if kind == "odp":
        texts = []
        for page in body.iter(_DRAW + "page"):
            lines: list[str] = []
            _odf_blocks(page, lines)
            notes: list[str] = []
            for note in page.iter(_PRES + "notes"):
                for frame in note:
                    if frame.get(_PRES + "class") in _NOTES_CHROME:
                        continue  # the slide's thumbnail, the page number placeholder
                    _odf_blocks(frame, notes)
            if any(line.strip() for line in notes):
                lines.append("备注：" + " ".join(_squash(line) for line in notes if line.strip()))
            texts.append("\n".join(lines))
        if not texts:
            return Extraction(state="no_text", reason="演示文稿中没有幻灯片")
        return _pages(texts, "演示文稿中没有文字")
    lines = []
    heads, feet = _odf_master_lines(styles) if styles is not None else ([], [])
    _odf_blocks(body, lines)
    return _one_page("\n".join(heads + lines + feet), "文档中没有文字")


def extract_odt(path: Path) -> Extraction:
    return extract_odf(path, "odt")


def extract_ods(path: Path) -> Extraction:
    return extract_odf(path, "ods")


def extract_odp(path: Path) -> Extraction:
    return extract_odf(path, "odp")


# --------------------------------------------------------------------------- HTML

_DROP = {"script", "style", "noscript", "template", "head", "object", "embed", "svg", "math",
         "iframe", "select", "datalist"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
    "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot",
    "thead", "tr", "ul", "option", "frameset", "frame",
}
_CELLS = {"td", "th"}
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_GB_FAMILY = {"gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "gb_2312-80",
              "csgb2312", "hz-gb-2312", "gb18030", "chinese"}
_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0]+")
_RUNS = re.compile(r" {2,}")


def _codec(label: str | None) -> str | None:
    """A Python codec for a charset label; the GB family as GB18030 (their superset)."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _GB_FAMILY:
        return "gb18030"
    if label in ("big5", "x-big5", "cp950"):
        return "big5hkscs"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode_charset(data: bytes, label: str | None) -> str:
    """Bytes as UTF-8 if they are valid UTF-8 (pages and mails declared gb2312 are often UTF-8,
    and GBK text is practically never valid UTF-8), else in the declared charset, else GB18030,
    else the declared one with replacement characters."""
    declared = _codec(label)
    order = (declared, "utf-8", "gb18030") if declared and declared.startswith(
        ("utf-16", "utf-32")) else ("utf-8", declared, "gb18030")
    tried: list[str] = []
    for encoding in order:
        if encoding is None or encoding in tried:
            continue
        tried.append(encoding)
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode(declared or "gb18030", errors="replace")


def decode_html(data: bytes) -> str:
    """An HTML page's text: BOM, then <meta charset>/http-equiv, then UTF-8, then GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    head = data[:4096]
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    label = found.group(1).decode("ascii", errors="ignore") if found else None
    return _decode_charset(data, label)


def _walk_html(root: Any) -> str:
    parts: list[str] = []
    pre = 0
    cells = 0  # inside a table cell, paragraphs are joined by spaces
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        name = tag.lower() if isinstance(tag, str) else ""
        if event == "start":
            if not name or name in _DROP:
                if name:
                    walker.skip_subtree()
                else:  # a comment or processing instruction: its tail is text
                    _html_add(parts, element.tail, pre)
                continue
            if name in _BLOCKS or name == "br":
                parts.append(" " if cells else "\n")
            if name == "pre":
                pre += 1
            elif name in _CELLS:
                cells += 1
            _html_add(parts, element.text, pre)
        else:
            if not name:
                continue
            if name in _DROP:
                _html_add(parts, element.tail, pre)
                continue
            if name == "pre":
                pre -= 1
            if name in _CELLS:
                cells -= 1
                parts.append(" \t" if cells else "\t")
            elif name in _BLOCKS:
                parts.append(" " if cells else "\n")
            _html_add(parts, element.tail, pre)
    lines = []
    for line in "".join(parts).split("\n"):
        if not line or line.isspace():
            continue
        if "\t" in line:
            line = "\t".join(_collapse(cell) for cell in line.split("\t")).strip("\t")
        else:
            line = _collapse(line)
        if line:
            lines.append(line)
    return "\n".join(lines)


def _collapse(text: str) -> str:
    if "  " in text:
        text = _RUNS.sub(" ", text)
    return text.strip(" ")


def _html_add(parts: list[str], text: str | None, pre: int) -> None:
    if text:
        parts.append(text.replace("\t", " ") if pre else _SPACES.sub(" ", text))


def html_to_text(text: str) -> str:
    """Title and visible text of an HTML document, block elements as line breaks."""
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        return ""
    # the plain etree HTML parser: lxml.html's element classes make walking three times slower
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return ""
    if root is None:
        return ""
    title = root.find(".//title")
    title_text = _squash("".join(str(t) for t in title.itertext())) if title is not None else ""
    if title_text.startswith("- no title"):  # LibreOffice's placeholder for an untitled file
        title_text = ""
    body = _walk_html(root)
    if title_text and not body.startswith(title_text):
        return f"{title_text}\n{body}"
    return body


def _looks_mhtml(data: bytes) -> bool:
    head = data[:4096].lower()
    return (b"mime-version:" in head and b"multipart/related" in head) and not head.lstrip(
        ).startswith((b"<", b"\xef\xbb\xbf<"))


def _mhtml_text(data: bytes) -> str:
    message = email.message_from_bytes(data, policy=policy.default)
    texts = []
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset()
                texts.append(html_to_text(_decode_charset(payload, charset) if charset
                                          else decode_html(payload)))
    return "\n".join(texts)


def extract_html(path: Path) -> Extraction:
    """Text of an HTML page (GBK pages too) or of a saved .mht page."""
    path = Path(path)
    data = _read_head(path)
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE,
                                                        codecs.BOM_UTF16_BE)):
        raise ExtractError("网页文件已损坏：内容是二进制数据，不是 HTML")
    if _looks_mhtml(data):
        return _one_page(_mhtml_text(data), "网页中没有文字")
    return _one_page(html_to_text(decode_html(data)), "网页中没有文字")


# --------------------------------------------------------------------------- EPUB

_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_XENC = "{http://www.w3.org/2001/04/xmlenc#}"
_FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")


def _epub_spine(zf: zipfile.ZipFile) -> list[str]:
    container = _parse_xml(_zip_member(zf, "META-INF/container.xml", "EPUB", limits.MB),
                           "EPUB", "META-INF/container.xml")
    rootfile = container.find(f".//{_CONTAINER}rootfile")
    opf_path = rootfile.get("full-path", "") if rootfile is not None else ""
    if not opf_path:
        raise ExtractError("EPUB 文件已损坏：META-INF/container.xml 没有指明内容清单（OPF）")
    opf = _parse_xml(_zip_member(zf, opf_path, "EPUB", 10 * limits.MB), "EPUB", opf_path)
    base = posixpath.dirname(opf_path)
    items: dict[str, str] = {}
    for item in opf.iter(_OPF + "item"):
        href = item.get("href")
        if item.get("id") and href:
            target = posixpath.normpath(posixpath.join(base, unquote(href.split("#")[0])))
            items[item.get("id", "")] = target
    spine = [items[ref.get("idref", "")] for ref in opf.iter(_OPF + "itemref")
             if ref.get("idref", "") in items]
    if not spine:
        raise ExtractError("EPUB 文件已损坏：内容清单（OPF）中没有任何章节")
    return spine


def _epub_encrypted(zf: zipfile.ZipFile) -> set[str]:
    """Members encrypted by DRM (font obfuscation does not count)."""
    if "META-INF/encryption.xml" not in zf.namelist():
        return set()
    root = _parse_xml(_zip_member(zf, "META-INF/encryption.xml", "EPUB", limits.MB), "EPUB",
                      "META-INF/encryption.xml")
    found = set()
    for data in root.iter(_XENC + "EncryptedData"):
        method = data.find(_XENC + "EncryptionMethod")
        if method is not None and method.get("Algorithm", "") in _FONT_OBFUSCATION:
            continue
        ref = data.find(f".//{_XENC}CipherReference")
        if ref is not None and ref.get("URI"):
            found.add(posixpath.normpath(unquote(ref.get("URI", ""))))
    return found


def extract_epub(path: Path) -> Extraction:
    """One page per spine item (chapter file), in reading order."""
    path = Path(path)
    texts: list[str] = []
    left = MAX_CHARS
    with _open_zip(path, "EPUB") as zf:
        spine = _epub_spine(zf)
        locked = _epub_encrypted(zf)
        if locked & set(spine):
            raise ExtractError("EPUB 电子书受版权保护（DRM 加密），无法提取文字；"
                               "请提供未加密的版本")
        names = set(zf.namelist())
        for member in spine:
            if member not in names or left <= 0:
                texts.append("")
                continue
            text = html_to_text(decode_html(_zip_member(zf, member, "EPUB")))
            left -= len(text)
            texts.append(text)
    return _pages(texts, "电子书中没有文字")


# --------------------------------------------------------------------------- e-mail


@dataclass(frozen=True)
class Attachment:
    """An attachment of an e-mail, as the viewer lists it."""

    name: str
    size: int  # bytes
    mime: str


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < limits.MB:
        return f"{size / 1024:.1f} KB"
    return f"{size / limits.MB:.1f} MB"


def _unmangle(text: str) -> str:
    """Raw 8-bit header bytes (Chinese clients send GBK unencoded) decoded again."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    raw = text.encode("utf-8", errors="surrogateescape")
    return _decode_charset(raw, None)


def _header(message: Message, name: str) -> str:
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()),
               None)
    if isinstance(raw, str) and any("\udc80" <= ch <= "\udcff" for ch in raw):
        # 8-bit bytes in the header (the parser would make them U+FFFD)
        return _squash(_decode_words(_unmangle(raw)))
    try:
        value = message.get(name)
    except Exception:  # a header the parser cannot make sense of
        value = None
    if value is None:
        return ""
    text = str(value)
    if "=?" in text:  # an encoded word the parser left alone (unknown charset, bad padding)
        text = _decode_words(text)
    return _squash(_unmangle(text))


def _decode_words(text: str) -> str:
    try:
        chunks = email.header.decode_header(text)
    except Exception:
        return text
    out = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes) and charset is None:  # how decode_header returns plain text
            out.append(chunk.decode("raw-unicode-escape", errors="replace"))
        elif isinstance(chunk, bytes):
            out.append(_decode_charset(chunk, charset))
        else:
            out.append(chunk)
    return "".join(out)


def _eml_parse(path: Path) -> EmailMessage:
    data = _read_head(path, 512 * limits.MB)
    if b"\x00" in data[:4096]:
        raise ExtractError("邮件文件已损坏：内容是二进制数据，不是 EML 邮件")
    message = email.message_from_bytes(data, policy=policy.default)
    if not isinstance(message, EmailMessage) or not any(
            message.get(name) is not None
            for name in ("From", "To", "Subject", "Date", "Message-ID", "Received",
                         "MIME-Version", "Sender")):
        raise ExtractError("邮件文件已损坏：找不到发件人、收件人、主题等邮件头，不是 EML 邮件")
    return message


def _part_name(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        name = part.get_param("name", header="content-type")  # type: ignore[assignment]
        if isinstance(name, tuple):
            name = email.utils.collapse_rfc2231_value(name)
    name = str(name or "")
    if "=?" in name:
        name = _decode_words(name)
    # some clients send the sender's path ("C:\\fakepath\\报告.doc"): keep the file name
    return re.split(r"[\\/]", _unmangle(name))[-1].strip()


def _payload_bytes(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if isinstance(payload, bytes):
        return payload
    inner = part.get_payload()
    if isinstance(inner, list) and inner and isinstance(inner[0], Message):
        return inner[0].as_bytes()  # an attached (forwarded) message
    return b""


def _leaf_parts(message: Message) -> Iterator[Message]:
    """The parts of a message that are not containers; an attached message is one part."""
    payload = message.get_payload()
    if message.get_content_type() != "message/rfc822" and isinstance(payload, list):
        for part in payload:
            if isinstance(part, Message):
                yield from _leaf_parts(part)
    else:
        yield message


def _eml_attachments(message: EmailMessage, body: Message | None) -> list[Attachment]:
    found = []
    for part in _leaf_parts(message):
        if part is body:
            continue
        name = _part_name(part)
        disposition = part.get_content_disposition()
        if disposition != "attachment" and not name:
            continue
        if part.get_content_type() == "message/rfc822" and not name:
            inner = part.get_payload()
            first = inner[0] if isinstance(inner, list) and inner else None
            subject = _header(first, "Subject") if isinstance(first, Message) else ""
            name = (subject or "附带的邮件") + ".eml"
        found.append(Attachment(name or "（未命名附件）", len(_payload_bytes(part)),
                                part.get_content_type()))
    return found


def _mail_text(headers: list[tuple[str, str]], body: str, attachments: list[Attachment]) -> str:
    lines = [f"{label}：{value}" for label, value in headers if value]
    if body.strip():
        lines += ["", body]
    for attachment in attachments:
        lines.append(f"附件：{attachment.name}（{_size_text(attachment.size)}）")
    return "\n".join(lines)


def _eml_date(message: Message) -> str:
    value = message.get("Date")
    stamp = getattr(value, "datetime", None)
    if isinstance(stamp, dt.datetime):
        return _stamp(stamp)
    return _header(message, "Date")


def _stamp(stamp: dt.datetime) -> str:
    return stamp.replace(microsecond=0).isoformat(" ")


def _eml_body(message: EmailMessage) -> tuple[Message | None, str]:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        return None, ""
    payload = _payload_bytes(part)
    charset = part.get_content_charset()
    if part.get_content_type() == "text/html":
        return part, html_to_text(_decode_charset(payload, charset) if charset
                                  else decode_html(payload))
    return part, _decode_charset(payload, charset)


def _eml_encrypted(message: EmailMessage) -> bool:
    """S/MIME enveloped data or PGP/MIME: the body cannot be read without the key."""
    kind = message.get_content_type()
    if kind == "multipart/encrypted":
        return True
    if kind in ("application/pkcs7-mime", "application/x-pkcs7-mime"):
        smime = str(message.get_param("smime-type", "", header="content-type") or "").lower()
        return smime in ("", "enveloped-data", "authenveloped-data")
    return False


def extract_eml(path: Path) -> Extraction:
    """Headers (发件人/收件人/抄送/日期/主题), the body, then one line per attachment."""
    path = Path(path)
    message = _eml_parse(path)
    if _eml_encrypted(message):
        raise ExtractError("邮件已加密（S/MIME 或 PGP），无法提取正文和附件；"
                           "请收件人解密后另存为未加密的邮件")
    try:
        body_part, body = _eml_body(message)
        attachments = _eml_attachments(message, body_part)
        headers = [("发件人", _header(message, "From")), ("收件人", _header(message, "To")),
                   ("抄送", _header(message, "Cc")), ("日期", _eml_date(message)),
                   ("主题", _header(message, "Subject"))]
    except (ExtractError, MemoryError):
        raise
    except Exception as exc:
        raise ExtractError(f"邮件文件已损坏，无法解析（{describe(exc)}）") from exc
    return _one_page(_mail_text(headers, body, attachments), "邮件中没有文字")


# Windows locale id of a message (PR_MESSAGE_LOCALE_ID) → the code page of its 8-bit strings
_LOCALE_CODEPAGE = {2052: "gb18030", 4100: "gb18030", 1028: "cp950", 3076: "big5hkscs",
                    5124: "cp950", 1041: "cp932", 1042: "cp949"}


def _msg_encoding(message: Any) -> str | None:
    """The code page of an ANSI .msg that does not name it in PR_MESSAGE_CODEPAGE."""
    if message.areStringsUnicode or "3FFD0003" in message.props:
        return None
    for prop in ("3FDE0003", "66C30003"):  # PR_INTERNET_CPID, PR_CODE_PAGE_ID
        value = message.props.get(prop)
        if value is not None and isinstance(value.value, int):
            name = _codec(f"cp{value.value}")
            if name:
                return name
    value = message.props.get("3FF10003")  # PR_MESSAGE_LOCALE_ID
    if value is not None and isinstance(value.value, int) and value.value in _LOCALE_CODEPAGE:
        return _LOCALE_CODEPAGE[value.value]
    return "gb18030"  # an office in China: ANSI strings of unknown origin are most likely GBK


class _OpenMsg:
    """An Outlook message opened by extract-msg on a file handle of our own, so that the file
    is closed whatever extract-msg does on errors (it keeps its OLE reader open)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: Any = None
        self.message: Any = None

    def __enter__(self) -> Any:
        import logging

        import extract_msg

        logging.getLogger("extract_msg").setLevel(logging.ERROR)  # "encoding not found" etc.
        if _read_head(self.path, 8) != _OLE_MAGIC:
            raise ExtractError("MSG 文件已损坏：不是 Outlook 邮件（OLE 复合文档）格式")
        self.handle = self.path.open("rb")
        try:
            self.message = extract_msg.openMsg(self.handle, strict=False)
            encoding = _msg_encoding(self.message)
            if encoding is not None:
                self.message.close()
                self.handle.seek(0)
                self.message = extract_msg.openMsg(self.handle, strict=False,
                                                   overrideEncoding=encoding)
        except BaseException as exc:
            self.__exit__()
            if isinstance(exc, (ExtractError, MemoryError, PermissionError)):
                raise
            raise ExtractError(f"MSG 文件已损坏，无法读取 Outlook 邮件（{describe(exc)}）"
                               "；请在 Outlook 中重新另存") from exc
        return self.message

    def __exit__(self, *exc: object) -> None:
        try:
            if self.message is not None:
                self.message.close()
        except Exception:
            pass  # closing a half-read message may fail; the handle is closed below
        finally:
            self.message = None
            if self.handle is not None:
                self.handle.close()
                self.handle = None


def _msg_attachments(message: Any) -> list[Attachment]:
    found = []
    for attachment in getattr(message, "attachments", None) or ():
        name = (getattr(attachment, "longFilename", None) or
                getattr(attachment, "shortFilename", None) or
                getattr(attachment, "displayName", None) or "")
        data = getattr(attachment, "data", None)
        if isinstance(data, bytes):
            size = len(data)
        else:
            prop = getattr(attachment, "props", {}).get("0E200003")  # PR_ATTACH_SIZE
            size = int(prop.value) if prop is not None and isinstance(prop.value, int) else 0
            if not name and data is not None:
                name = (getattr(data, "subject", "") or "附带的邮件") + ".msg"
        mime = getattr(attachment, "mimetype", None) or (
            mimetypes.guess_type(str(name))[0] if name else None) or "application/octet-stream"
        found.append(Attachment(str(name).strip() or "（未命名附件）", size, str(mime)))
    return found


def _msg_body(message: Any) -> str:
    body = getattr(message, "body", None)
    if isinstance(body, str) and body.strip():
        return body
    html_body = getattr(message, "htmlBody", None)
    if isinstance(html_body, bytes) and html_body.strip():
        return html_to_text(decode_html(html_body))
    rtf_body = getattr(message, "rtfBody", None)
    if isinstance(rtf_body, bytes) and rtf_body.strip():
        try:
            return _rtf_text(rtf_body, "MSG 邮件正文（RTF）")
        except ExtractError:
            return ""
    return ""


def extract_msg(path: Path) -> Extraction:
    """An Outlook .msg: the same shape as :func:`extract_eml`."""
    with _OpenMsg(Path(path)) as message:
        try:
            kind = str(getattr(message, "classType", "") or "").lower()
            if kind.startswith("ipm.note.smime") and "multipartsigned" not in kind:
                raise ExtractError("Outlook 邮件已加密（S/MIME），无法提取正文和附件；"
                                   "请收件人解密后另存为未加密的邮件")
            date = getattr(message, "date", None)
            headers = [
                ("发件人", _squash(str(getattr(message, "sender", None) or ""))),
                ("收件人", _squash(str(getattr(message, "to", None) or ""))),
                ("抄送", _squash(str(getattr(message, "cc", None) or ""))),
                ("日期", _stamp(date) if isinstance(date, dt.datetime) else ""),
                ("主题", _squash(str(getattr(message, "subject", None) or ""))),
            ]
            text = _mail_text(headers, _msg_body(message), _msg_attachments(message))
        except (ExtractError, MemoryError):
            raise
        except Exception as exc:
            raise ExtractError(f"MSG 文件已损坏，无法读取邮件内容（{describe(exc)}）") from exc
    return _one_page(text, "邮件中没有文字")


def email_attachments(path: Path) -> list[Attachment]:
    """The attachments of an .eml or .msg file (told apart by content), for the viewer."""
    path = Path(path)
    if _read_head(path, 8) == _OLE_MAGIC:
        with _OpenMsg(path) as message:
            try:
                return _msg_attachments(message)
            except Exception as exc:
                raise ExtractError(f"MSG 文件已损坏，无法读取附件（{describe(exc)}）") from exc
    message = _eml_parse(path)
    try:
        body_part, _ = _eml_body(message)
        return _eml_attachments(message, body_part)
    except Exception as exc:
        raise ExtractError(f"邮件文件已损坏，无法读取附件（{describe(exc)}）") from exc


# --------------------------------------------------------------------------- CSV, TSV, Markdown

_DELIMITED_LABELS = {"csv": "CSV", "tsv": "TSV", "markdown": "Markdown"}


def _sniff_delimiter(text: str) -> str:
    """"," or ";" (or a tab): the one that splits the first lines into the same many fields."""
    sample = [line for line in text[:65536].splitlines()[:30] if line.strip()]
    if len(sample) > 1:
        sample = sample[:-1]  # the last line of the sample may be cut
    best, best_score = ",", 0
    for delimiter in (",", ";", "\t", "|"):
        try:
            counts = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) if mode > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _cell_text(cell: str) -> str:
    return _squash(cell) if any(ch in cell for ch in "\t\r\n") else cell


def extract_delimited(path: Path, kind: str) -> Extraction:
    """CSV/TSV rows as tab-joined lines; Markdown as it is (UTF-8 or GB18030, like TXT)."""
    path = Path(path)
    label = _DELIMITED_LABELS.get(kind)
    if label is None:
        raise ValueError(f"不是 CSV/TSV/Markdown 类型：{kind}")
    data = _read_head(path)
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError(f"{label} 文件已损坏：内容是二进制数据，不是文本")
    text = decode_text(data)
    if kind != "markdown":
        delimiter = "\t" if kind == "tsv" else _sniff_delimiter(text)
        try:
            rows = ["\t".join(_cell_text(cell) for cell in row).rstrip("\t")
                    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
            text = "\n".join(row for row in rows if row.strip())
        except csv.Error:
            pass  # a field over csv's size limit, a stray NUL: the text as it is
    return _one_page(text, f"{label} 文件是空的")


def extract_csv(path: Path) -> Extraction:
    return extract_delimited(path, "csv")


def extract_tsv(path: Path) -> Extraction:
    return extract_delimited(path, "tsv")


def extract_markdown(path: Path) -> Extraction:
    return extract_delimited(path, "markdown")
