"""What a file really is, from its content (never from its extension). Every kind of file is
accepted (formats.py names the kinds; what matches none is "other"); refused are only files
that cannot be used at all: empty, unreadable, damaged beyond reading, encrypted."""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import filetype
import pymupdf
from PIL import Image, UnidentifiedImageError

from desktop.core.common import formats, limits
from desktop.core.common.limits import quoted, size_text
from desktop.core.common.zipsafety import MAX_RATIO, inflates_like_a_bomb

Image.MAX_IMAGE_PIXELS = 200_000_000  # photos from phones are large; decompression bombs are not


@dataclass(frozen=True)
class Detected:
    kind: str
    mime: str
    page_count: int | None = None
    note: str = ""  # e.g. extension does not match content

    @property
    def label(self) -> str:
        return formats.label(self.kind)


class Refused(Exception):
    """The file cannot be stored; the message says why and what to do."""


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"),  # the second: an empty ZIP
    (b"\xff\xd8\xff", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"), (b"{\\rtf", "rtf"),
    (b"7z\xbc\xaf\x27\x1c", "7z"), (b"Rar!\x1a\x07", "rar"),
)
# filetype's names of the media it recognises -> our kinds (formats.py)
_FILETYPE_KINDS = {
    "jpg": "jpeg", "png": "png", "gif": "gif", "webp": "webp", "tif": "tiff", "bmp": "bmp",
    "heic": "heic", "mp4": "mp4", "m4v": "mp4", "mov": "mov", "avi": "avi", "mkv": "mkv",
    "webm": "webm", "flv": "flv", "wmv": "wmv", "mpg": "mpeg", "3gp": "3gp", "mp3": "mp3",
    "wav": "wav", "m4a": "m4a", "aac": "aac", "amr": "amr", "flac": "flac", "ogg": "ogg",
}


def _sniff(head: bytes) -> str | None:
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"BM") and len(head) > 26 and head[14] in (12, 40, 52, 56, 64, 108, 124):
        return "bmp"  # BM and a known DIB header size: "BM" alone starts many texts
    if len(head) > 376 and head[0] == head[188] == head[376] == 0x47:
        return "mpeg"  # an MPEG transport stream: a sync byte every 188 bytes
    guess = filetype.guess(head)
    if guess is not None and guess.extension in _FILETYPE_KINDS:
        return _FILETYPE_KINDS[guess.extension]
    return None


_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/epub+zip": "epub",
}
_OOXML_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"),
                ("ppt/presentation.xml", "pptx"))


def _zip_kind(path: Path, size: int, *, deep: bool = True) -> str:
    """A document packed as a ZIP (DOCX, XLSX, PPTX, ODF, EPUB, OFD) by the parts it holds,
    checked whole (a damaged document cannot be read; with `deep` False by its directory
    only, check() inflates the members later); any other ZIP is an archive of files, stored as
    it is (it is unpacked, and checked, only when asked)."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            kind = _document_in(zf)
            if kind is None:
                return "zip"
            _check_members(members, size)
            if kind in ("odt", "ods", "odp") and _odf_encrypted(zf):
                raise Refused(f"{formats.label(kind)}已加密，需要密码才能打开；"
                              "请在 LibreOffice/WPS 中取消密码后再导入")
            bad = zf.testzip() if deep else None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        if _sniffed_zip_is_document(path):
            raise Refused(f"文件结构损坏，无法读取（{exc}）；请用原程序重新保存后再导入") from exc
        return "zip"  # a damaged archive of files: kept, the unpacking will say what is wrong
    except RuntimeError as exc:  # zipfile: an encrypted member
        raise Refused("文件已加密，需要密码才能打开；请先取消密码后再导入") from exc
    if bad is not None:
        raise Refused(f"文件内部的 {quoted(bad)} 已损坏；请用原程序重新保存后再导入")
    return kind


def _test_members(path: Path) -> None:
    """Every member of a ZIP-packed document inflates to its CRC (the deep part of _zip_kind)."""
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise Refused(f"文件结构损坏，无法读取（{exc}）；请用原程序重新保存后再导入") from exc
    except RuntimeError as exc:  # zipfile: an encrypted member
        raise Refused("文件已加密，需要密码才能打开；请先取消密码后再导入") from exc
    if bad is not None:
        raise Refused(f"文件内部的 {quoted(bad)} 已损坏；请用原程序重新保存后再导入")


def _document_in(zf: zipfile.ZipFile) -> str | None:
    """The kind of document a ZIP holds, by the names of its parts; None: a plain archive."""
    names = set(zf.namelist())
    kind = next((k for part, k in _OOXML_PARTS if part in names), None)
    if kind is None and "mimetype" in names:
        with zf.open("mimetype") as member:  # read no more than a name's worth
            mimetype = member.read(100).decode("ascii", "replace").strip()
        kind = _ODF_MIMETYPES.get(mimetype)
    if kind is None and any(n.lower() == "ofd.xml" for n in names):
        kind = "ofd"
    return kind


def _odf_encrypted(zf: zipfile.ZipFile) -> bool:
    """Whether an ODF package's manifest says its parts are encrypted (a password on save)."""
    try:
        with zf.open("META-INF/manifest.xml") as manifest:
            return b"encryption-data" in manifest.read(1 << 20)
    except KeyError:
        return False


def _sniffed_zip_is_document(path: Path) -> bool:
    """Whether a ZIP that zipfile cannot read names an Office/ODF/OFD document part in its
    first local header (a truncated DOCX still starts with [Content_Types].xml)."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    return any(part in head for part in (b"[Content_Types].xml", b"word/", b"xl/", b"ppt/",
                                         b"mimetypeapplication/vnd.oasis", b"OFD.xml"))


def _ole_kind(path: Path) -> tuple[str, str]:
    """Word/Excel/PowerPoint 97-2003 (and their WPS twins) and Outlook mail, by the streams of
    the OLE container; refused when encrypted; another OLE file is "other"."""
    from desktop.core.extract.legacy import ole_kind

    found = ole_kind(path)
    if found.encrypted:
        what = found.note or "Office 文件"
        raise Refused(f"{what}已加密，需要密码才能打开；请在 Office/WPS 中取消密码后再导入")
    if found.kind is None:
        return "other", found.note or "OLE 复合文档，不是 Word/Excel/PowerPoint/Outlook 文件"
    return found.kind, ""


def _check_members(members: list[zipfile.ZipInfo], size: int) -> None:
    """Before anything is inflated: the declared sizes (zipfile never inflates a member past
    its declared size) and ratios, and whether the members account for the file at all."""
    total = sum(info.file_size for info in members)
    if total > limits.OFFICE_MAX_UNZIPPED:
        raise Refused(f"解压后有 {size_text(total)}，超过 {size_text(limits.OFFICE_MAX_UNZIPPED)}"
                      " 上限，疑似压缩炸弹；请用原程序重新保存后再导入")
    for info in members:
        if inflates_like_a_bomb(info):
            raise Refused(f"其中的 {quoted(info.filename)} 膨胀到压缩时的 "
                          f"{info.file_size // max(info.compress_size, 1)} 倍，超过 {MAX_RATIO} "
                          "倍上限，疑似压缩炸弹；请用原程序重新保存后再导入")
    packed = sum(info.compress_size + 100 + len(info.filename) for info in members)
    if size > _PADDED_FLOOR and packed < size // 2:
        raise Refused(f"文件有 {size_text(size)}，其中的内容只占 {size_text(packed)}，"
                      "其余是填充的字节；疑似伪造或损坏的文件，请用原程序重新保存后再导入")


_SAMPLES = 32  # blocks read across a big file to see what it is beyond its first bytes
_SAMPLE_BYTES = 4096
_PADDED_FLOOR = 16 * 1024 * 1024  # smaller files are read whole by the checks anyway


def _samples(fh: BinaryIO, size: int) -> list[bytes]:
    """Blocks spread evenly over the file after its first 8 KB, the last one at its end."""
    if size <= 8192:
        return []
    step = max((size - 8192) // _SAMPLES, 1)
    offsets = sorted({min(8192 + i * step, max(size - _SAMPLE_BYTES, 8192))
                      for i in range(1, _SAMPLES + 1)})
    blocks = []
    for offset in offsets:
        fh.seek(offset)
        blocks.append(fh.read(_SAMPLE_BYTES))
    return blocks


def _mostly_zeros(blocks: list[bytes]) -> bool:
    return bool(blocks) and all(not block.strip(b"\x00") for block in blocks)


_STARTXREF = re.compile(rb"startxref\s+(\d{1,20})")
_XREF_AT = re.compile(rb"\s*(?:xref|\d{1,10}\s+\d{1,5}\s+obj)")


def _pdf_trailer_ok(fh: BinaryIO, size: int) -> bool:
    """The file ends with a startxref whose offset points at a cross-reference table or
    stream: MuPDF then reads the objects it needs, instead of scanning the whole file."""
    tail_start = max(size - _TAIL_BYTES, 0)
    fh.seek(tail_start)
    found = _STARTXREF.findall(fh.read(_TAIL_BYTES))
    if not found:
        return False
    offset = int(found[-1])
    fh.seek(0)
    start = max(fh.read(1024).find(b"%PDF-"), 0)  # offsets may count from a late header
    for at in {offset, offset + start}:
        if 0 < at < size:
            fh.seek(at)
            if _XREF_AT.match(fh.read(64)):
                return True
    return False


_TAIL_BYTES = 64 * 1024


def _looks_like_text(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 with its byte order mark (Notepad's "Unicode")
    if not data or b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            # the sample may end inside a multi-byte character (UTF-8 and GB18030 alike)
            if exc.start >= len(data) - 3:
                return True
    return False


def _check_pdf(path: Path) -> int:
    with open_pdf(path) as doc:
        return doc.page_count


def open_pdf(path: Path) -> pymupdf.Document:
    """The PDF at `path` open, checked: it opens, needs no password and has pages; else
    Refused with the reason."""
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for broken files
        raise Refused(f"PDF 文件已损坏，无法打开（{exc}）；请重新生成或扫描后再导入") from exc
    if doc.needs_pass:
        doc.close()
        raise Refused("PDF 已加密，需要密码才能打开；请先解除密码保护后再导入")
    if doc.page_count == 0:
        doc.close()
        raise Refused("PDF 没有任何页面；请检查原文件")
    return doc


def _check_image(path: Path, kind: str) -> int | None:
    if kind == "heic":
        formats.enable_heif()
    try:
        with Image.open(path) as img:
            img.verify()
        with Image.open(path) as img:
            frames = getattr(img, "n_frames", 1)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        raise Refused(f"{kind.upper()} 图片已损坏或无法解码（{exc}）；请用原图重新导出") from exc
    return frames if kind == "tiff" else None


def detect(path: Path, *, deep: bool = True) -> Detected:
    """Identify `path` and check it opens. Raises Refused with a reason a clerk can act on.

    With `deep` False only cheap sniffing is done (magic bytes, a ZIP's directory, a PDF's
    trailer, declared sizes): nothing is parsed or inflated, `page_count` stays None, and
    check() does the rest later (in the extraction child, on the stored copy)."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            if path.is_symlink():
                raise Refused("这是指向文件夹的链接，没有展开；请直接导入它指向的文件夹")
            raise Refused("文件夹无法打开（没有读取权限？）；请检查权限")
        if not stat.S_ISREG(st.st_mode):  # a pipe or device would block or never end
            raise Refused("不是普通文件（管道或设备），无法导入")
        size = st.st_size
        if size > limits.IMPORT_MAX_BYTES:
            raise Refused(f"文件有 {size_text(size)}，超过单个文件 "
                          f"{size_text(limits.IMPORT_MAX_BYTES)} 上限；请拆分或压缩后再导入")
        with path.open("rb") as fh:
            head = fh.read(8192)
            samples = _samples(fh, size)
            trailer_ok = _sniff(head) != "pdf" or _pdf_trailer_ok(fh, size)
    except PermissionError as exc:
        raise Refused("没有读取权限；请检查文件权限或先复制到本机") from exc
    except OSError as exc:
        raise Refused(f"无法读取（{exc.strerror or exc}）") from exc
    if size == 0:
        raise Refused("文件为空（0 字节）")
    sniffed = _sniff(head)
    note = ""
    if sniffed == "zip":
        sniffed = _zip_kind(path, size, deep=deep)
    elif sniffed == "ole":
        sniffed, note = _ole_kind(path)
    elif sniffed is None and _looks_like_text(head):
        if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and \
                any(b"\x00" in block for block in samples):
            raise Refused("文件开头是文字，后面却有空字节（0x00），不是文本文件；"
                          "疑似被填充或损坏的文件，请检查原文件")
        sniffed = _text_kind(head, path.suffix.lower())
    elif sniffed is None:
        sniffed = "other"
        note = "无法识别文件内容的类型，已按原样保存（不能预览，也不能检索其中的文字）"
    if sniffed == "pdf" and not trailer_ok and size > limits.PDF_REPAIR_MAX_BYTES:
        raise Refused(f"PDF 末尾没有有效的交叉引用表（startxref），需要修复，而文件有 "
                      f"{size_text(size)}，超过可修复的 {size_text(limits.PDF_REPAIR_MAX_BYTES)}"
                      " 上限；疑似被截断或填充的文件，请重新生成后再导入")
    if sniffed in ("pdf", "jpeg", "png") and size > _PADDED_FLOOR and _mostly_zeros(samples):
        raise Refused(f"文件有 {size_text(size)}，开头之后几乎全是空字节（0x00）；"
                      "疑似被填充或损坏的文件，请重新生成后再导入")

    pages = _deep_check(path, sniffed) if deep else None
    suffix = path.suffix.lower()
    sniffed = _within_container(sniffed, suffix, head)
    found = formats.format_of(sniffed)
    if not note and not formats.expects(sniffed, suffix) and (
            found.family is not formats.Family.TEXT or formats.claimed(suffix) or not suffix):
        shown = suffix or "（无扩展名）"
        note = f"扩展名 {shown}，内容是 {_short(sniffed)}，按 {_short(sniffed)} 保存"
    return Detected(sniffed, found.mime, pages, note)


def _deep_check(path: Path, kind: str) -> int | None:
    if kind == "pdf":
        return _check_pdf(path)
    if kind in formats.IMAGE_KINDS:
        return _check_image(path, kind)
    if kind == "ofd":
        return _check_ofd(path)
    return None


_ZIPPED_DOCUMENTS = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp", "epub", "ofd"})


def check(path: Path, kind: str) -> int | None:
    """The part of detect() that parses: the file at `path`, sniffed as `kind` by
    detect(deep=False), opens (a PDF or image decodes, every member of a ZIP-packed document
    inflates). Its page count (PDF, TIFF, OFD) or None; raises Refused as detect() does."""
    if kind in _ZIPPED_DOCUMENTS:
        _test_members(path)
    return _deep_check(path, kind)


def archive_kind(path: Path) -> str | None:
    """"zip", "7z" or "rar" when `path` is an archive of files (not a DOCX or another
    document packed as a ZIP), else None; cheap enough to ask before an import."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
        sniffed = _sniff(head)
        if sniffed == "zip":
            with zipfile.ZipFile(path) as zf:
                sniffed = _document_in(zf) or "zip"
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, RuntimeError):
        return None
    return sniffed if sniffed in formats.ARCHIVE_KINDS else None


# kinds that share one container: its header alone does not say which (an MP4 of sound only
# is an M4A, a 3GP is an MP4 of the 3GPP brands, a WMA is an ASF file without video)
_CONTAINERS = (frozenset({"mp4", "m4a", "mov", "3gp"}), frozenset({"wmv", "wma"}),
               frozenset({"mkv", "webm"}))
_BRANDS = {b"3gp": "3gp", b"3g2": "3gp", b"M4A ": "m4a", b"M4B ": "m4a", b"qt  ": "mov"}
_ASF_VIDEO = bytes.fromhex("c0ef19bc4d5bcf11a8fd00805f5c442b")  # ASF_Video_Media GUID


def _within_container(kind: str, suffix: str, head: bytes) -> str:
    """Which kind of a shared container a file is: by the ISO brand or the ASF streams where
    the header says, else by the extension when it names a kind of the same container."""
    group = next((g for g in _CONTAINERS if kind in g), None)
    if group is None:
        return kind
    if head[4:8] == b"ftyp" and (branded := _BRANDS.get(head[8:12]) or
                                 _BRANDS.get(head[8:11])):
        return branded
    if kind in ("wmv", "wma"):
        return "wmv" if _ASF_VIDEO in head else "wma"
    return next((k for k in group if formats.expects(k, suffix)), kind)


def _short(kind: str) -> str:
    return {"text": "文本", "markdown": "Markdown", "other": "未知类型"}.get(kind, kind.upper())


_HEADER_LINE = re.compile(rb"^(received|return-path|from|to|cc|subject|date|message-id|"
                          rb"mime-version|content-type|delivered-to|reply-to|x-[\w-]+):",
                          re.IGNORECASE)


def _text_kind(head: bytes, suffix: str) -> str:
    """A text file's flavour: HTML and e-mail by their content, the rest (CSV, TSV,
    Markdown, plain) by the extension, since their content is plain text all the same."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start[:1024] or (
            suffix in formats.BY_KIND["html"].extensions and start.startswith(b"<")):
        return "html"
    lines = start.split(b"\n", 30)[:30]
    headers = [line for line in lines if _HEADER_LINE.match(line)]
    if lines and _HEADER_LINE.match(lines[0]) and len(headers) >= 3 and any(
            line.startswith(b"from:") for line in headers):
        return "eml"
    for kind in ("csv", "tsv", "markdown"):
        if suffix in formats.BY_KIND[kind].extensions:
            return kind
    return "text"


def _check_ofd(path: Path) -> int:
    from desktop.core.extract.base import ExtractError
    from desktop.core.extract.ofd import ofd_page_count

    try:
        return ofd_page_count(path)
    except ExtractError as exc:
        raise Refused(exc.reason) from exc
