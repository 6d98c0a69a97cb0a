"""What a file really is, from its content (never from its extension), and whether we accept it."""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pymupdf
from PIL import Image, UnidentifiedImageError

from desktop.core.common import limits
from desktop.core.common.limits import quoted, size_text
from desktop.core.common.zipsafety import MAX_RATIO, inflates_like_a_bomb

# kind -> (mime, usual extensions)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "png": ("image/png", (".png",)),
    "tiff": ("image/tiff", (".tif", ".tiff")),
    "text": ("text/plain", (".txt",)),
}

SUPPORTED_LABEL = "PDF、DOCX、XLSX、JPG、PNG、TIFF、TXT"
Image.MAX_IMAGE_PIXELS = 200_000_000  # photos from phones are large; decompression bombs are not


@dataclass(frozen=True)
class Detected:
    kind: str
    mime: str
    page_count: int | None = None
    note: str = ""  # e.g. extension does not match content


class Refused(Exception):
    """The file cannot be stored; the message says why and what to do."""


def _sniff(head: bytes) -> str | None:
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return None


def _ooxml_kind(path: Path, size: int) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            names = {info.filename for info in members}
            _check_members(members, size)
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Refused(f"ZIP 结构损坏，无法读取（{exc}）；请用原程序重新保存后再导入") from exc
    if bad is not None:
        raise Refused(f"文件内部的 {quoted(bad)} 已损坏；请用原程序重新保存后再导入")
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        raise Refused("PPTX 演示文稿暂不支持；请导出为 PDF 后再导入")
    raise Refused("这是一个 ZIP 压缩包，不是 DOCX/XLSX；"
                  f"请解压后导入其中的文件（支持 {SUPPORTED_LABEL}）")


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
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for broken files
        raise Refused(f"PDF 文件已损坏，无法打开（{exc}）；请重新生成或扫描后再导入") from exc
    with doc:
        if doc.needs_pass:
            raise Refused("PDF 已加密，需要密码才能打开；请先解除密码保护后再导入")
        if doc.page_count == 0:
            raise Refused("PDF 没有任何页面；请检查原文件")
        return doc.page_count


def _check_image(path: Path, kind: str) -> int | None:
    try:
        with Image.open(path) as img:
            img.verify()
        with Image.open(path) as img:
            frames = getattr(img, "n_frames", 1)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        raise Refused(f"{kind.upper()} 图片已损坏或无法解码（{exc}）；请用原图重新导出") from exc
    return frames if kind == "tiff" else None


def detect(path: Path) -> Detected:
    """Identify `path` and check it opens. Raises Refused with a reason a clerk can act on."""
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
    if sniffed == "zip":
        sniffed = _ooxml_kind(path, size)
    elif sniffed == "ole":
        raise Refused("旧版 Office 格式（.doc/.xls）或已加密的 Office 文件；"
                      "请在 Office/WPS 中另存为 DOCX/XLSX（并取消密码）后再导入")
    elif sniffed is None:
        if path.suffix.lower() != ".txt" or not _looks_like_text(head):
            raise Refused(f"不支持的文件类型（支持 {SUPPORTED_LABEL}）")
        if any(b"\x00" in block for block in samples):
            raise Refused("文件开头是文字，后面却有空字节（0x00），不是文本文件；"
                          "疑似被填充或损坏的文件，请检查原文件")
        sniffed = "text"
    if sniffed == "pdf" and not trailer_ok and size > limits.PDF_REPAIR_MAX_BYTES:
        raise Refused(f"PDF 末尾没有有效的交叉引用表（startxref），需要修复，而文件有 "
                      f"{size_text(size)}，超过可修复的 {size_text(limits.PDF_REPAIR_MAX_BYTES)}"
                      " 上限；疑似被截断或填充的文件，请重新生成后再导入")
    if sniffed in ("pdf", "jpeg", "png") and size > _PADDED_FLOOR and _mostly_zeros(samples):
        raise Refused(f"文件有 {size_text(size)}，开头之后几乎全是空字节（0x00）；"
                      "疑似被填充或损坏的文件，请重新生成后再导入")

    pages: int | None = None
    if sniffed == "pdf":
        pages = _check_pdf(path)
    elif sniffed in ("jpeg", "png", "tiff"):
        pages = _check_image(path, sniffed)
    mime, extensions = KINDS[sniffed]
    note = ""
    if path.suffix.lower() not in extensions:
        shown = path.suffix or "（无扩展名）"
        note = f"扩展名 {shown} 与内容不符，按 {sniffed.upper()} 保存"
    return Detected(sniffed, mime, pages, note)
