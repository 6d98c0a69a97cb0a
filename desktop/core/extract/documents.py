"""The fast text phase: the text of every kind of file that has some (PDF, Office and WPS,
ODF, OFD, RTF, HTML, e-mail, EPUB, plain text) and which pages need OCR; no OCR here. The
PDF, DOCX, XLSX and plain-text readers live here, the others in legacy, markup, ofd and
media, imported when a file of theirs comes."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pymupdf
from lxml import etree
from PIL import Image

from desktop.core.common import formats, limits
from desktop.core.extract.base import (
    MAX_CHARS,
    ExtractError,
    Extraction,
    PageText,
    TextBudget,
    clean_text,
    describe,
    kind_of,
)

__all__ = ["extract_text"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_UNZIPPED = limits.OFFICE_MAX_UNZIPPED  # bytes: an Office file inflating beyond is a bomb

# A page with fewer visible characters than this (and something drawn on it) is treated as
# a scan: a page number or a stamp line typed onto an image must not hide the image's text.
_MIN_PAGE_CHARS = 20
# Vector paths on an otherwise empty page: a border or a rule alone is not worth OCR, text
# converted to outlines (common in designed flyers) has many.
_MIN_DRAWINGS = 8


def extract_text(path: Path, kind: str, *, pdf: pymupdf.Document | None = None) -> Extraction:
    """Extract the text layer of ``path`` (no OCR; that is :func:`ocr_file`).

    ``kind`` is a kind of formats.py.  A file that cannot be read ends "failed" with a
    one-line Chinese reason; a name that is no kind raises ValueError. ``pdf``: the PDF
    already open (it is read, not closed).
    """
    kind = kind_of(kind)
    path = Path(path)
    try:
        check_readable(path)
        if kind == "pdf" and pdf is not None:
            result = _pdf_pages(pdf)
        else:
            result = _READERS.get(kind, _no_reader)(path, kind)
    except ExtractError as exc:
        return Extraction(state="failed", reason=exc.reason)
    except FileNotFoundError:
        return Extraction(state="failed", reason="文件不存在或已被移走")
    except PermissionError:
        return Extraction(state="failed", reason="没有读取该文件的权限")
    except IsADirectoryError:
        return Extraction(state="failed", reason="这是一个文件夹，不是文件")
    except OSError as exc:
        return Extraction(state="failed", reason=f"读取文件出错（{describe(exc)}）")
    except MemoryError:
        return Extraction(state="failed", reason="内存不足，文件过大无法提取文字")
    return result


def _legacy(path: Path, kind: str) -> Extraction:
    from desktop.core.extract.legacy import extract_doc, extract_ppt, extract_xls

    return {"doc": extract_doc, "xls": extract_xls, "ppt": extract_ppt}[kind](path)


def _markup(path: Path, kind: str) -> Extraction:
    from desktop.core.extract.markup import (
        extract_delimited,
        extract_eml,
        extract_epub,
        extract_html,
        extract_msg,
        extract_odf,
        extract_pptx,
        extract_rtf,
    )

    if kind in ("odt", "ods", "odp"):
        return extract_odf(path, kind)
    if kind in ("csv", "tsv", "markdown"):
        return extract_delimited(path, kind)
    readers = {"pptx": extract_pptx, "rtf": extract_rtf, "html": extract_html,
               "epub": extract_epub, "eml": extract_eml, "msg": extract_msg}
    return readers[kind](path)


def _ofd(path: Path, kind: str) -> Extraction:
    from desktop.core.extract.ofd import extract_ofd

    return extract_ofd(path)


def _media(path: Path, kind: str) -> Extraction:
    from desktop.core.extract.media import extract_media

    return extract_media(path, kind)


def _archive(path: Path, kind: str) -> Extraction:
    return Extraction(state="no_text", reason=f"{formats.label(kind)}不提取文字；"
                      "导入时选择“解压导入”可把其中的文件逐个归档")


def _no_reader(path: Path, kind: str) -> Extraction:
    return Extraction(state="no_text", reason="无法识别的文件类型，不提取文字")


_READERS: dict[str, Callable[[Path, str], Extraction]] = {
    "pdf": lambda path, _kind: _pdf(path),
    "docx": lambda path, _kind: _docx(path),
    "xlsx": lambda path, _kind: _xlsx(path),
    "text": lambda path, _kind: _plain(path),
    "ofd": _ofd,
    **{k: _legacy for k in ("doc", "xls", "ppt")},
    **{k: _markup for k in ("odt", "ods", "odp", "csv", "tsv", "markdown", "pptx", "rtf",
                            "html", "epub", "eml", "msg")},
    **{k: (lambda path, kind: _image(path, kind)) for k in formats.IMAGE_KINDS},
    **{k: _media for k in formats.MEDIA_KINDS},
    **{k: _archive for k in formats.ARCHIVE_KINDS},
}


def check_readable(path: Path) -> None:
    """Raise ExtractError (in Chinese) if ``path`` is missing, a folder or unreadable."""
    if not path.exists():
        raise ExtractError("文件不存在或已被移走")
    if path.is_dir():
        raise ExtractError("这是一个文件夹，不是文件")
    try:
        with path.open("rb"):
            pass
    except PermissionError as exc:
        raise ExtractError("没有读取该文件的权限") from exc


def _finish(pages: list[PageText], ocr_pages: list[int], empty_reason: str) -> Extraction:
    if not pages and not ocr_pages:
        return Extraction(state="no_text", reason=empty_reason)
    return Extraction(state="done", pages=tuple(pages), ocr_pages=tuple(ocr_pages))



# --------------------------------------------------------------------------- PDF


def _quiet_mupdf() -> None:
    """MuPDF prints its own errors and warnings to stderr; we report them ourselves."""
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)


def open_pdf(path: Path) -> pymupdf.Document:
    """Open a PDF for reading, or raise ExtractError saying why it cannot be read."""
    _quiet_mupdf()
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except (FileNotFoundError, PermissionError, IsADirectoryError):
        raise
    except Exception as exc:
        raise ExtractError(f"PDF 文件已损坏，无法打开（{describe(exc)}）") from exc
    if doc.needs_pass:
        doc.close()
        raise ExtractError("PDF 已加密（需要密码才能打开），无法提取文字；请提供未加密的版本")
    if doc.page_count == 0:
        doc.close()
        raise ExtractError("PDF 已损坏：找不到任何页面")
    return doc


def _visible_chars(text: str) -> int:
    return len(text) - sum(len(gap) for gap in _SPACES.findall(text))


# a glyph the font does not map to a character: U+FFFD, a control code, private use
_UNMAPPED = re.compile("[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\ue000-\uf8ff]")
_SPACES = re.compile(r"\s+")


def _garbled(raw: str) -> bool:
    """Mostly unmapped glyphs (e.g. Type3 or broken CJK fonts): the text layer is useless."""
    visible = _visible_chars(raw)
    return visible > 0 and len(_UNMAPPED.findall(raw)) * 2 >= visible


def _extras(page: pymupdf.Page, shown: str) -> list[str]:
    """Values of form fields and text of comments that the page text (``shown``) lacks.

    MuPDF includes what annotations draw (a filled field's appearance, a FreeText box) in the
    page text but not a sticky note's text or a field without an appearance stream.
    """
    flat = "".join(shown.split())
    found: list[str] = []
    for widget in page.widgets():
        value = widget.field_value
        if isinstance(value, str) and value.strip() and value != "Off":
            found.append(value)
    for annot in page.annots():
        content = (annot.info or {}).get("content", "")
        if isinstance(content, str) and content.strip():
            found.append(content)
    return [text for text in found if "".join(text.split()) not in flat]


def _worth_ocr(page: pymupdf.Page) -> bool:
    """Something is drawn on a page that has (almost) no text: an image or vector glyphs."""
    area = abs(page.rect)
    for info in page.get_image_info():
        box = pymupdf.Rect(info.get("bbox", (0, 0, 0, 0))) & page.rect
        if not box.is_empty and abs(box) >= area * 0.001:
            return True
    return len(page.get_cdrawings()) >= _MIN_DRAWINGS


def _pdf(path: Path) -> Extraction:
    doc = open_pdf(path)
    try:
        return _pdf_pages(doc)
    finally:
        doc.close()


def _pdf_pages(doc: pymupdf.Document) -> Extraction:
    if doc.needs_pass:
        raise ExtractError("PDF 已加密（需要密码才能打开），无法提取文字；请提供未加密的版本")
    if doc.page_count == 0:
        raise ExtractError("PDF 已损坏：找不到任何页面")
    pages: list[PageText] = []
    ocr_pages: list[int] = []
    errors: list[str] = []
    budget = TextBudget()
    for index in range(doc.page_count):
        if budget.spent:
            break
        try:
            page = doc.load_page(index)
            raw = page.get_text()
            if _garbled(raw):
                raw = _UNMAPPED.sub("", raw)
                needs_ocr = True
            else:
                needs_ocr = _visible_chars(raw) < _MIN_PAGE_CHARS and _worth_ocr(page)
            text = clean_text("\n".join([raw, *_extras(page, raw)]))
        except Exception as exc:  # one broken page must not lose the others
            errors.append(f"第 {index + 1} 页：{describe(exc)}")
            continue
        if text.strip():
            pages.append(PageText(index, budget.take(text), "text"))
        if needs_ocr:
            ocr_pages.append(index)
    if errors and not pages and not ocr_pages:
        raise ExtractError(f"PDF 已损坏，任何一页都无法读取（{errors[0]}）")
    return _finish(pages, ocr_pages, "PDF 中没有文字层，页面上也没有图片可识别")


# --------------------------------------------------------------------------- Office files


def _check_office(path: Path, label: str) -> None:
    """Refuse encrypted Office files (an OLE container) and zip bombs before parsing."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == _OLE_MAGIC:
        raise ExtractError(f"{label} 文件已加密（需要密码）或是旧版 Office 格式，无法提取文字")
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, UnicodeDecodeError, ValueError, EOFError) as exc:
        # a damaged member name or offset raises more than BadZipFile
        raise ExtractError(f"{label} 文件已损坏（不是有效的压缩包：{describe(exc)}）") from exc
    if total > _MAX_UNZIPPED:
        raise ExtractError(f"{label} 文件解压后超过 {limits.size_text(_MAX_UNZIPPED)} 上限，"
                           "疑似压缩炸弹，已跳过")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

_P, _TBL, _TR, _TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo"}
_TEXT_TAGS = {_W + "t", _M + "t"}
_TAB_TAGS = {_W + "tab", _W + "ptab"}
_BREAK_TAGS = {_W + "br", _W + "cr"}
_SKIP_TAGS = {
    _W + "delText", _W + "instrText", _W + "delInstrText", _W + "del", _W + "moveFrom",
    _W + "rPr", _W + "pPr", _W + "tblPr", _W + "tcPr", _W + "trPr", _W + "sdtPr",
    _MC + "Fallback",  # duplicates mc:Choice (e.g. a text box drawn twice, DrawingML and VML)
}
_TEXT_BOX = _W + "txbxContent"


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Direct children named ``tag``, looking through content controls and similar wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _inline(element: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS:
            continue
        if tag in _TEXT_TAGS:
            parts.append(child.text or "")
        elif tag in _TAB_TAGS:
            parts.append("\t")
        elif tag in _BREAK_TAGS:
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        elif tag == _TEXT_BOX:
            boxes.append(child)
        else:  # runs, hyperlinks, fields, smart tags, drawings that may hold text boxes
            _inline(child, parts, boxes)


def _blocks(container: etree._Element, out: list[str]) -> None:
    """Paragraphs and tables of a body, cell, text box, header or note, in document order."""
    for child in container:
        tag = child.tag
        if tag == _P:
            parts: list[str] = []
            boxes: list[etree._Element] = []
            _inline(child, parts, boxes)
            line = "".join(parts)
            if line.strip():
                out.append(line)
            for box in boxes:
                _blocks(box, out)
        elif tag == _TBL:
            _table(child, out)
        elif tag in _WRAPPERS:
            _blocks(child, out)


def _table(table: etree._Element, out: list[str]) -> None:
    """One line per row, cells separated by tabs (a cell's own lines joined by spaces)."""
    for row in _children(table, _TR):
        cells = []
        for cell in _children(row, _TC):
            lines: list[str] = []
            _blocks(cell, lines)
            cells.append(" ".join(" ".join(line.split()) for line in lines))
        if any(cells):
            out.append("\t".join(cells).rstrip("\t"))


_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# as python-docx parses a part (no entities, blank text between elements dropped), without its
# element classes
_XML = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


def _relationships(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str | None]]:
    """Relationship id -> (type, target part name, None for an external target) of `part`
    ("" for the package itself)."""
    folder, name = posixpath.split(part)
    try:
        data = zf.read(posixpath.join(folder, "_rels", f"{name}.rels"))
    except KeyError:
        return {}
    found: dict[str, tuple[str, str | None]] = {}
    for rel in etree.fromstring(data, _XML).iter(_PKG_REL):
        target = rel.get("Target", "")
        if rel.get("TargetMode", "") == "External":
            found[rel.get("Id", "")] = (rel.get("Type", ""), None)
            continue
        ref = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        found[rel.get("Id", "")] = (rel.get("Type", ""), ref)
    return found


def _docx(path: Path) -> Extraction:
    """The text of a Word document: body, headers, footers and notes, read from the package's
    parts with lxml (python-docx would parse every part, styles and numbering included, only
    for the few that hold text)."""
    _check_office(path, "DOCX")
    try:
        with zipfile.ZipFile(path) as zf:
            main = next((target for kind, target in _relationships(zf, "").values()
                         if kind.endswith("/officeDocument") and target), None)
            if main is None:
                raise ExtractError("DOCX 文件已损坏，不是有效的 Word 文档（没有文档主体）")
            root = etree.fromstring(zf.read(main), _XML)
            body = root.find(_W + "body")
            if root.tag != _W + "document" or body is None:
                raise ExtractError("DOCX 文件已损坏，不是有效的 Word 文档（主体不是 Word 文档）")
            rels = _relationships(zf, main)
            parsed: dict[str, etree._Element | None] = {}

            def element(name: str) -> etree._Element | None:
                if name not in parsed:
                    try:
                        parsed[name] = etree.fromstring(zf.read(name), _XML)
                    except KeyError:
                        parsed[name] = None
                return parsed[name]

            lines = _docx_lines(body, rels, element)
    except ExtractError:
        raise
    except (FileNotFoundError, PermissionError, IsADirectoryError):
        raise
    except Exception as exc:
        raise ExtractError(f"DOCX 文件已损坏，不是有效的 Word 文档（{describe(exc)}）") from exc
    text = clean_text("\n".join(lines))
    if not text.strip():
        return _finish([], [], "Word 文档中没有文字")
    return _finish([PageText(0, TextBudget().take(text), "text")], [], "")


def _docx_lines(body: etree._Element, rels: dict[str, tuple[str, str | None]],
                element: Callable[[str], etree._Element | None]) -> list[str]:
    # headers and footers of every section, in section order, each part once
    heads: list[str] = []
    feet: list[str] = []
    for sect_pr in body.iter(_W + "sectPr"):
        for ref in sect_pr:
            target = heads if ref.tag == _W + "headerReference" else (
                feet if ref.tag == _W + "footerReference" else None)
            name = rels.get(ref.get(_R_ID, ""), ("", None))[1] if target is not None else None
            if target is not None and name is not None and name not in target:
                target.append(name)
    notes = [name for kind, name in rels.values()
             if name is not None and kind.endswith(("/footnotes", "/endnotes"))]

    def part_lines(names: list[str], seen: set[str]) -> list[str]:
        lines: list[str] = []
        for name in names:
            root = element(name)
            if root is None:
                continue
            found: list[str] = []
            if root.tag in (_W + "footnotes", _W + "endnotes"):
                for note in root:
                    _blocks(note, found)
            else:
                _blocks(root, found)
            text = "\n".join(found)
            if text.strip() and text not in seen:  # sections often repeat the same header
                seen.add(text)
                lines.extend(found)
        return lines

    seen: set[str] = set()
    lines = part_lines(heads, seen)
    _blocks(body, lines)
    lines += part_lines(notes, set())
    lines += part_lines(feet, seen)
    return lines


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return " ".join(str(value).split()) if "\n" in str(value) else str(value)


def _xlsx(path: Path) -> Extraction:
    _check_office(path, "XLSX")
    # openpyxl refuses a path without an .xlsx name (stored files are named by their hash),
    # so it gets an open file instead
    with path.open("rb") as handle:
        return _xlsx_from(handle)


def _xlsx_from(handle: BinaryIO) -> Extraction:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "extension is not supported" and the like
        try:
            from openpyxl import load_workbook  # 0.5 s to import: only when a workbook comes

            workbook = load_workbook(handle, read_only=True, data_only=True)
        except (FileNotFoundError, PermissionError, IsADirectoryError):
            raise
        except Exception as exc:
            reason = f"XLSX 文件已损坏，不是有效的 Excel 工作簿（{describe(exc)}）"
            raise ExtractError(reason) from exc
        pages: list[PageText] = []
        budget = TextBudget()
        try:
            for index, name in enumerate(workbook.sheetnames):
                sheet = workbook[name]
                if not hasattr(sheet, "iter_rows") or budget.spent:
                    continue  # a chart sheet has no cells
                if hasattr(sheet, "reset_dimensions"):
                    sheet.reset_dimensions()  # some writers store a wrong (too small) range
                rows = []
                room = budget.left  # rows past what the index keeps are not even read
                for row in sheet.iter_rows(values_only=True):
                    cells = [_cell(value) for value in row]
                    while cells and not cells[-1]:
                        cells.pop()
                    if cells:
                        rows.append("\t".join(cells))
                        room -= len(rows[-1]) + 1
                        if room <= 0:
                            break
                if rows:
                    text = clean_text(name + "\n" + "\n".join(rows))
                    pages.append(PageText(index, budget.take(text), "text"))
        except (ExtractError, MemoryError):
            raise
        except Exception as exc:
            raise ExtractError(f"XLSX 文件已损坏，读取工作表出错（{describe(exc)}）") from exc
        finally:
            workbook.close()
    return _finish(pages, [], "Excel 工作簿中没有任何单元格内容")


# --------------------------------------------------------------------------- plain text and images


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (covers GBK and GB2312), else UTF-16 with BOM."""
    encodings: tuple[str, ...]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractError("无法识别文本文件的编码（支持 UTF-8、GB18030/GBK、带 BOM 的 UTF-16）")


def _plain(path: Path) -> Extraction:
    with path.open("rb") as fh:
        data = fh.read(MAX_CHARS * 4)
    text = clean_text(decode_text(data))
    if not text.strip():
        return _finish([], [], "文本文件是空的")
    return _finish([PageText(0, TextBudget().take(text), "text")], [], "")


def image_frames(path: Path, kind: str) -> int:
    """Number of frames (pages) of an image, or ExtractError if it cannot be decoded. Only a
    TIFF's frames are pages; a GIF's frames are an animation, its first one is the page."""
    label = formats.label(kind)
    if kind == "heic":
        formats.enable_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                frames = int(getattr(image, "n_frames", 1)) if kind == "tiff" else 1
                return max(1, frames)
    except (FileNotFoundError, PermissionError, IsADirectoryError):
        raise
    except Image.DecompressionBombError as exc:
        raise ExtractError(f"{label} 图片像素过多，疑似恶意文件，已跳过") from exc
    except Exception as exc:
        raise ExtractError(f"{label} 图片已损坏或无法解码（{describe(exc)}）") from exc


def _image(path: Path, kind: str) -> Extraction:
    return _finish([], list(range(image_frames(path, kind))), "")
