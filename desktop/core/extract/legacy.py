"""Text of the legacy binary Office formats, and what an OLE2 compound file holds.

Word 97-2003 (.doc, and WPS 文字 .wps which writes the same format) is read by a small parser
of the piece table described in [MS-DOC]; Excel 97-2003 (.xls, WPS 表格 .et) through xlrd;
PowerPoint 97-2003 (.ppt, WPS 演示 .dps) by walking the records described in [MS-PPT].
Every reader works on streams olefile has already read into memory, checks each offset it
follows against the data it has, and bounds its loops, so a broken or hostile file ends in
ExtractError rather than a traceback or a hang.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import re
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import olefile
import xlrd
import xlrd.xldate

from desktop.core.common.limits import MB
from desktop.core.extract.base import (
    MAX_CHARS,
    ExtractError,
    Extraction,
    PageText,
    TextBudget,
    clean_text,
    describe,
)
from desktop.core.extract.documents import check_readable

__all__ = ["OleKind", "extract_doc", "extract_ppt", "extract_xls", "ole_kind"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# One stream read into memory; the extraction child may map 768 MB in all.
_MAX_STREAM = 256 * MB
_ENCRYPTED_OOXML = "Office 文档（DOCX/XLSX/PPTX，加密后存为 OLE 复合文档）"


@dataclass(frozen=True)
class OleKind:
    """What an OLE2 compound file holds.

    ``kind`` is "doc", "xls", "ppt", "msg" or None (not OLE, broken, encrypted OOXML or an
    OLE file of another program); ``note`` says in Chinese what was found.
    """

    kind: str | None
    encrypted: bool
    note: str = ""


# Notes name what was found, so that "<note>已加密，…" reads as a sentence.
_DOC_NOTE = "Word 97-2003 / WPS 文字文档"
_XLS_NOTE = "Excel 97-2003 / WPS 表格工作簿"
_PPT_NOTE = "PowerPoint 97-2003 / WPS 演示文稿"



def _u16(data: bytes, offset: int) -> int:
    return int(struct.unpack_from("<H", data, offset)[0])


def _u32(data: bytes, offset: int) -> int:
    return int(struct.unpack_from("<I", data, offset)[0])


# --------------------------------------------------------------------------- OLE container


def ole_kind(path: Path) -> OleKind:
    """Say what the OLE2 compound file at ``path`` is; never raises."""
    try:
        is_ole = olefile.isOleFile(str(path))
    except OSError as exc:
        return OleKind(None, False, f"文件无法读取（{describe(exc)}）")
    if not is_ole:
        return OleKind(None, False, "不是 OLE 复合文档")
    try:
        with olefile.OleFileIO(str(path)) as ole:
            return _kind_of(ole)
    except Exception as exc:  # a broken file is an answer here, not an error
        return OleKind(None, False, f"OLE 复合文档已损坏，无法读取（{describe(exc)}）")


def _root_streams(ole: olefile.OleFileIO) -> dict[str, str]:
    """Streams directly under the root: lower-cased name → name."""
    return {entry[0].lower(): entry[0]
            for entry in ole.listdir(streams=True, storages=False) if len(entry) == 1}


def _kind_of(ole: olefile.OleFileIO) -> OleKind:
    root = _root_streams(ole)
    if "encryptioninfo" in root and "encryptedpackage" in root:
        return OleKind(None, True, _ENCRYPTED_OOXML)
    if "worddocument" in root:
        if _doc_encrypted(_head(ole, root["worddocument"], 32)):
            return OleKind("doc", True, _DOC_NOTE)
        return OleKind("doc", False, _DOC_NOTE)
    book = root.get("workbook") or root.get("book")
    if book is not None:
        if _xls_encrypted(_head(ole, book, 64 * 1024)):
            return OleKind("xls", True, _XLS_NOTE)
        return OleKind("xls", False, _XLS_NOTE)
    if "powerpoint document" in root:
        if _ppt_encrypted(ole, root):
            return OleKind("ppt", True, _PPT_NOTE)
        return OleKind("ppt", False, _PPT_NOTE)
    if any(name.startswith("__substg1.0_") or name == "__properties_version1.0" for name in root):
        return OleKind("msg", False, "Outlook 邮件（MSG）")
    return OleKind(None, False, "其他程序的 OLE 复合文档")


def _head(ole: olefile.OleFileIO, name: str, size: int) -> bytes:
    with ole.openstream(name) as stream:
        return bytes(stream.read(size))


def _doc_encrypted(fib: bytes) -> bool:
    """FibBase.fEncrypted (also set for XOR obfuscation)."""
    return len(fib) >= 12 and bool(_u16(fib, 10) & 0x0100)


def _xls_encrypted(workbook: bytes) -> bool:
    """A FILEPASS record among the first records of the workbook globals."""
    pos = 0
    for _ in range(500):
        if pos + 4 > len(workbook):
            return False
        rec_type, rec_len = struct.unpack_from("<HH", workbook, pos)
        if rec_type == 0x002F:
            return True
        if rec_type in (0x000A, 0x0085):  # EOF, BOUNDSHEET: FILEPASS comes before these
            return False
        pos += 4 + rec_len
    return False


_PPT_PLAIN_TOKEN = 0xE391C05F
_PPT_ENCRYPTED_TOKEN = 0xF3D1C4DF


def _ppt_encrypted(ole: olefile.OleFileIO, root: dict[str, str]) -> bool:
    if "encryptedsummary" in root:
        return True
    if "current user" not in root:
        return False
    user = _head(ole, root["current user"], 64)
    if len(user) >= 16 and _u32(user, 12) == _PPT_ENCRYPTED_TOKEN:
        return True
    if len(user) < 20 or "powerpoint document" not in root:
        return False
    edit_at = _u32(user, 16)
    return _edit_encrypted(_head(ole, root["powerpoint document"], edit_at + 8)[edit_at:])


def _edit_encrypted(header: bytes) -> bool:
    """Whether the UserEditAtom starting ``header`` has encryptSessionPersistIdRef, which
    [MS-PPT] 2.3.3 has it carry exactly when the document is encrypted."""
    if len(header) < 8:
        return False
    rec_type, rec_len = struct.unpack_from("<2xHI", header, 0)
    return rec_type == _RT_USER_EDIT and rec_len >= 0x20


def _not_ole_reason(path: Path, label: str, ext: str) -> str:
    """Why a file named as a legacy Office file cannot be read as one."""
    with path.open("rb") as fh:
        head = fh.read(512)
    if not head:
        return f"{label} 文件是空的（0 字节）"
    if head.startswith(b"PK\x03\x04"):
        return (f"该文件实际是新版 Office（{ext.upper()}X）或其他压缩包格式，"
                f"不是 {label} 97-2003 文件；请改用 .{ext}x 扩展名后重新导入")
    if head.lstrip().startswith(b"{\\rtf"):
        return f"该文件实际是 RTF 格式，不是 {label} 97-2003 文件；请改用 .rtf 扩展名后重新导入"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<", b"mime-version")):
        return (f"该文件实际是网页或 XML 格式（常见于从网站导出的 .{ext}），"
                f"不是 {label} 97-2003 文件；请用 {label}/WPS 打开后另存为新格式再导入")
    return f"{label} 文件已损坏或不是 {label} 97-2003 格式（不是 OLE 复合文档）"


class _Ole:
    """An open compound file whose failures become ExtractError naming the format."""

    def __init__(self, path: Path, label: str, ext: str) -> None:
        self.label = label
        check_readable(path)
        try:
            is_ole = olefile.isOleFile(str(path))
        except Exception as exc:
            raise ExtractError(f"{label} 文件无法读取（{describe(exc)}）") from exc
        if not is_ole:
            raise ExtractError(_not_ole_reason(path, label, ext))
        try:
            self.ole = olefile.OleFileIO(str(path))
        except Exception as exc:
            raise ExtractError(f"{label} 文件已损坏，无法打开（{describe(exc)}）") from exc
        try:
            self.root = _root_streams(self.ole)
        except Exception as exc:
            self.ole.close()
            raise ExtractError(f"{label} 文件已损坏，目录无法读取（{describe(exc)}）") from exc

    def __enter__(self) -> _Ole:
        return self

    def __exit__(self, *exc: object) -> None:
        self.ole.close()

    def has(self, name: str) -> bool:
        return name.lower() in self.root

    def read(self, name: str) -> bytes:
        real = self.root.get(name.lower())
        if real is None:
            raise ExtractError(f"{self.label} 文件已损坏（缺少 {name} 数据流）")
        try:
            size = self.ole.get_size(real)
            if size > _MAX_STREAM:
                raise ExtractError(f"{self.label} 文件的 {name} 数据流超过 "
                                   f"{_MAX_STREAM // MB} MB，疑似损坏或恶意文件，已跳过")
            with self.ole.openstream(real) as stream:
                data = bytes(stream.read())
        except ExtractError:
            raise
        except MemoryError:
            raise
        except Exception as exc:
            raise ExtractError(f"{self.label} 文件已损坏或不完整，{name} 数据流无法读取"
                               f"（{describe(exc)}）") from exc
        if len(data) < size:
            raise ExtractError(f"{self.label} 文件不完整（{name} 数据流被截断），"
                               "请重新获取完整的文件")
        return data


def _finish(pages: list[PageText], empty_reason: str) -> Extraction:
    if not pages:
        return Extraction(state="no_text", reason=empty_reason)
    return Extraction(state="done", pages=tuple(pages))


# --------------------------------------------------------------------------- Word 97-2003

_DOC_ENCRYPTED = ("Word 文档已加密（需要密码才能打开），无法提取文字；"
                  "请在 Word/WPS 中取消密码后再导入")
_WORD_IDENTS = (0xA5EC, 0xA5DC)  # Word 97 and later; Word 6.0/95
_FC_CLX = 33  # index of fcClx/lcbClx in FibRgFcLcb97
_FC_PLCF_BTE_PAPX = 13
# The stories after the main text, in CP order ([MS-DOC] 2.4.1): footnotes, headers and
# footers, macros (unused), comments, endnotes, text boxes, header text boxes.
_STORIES = ("ftn", "hdd", "mcr", "atn", "edn", "txbx", "hdrtxbx")
_MAX_RAW_CHARS = 4 * MAX_CHARS  # CPs read before mapping (field codes are dropped later)
_MAX_PIECES = 500_000  # real documents have a few thousand at most
_MAX_FKP_PAGES = 100_000  # paragraph-property pages read to tell row ends from cell ends

# Word's special characters after cell marks and fields are resolved
_WORD_MAP = str.maketrans({
    "\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x0e": "\n",  # paragraph, line, page, column
    "\x1e": "-", "\x1f": None,  # non-breaking hyphen, optional hyphen
    "\x01": None, "\x08": None,  # picture and drawn-object anchors
    "\x02": None, "\x03": None, "\x04": None, "\x05": None,  # note marks, separators
    "\x13": None, "\x14": None, "\x15": None,  # leftovers of unbalanced fields
})
_FIELD_MARK = re.compile("[\x13\x14\x15]")
_NOTE_MARK = re.compile("\x02[\t ]*")
_EMPTY_CELLS = re.compile("\t+\n")  # a row's trailing empty cells, as the DOCX reader drops them


@dataclass(frozen=True)
class _Piece:
    cp: int  # first CP
    end: int  # CP after the last
    fc: int  # byte offset of the first character in WordDocument
    compressed: bool  # 8-bit (cp1252) rather than UTF-16LE


def extract_doc(path: Path) -> Extraction:
    """Text of a Word 97-2003 binary document (also WPS 文字 .wps, and Word 6.0/95): one page."""
    path = Path(path)
    with _Ole(path, "Word", "doc") as ole:
        if not ole.has("WordDocument"):
            raise ExtractError("不是 Word/WPS 文字文档（文件中没有 WordDocument 数据流）；"
                               ".wps 也可能是 Microsoft Works 文档，"
                               "请用原程序另存为 .docx 后再导入")
        word = ole.read("WordDocument")
        fib = _Fib(word)
        # Word 6.0/95 keeps its tables in WordDocument itself
        table = ole.read("1Table" if fib.which_table else "0Table") if fib.word97 else word
    text = _doc_text(word, fib, table)
    if not text.strip():
        return _finish([], "Word 文档中没有文字")
    return _finish([PageText(0, TextBudget().take(text), "text")], "")


def _doc_text(word: bytes, fib: _Fib, table: bytes) -> str:
    """All text of the document from its WordDocument and table streams."""
    try:
        if fib.word97 or fib.complex:
            pieces = _pieces(table, fib.clx, len(word), fib.word97)
        else:  # Word 6.0/95 saved in full: the text is one run of 8-bit characters
            pieces = [_Piece(0, max(fib.fc_mac - fib.fc_min, 0), fib.fc_min, True)]
            if fib.fc_mac > len(word):
                raise ExtractError("Word 文档已损坏或不完整（文字超出了文件末尾），无法提取文字")
        raw = _raw_text(word, pieces, fib.ccp_total, fib.codepage)
        return _word_text(raw, pieces, fib, word, table)
    except (ExtractError, MemoryError):
        raise
    except Exception as exc:  # a bound check missed by the parser: still a broken file
        raise ExtractError(f"Word 文档已损坏，文字无法读取（{describe(exc)}）") from exc


# Code pages of 8-bit text in Word 6.0/95 files, by the FIB's language id
_LID_CODEPAGE = {
    0x0804: "gbk", 0x1004: "gbk", 0x0404: "cp950", 0x0C04: "cp950", 0x1404: "cp950",
    0x0411: "cp932", 0x0412: "cp949", 0x041E: "cp874",
    0x0402: "cp1251", 0x0419: "cp1251", 0x0422: "cp1251", 0x0423: "cp1251", 0x042F: "cp1251",
    0x0405: "cp1250", 0x040E: "cp1250", 0x0415: "cp1250", 0x041B: "cp1250", 0x0424: "cp1250",
    0x0408: "cp1253", 0x041F: "cp1254", 0x040D: "cp1255", 0x0401: "cp1256",
}


class _Fib:
    """The parts of the File Information Block this reader needs ([MS-DOC] 2.5.1; Word 6.0/95
    files, nFib 101-105, have the older layout with fixed offsets)."""

    def __init__(self, word: bytes) -> None:
        if len(word) < 32:
            raise ExtractError("Word 文档已损坏（文件信息块被截断），无法提取文字")
        ident, n_fib = _u16(word, 0), _u16(word, 2)
        flags = _u16(word, 10)
        if flags & 0x0100:
            raise ExtractError(_DOC_ENCRYPTED)
        self.word97 = n_fib > 105
        self.complex = bool(flags & 0x0004)
        self.which_table = bool(flags & 0x0200)
        self.codepage = "cp1252"  # 8-bit pieces of Word 97 and later are always cp1252
        self.fc_min = self.fc_mac = 0
        self.bte_papx = (0, 0)
        if not self.word97 and (n_fib < 101 or ident not in _WORD_IDENTS):
            raise ExtractError("Word 文档已损坏或是 Word 2.0 以前的格式（文件头标识不对），"
                               "无法提取文字；请在 Word/WPS 中另存为 .docx 后再导入")
        try:
            if self.word97:
                self._word97(word)
            else:
                self.codepage = _LID_CODEPAGE.get(_u16(word, 6), "cp1252")
                self.fc_min, self.fc_mac = _u32(word, 0x18), _u32(word, 0x1C)
                self.ccp_text = _u32(word, 0x34)
                self.ccp_stories = tuple(_u32(word, 0x38 + 4 * i) for i in range(len(_STORIES)))
                self.clx = (_u32(word, 0x160), _u32(word, 0x164))
        except struct.error as exc:
            raise ExtractError("Word 文档已损坏（文件信息块被截断），无法提取文字") from exc

    def _word97(self, word: bytes) -> None:
        pos = 32
        csw = _u16(word, pos)
        pos += 2 + 2 * csw
        cslw = _u16(word, pos)
        lw = pos + 2
        pos = lw + 4 * cslw
        count = _u16(word, pos)
        if cslw < 11 or count <= _FC_CLX:
            raise ExtractError("Word 文档已损坏（文件信息块不完整），无法提取文字")

        def pair(index: int) -> tuple[int, int]:
            fc, lcb = struct.unpack_from("<II", word, pos + 2 + 8 * index)
            return int(fc), int(lcb)

        self.ccp_text = _u32(word, lw + 12)
        self.ccp_stories = tuple(_u32(word, lw + 16 + 4 * i) for i in range(len(_STORIES)))
        self.clx = pair(_FC_CLX)
        self.bte_papx = pair(_FC_PLCF_BTE_PAPX)

    @property
    def ccp_total(self) -> int:
        return self.ccp_text + sum(self.ccp_stories)


def _pieces(table: bytes, clx: tuple[int, int], word_size: int, word97: bool) -> list[_Piece]:
    """The piece table (PlcPcd) from the CLX, skipping the Prc entries before it."""
    fc_clx, lcb_clx = clx
    if lcb_clx == 0 or fc_clx + lcb_clx > len(table):
        raise ExtractError("Word 文档已损坏（找不到文字片段表），无法提取文字")
    pos, end = fc_clx, fc_clx + lcb_clx
    while pos < end:
        clxt = table[pos]
        if clxt == 0x01:  # Prc: formatting, skipped
            if pos + 3 > end:
                break
            pos += 3 + _u16(table, pos + 1)
        elif clxt == 0x02:  # Pcdt
            if pos + 5 > end:
                break
            lcb = _u32(table, pos + 1)
            start = pos + 5
            if lcb < 4 or start + lcb > end or (lcb - 4) % 12:
                break
            count = (lcb - 4) // 12
            if count > _MAX_PIECES:
                raise ExtractError("Word 文档结构异常（文字片段过多），疑似损坏或恶意文件，已跳过")
            cps = struct.unpack_from(f"<{count + 1}I", table, start)
            pieces = []
            for i in range(count):
                pcd = start + 4 * (count + 1) + 8 * i
                fc_raw = _u32(table, pcd + 2)
                if word97:
                    compressed = bool(fc_raw & 0x40000000)
                    fc = (fc_raw & 0x3FFFFFFF) // 2 if compressed else fc_raw & 0x3FFFFFFF
                else:  # Word 6.0/95 text is 8-bit throughout
                    compressed, fc = True, fc_raw
                cp, cp_end = int(cps[i]), int(cps[i + 1])
                if cp_end <= cp:
                    continue
                if fc + (cp_end - cp) * (1 if compressed else 2) > word_size:
                    raise ExtractError("Word 文档已损坏或不完整（文字片段超出了文件末尾），"
                                       "无法提取文字")
                pieces.append(_Piece(cp, cp_end, fc, compressed))
            pieces.sort(key=lambda piece: piece.cp)
            return pieces
        else:
            break
    raise ExtractError("Word 文档已损坏（文字片段表格式不对），无法提取文字")


def _raw_text(word: bytes, pieces: list[_Piece], ccp_total: int, codepage: str) -> str:
    """The characters of all stories in CP order (at most _MAX_RAW_CHARS of them)."""
    # the stories end one CP beyond their sum when anything follows the main text
    limit = min(ccp_total + 1, _MAX_RAW_CHARS)
    parts: list[str] = []
    expected = 0
    for piece in pieces:
        if piece.cp >= limit:
            break
        if piece.cp > expected:  # a gap in the CPs: keep positions right for the stories
            parts.append("\x00" * (piece.cp - expected))
        count = min(piece.end, limit) - piece.cp
        if piece.compressed:
            parts.append(word[piece.fc:piece.fc + count].decode(codepage, errors="replace"))
        else:
            chunk = word[piece.fc:piece.fc + 2 * count]
            parts.append(chunk.decode("utf-16-le", errors="replace"))
        expected = piece.cp + count
    return "".join(parts)


def _word_text(raw: str, pieces: list[_Piece], fib: _Fib, word: bytes, table: bytes) -> str:
    """Readable text: body, text boxes, notes, then headers and footers."""
    if "\x07" in raw:
        raw = _cells(raw, *_table_tests(raw, pieces, fib, word, table))
    bounds = [0, fib.ccp_text]
    for ccp in fib.ccp_stories:
        bounds.append(bounds[-1] + ccp)
    story = {name: raw[bounds[i + 1]:bounds[i + 2]] for i, name in enumerate(_STORIES)}
    # a note starts with its reference mark and a tab
    notes = [_NOTE_MARK.sub("", story[name]) for name in ("ftn", "edn")]
    parts = [raw[:fib.ccp_text], story["txbx"], *notes]
    parts = [_plain(part) for part in parts]
    # sections repeat the same header and footer: each line once
    heads = _plain(story["hdd"] + "\r" + story["hdrtxbx"])
    seen: set[str] = set()
    lines = []
    for line in heads.split("\n"):
        if line.strip() and line not in seen:
            seen.add(line)
            lines.append(line)
    parts.append("\n".join(lines))
    text = "\n".join(part.strip("\n") for part in parts if part.strip())
    return clean_text(re.sub(r"\n{3,}", "\n\n", text))


def _plain(text: str) -> str:
    """Field results without their codes, special characters mapped to text."""
    if "\x13" in text:
        text = _field_results(text)
    return _EMPTY_CELLS.sub("\n", text.translate(_WORD_MAP))


def _field_results(text: str) -> str:
    """Keep what fields show (\\x13 code \\x14 result \\x15), nested fields included."""
    out: list[str] = []
    stack: list[bool] = []  # per open field: is its result showing now
    pos = 0
    for mark in _FIELD_MARK.finditer(text):
        if all(stack):
            out.append(text[pos:mark.start()])
        char = mark.group()
        if char == "\x13":
            if len(stack) < 64:
                stack.append(False)
        elif char == "\x14":
            if stack:
                stack[-1] = True
        elif stack:
            stack.pop()
        pos = mark.end()
    if all(stack):
        out.append(text[pos:])
    return "".join(out)


def _cells(raw: str, is_row_end: Callable[[int], bool],
           in_cell: Callable[[int], bool] | None) -> str:
    """Cell marks become tabs, row marks newlines, paragraph marks inside a cell spaces."""
    out: list[str] = []
    pos = 0
    marks = (match.start() for match in _CELL_MARKS.finditer(raw)) if in_cell else (
        _find_all(raw, "\x07"))
    for index in marks:
        out.append(raw[pos:index])
        if raw[index] == "\r":
            out.append(" " if in_cell is not None and in_cell(index) else "\r")
        else:
            out.append("\n" if is_row_end(index) else "\t")
        pos = index + 1
    out.append(raw[pos:])
    return "".join(out)


_CELL_MARKS = re.compile("[\x07\r]")


def _find_all(text: str, char: str) -> Iterator[int]:
    index = text.find(char)
    while index >= 0:
        yield index
        index = text.find(char, index + 1)


def _table_tests(raw: str, pieces: list[_Piece], fib: _Fib, word: bytes,
                 table: bytes) -> tuple[Callable[[int], bool], Callable[[int], bool] | None]:
    """Whether the character at a CP ends a table row, and whether it is inside a table cell.

    Both come from the paragraph properties (TTP, InTable); when they cannot be read, a row
    end is "a mark right after a cell mark" and cells are not told apart.
    """
    try:
        rows, cells = _table_paragraphs(word, table, fib.bte_papx) if fib.word97 else ([], [])
    except (struct.error, IndexError):
        rows, cells = [], []
    if not rows:
        return (lambda cp: cp > 0 and raw[cp - 1] == "\x07"
                and (cp < 2 or raw[cp - 2] != "\x07")), None
    piece_starts = [piece.cp for piece in pieces]

    def test(ranges: list[tuple[int, int]]) -> Callable[[int], bool]:
        starts = [start for start, _ in ranges]

        def inside(cp: int) -> bool:
            at = bisect.bisect_right(piece_starts, cp) - 1
            if at < 0 or cp >= pieces[at].end:
                return False
            piece = pieces[at]
            fc = piece.fc + (cp - piece.cp) * (1 if piece.compressed else 2)
            found = bisect.bisect_right(starts, fc) - 1
            return found >= 0 and fc < ranges[found][1]

        return inside

    return test(rows), test(cells) if cells else None


def _table_paragraphs(word: bytes, table: bytes, bte: tuple[int, int],
                      ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Byte ranges in WordDocument of the paragraphs that end table rows and of those in
    table cells, from the paragraph properties (PlcBtePapx and its PapxFkp pages)."""
    fc, lcb = bte
    if lcb < 12 or fc + lcb > len(table) or (lcb - 4) % 8:
        return [], []
    count = (lcb - 4) // 8
    rows: list[tuple[int, int]] = []
    cells: list[tuple[int, int]] = []
    pages: set[int] = set()
    known: dict[bytes, tuple[bool, bool]] = {}
    for i in range(count):
        pn = _u32(table, fc + 4 * (count + 1) + 4 * i) & 0x3FFFFF
        if pn in pages:
            continue
        pages.add(pn)
        if len(pages) > _MAX_FKP_PAGES:
            return [], []
        page = word[pn * 512:pn * 512 + 512]
        if len(page) < 512:
            continue
        crun = page[511]
        if 4 * (crun + 1) + 13 * crun > 511:
            continue
        for run in range(crun):
            b_offset = page[4 * (crun + 1) + 13 * run]
            if b_offset == 0:
                continue
            at = 2 * b_offset
            cb = page[at]
            if cb == 0:
                start, size = at + 2, 2 * page[at + 1]
            else:
                start, size = at + 1, 2 * cb - 1
            grpprl = page[start + 2:start + size]  # after the 2-byte style index
            if grpprl not in known:  # most paragraphs share a few property sets
                known[grpprl] = _paragraph_flags(grpprl)
            in_table, row_end = known[grpprl]
            span = (_u32(page, 4 * run), _u32(page, 4 * run + 4))
            if row_end:
                rows.append(span)
            elif in_table:
                cells.append(span)
    rows.sort()
    cells.sort()
    return rows, cells


_SPRM_IN_TABLE = 0x2416  # sprmPFInTable
_SPRM_ITAP = 0x6649  # sprmPItap: table depth (Word 2000 and later)
_SPRM_TTP = (0x2417, 0x244C)  # sprmPFTtp, sprmPFInnerTtp
_SPRA_SIZE = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}


def _paragraph_flags(grpprl: bytes) -> tuple[bool, bool]:
    """(in a table, ends a table row) from a paragraph's property modifiers."""
    in_table = row_end = False
    pos = 0
    while pos + 2 < len(grpprl):
        sprm = _u16(grpprl, pos)
        pos += 2
        if sprm in _SPRM_TTP:
            row_end = row_end or grpprl[pos] != 0
        elif sprm == _SPRM_IN_TABLE:
            in_table = in_table or grpprl[pos] != 0
        elif sprm == _SPRM_ITAP and pos + 4 <= len(grpprl):
            in_table = in_table or _u32(grpprl, pos) > 0
        spra = sprm >> 13
        if spra != 6:
            pos += _SPRA_SIZE[spra]
        elif sprm == 0xD608:  # sprmTDefTable: a 2-byte size, one more than what follows
            pos += 2 + _u16(grpprl, pos) - 1 if pos + 2 <= len(grpprl) else len(grpprl)
        else:
            pos += 1 + grpprl[pos]
    return in_table, row_end


# --------------------------------------------------------------------------- Excel 97-2003


def extract_xls(path: Path) -> Extraction:
    """Text of an Excel 97-2003 workbook (also WPS 表格 .et): one page per sheet."""
    path = Path(path)
    with _Ole(path, "Excel", "xls") as ole:
        name = "Workbook" if ole.has("Workbook") else "Book"
        if not ole.has(name):
            raise ExtractError("不是 Excel 工作簿（OLE 文件中没有 Workbook 数据流）")
        data = ole.read(name)
    if _xls_encrypted(data):
        raise ExtractError("Excel 工作簿已加密（需要密码才能打开），无法提取文字；"
                           "请在 Excel/WPS 中取消密码后再导入")
    try:
        book = xlrd.open_workbook(file_contents=data, logfile=io.StringIO(), verbosity=0,
                                  on_demand=True, ragged_rows=True)
    except MemoryError:
        raise
    except Exception as exc:
        raise ExtractError(f"Excel 工作簿已损坏，无法打开（{describe(exc)}）") from exc
    pages: list[PageText] = []
    budget = TextBudget()
    try:
        for index in range(book.nsheets):
            if budget.spent:
                break
            sheet = book.sheet_by_index(index)
            rows = []
            room = budget.left
            for row_index in range(sheet.nrows):
                cells = [_xls_cell(cell, book.datemode) for cell in sheet.row(row_index)]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    rows.append("\t".join(cells))
                    room -= len(rows[-1]) + 1
                    if room <= 0:
                        break
            if rows:
                text = clean_text(sheet.name + "\n" + "\n".join(rows))
                pages.append(PageText(index, budget.take(text), "text"))
            book.unload_sheet(index)
    except MemoryError:
        raise
    except Exception as exc:
        raise ExtractError(f"Excel 工作簿已损坏，读取工作表出错（{describe(exc)}）") from exc
    finally:
        book.release_resources()
    return _finish(pages, "Excel 工作簿中没有任何单元格内容")


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _xls_cell(cell: xlrd.sheet.Cell, datemode: int) -> str:
    kind, value = cell.ctype, cell.value
    if kind == xlrd.XL_CELL_TEXT:
        text = str(value)
        return " ".join(text.split()) if "\n" in text else text
    if kind == xlrd.XL_CELL_NUMBER:
        return _number(float(value))
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return _number(float(value))
        if float(value) < 1:  # a time of day without a date
            return moment.time().isoformat()
        if moment.time() == dt.time():
            return moment.date().isoformat()
        return moment.isoformat(" ")
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if kind == xlrd.XL_CELL_ERROR:
        return str(xlrd.error_text_from_code.get(value, "#ERR"))
    return ""


# --------------------------------------------------------------------------- PowerPoint 97-2003

_PPT_ENCRYPTED = ("PowerPoint 演示文稿已加密（需要密码才能打开），无法提取文字；"
                  "请在 PowerPoint/WPS 中取消密码后再导入")
_RT_DOCUMENT = 0x03E8
_RT_SLIDE = 0x03EE
_RT_NOTES = 0x03F0
_RT_NOTES_ATOM = 0x03F1
_RT_SLIDE_PERSIST = 0x03F3
_RT_MAIN_MASTER = 0x03F8
_RT_SLIDE_LIST = 0x0FF0
_RT_USER_EDIT = 0x0FF5
_RT_PERSIST_DIR = 0x1772
_RT_TEXT_CHARS = 0x0FA0
_RT_TEXT_BYTES = 0x0FA8
_MAX_DEPTH = 32
_MAX_RECORDS = 1_000_000  # records visited per file, all walks together
_MAX_EDITS = 10_000  # UserEditAtoms followed back through incremental saves


@dataclass(frozen=True)
class _Record:
    rec_type: int
    instance: int
    container: bool
    start: int  # first byte of the body
    end: int  # byte after the body (clamped to the parent)


class _Walker:
    """Record reader over the PowerPoint Document stream, with a shared bound on work."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.visited = 0
        self.chars = 0  # text decoded so far: slides may share containers, the notes too

    def header(self, offset: int, limit: int | None = None) -> _Record | None:
        limit = len(self.data) if limit is None else limit
        if offset < 0 or offset + 8 > limit:
            return None
        self.visited += 1
        if self.visited > _MAX_RECORDS:
            raise ExtractError("PowerPoint 演示文稿结构异常（记录过多），"
                               "疑似损坏或恶意文件，已跳过")
        ver_inst, rec_type, rec_len = struct.unpack_from("<HHI", self.data, offset)
        start = offset + 8
        return _Record(rec_type, ver_inst >> 4, ver_inst & 0xF == 0xF, start,
                       min(start + rec_len, limit))

    def children(self, record: _Record) -> Iterator[_Record]:
        pos = record.start
        while pos + 8 <= record.end:
            child = self.header(pos, record.end)
            if child is None:
                return
            yield child
            pos = child.end

    def texts(self, record: _Record, depth: int = 0) -> Iterator[str]:
        """Text atoms in the subtree of ``record`` (not master slides), in order."""
        if depth > _MAX_DEPTH:
            return
        for child in self.children(record):
            if child.container:
                if child.rec_type != _RT_MAIN_MASTER:
                    yield from self.texts(child, depth + 1)
            elif child.rec_type in (_RT_TEXT_CHARS, _RT_TEXT_BYTES):
                yield self.atom_text(child)

    def atom_text(self, record: _Record) -> str:
        if self.chars > 2 * MAX_CHARS:
            return ""
        self.chars += record.end - record.start
        body = self.data[record.start:record.end]
        if record.rec_type == _RT_TEXT_CHARS:
            return body[: len(body) // 2 * 2].decode("utf-16-le", errors="replace")
        return body.decode("latin-1")  # TextBytesAtom: the low bytes of UTF-16 code units


def extract_ppt(path: Path) -> Extraction:
    """Text of a PowerPoint 97-2003 presentation (also WPS 演示 .dps): one page per slide."""
    path = Path(path)
    with _Ole(path, "PowerPoint", "ppt") as ole:
        if not ole.has("PowerPoint Document"):
            raise ExtractError("不是 PowerPoint 演示文稿"
                               "（OLE 文件中没有 PowerPoint Document 数据流）")
        user = ole.read("Current User") if ole.has("Current User") else b""
        data = ole.read("PowerPoint Document")
    edit_at = _u32(user, 16) if len(user) >= 20 else -1
    if "encryptedsummary" in ole.root or (
            len(user) >= 16 and _u32(user, 12) == _PPT_ENCRYPTED_TOKEN) or (
            edit_at >= 0 and _edit_encrypted(data[edit_at:edit_at + 8])):
        raise ExtractError(_PPT_ENCRYPTED)
    walker = _Walker(data)
    try:
        slides = _ppt_slides(walker, user)
        if slides is None:
            slides = [_ppt_all_text(walker)]
    except (ExtractError, MemoryError):
        raise
    except Exception as exc:
        raise ExtractError(f"PowerPoint 演示文稿已损坏，文字无法读取（{describe(exc)}）") from exc
    pages: list[PageText] = []
    budget = TextBudget()
    for index, texts in enumerate(slides):
        if budget.spent:
            break
        text = clean_text("\n".join(_slide_line(text) for text in texts))
        if text.strip():
            pages.append(PageText(index, budget.take(text), "text"))
    if not pages and not data:
        raise ExtractError("PowerPoint 演示文稿已损坏（文稿数据是空的）")
    return _finish(pages, "PowerPoint 演示文稿中没有文字")


def _slide_line(text: str) -> str:
    return text.replace("\r", "\n").replace("\x0b", "\n")


def _persist_directory(walker: _Walker, user: bytes) -> tuple[dict[int, int], int] | None:
    """persistId → stream offset, newest save first, and the document's persistId."""
    offset = _u32(user, 16) if len(user) >= 20 and _u32(user, 12) == _PPT_PLAIN_TOKEN else -1
    first = walker.header(offset)
    if first is None or first.rec_type != _RT_USER_EDIT:
        offset = _last_user_edit(walker)
    persist: dict[int, int] = {}
    doc_ref = None
    seen: set[int] = set()
    for _ in range(_MAX_EDITS):
        if offset < 0 or offset in seen:
            break
        seen.add(offset)
        edit = walker.header(offset)
        if edit is None or edit.rec_type != _RT_USER_EDIT or edit.end - edit.start < 20:
            break
        last_edit, dir_offset, doc = struct.unpack_from("<III", walker.data, edit.start + 8)
        if doc_ref is None:
            doc_ref = doc
        _read_persist_dir(walker, dir_offset, persist)
        offset = last_edit if last_edit else -1
    if doc_ref is None or doc_ref not in persist:
        return None
    return persist, doc_ref


def _last_user_edit(walker: _Walker) -> int:
    """Offset of the last UserEditAtom among the top-level records (Current User is broken)."""
    found, pos = -1, 0
    while True:
        record = walker.header(pos)
        if record is None:
            return found
        if record.rec_type == _RT_USER_EDIT:
            found = pos
        if record.end <= pos:
            return found
        pos = record.end


def _read_persist_dir(walker: _Walker, offset: int, persist: dict[int, int]) -> None:
    record = walker.header(offset)
    if record is None or record.rec_type != _RT_PERSIST_DIR:
        return
    data, pos = walker.data, record.start
    while pos + 4 <= record.end:
        entry = _u32(data, pos)
        first, count = entry & 0xFFFFF, entry >> 20
        pos += 4
        for k in range(count):
            if pos + 4 > record.end:
                return
            persist.setdefault(first + k, _u32(data, pos))  # a newer save wins
            pos += 4


def _ppt_slides(walker: _Walker, user: bytes) -> list[list[str]] | None:
    """Texts of each slide in order (placeholders, text boxes, then notes), or None."""
    found = _persist_directory(walker, user)
    if found is None:
        return None
    persist, doc_ref = found
    document = walker.header(persist[doc_ref])
    if document is None or document.rec_type != _RT_DOCUMENT:
        return None
    slides: list[tuple[int, int, list[str]]] = []  # (slide persistId, slideId, outline texts)
    notes_refs: list[int] = []
    for child in walker.children(document):
        if child.rec_type != _RT_SLIDE_LIST or child.instance not in (0, 2):
            continue
        for atom in walker.children(child):
            if atom.rec_type == _RT_SLIDE_PERSIST and atom.end - atom.start >= 16:
                ref, _, _, slide_id = struct.unpack_from("<IIII", walker.data, atom.start)
                if child.instance == 0:
                    slides.append((ref, slide_id, []))
                else:
                    notes_refs.append(ref)
            elif (atom.rec_type in (_RT_TEXT_CHARS, _RT_TEXT_BYTES) and child.instance == 0
                  and slides):
                slides[-1][2].append(walker.atom_text(atom))
    if not slides:
        return None
    notes: dict[int, list[str]] = {}
    for ref in notes_refs:
        container = walker.header(persist.get(ref, -1))
        if container is None or container.rec_type != _RT_NOTES:
            continue
        slide_id = None
        for child in walker.children(container):
            if child.rec_type == _RT_NOTES_ATOM and child.end - child.start >= 4:
                slide_id = _u32(walker.data, child.start)
                break
        if slide_id is not None:
            notes.setdefault(slide_id, []).extend(walker.texts(container))
    result = []
    for ref, slide_id, outline in slides:
        texts = list(outline)
        container = walker.header(persist.get(ref, -1))
        if container is not None and container.rec_type == _RT_SLIDE:
            shown = {text.strip() for text in texts}
            texts += [text for text in walker.texts(container) if text.strip() not in shown]
        texts += notes.get(slide_id, [])
        result.append([text for text in texts if not _placeholder_only(text)])
    return result


def _placeholder_only(text: str) -> bool:
    """The "*" a slide-number or date placeholder holds in place of its field."""
    return text.strip() in ("", "*")


def _ppt_all_text(walker: _Walker) -> list[str]:
    """Every text atom outside master slides, each once: when the slide list is unreadable."""
    top = _Record(0, 0, True, 0, len(walker.data))
    texts: list[str] = []
    seen: set[str] = set()
    for text in walker.texts(top):
        key = text.strip()
        if key and key not in seen and not _placeholder_only(text):
            seen.add(key)
            texts.append(text)
    return texts
