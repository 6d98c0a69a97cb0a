"""可用性 3-4 of one exported file: it opens, and what a reader needs of it is whole.

A PDF is read without drawing it: its end (a PDF cut short has lost its closing %%EOF), the
text of its first and last page (their content run through MuPDF's text device, images not
decoded), the content streams of those pages, and every image stream of
the file: a JPEG or JPEG 2000 stream must have its header and its end marker (a cut or garbled
image has lost one of them), a Flate/LZW stream must inflate without an error. Drawing pages
decodes every image in full (20 ms and more per scanned page); `full` reads and draws every page
as well. A JPEG file is checked as a JPEG stream in a PDF is (`full` decodes it as well);
other images are decoded. A DOCX is checked as a ZIP whose members all match their CRC and
whose parts parse as XML, an XLSX as well with its workbook relationships, shared strings and
styles; `full` opens a DOCX with python-docx and an XLSX with openpyxl too.

Raises Unusable with a one-line Chinese reason when the file is not usable."""

from __future__ import annotations

import contextlib
import re
import zipfile
import zlib
from pathlib import Path

import pymupdf
from PIL import Image

from desktop.core.common import formats
from desktop.core.materials.render import release_decoded_images


class Unusable(Exception):
    """The file is not usable; `reason` is one line of Chinese that says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


EOF_WINDOW = 1024  # readers look for %%EOF in the last KiB of a PDF
_TAIL_READ = 64 * 1024  # trailing whitespace or NULs after %%EOF are allowed within this
_IMAGE_CODECS = frozenset({"/DCTDecode", "/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode"})
_FILTER_NAME = re.compile(r"/[A-Za-z0-9]+")
# MuPDF's messages when a stream it decodes is damaged (it goes on with what it could read)
_DAMAGE = re.compile(r"zlib error|premature end|lzw|corrupt|truncat|read error|"
                     r"unexpected end|bad code|illegal", re.IGNORECASE)


def check(path: Path, kind: str, full: bool = False,
          pdf: pymupdf.Document | None = None,
          package: zipfile.ZipFile | None = None) -> None:
    """Raise Unusable unless the file of `kind` at `path` is usable; `pdf` is the file
    already opened by PyMuPDF, `package` a DOCX or XLSX already open as a ZIP (neither is
    closed here)."""
    if kind == "pdf":
        if pdf is not None:
            _check_pdf(path, pdf, full)
        else:
            with pymupdf.open(path, filetype="pdf") as opened:
                _check_pdf(path, opened, full)
    elif kind == "jpeg":
        _check_jpeg_file(path)
        with Image.open(path) as img:  # its headers parse; `full` decodes it as well
            if full:
                img.load()
    elif kind in formats.IMAGE_KINDS:
        formats.enable_heif()
        with Image.open(path) as img:
            img.load()
    elif kind in formats.MEDIA_KINDS or kind == "ofd":
        _check_extracted(path, kind)
    elif kind == "docx":
        _check_ooxml(path, package=package)
        if full:
            import docx

            docx.Document(str(path))
    elif kind == "xlsx":
        _check_ooxml(path, ("xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                            "xl/styles.xml"), package=package)
        if full:
            import openpyxl

            openpyxl.load_workbook(path, read_only=True).close()


def _check_extracted(path: Path, kind: str) -> None:
    """A video, recording or OFD through the readers the import uses (imported only here:
    the extraction package is large, and most exports hold none of these)."""
    from desktop.core.extract.base import ExtractError

    try:
        if kind == "ofd":
            from desktop.core.extract.ofd import ofd_page_count

            ofd_page_count(path)
        else:
            from desktop.core.extract.media import probe

            probe(path)  # raises ExtractError for a damaged video or recording
    except ExtractError as exc:
        raise Unusable(exc.reason) from None


# -- PDF -----------------------------------------------------------------------------------------

def _check_pdf(path: Path, pdf: pymupdf.Document, full: bool) -> None:
    if not complete_pdf(path):
        raise Unusable("PDF 不完整：文件末尾没有 %%EOF 结束标记（文件可能被截断）")
    if pdf.page_count == 0:
        raise Unusable("PDF 没有页面")
    last = pdf.page_count - 1
    pymupdf.TOOLS.mupdf_warnings(reset=True)
    try:
        for number in range(pdf.page_count) if full else sorted({0, last}):
            page = pdf[number]
            if full:
                page.get_text("text")  # a damaged page object or content stream fails here
            else:
                interpret(page)  # the same, without decoding the page's images
            for xref in page.get_contents():
                _decodes_cleanly(pdf, xref, f"第 {number + 1} 页的内容流")
            if full:
                page.get_pixmap(dpi=24)
        for xref in range(1, pdf.xref_length()):
            if _is_image(pdf, xref):
                _check_image_stream(pdf, path, xref)
    finally:
        pymupdf.TOOLS.mupdf_warnings(reset=True)
        if full:
            release_decoded_images()


def interpret(page: pymupdf.Page) -> None:
    """Run the page's content stream through MuPDF's text device as page.get_text("text")
    does (a damaged page object or content stream fails here), with the device's hint not to
    decode images: without it, the text device decodes each image it meets although text
    extraction ignores them (1.3-3 ms a scanned page of the bench, against 0.6 with the hint).
    The image streams are checked on their own (_check_image_stream); `full` draws them."""
    m = pymupdf.mupdf
    try:
        options = m.FzStextOptions()
        options.flags = pymupdf.TEXTFLAGS_TEXT
        text = m.FzStextPage(m.FzRect(m.FzRect.Fixed_INFINITE))  # kept until the device is
        device = m.fz_new_stext_device(text, options)  # closed: it writes into it
        hint = m.FZ_DONT_DECODE_IMAGES
    except AttributeError:  # another PyMuPDF: the long way
        page.get_text("text")
        return
    m.fz_enable_device_hints(device, hint)
    try:
        m.fz_run_page(page.this, device, m.FzMatrix(), m.FzCookie())
    finally:
        m.fz_close_device(device)
        del device, text  # the device first


def _is_image(pdf: pymupdf.Document, xref: int) -> bool:
    """An object the cross-reference table lists but the file lacks is not an image: readers
    skip such dangling entries (real files have them), and a page that needs one fails its
    own text read above."""
    try:
        return pdf.xref_get_key(xref, "Subtype") == ("name", "/Image")
    except Exception:  # noqa: BLE001 - MuPDF's FzErrorFormat for a missing object
        return False


def complete_pdf(path: Path) -> bool:
    """The file ends with %%EOF: within its last KiB, past any trailing whitespace or NULs."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(max(size - _TAIL_READ, 0))
        tail = fh.read().rstrip(b"\x00\t\n\x0c\r ")
    return b"%%EOF" in tail[-EOF_WINDOW:]


def _filters(pdf: pymupdf.Document, xref: int) -> list[str]:
    kind, value = pdf.xref_get_key(xref, "Filter")
    if kind == "name":
        return [value]
    if kind == "array":
        return _FILTER_NAME.findall(value)
    return []


def _check_image_stream(pdf: pymupdf.Document, path: Path, xref: int) -> None:
    """The image's stream has what a reader needs to decode it, without decoding its pixels."""
    filters = _filters(pdf, xref)
    codec = filters[-1] if filters and filters[-1] in _IMAGE_CODECS else None
    where = f"图像（对象 {xref}）"
    if codec is None:
        if filters:  # Flate, LZW, …: inflating is cheap and finds a cut or garbled stream
            _decodes_cleanly(pdf, xref, where)
        return
    if len(filters) > 1:  # e.g. [/FlateDecode /DCTDecode]: rare; decoded whole
        _decodes_cleanly(pdf, xref, where)
        return
    if codec in ("/DCTDecode", "/JPXDecode") and _looks_whole(pdf, path, xref, codec):
        return
    raw = pdf.xref_stream_raw(xref)  # the authoritative look, at the whole stream
    if not raw:
        raise Unusable(f"{where}的数据为空")
    if codec == "/DCTDecode" and (why := jpeg_problem(raw)):
        raise Unusable(f"{where}：{why}")
    if codec == "/JPXDecode" and (why := jpx_problem(raw)):
        raise Unusable(f"{where}：{why}")


_PEEK = 64 * 1024
_PADDING = b"\x00\t\n\x0c\r "


def _looks_whole(pdf: pymupdf.Document, path: Path, xref: int, codec: str) -> bool:
    """A shortcut for a large JPEG or JPEG 2000 stream: its first and last 64 KiB read
    straight from the file show a good header and the end marker as the stream's last bytes.
    False whenever that is not shown (the caller then reads the whole stream), so the
    shortcut can only pass a stream, never fail one."""
    kind, value = pdf.xref_get_key(xref, "Length")
    if kind != "int" or int(value) <= 4 * _PEEK:
        return False
    length = int(value)
    try:  # where MuPDF found the stream's data in the file
        entry = pymupdf.mupdf.ll_pdf_get_xref_entry_no_null(
            pymupdf._as_pdf_document(pdf).m_internal, xref)
        offset = int(entry.stm_ofs)
    except Exception:  # noqa: BLE001 - another PyMuPDF may not have it: take the long way
        return False
    if offset <= 0:
        return False
    with open(path, "rb") as fh:
        fh.seek(offset)
        head = fh.read(_PEEK)
        fh.seek(offset + length - _PEEK)
        tail = fh.read(_PEEK)
    if not tail.rstrip(_PADDING).endswith(b"\xff\xd9"):
        return False
    if codec == "/JPXDecode":
        return jpx_problem(head + tail) is None
    return isinstance(_jpeg_scan(head), int)


def _check_jpeg_file(path: Path) -> None:
    """A JPEG file as a PDF's JPEG stream is checked, without decoding its pixels: its markers
    walk to the first scan and an end marker (EOI) follows it. A large one is judged first by
    its first and last 64 KiB (the shortcut can only pass a file); else, or when that does not
    show a good header and EOI as its last bytes (a motion photo's video follows EOI), the whole
    file is read."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        if size > 4 * _PEEK:
            head = fh.read(_PEEK)
            fh.seek(size - _PEEK)
            tail = fh.read(_PEEK)
            if tail.rstrip(_PADDING).endswith(b"\xff\xd9") and isinstance(_jpeg_scan(head), int):
                return
            fh.seek(0)
        data = fh.read()
    if why := jpeg_problem(data):
        raise Unusable(why)


def _decodes_cleanly(pdf: pymupdf.Document, xref: int, where: str) -> None:
    pymupdf.TOOLS.mupdf_warnings(reset=True)
    try:
        pdf.xref_stream(xref)
    except Exception as exc:  # noqa: BLE001 - MuPDF raises several kinds for a damaged stream
        raise Unusable(f"{where}无法解码（{exc}）") from None
    said = pymupdf.TOOLS.mupdf_warnings(reset=True)
    if _DAMAGE.search(said):
        raise Unusable(f"{where}已损坏（{said.splitlines()[0]}）")


_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0-7: markers without a length
_SOF = frozenset({*range(0xC0, 0xD0)} - {0xC4, 0xC8, 0xCC})


def jpeg_problem(data: bytes) -> str | None:
    """What a reader would miss in the JPEG `data`, or None: the markers up to the first scan
    (a frame header among them) walk to their declared lengths, and an end marker (EOI)
    follows the scan data. Bytes after EOI (a motion photo's video) are allowed; within
    scan data FF is always followed by 00 or a restart marker, so the first FF D9 after the
    scan header is the end."""
    scan = _jpeg_scan(data)
    if isinstance(scan, str):
        return scan
    if data.find(b"\xff\xd9", scan) < 0:
        return "JPEG 图像数据不完整（没有结束标记 EOI，可能被截断）"
    return None


def _jpeg_scan(data: bytes) -> int | str:
    """Where the first scan's data begins in the JPEG `data`, or what is wrong with the
    markers before it."""
    if data[:2] != b"\xff\xd8":
        return "JPEG 数据开头没有 SOI 标记（不是 JPEG 或已损坏）"
    at, frame = 2, False
    while True:
        if at + 2 > len(data) or data[at] != 0xFF:
            return "JPEG 头部已损坏（标记段不完整）"
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in _STANDALONE:
            at += 2
            continue
        if at + 4 > len(data):
            return "JPEG 头部已损坏（标记段不完整）"
        length = int.from_bytes(data[at + 2:at + 4], "big")
        if length < 2 or at + 2 + length > len(data):
            return "JPEG 头部已损坏（标记段长度不对）"
        frame = frame or marker in _SOF
        if marker == 0xDA:  # start of scan
            return at + 2 + length if frame else "JPEG 头部已损坏（没有帧头 SOF）"
        if marker == 0xD9:
            return "JPEG 没有图像数据"
        at += 2 + length


def jpx_problem(data: bytes) -> str | None:
    """What a reader would miss in the JPEG 2000 `data` (a JP2 file or a bare codestream), or
    None: the codestream's start (SOC SIZ) and its end (EOC). Packet data never holds FF
    followed by a byte above 8F, so the first FF D9 after SOC is the end."""
    start = data.find(b"\xff\x4f\xff\x51")
    if start < 0 or (start > 0 and not data.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n")):
        return "JPEG 2000 数据没有码流头（不是 JPEG 2000 或已损坏）"
    if data.find(b"\xff\xd9", start + 4) < 0:
        return "JPEG 2000 图像数据不完整（没有结束标记 EOC，可能被截断）"
    return None


# -- Office Open XML -------------------------------------------------------------------------

def _check_ooxml(path: Path, parts: tuple[str, ...] = (), *,
                 package: zipfile.ZipFile | None = None) -> None:
    """Every member inflates to its CRC, and the content types, the package relationships,
    the main document part they name and those of `parts` the package has parse as XML.
    `package`: the file already open as a ZIP."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        with contextlib.nullcontext(package) if package is not None \
                else zipfile.ZipFile(path) as z:
            # every member read once (zipfile checks its CRC at its end); the XML parts kept,
            # for those parsed below: reading them again would inflate them twice
            xml: dict[str, bytes] = {}
            for info in z.infolist():
                keep = info.filename.endswith((".xml", ".rels"))
                try:
                    with z.open(info) as member:
                        if keep:
                            xml[info.filename] = member.read()
                        else:  # images and the like: in pieces, memory stays flat
                            while member.read(1 << 20):
                                pass
                except zipfile.BadZipFile:
                    raise Unusable(f"文档中的 {info.filename} 已损坏（CRC 不符）") from None
            names = set(z.namelist())
            for part in ("[Content_Types].xml", "_rels/.rels"):
                if part not in names:
                    raise Unusable(f"文档缺少 {part}")
            etree.fromstring(xml["[Content_Types].xml"], parser)
            rels = etree.fromstring(xml["_rels/.rels"], parser)
            main = next((r.get("Target", "") for r in rels
                         if str(r.get("Type", "")).endswith("/officeDocument")), "")
            main = main.lstrip("/")
            if main not in names:
                raise Unusable("文档缺少正文部分（officeDocument）")
            etree.fromstring(xml[main] if main in xml else z.read(main), parser)
            for part in parts:
                if part in names:
                    etree.fromstring(xml[part] if part in xml else z.read(part), parser)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError) as exc:
        raise Unusable(f"文档不是完整的 ZIP 包（{exc}）") from None
    except etree.XMLSyntaxError as exc:
        raise Unusable(f"文档的 XML 无法解析（{exc}）") from None
