"""Word documents written as WordprocessingML text, for the documents an export writes many of
(a 测评材料提交表 per item) or with many rows (材料目录).

python-docx builds every run, cell and property as an lxml object through its own element
classes: 75 ms for a 提交表 of a few materials, most of an export's time besides copying. Here
the body is written as text, the same elements python-docx would make (fonts for Latin and
Chinese text, bold, colour, size, underline, tables with fixed column widths and a repeated
header row), and the rest of the package (styles, settings, theme, the page setup) is taken
once per process from a document python-docx made, its members copied still compressed.
Nothing here imports Qt."""

from __future__ import annotations

import binascii
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

DOCUMENT = "word/document.xml"
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_BREAKS = re.compile("(\n|\r|\t)")
TABLE_LOOK = ('<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
              'w:noHBand="0" w:noVBand="1" w:val="04A0"/>')


def twips(mm: float) -> int:
    """Millimetres as twentieths of a point, rounded as python-docx's Length.twips does."""
    return round(mm * 36000 / 635)


def _attr(value: str) -> str:
    return escape(_INVALID.sub("", value), {'"': "&quot;"})


@dataclass(frozen=True)
class Run:
    text: str
    font: str | None = None  # Latin and Chinese (w:ascii, w:hAnsi, w:eastAsia)
    bold: bool | None = None  # None: as the style says
    color: str | None = None  # "C00000"
    size: float | None = None  # points
    underline: bool = False

    def xml(self) -> str:
        props = ""
        if self.font is not None:
            name = _attr(self.font)
            props += f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}"/>'
        if self.bold is not None:
            props += "<w:b/>" if self.bold else '<w:b w:val="0"/>'
        if self.color is not None:
            props += f'<w:color w:val="{self.color}"/>'
        if self.size is not None:
            props += f'<w:sz w:val="{round(self.size * 2)}"/>'
        if self.underline:
            props += '<w:u w:val="single"/>'
        return "<w:r>" + (f"<w:rPr>{props}</w:rPr>" if props else "") + _text(self.text) + "</w:r>"


def _text(text: str) -> str:
    """A run's text as python-docx writes it: a line break for \\n and \\r, a tab for \\t."""
    out = []
    for piece in _BREAKS.split(_INVALID.sub("", text)):
        if piece in ("\n", "\r"):
            out.append("<w:br/>")
        elif piece == "\t":
            out.append("<w:tab/>")
        elif piece:
            out.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(out)


def paragraph(*runs: Run, center: bool = False, space_before: float | None = None) -> str:
    props = ""
    if space_before is not None:
        props += f'<w:spacing w:before="{round(space_before * 20)}"/>'
    if center:
        props += '<w:jc w:val="center"/>'
    return ("<w:p>" + (f"<w:pPr>{props}</w:pPr>" if props else "")
            + "".join(r.xml() for r in runs) + "</w:p>")


def table(widths_mm: Sequence[float], rows: Sequence[Sequence[Run]], *,
          header: bool = False) -> str:
    """A grid (style Table Grid, centred, fixed column widths) of one run per cell; with
    `header`, the first row is repeated at the top of every page."""
    widths = [twips(w) for w in widths_mm]
    out = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
           '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>', TABLE_LOOK,
           "</w:tblPr><w:tblGrid>", *(f'<w:gridCol w:w="{w}"/>' for w in widths),
           "</w:tblGrid>"]
    for n, row in enumerate(rows):
        out.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" if header and n == 0 else "<w:tr>")
        for width, run in zip(widths, row, strict=True):
            out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
                       f"<w:p>{run.xml() if run.text else ''}</w:p></w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# -- the package ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Member:
    name: str
    crc: int
    size: int
    data: bytes  # deflated
    method: int


@dataclass(frozen=True)
class Skeleton:
    """A document python-docx made, taken apart: every member but the body, still
    compressed, and the body's opening (namespaces) and its section properties."""

    members: tuple[_Member, ...]
    position: int  # of the body among the members
    opening: str
    section: str


def skeleton_of(make: Callable[[], Any]) -> Skeleton:
    """The skeleton of the empty python-docx document `make()` returns (styles, page setup)."""
    buffer = io.BytesIO()
    make().save(buffer)
    members: list[_Member] = []
    position = 0
    with zipfile.ZipFile(buffer) as z:
        text = z.read(DOCUMENT).decode("utf-8")
        for info in z.infolist():
            if info.filename == DOCUMENT:
                position = len(members)
                continue
            buffer.seek(info.header_offset)
            local = buffer.read(30)
            name_len, extra_len = struct.unpack("<HH", local[26:30])
            buffer.seek(info.header_offset + 30 + name_len + extra_len)
            members.append(_Member(info.filename, info.CRC, info.file_size,
                                   buffer.read(info.compress_size), info.compress_type))
    start = text.index("<w:body>") + len("<w:body>")
    section = text[text.index("<w:sectPr", start):text.rindex("</w:body>")]
    return Skeleton(tuple(members), position, text[:start], section)


@lru_cache(maxsize=4)
def cached_skeleton(key: str, make: Callable[[], Any]) -> Skeleton:
    """skeleton_of(make), made once per process for each `key`."""
    return skeleton_of(make)


def save(skeleton: Skeleton, body: Sequence[str], out: Path) -> None:
    """The document with `body` (paragraph and table XML) written to `out` as a .docx."""
    document = (skeleton.opening + "".join(body) + skeleton.section
                + "</w:body></w:document>").encode("utf-8")
    squeeze = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = squeeze.compress(document) + squeeze.flush()
    at = skeleton.position
    members = [*skeleton.members[:at],
               _Member(DOCUMENT, binascii.crc32(document), len(document), packed,
                       zipfile.ZIP_DEFLATED),
               *skeleton.members[at:]]
    with open(out, "wb") as fh:
        fh.write(_zip(members))


_DOS_TIME = (0, 0x21)  # 1980-01-01 00:00, as python-docx writes its members


def _zip(members: Sequence[_Member]) -> bytes:
    """A ZIP of already compressed members (ASCII names, no ZIP64: a document is small)."""
    out, directory = io.BytesIO(), []
    for m in members:
        name = m.name.encode("ascii")
        offset = out.tell()
        fields = (20, 0, m.method, *_DOS_TIME, m.crc, len(m.data), m.size, len(name), 0)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields))
        out.write(name)
        out.write(m.data)
        directory.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0,
                                     0, offset) + name)
    start = out.tell()
    listing = b"".join(directory)
    out.write(listing)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                          len(listing), start, 0))
    return out.getvalue()
