"""The viewer. Everything is read on a worker, never on the GUI thread:

- PDF pages rendered by PyMuPDF (fit to the width by default),
- photos decoded by Pillow, upright (EXIF orientation) and fitted whole by default,
- XLSX as read-only tables, one tab per sheet, with merged cells, dates as dates and numbers
  as Excel shows them (the first rows of a large sheet, with a note),
- DOCX as rich text: headings, paragraphs, numbered and bulleted lists, tables and pictures,
- OFD pages drawn as PDF pages, a video's poster frame and a recording's waveform as a page,
  with a line saying how long it is and a button that opens it in the system's player,
- 红线标注 on PDF (and OFD) pages: drag over text to select it, 标注红线 (toolbar, context menu,
  Ctrl+U) draws a straight red line under each selected line of text, never over it; a click on
  a mark picks it for 删除标注; undo and redo (Ctrl+Z, Ctrl+Y) go through the core too,
- every other file with text (WPS and Office 97-2003, RTF, ODF, HTML, e-mail, EPUB, TXT) as
  its text, an archive as the list of its files.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QDesktopServices,
    QFont,
    QFontMetrics,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QUndoStack,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.common import formats
from desktop.core.materials import marks as mark_core
from desktop.core.materials import render
from desktop.core.materials.service import FileInfo
from desktop.ui.mark_tools import MarkCommand, MarkRefs, MarksHost, MarkSource, Passage
from desktop.ui.workers import Job, start, while_alive

ZOOMS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
PHOTO_KINDS = formats.IMAGE_KINDS
MAX_PHOTO_SIDE = 8000  # pixels of a zoomed photo (a 12-megapixel photo at 400% would be 700 MB)
MAX_SHEET_ROWS = 2000
MAX_SHEET_COLUMNS = 200
MAX_SHEETS = 60
MAX_DOC_CHARS = 200_000
MAX_DOC_IMAGES = 80
MAX_MARKS = 500  # search terms marked in a text (thousands of marks slow the view down)
DOC_IMAGE_WIDTH = 640  # pixels: a picture in a DOCX is shown at most this wide

_index = QModelIndex | QPersistentModelIndex


class _Cancelled(Exception):
    """The file shown changed while it was being read."""


def _check(job: Job | None) -> None:
    if job is not None and job.cancelled:
        raise _Cancelled


# == XLSX: cells as Excel shows them (no Qt) ================================================


def _split_sections(fmt: str) -> list[str]:
    sections, current, quoted, i = [], [], False, 0
    while i < len(fmt):
        c = fmt[i]
        if c == '"':
            quoted = not quoted
        elif c == "\\" and not quoted and i + 1 < len(fmt):
            current.append(fmt[i:i + 2])
            i += 2
            continue
        elif c == ";" and not quoted:
            sections.append("".join(current))
            current = []
            i += 1
            continue
        current.append(c)
        i += 1
    sections.append("".join(current))
    return sections


def _bare(fmt: str) -> str:
    """The format without its literals, colours and conditions, lower case."""
    return re.sub(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]', "", fmt).lower()


def _general(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def _number(value: float | int, fmt: str) -> str:
    if not fmt or fmt in ("General", "@"):
        return _general(value)
    sections = _split_sections(fmt)
    section, sign = sections[0], "-" if value < 0 else ""
    if value < 0 and len(sections) > 1 and sections[1].strip():
        section, sign = sections[1], ""  # the negative section writes its own sign
    elif value == 0 and len(sections) > 2 and sections[2].strip():
        section = sections[2]
    magnitude = abs(value)
    prefix: list[str] = []
    suffix: list[str] = []
    digits: list[str] = []
    percent = scientific = False
    i = 0
    while i < len(section):
        c = section[i]
        out = suffix if digits else prefix
        if c == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            out.append(section[i + 1:end])
            i = end + 1
            continue
        if c == "\\" and i + 1 < len(section):
            out.append(section[i + 1])
            i += 2
            continue
        if c in "_*":
            i += 2
            continue
        if c == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            inner = section[i + 1:end]
            if inner.startswith("$"):
                out.append(inner[1:].split("-")[0])
            i = end + 1
            continue
        placeholder = c in "0#?" or (c in ".," and (digits or (
            i + 1 < len(section) and section[i + 1] in "0#?")))
        if placeholder and not suffix:
            digits.append(c)
        elif c in "Ee" and digits and i + 1 < len(section) and section[i + 1] in "+-":
            scientific = True
            i += 2
            while i < len(section) and section[i] in "0#?":
                i += 1
            continue
        elif c == "/" and digits:
            return _general(value)  # fractions: rare in the ledgers, shown plainly
        elif c == "%":
            percent = True
            out.append("%")
        else:
            out.append(c)
        i += 1
    if not digits:
        return sign + "".join(prefix) + "".join(suffix) if (prefix or suffix) else _general(value)
    spec = "".join(digits)
    integer_part, _, fraction = spec.partition(".")
    decimals = sum(1 for c in fraction if c in "0#?")
    grouping = "," in integer_part
    if percent:
        magnitude *= 100
    if scientific:
        text = f"{magnitude:.{decimals}E}"
    else:  # Excel rounds halves away from zero (Python's format rounds them to even)
        exact = Decimal(repr(float(magnitude))).quantize(Decimal(1).scaleb(-decimals),
                                                         rounding=ROUND_HALF_UP)
        text = f"{exact:,.{decimals}f}" if grouping else f"{exact:.{decimals}f}"
    if text.strip("0.,") == "" and sign:
        sign = ""  # -0.00 is shown as 0.00
    return sign + "".join(prefix) + text + "".join(suffix)


def _when(value: dt.datetime | dt.date | dt.time | dt.timedelta, fmt: str) -> str:
    bare = _bare(fmt or "")
    with_seconds = "s" in bare
    has_time = "h" in bare or with_seconds
    has_date = "y" in bare or "d" in bare or ("m" in bare and not has_time)
    clock = "%H:%M:%S" if with_seconds else "%H:%M"
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        hours, rest = divmod(abs(seconds), 3600)
        text = f"{hours}:{rest // 60:02d}" + (f":{rest % 60:02d}" if with_seconds else "")
        return ("-" if seconds < 0 else "") + text
    if isinstance(value, dt.time):
        return value.strftime(clock)
    if isinstance(value, dt.datetime):
        if has_time and not has_date:
            return value.strftime(clock)
        if has_time or (not has_date and value.time() != dt.time()):
            if not has_time and value.second:
                clock = "%H:%M:%S"
            return value.strftime("%Y-%m-%d " + clock)
        return value.strftime("%Y-%m-%d")
    return value.isoformat()


def cell_text(value: Any, number_format: str | None = None) -> tuple[str, bool]:
    """A cell's value as Excel would show it (dates as yyyy-mm-dd, datetimes with their time,
    numbers with their decimals, grouping, percent and currency); and whether it is a number
    (numbers are right-aligned)."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return _when(value, number_format or ""), True
    if isinstance(value, int | float):
        try:
            return _number(value, number_format or "General"), True
        except (ValueError, OverflowError):
            return _general(value), True
    return str(value), False


def _units(text: str) -> int:
    """Display width in character cells: Chinese characters count two."""
    longest = 0
    for line in text.split("\n"):
        longest = max(longest, sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
                                   for c in line))
    return longest


@dataclass
class SheetData:
    title: str
    hidden: bool = False
    cells: list[list[str]] = field(default_factory=list)
    numeric: set[tuple[int, int]] = field(default_factory=set)
    styles: dict[tuple[int, int], tuple[str, bool]] = field(default_factory=dict)  # align, bold
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # row, col, rows, cols
    widths: list[float | None] = field(default_factory=list)  # Excel widths (characters)
    content: list[int] = field(default_factory=list)  # widest text per column (char cells)
    hidden_columns: set[int] = field(default_factory=set)
    total_rows: int | None = None  # rows the sheet says it has, when more than shown
    hits: list[tuple[int, int]] = field(default_factory=list)  # cells holding a search term
    rows_cut: bool = False
    columns_cut: bool = False

    @property
    def column_count(self) -> int:
        return len(self.widths)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Za-z]{1,3}[0-9]+(?::[A-Za-z]{1,3}'
                    rb'[0-9]+)?)"')
_COLUMN = re.compile(rb"<(?:\w+:)?col\s([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')


_Columns = dict[int, tuple[float | None, bool]]  # column -> (Excel width, hidden)


def _sheet_layout(ws: Any, job: Job | None) -> tuple[set[str], _Columns]:
    """Merged ranges and column widths from the sheet's XML: openpyxl's read-only mode (which
    streams the rows and keeps memory flat) reads neither. A byte scan of the stream."""
    source = getattr(ws, "_get_source", None)
    merges: set[str] = set()
    columns: _Columns = {}
    if source is None:
        return merges, columns
    try:
        stream = source()
    except (OSError, KeyError):
        return merges, columns
    with stream:
        tail = b""
        while True:
            _check(job)
            chunk = stream.read(1 << 18)  # small reads: the regex holds the GIL while it scans
            if not chunk:
                break
            data = tail + chunk
            merges.update(m.group(1).decode("ascii").upper() for m in _MERGE.finditer(data))
            for m in _COLUMN.finditer(data):
                attrs = {k.decode(): v.decode() for k, v in _ATTRIBUTE.findall(m.group(1))}
                try:
                    first, last = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
                    width = float(attrs["width"]) if "width" in attrs else None
                except ValueError:
                    continue
                hidden = attrs.get("hidden") in ("1", "true")
                for column in range(max(first, 1), min(last, MAX_SHEET_COLUMNS) + 1):
                    columns[column - 1] = (width, hidden)
            tail = data[-2048:]
    return merges, columns


def _read_sheet(ws: Any, job: Job | None) -> SheetData:
    from openpyxl.utils.cell import range_boundaries

    sheet = SheetData(ws.title, hidden=getattr(ws, "sheet_state", "visible") != "visible")
    declared_rows, declared_columns = ws.max_row, ws.max_column
    if not declared_rows or not declared_columns or (declared_rows, declared_columns) == (1, 1):
        ws.reset_dimensions()  # some writers put "A1" there whatever the size: read the rows
        declared_rows = declared_columns = None
    max_col = min(declared_columns, MAX_SHEET_COLUMNS) if declared_columns else None
    if declared_columns and declared_columns > MAX_SHEET_COLUMNS:
        sheet.columns_cut = True
    cells = sheet.cells
    for r, row in enumerate(ws.iter_rows(min_row=1, min_col=1, max_row=MAX_SHEET_ROWS + 1,
                                         max_col=max_col)):
        if r >= MAX_SHEET_ROWS:
            sheet.rows_cut = True
            break
        if r % 100 == 0:
            _check(job)
        if len(row) > MAX_SHEET_COLUMNS:
            sheet.columns_cut = True
            row = row[:MAX_SHEET_COLUMNS]
        texts: list[str] = []
        for c, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if value is None:
                texts.append("")
                continue
            text, is_number = cell_text(value, getattr(cell, "number_format", None))
            texts.append(text)
            if is_number:
                sheet.numeric.add((r, c))
            alignment, font = getattr(cell, "alignment", None), getattr(cell, "font", None)
            align = (getattr(alignment, "horizontal", None) or "") if alignment else ""
            bold = bool(getattr(font, "b", False)) if font else False
            if align in ("center", "centerContinuous", "right", "left") or bold:
                sheet.styles[(r, c)] = (align, bold)
        cells.append(texts)
    if sheet.rows_cut and declared_rows and declared_rows > MAX_SHEET_ROWS:
        sheet.total_rows = declared_rows

    merges, columns = _sheet_layout(ws, job)
    # trim empty rows and columns at the end, keeping merged ranges and sized columns whole
    last_row = max((r for r, texts in enumerate(cells) if any(texts)), default=-1)
    last_col = max((max((c for c, t in enumerate(texts) if t), default=-1) for texts in cells),
                   default=-1)
    ranges: list[tuple[int, int, int, int]] = []  # first row, first col, last row, last col
    for ref in merges:
        try:
            c0, r0, c1, r1 = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        if c0 is None or r0 is None or c1 is None or r1 is None:
            continue  # a whole-row or whole-column ref ("A:A")
        r0, c0 = r0 - 1, c0 - 1
        r1, c1 = min(r1, len(cells)) - 1, min(c1, MAX_SHEET_COLUMNS) - 1
        if r0 > r1 or c0 > c1:
            continue  # outside the part shown
        if c0 < len(cells[r0]) and cells[r0][c0]:  # a merged title keeps its whole width
            last_row, last_col = max(last_row, r1), max(last_col, c1)
        ranges.append((r0, c0, r1, c1))
    del cells[last_row + 1:]
    width = last_col + 1
    for texts in cells:
        del texts[width:]
        texts.extend([""] * (width - len(texts)))
    for r0, c0, r1, c1 in ranges:
        r1, c1 = min(r1, len(cells) - 1), min(c1, width - 1)
        if r0 <= r1 and c0 <= c1 and (r1 > r0 or c1 > c0):
            sheet.spans.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
    wide = {(r, c) for r, c, _rows, cols in sheet.spans if cols > 1}
    sheet.content = [0] * width
    for r, texts in enumerate(cells[:400]):
        for c, text in enumerate(texts):
            if text and (r, c) not in wide:
                sheet.content[c] = max(sheet.content[c], min(_units(text), 80))
    sheet.widths = [columns.get(c, (None, False))[0] for c in range(width)]
    sheet.hidden_columns = {c for c in range(width) if columns.get(c, (None, False))[1]}
    return sheet


def read_workbook(path: Path, job: Job | None = None,
                  highlight: tuple[str, ...] = ()) -> list[SheetData]:
    """The sheets of an XLSX file: the first MAX_SHEET_ROWS rows and MAX_SHEET_COLUMNS
    columns of each, read in openpyxl's streaming read-only mode with cached formula values;
    with the cells that hold one of the `highlight` terms (case-insensitive)."""
    import openpyxl

    # a file object: openpyxl refuses paths without an .xlsx name, and stored files have none
    with path.open("rb") as handle:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            sheets = [_read_sheet(ws, job) for ws in book.worksheets[:MAX_SHEETS]]
        finally:
            book.close()
    needles = [t.casefold() for t in highlight if t]
    if needles:
        for sheet in sheets:
            sheet.hits = [(r, c) for r, texts in enumerate(sheet.cells)
                          for c, text in enumerate(texts)
                          if text and any(n in text.casefold() for n in needles)]
    return sheets


# == DOCX: rich text as HTML (no Qt) =======================================================

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_WP_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
_V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
_CN_DIGITS = "〇一二三四五六七八九"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_HEADING_SCALE = {1: 1.7, 2: 1.45, 3: 1.25, 4: 1.1, 5: 1.1, 6: 1.1}  # × the body text size
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def _chinese(n: int) -> str:
    if n <= 0 or n >= 10000:
        return str(n)
    units = ((1000, "千"), (100, "百"), (10, "十"))
    out, zero = "", False
    for size, name in units:
        digit, n = divmod(n, size)
        if digit:
            if zero:
                out += "零"
            out += ("" if (size == 10 and digit == 1 and not out) else _CN_DIGITS[digit]) + name
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _CN_DIGITS[n]
    return out


def _roman(n: int) -> str:
    out = ""
    for size, letters in _ROMAN:
        while n >= size:
            out, n = out + letters, n - size
    return out


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_counter(n: int, fmt: str) -> str:
    match fmt:
        case "decimalZero":
            return f"{n:02d}"
        case "upperRoman":
            return _roman(n)
        case "lowerRoman":
            return _roman(n).lower()
        case "upperLetter":
            return _letters(n)
        case "lowerLetter":
            return _letters(n).lower()
        case ("chineseCounting" | "chineseCountingThousand" | "ideographDigital"
              | "japaneseCounting" | "taiwaneseCounting" | "taiwaneseCountingThousand"
              | "chineseLegalSimplified"):
            return _chinese(n)
        case "ideographTraditional":
            return _HEAVENLY[(n - 1) % 10]
        case "decimalEnclosedCircle" | "decimalEnclosedCircleChinese":
            return _CIRCLED[n - 1] if 1 <= n <= 20 else str(n)
        case "decimalFullWidth" | "decimalFullWidth2":
            return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
        case "none":
            return ""
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class DocxContent:
    html: str
    images: dict[str, tuple[bytes, int, int]]  # resource name -> (data, width px, height px)
    truncated: bool = False
    text_chars: int = 0


class _DocxWriter:
    """Walks the document body in order and writes HTML that QTextDocument understands."""

    def __init__(self, document: Any, base_pt: float, job: Job | None) -> None:
        self.document = document
        self.job = job
        self.base_pt = base_pt
        self.parts: list[str] = []
        self.images: dict[str, tuple[bytes, int, int]] = {}
        self.chars = 0
        self.truncated = False
        self.counters: dict[str, list[int]] = {}
        self.levels = self._numbering()
        self.styles = {s.style_id: s for s in document.styles if s.style_id}
        self._chains: dict[str | None, list[Any]] = {}
        self._sizes: dict[str | None, float | None] = {}
        try:
            from docx.enum.style import WD_STYLE_TYPE

            self.default_style = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        except (KeyError, ValueError, AttributeError):
            self.default_style = None
        self.normal_pt = self._normal_size()
        self.scale = base_pt / self.normal_pt if self.normal_pt else 1.0
        self.last_empty = False

    # -- styles and numbering -------------------------------------------------------------------

    def _numbering(self) -> dict[tuple[str, int], _Level]:
        try:
            numbering = self.document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return {}
        abstract: dict[str, dict[int, _Level]] = {}
        for node in numbering.iterchildren(f"{_W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in node.iterchildren(f"{_W}lvl"):
                level = _Level()
                for child in lvl.iterchildren():
                    val = child.get(f"{_W}val")
                    if child.tag == f"{_W}numFmt" and val:
                        level.fmt = val
                    elif child.tag == f"{_W}lvlText" and val is not None:
                        level.text = val
                    elif child.tag == f"{_W}start" and val and val.isdigit():
                        level.start = int(val)
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = level
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        found: dict[tuple[str, int], _Level] = {}
        for num in numbering.iterchildren(f"{_W}num"):
            num_id = num.get(f"{_W}numId", "")
            ref = num.find(f"{_W}abstractNumId")
            levels = abstract.get(ref.get(f"{_W}val", "") if ref is not None else "", {})
            for ilvl, level in levels.items():
                found[(num_id, ilvl)] = level
            for override in num.iterchildren(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                ilvl = int(override.get(f"{_W}ilvl", "0"))
                if start is not None and (num_id, ilvl) in found:
                    value = start.get(f"{_W}val", "1")
                    base = found[(num_id, ilvl)]
                    found[(num_id, ilvl)] = _Level(base.fmt, base.text,
                                                   int(value) if value.isdigit() else 1)
        return found

    def _style_chain(self, style_id: str | None) -> list[Any]:
        """The paragraph style and the styles it is based on (the default style for none)."""
        found = self._chains.get(style_id)
        if found is not None:
            return found
        chain: list[Any] = []
        seen: set[str] = set()
        style = self.styles.get(style_id) if style_id else self.default_style
        while style is not None and style.style_id not in seen and len(chain) < 8:
            chain.append(style)
            seen.add(style.style_id)
            style = style.base_style
        self._chains[style_id] = chain
        return chain

    def _normal_size(self) -> float:
        sizes: dict[float, int] = {}
        body = self.document.element.body
        for p in body.iter(f"{_W}p"):
            style_size = self._style_size(self._p_style(p))
            for r in p.iterchildren(f"{_W}r"):
                text_len = sum(len(t.text or "") for t in r.iterchildren(f"{_W}t"))
                if text_len:
                    size = self._run_size(r) or style_size
                    if size:
                        sizes[size] = sizes.get(size, 0) + text_len
            if sum(sizes.values()) > 20_000:
                break
        if sizes:
            return max(sizes, key=lambda s: sizes[s])
        return self._style_size(None) or 10.5

    def _style_size(self, style_id: str | None) -> float | None:
        if style_id not in self._sizes:
            self._sizes[style_id] = self._find_style_size(style_id)
        return self._sizes[style_id]

    def _find_style_size(self, style_id: str | None) -> float | None:
        for style in self._style_chain(style_id):
            font = getattr(style, "font", None)
            if font is not None and font.size:
                return font.size.pt
        try:
            rpr = self.document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
            size = rpr.find(f"{_W}sz") if rpr is not None else None
            if size is not None:
                return int(size.get(f"{_W}val")) / 2
        except (TypeError, ValueError):
            pass
        return None

    @staticmethod
    def _run_size(r: Any) -> float | None:
        size = r.find(f"{_W}rPr/{_W}sz")
        try:
            return int(size.get(f"{_W}val")) / 2 if size is not None else None
        except (TypeError, ValueError):
            return None

    @staticmethod
    def _p_style(p: Any) -> str | None:
        style = p.find(f"{_W}pPr/{_W}pStyle")
        return style.get(f"{_W}val") if style is not None else None

    def _heading_level(self, p: Any, style_id: str | None) -> int:
        outline = p.find(f"{_W}pPr/{_W}outlineLvl")
        if outline is not None and (outline.get(f"{_W}val") or "").isdigit():
            level = int(outline.get(f"{_W}val")) + 1
            return level if level <= 6 else 0
        for style in self._style_chain(style_id) if style_id else []:
            name = (style.name or "").strip()
            match = _HEADING_STYLE.match(name)
            if match:
                return min(int(match.group(1)), 6) or 1
            if name.lower() == "title" or name == "标题":
                return 1
            if name.lower() == "subtitle" or name == "副标题":
                return 2
            pstyle = style.element.find(f"{_W}pPr/{_W}outlineLvl")
            if pstyle is not None and (pstyle.get(f"{_W}val") or "").isdigit():
                level = int(pstyle.get(f"{_W}val")) + 1
                return level if level <= 6 else 0
        return 0

    def _is_title(self, style_id: str | None) -> bool:
        chain = self._style_chain(style_id) if style_id else []
        return bool(chain) and (chain[0].name or "").strip().lower() in ("title", "标题")

    def _numbering_of(self, p: Any, style_id: str | None) -> tuple[str, int] | None:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None and style_id:
            for style in self._style_chain(style_id):
                num_pr = style.element.find(f"{_W}pPr/{_W}numPr")
                if num_pr is not None:
                    break
        if num_pr is None:
            return None
        num_id = num_pr.find(f"{_W}numId")
        ilvl = num_pr.find(f"{_W}ilvl")
        nid = num_id.get(f"{_W}val", "0") if num_id is not None else "0"
        level = ilvl.get(f"{_W}val", "0") if ilvl is not None else "0"
        if nid == "0":
            return None
        return nid, int(level) if level.isdigit() else 0

    def _label(self, num_id: str, ilvl: int) -> str:
        level = self.levels.get((num_id, ilvl), _Level("bullet" if ilvl else "decimal"))
        counters = self.counters.setdefault(num_id, [0] * 9)
        ilvl = min(ilvl, 8)
        if counters[ilvl] == 0:
            counters[ilvl] = level.start
        else:
            counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if level.fmt == "bullet":
            char = level.text[:1]
            return char if char and not (0xE000 <= ord(char) <= 0xF8FF) and char.isprintable() \
                else "•"

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            lvl = self.levels.get((num_id, k), level)
            value = counters[k] if counters[k] else lvl.start
            return _format_counter(value, lvl.fmt)

        return re.sub(r"%([1-9])", number, level.text)

    def _alignment(self, p: Any, style_id: str | None) -> str:
        jc = p.find(f"{_W}pPr/{_W}jc")
        if jc is None:
            for style in self._style_chain(style_id):
                jc = style.element.find(f"{_W}pPr/{_W}jc")
                if jc is not None:
                    break
        value = jc.get(f"{_W}val", "") if jc is not None else ""
        return {"center": "center", "right": "right", "end": "right", "both": "justify",
                "distribute": "justify"}.get(value, "")

    def _first_line_px(self, p: Any, size_pt: float) -> int:
        ind = p.find(f"{_W}pPr/{_W}ind")
        if ind is None:
            return 0
        try:
            chars = ind.get(f"{_W}firstLineChars")
            if chars:
                return round(int(chars) / 100 * size_pt * self.scale * 96 / 72)
            twips = ind.get(f"{_W}firstLine")
            if twips:
                return round(int(twips) / 20 * self.scale * 96 / 72)
        except ValueError:
            pass
        return 0

    # -- writing ----------------------------------------------------------------------------------

    def write(self) -> DocxContent:
        self._blocks(self.document.element.body, self.parts)
        return DocxContent("".join(self.parts), self.images, self.truncated, self.chars)

    def _blocks(self, parent: Any, out: list[str], in_cell: bool = False) -> None:
        for child in parent.iterchildren():
            if self.truncated:
                return
            tag = child.tag
            if tag == f"{_W}p":
                self._paragraph(child, out, in_cell)
            elif tag == f"{_W}tbl":
                self._table(child, out)
                self.last_empty = False
            elif tag in (f"{_W}sdt", f"{_W}customXml"):
                content = child.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else child
                if content is not None:
                    self._blocks(content, out, in_cell)

    def _paragraph(self, p: Any, out: list[str], in_cell: bool) -> None:
        _check(self.job)
        style_id = self._p_style(p)
        level = 0 if in_cell else self._heading_level(p, style_id)
        style_pt = self._style_size(style_id) or self.normal_pt
        inner = self._runs(p, style_pt, heading=bool(level))
        numbering = self._numbering_of(p, style_id)
        label = self._label(*numbering) if numbering else ""
        styles: list[str] = []
        align = self._alignment(p, style_id)
        if in_cell:
            styles += ["margin:0", "line-height:115%"]
        if numbering and not in_cell:
            styles.append(f"margin-left:{(numbering[1] + 1) * 22}px")
        elif not level:
            indent = self._first_line_px(p, style_pt)
            if indent:
                styles.append(f"text-indent:{max(-60, min(indent, 120))}px")
        if label:
            inner = html.escape(label) + "\u2002" + inner
        if level:
            # not <h1>..<h6>: QTextDocument sizes those by a fixed adjustment whatever the CSS
            scale = 2.0 if level == 1 and self._is_title(style_id) else _HEADING_SCALE[level]
            styles += [f"font-size:{self.base_pt * scale:.1f}pt", "font-weight:bold",
                       f"margin-top:{round(6 + 8 * (scale - 1))}px",
                       f"margin-bottom:{round(2 + 6 * (scale - 1))}px"]
        attrs = (f' align="{align}"' if align else "") + (
            f' style="{";".join(styles)}"' if styles else "")
        if not inner.strip():
            if in_cell:
                out.append(f"<p{attrs}></p>")
            elif not self.last_empty:
                out.append("<p>&nbsp;</p>")
            self.last_empty = True
            return
        self.last_empty = False
        out.append(f"<p{attrs}>{inner}</p>")

    def _runs(self, p: Any, style_pt: float, heading: bool) -> str:
        parts: list[str] = []
        self._run_parts(p, parts, style_pt, heading)
        return "".join(parts)

    def _run_parts(self, node: Any, parts: list[str], style_pt: float, heading: bool) -> None:
        for child in node.iterchildren():
            tag = child.tag
            if tag == f"{_W}r":
                parts.append(self._run(child, style_pt, heading))
            elif tag in (f"{_W}hyperlink", f"{_W}ins", f"{_W}smartTag", f"{_W}fldSimple",
                         f"{_W}customXml", f"{_W}bdo", f"{_W}dir"):
                self._run_parts(child, parts, style_pt, heading)
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    self._run_parts(content, parts, style_pt, heading)
            if self.truncated:
                return

    def _run(self, r: Any, style_pt: float, heading: bool) -> str:
        pieces: list[str] = []
        for child in r.iterchildren():
            tag = child.tag
            if tag == f"{_W}t":
                text = child.text or ""
                room = MAX_DOC_CHARS - self.chars
                if len(text) > room:
                    text, self.truncated = text[:max(room, 0)], True
                self.chars += len(text)
                pieces.append(html.escape(text, quote=False))
            elif tag == f"{_W}tab":
                pieces.append("\u2003")
            elif tag in (f"{_W}br", f"{_W}cr"):
                if child.get(f"{_W}type") != "page":
                    pieces.append("<br>")
            elif tag in (f"{_W}drawing", f"{_W}pict", f"{_W}object") or tag.endswith(
                    "}AlternateContent"):
                pieces.append(self._picture(child))
            elif tag == f"{_W}noBreakHyphen":
                pieces.append("-")
            elif tag == f"{_W}sym":
                pieces.append("•")
        text = "".join(pieces)
        if not text:
            return ""
        rpr = r.find(f"{_W}rPr")
        if rpr is None:
            return text

        def on(name: str) -> bool:
            node = rpr.find(f"{_W}{name}")
            return node is not None and node.get(f"{_W}val", "true") not in ("0", "false", "none")

        css: list[str] = []
        if not heading:
            size = self._run_size(r)
            if size and abs(size - style_pt) > 0.4:
                css.append(f"font-size:{max(7.0, min(size * self.scale, 26.0)):.1f}pt")
            elif style_pt and abs(style_pt - self.normal_pt) > 0.4:
                css.append(f"font-size:{max(7.0, min(style_pt * self.scale, 26.0)):.1f}pt")
        color = rpr.find(f"{_W}color")
        value = color.get(f"{_W}val", "") if color is not None else ""
        if re.fullmatch(r"[0-9A-Fa-f]{6}", value) and value.upper() != "000000":
            css.append(f"color:#{value}")
        if on("b"):
            css.append("font-weight:bold")
        if on("i"):
            css.append("font-style:italic")
        decorations = [d for d, n in (("underline", "u"), ("line-through", "strike")) if on(n)]
        if decorations:
            css.append("text-decoration:" + " ".join(decorations))
        vert = rpr.find(f"{_W}vertAlign")
        position = vert.get(f"{_W}val", "") if vert is not None else ""
        if position in ("superscript", "subscript"):
            css.append("vertical-align:" + ("super" if position == "superscript" else "sub"))
        return f'<span style="{";".join(css)}">{text}</span>' if css else text

    def _picture(self, node: Any) -> str:
        rel, width, height = None, 0, 0
        for blip in node.iter(_A_BLIP):
            rel = blip.get(f"{_R}embed") or blip.get(f"{_R}link")
            break
        if rel is None:
            for data in node.iter(_V_IMAGEDATA):
                rel = data.get(f"{_R}id")
                break
        for extent in node.iter(_WP_EXTENT):
            try:
                width = round(int(extent.get("cx", "0")) / 9525)
                height = round(int(extent.get("cy", "0")) / 9525)
            except ValueError:
                pass
            break
        if rel is None or len(self.images) >= MAX_DOC_IMAGES:
            return ""
        try:
            blob = self.document.part.related_parts[rel].blob
        except (KeyError, AttributeError):
            return ""
        name = f"docx-image-{len(self.images) + 1}"
        self.images[name] = (blob, width, height)
        return f'<img src="{name}">'

    def _table(self, tbl: Any, out: list[str]) -> None:
        _check(self.job)
        grid: list[int] = []
        grid_node = tbl.find(f"{_W}tblGrid")
        for col in grid_node.iterchildren(f"{_W}gridCol") if grid_node is not None else ():
            try:
                grid.append(max(0, int(float(col.get(f"{_W}w") or 0))))
            except ValueError:
                grid.append(0)
        total = sum(grid)
        rows: list[list[tuple[int, int, str | None, Any]]] = []  # (col, span, vmerge, tc)
        for tr in tbl.iterchildren(f"{_W}tr"):
            column, cells = 0, []
            before = tr.find(f"{_W}trPr/{_W}gridBefore")
            if before is not None and (before.get(f"{_W}val") or "").isdigit():
                column = int(before.get(f"{_W}val"))
            for tc in tr.iterchildren(f"{_W}tc"):
                tcpr = tc.find(f"{_W}tcPr")
                span, vmerge = 1, None
                if tcpr is not None:
                    gs = tcpr.find(f"{_W}gridSpan")
                    if gs is not None and (gs.get(f"{_W}val") or "").isdigit():
                        span = max(1, int(gs.get(f"{_W}val")))
                    vm = tcpr.find(f"{_W}vMerge")
                    if vm is not None:
                        vmerge = vm.get(f"{_W}val", "continue")
                cells.append((column, span, vmerge, tc))
                column += span
            rows.append(cells)
        out.append('<table border="1" cellspacing="0" cellpadding="4" width="100%"'
                   ' style="border-collapse:collapse;border-color:#8a8a8a;margin:6px 0;">')
        for r, cells in enumerate(rows):
            out.append("<tr>")
            for column, span, vmerge, tc in cells:
                if vmerge == "continue":
                    continue
                rowspan = 1
                if vmerge == "restart":
                    for below in rows[r + 1:]:
                        if any(c == column and v == "continue" for c, _s, v, _t in below):
                            rowspan += 1
                        else:
                            break
                attrs = "" if span == 1 else f' colspan="{span}"'
                attrs += "" if rowspan == 1 else f' rowspan="{rowspan}"'
                if total and column + span <= len(grid) and r == 0:
                    share = sum(grid[column:column + span]) / total * 100
                    attrs += f' width="{share:.0f}%"'
                shade = tc.find(f"{_W}tcPr/{_W}shd")
                fill = shade.get(f"{_W}fill", "") if shade is not None else ""
                if re.fullmatch(r"[0-9A-Fa-f]{6}", fill) and fill.upper() != "FFFFFF":
                    attrs += f' bgcolor="#{fill}"'
                inner: list[str] = []
                self._blocks(tc, inner, in_cell=True)
                out.append(f'<td valign="top"{attrs}>{"".join(inner)}</td>')
            out.append("</tr>")
            if self.truncated:
                break
        out.append("</table>")


def docx_content(path: Path, base_pt: float = 10.5, job: Job | None = None) -> DocxContent:
    """The DOCX file as HTML for QTextDocument: headings, paragraphs, lists with the labels Word
    shows, tables with merged cells, pictures (the image bytes are returned apart)."""
    import docx

    document = docx.Document(str(path))
    return _DocxWriter(document, base_pt, job).write()


def document_css() -> str:
    return ("p { margin-top:2px; margin-bottom:6px; line-height:135%; }"
            "td { border:1px solid #8a8a8a; }")


def build_document(content: DocxContent, base_pt: float, *, picture: str = "[图片]",
                   cut_note: str = "") -> QTextDocument:
    """A QTextDocument of the DOCX content, with its pictures scaled to the page; built on the
    worker (QTextDocument and QImage may be used on any thread) so a long document's layout
    never holds up the window. `picture` stands for a picture Qt cannot decode (EMF/WMF);
    `cut_note` ends a document cut at MAX_DOC_CHARS."""
    document = QTextDocument()
    document.setDocumentMargin(18)
    document.setDefaultStyleSheet(document_css())
    html_text = content.html
    if content.truncated and cut_note:
        html_text += f'<p style="color:#9a6700;">{html.escape(cut_note)}</p>'
    for name, (data, width, height) in content.images.items():
        image = QImage.fromData(data)
        if image.isNull():
            html_text = html_text.replace(
                f'<img src="{name}">', f'<span style="color:#777;">{html.escape(picture)}</span>')
            continue
        if not (width and height):
            width, height = image.width(), image.height()
        if width > DOC_IMAGE_WIDTH:
            width, height = DOC_IMAGE_WIDTH, max(1, round(height * DOC_IMAGE_WIDTH / width))
        if image.width() > width * 2:
            image = image.scaled(width * 2, height * 2, Qt.AspectRatioMode.IgnoreAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        html_text = html_text.replace(f'<img src="{name}">',
                                      f'<img src="{name}" width="{width}" height="{height}">')
    document.setHtml(html_text)
    return document


def external_copy(path: Path, info: FileInfo) -> Path:
    """A copy of a stored file under its filed name in a temporary folder of its own (the
    stored file is never handed to another program, which might change it)."""
    folder = Path(tempfile.gettempdir()) / "zicha-open" / info.sha256[:16]
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(info.filename).name or "file"
    if not Path(name).suffix and formats.format_of(info.kind).extension:
        name += formats.format_of(info.kind).extension
    target = folder / name
    if not target.exists() or target.stat().st_size != info.size:
        shutil.copyfile(path, target)
    return target


# == photos (Pillow) ============================================================================


def render_photo(path: Path, page: int, zoom: float | None, fit: str,
                 box: tuple[int, int]) -> tuple[QImage, int, int, float]:
    """Decode frame `page` of an image upright (EXIF orientation applied), scaled to `zoom`,
    or, when zoom is None, to fit `box` whole ("page") or its width ("width"), never enlarged.
    JPEGs are decoded at a reduced scale when shown small (fast for 12-megapixel photos)."""
    from PIL import Image, ImageOps

    with Image.open(path) as opened:
        # a TIFF's frames are pages; a GIF's are an animation, a phone JPEG's (MPO) a preview
        count = max(1, getattr(opened, "n_frames", 1) or 1) if opened.format == "TIFF" else 1
        index = max(0, min(page, count - 1))
        if index:
            opened.seek(index)
        orientation = opened.getexif().get(0x0112, 1)
        width, height = opened.size
        turned = orientation in (5, 6, 7, 8)
        if turned:
            width, height = height, width
        if zoom is None:
            use = box[0] / width if fit == "width" else min(box[0] / width, box[1] / height)
            use = min(1.0, use)
        else:
            use = zoom
        use = max(0.01, min(use, MAX_PHOTO_SIDE / max(width, height)))
        target = (max(1, round(width * use)), max(1, round(height * use)))
        if use < 1.0:
            opened.draft("RGB", (target[1], target[0]) if turned else target)
        image = ImageOps.exif_transpose(opened) or opened
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P"
                                                  and "transparency" in image.info):
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
        if image.size != target:
            image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
        data = image.tobytes()
        qimage = QImage(data, image.width, image.height, image.width * 3,
                        QImage.Format.Format_RGB888).copy()
    return qimage, index, count, use


# == Qt ========================================================================================


class SheetModel(QAbstractTableModel):
    """One sheet's cells, read-only; search hits get a yellow background."""

    def __init__(self, sheet: SheetData, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sheet = sheet
        self.hits = sheet.hits
        self._hit_set = set(sheet.hits)
        self._bold = QFont()
        self._bold.setBold(True)

    def rowCount(self, parent: _index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.sheet.cells)

    def columnCount(self, parent: _index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.sheet.column_count

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            from openpyxl.utils import get_column_letter

            return get_column_letter(section + 1)
        return str(section + 1)

    def data(self, index: _index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.sheet.cells[r][c].replace("\n", " ")
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.sheet.cells[r][c]
            return text if len(text) > 20 or "\n" in text else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align, _bold = self.sheet.styles.get((r, c), ("", False))
            horizontal = {"center": Qt.AlignmentFlag.AlignHCenter,
                          "centerContinuous": Qt.AlignmentFlag.AlignHCenter,
                          "right": Qt.AlignmentFlag.AlignRight,
                          "left": Qt.AlignmentFlag.AlignLeft}.get(align)
            if horizontal is None:
                horizontal = Qt.AlignmentFlag.AlignRight if (r, c) in self.sheet.numeric \
                    else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.sheet.styles.get((r, c), ("", False))[1]:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and (r, c) in self._hit_set:
            return QBrush(QColor(255, 214, 0, 160))
        return None


class PreviewWidget(QWidget):
    rendered = Signal(int)  # page index now shown (tests wait for it)
    marks_changed = Signal()  # a mark was made, removed, undone or redone (or refused)
    marks_message = Signal(str)  # a refusal, for the window's status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._files: list[tuple[Path, FileInfo]] = []
        self._current: tuple[Path, FileInfo] | None = None
        # the text the text pass extracted, by file hash (None: not yet); set by the window
        self.stored_text: Callable[[str], list[tuple[int, str]] | None] | None = None
        self._page = 0
        self._page_count = 0
        self._zoom: float | None = None  # None: fit (self._fit)
        self._fit = "width"  # "width": fit the width; "page": the whole page or photo
        self._shown_zoom = 1.0
        self._highlight: tuple[str, ...] = ()
        self._start_page = 0
        self.highlight_count = 0  # boxes / marks / cells highlighted in the view (tests read it)
        self._request = 0
        self._jobs: list[Job] = []
        self._document: QTextDocument | None = None
        self.sheet_views: list[QTableView] = []
        self._refit = QTimer(self, singleShot=True, interval=150)
        self._refit.timeout.connect(self._render)
        # 红线标注: the window sets marks_host; show_files names the material shown
        self.marks_host: MarkSource | None = None
        self._material_id: int | None = None
        self._layout: mark_core.PageLayout | None = None  # the page shown, when markable
        self._marks: list[mark_core.Mark] = []  # on the file shown
        self._base: QImage | None = None  # the page as rendered, before the marks are drawn
        self._drag: tuple[float, float] | None = None  # where a drag began (page points)
        self._drag_px: tuple[int, int] = (0, 0)
        self.selection: mark_core.Selection | None = None  # the text chosen by dragging
        self.picked: mark_core.Mark | None = None  # the mark clicked on (删除标注)
        self._pending = 0  # mark operations on the write lane not finished yet
        self._marks_editable = True
        self.undo_stack = QUndoStack(self)
        self._refs = MarkRefs()

        self.file_box = QComboBox()
        self.file_box.currentIndexChanged.connect(self._file_chosen)
        self.prev_button = self._tool("◀", self.tr("上一页 (PgUp)"), lambda: self.go(-1))
        self.next_button = self._tool("▶", self.tr("下一页 (PgDn)"), lambda: self.go(1))
        self.page_label = QLabel()
        self.zoom_out = self._tool("－", self.tr("缩小 (Ctrl+滚轮)"), lambda: self.step_zoom(-1))
        self.zoom_in = self._tool("＋", self.tr("放大 (Ctrl+滚轮)"), lambda: self.step_zoom(1))
        self.fit_button = self._tool(self.tr("适合宽度"), self.tr("按窗口宽度显示"), self.fit_width)
        self.fit_page_button = self._tool(self.tr("适合窗口"), self.tr("完整显示整页或整张图片"),
                                          self.fit_page)
        for button in (self.fit_button, self.fit_page_button):
            button.setCheckable(True)
        self.mark_action = self._action(
            self.tr("标注红线"), self.mark_selection, "Ctrl+U",
            self.tr("在选中文字的下方画一条红色直线（Ctrl+U）；先在页面上拖动鼠标选中文字。"
                    "档案中的文件不会被改动，导出时另附一份标注副本"))
        self.unmark_action = self._action(self.tr("删除标注"), self.remove_picked, None,
                                          self.tr("删除点选的红线标注"))
        self.undo_mark_action = self._action(self.tr("撤销标注"), self.undo_mark,
                                             QKeySequence.StandardKey.Undo,
                                             self.tr("撤销上一次标注或删除（Ctrl+Z）"))
        self.redo_mark_action = self._action(self.tr("重做标注"), self.redo_mark,
                                             QKeySequence.StandardKey.Redo,
                                             self.tr("重做撤销的标注或删除"))
        self.undo_stack.indexChanged.connect(lambda _i: self._update_mark_actions())
        self.mark_button = QToolButton()
        self.mark_button.setDefaultAction(self.mark_action)
        self.mark_button.setStyleSheet("QToolButton { color: #c00000; }")
        self.unmark_button = QToolButton()
        self.unmark_button.setDefaultAction(self.unmark_action)
        self.undo_mark_button = QToolButton()
        self.undo_mark_button.setDefaultAction(self.undo_mark_action)
        self.redo_mark_button = QToolButton()
        self.redo_mark_button.setDefaultAction(self.redo_mark_action)
        self.marks_label = QLabel()
        self.marks_label.setStyleSheet("color: #555;")
        # a row of its own under the page bar, shown for PDF pages of a material
        self.mark_bar = QWidget()
        row = QHBoxLayout(self.mark_bar)
        row.setContentsMargins(4, 0, 4, 0)
        for tool in (self.mark_button, self.unmark_button, self.undo_mark_button,
                     self.redo_mark_button):
            row.addWidget(tool)
        row.addWidget(self.marks_label, 1)
        self.mark_note = QLabel()
        self.mark_note.setWordWrap(True)
        self.mark_note.setStyleSheet("color: #8a1c1c; padding: 0 6px;")
        self.zoom_label = QLabel()
        self.media_label = QLabel()
        self.media_label.setStyleSheet("color: #444; padding: 0 6px;")
        self.open_button = self._tool(self.tr("打开…"),
                                      self.tr("用系统程序打开：用本机的播放器或程序打开这个文件"
                                              "（一份副本，档案中的文件不会被改动）"),
                                      self.open_externally)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.file_box, 1)
        for w in (self.prev_button, self.page_label, self.next_button, self.zoom_out,
                  self.zoom_label, self.zoom_in, self.fit_button, self.fit_page_button,
                  self.open_button):
            bar.addWidget(w)

        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.image_label)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area.setStyleSheet("QScrollArea { background: #6b6f75; }")
        self.image_label.setStyleSheet("background: #6b6f75;")  # a grey margin round the page
        self.scroll_area.viewport().installEventFilter(self)
        self.image_label.installEventFilter(self)  # choosing text and marks with the mouse
        self.image_label.setMouseTracking(False)
        self.text_view = QTextBrowser()
        self.text_view.setReadOnly(True)
        self.text_view.setOpenLinks(False)
        self.sheet_tabs = QTabWidget()
        self.sheet_tabs.setTabPosition(QTabWidget.TabPosition.South)
        self.sheet_tabs.setDocumentMode(True)
        self.sheet_tabs.setUsesScrollButtons(True)
        self.sheet_tabs.setStyleSheet(  # once here: a style sheet per table costs ms each
            "QTableView { gridline-color: #d4d4d4; }"
            "QLabel#sheetNote { background: #fff4ce; color: #5c4400; padding: 4px 8px;"
            " border-bottom: 1px solid #e8d48b; }")
        self.message = QLabel(self.tr("选择一份材料，在这里查看它的文件"))
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #666; padding: 24px;")
        self.stack = QStackedWidget()
        for pane in (self.message, self.scroll_area, self.text_view, self.sheet_tabs):
            self.stack.addWidget(pane)
        self.stack.installEventFilter(self)  # the pane's size, whatever resizes it

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.mark_bar)
        layout.addWidget(self.media_label)  # a video's or a recording's length, under the bar
        layout.addWidget(self.mark_note)  # why a mark was not made
        layout.addWidget(self.stack, 1)
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.go(1))
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.go(-1))
        self._update_controls()

    def _action(self, text: str, slot: Callable[[], None],
                shortcut: str | QKeySequence.StandardKey | None, tip: str) -> QAction:
        act = QAction(text, self)
        act.setToolTip(tip)
        act.setStatusTip(tip)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
            # only while the viewer has the focus: Ctrl+Z in a text field stays the field's
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(slot)
        act.setEnabled(False)
        self.addAction(act)
        return act

    def _tool(self, text: str, tip: str, slot) -> QToolButton:  # type: ignore[no-untyped-def]
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # -- public --------------------------------------------------------------------------------

    @property
    def page(self) -> int:
        return self._page

    @property
    def page_count(self) -> int:
        return self._page_count

    @property
    def zoom(self) -> float:
        """The scale of the page or photo shown (1.0: 72 dpi for a PDF, one image pixel per
        screen pixel for a photo)."""
        return self._shown_zoom

    @property
    def fit_mode(self) -> str | None:
        """"width" or "page" while the view fits the pane, None at a chosen zoom."""
        return self._fit if self._zoom is None else None

    def clear(self, message: str = "") -> None:
        self._files = []
        self._current = None
        self._request += 1
        self._cancel_jobs()
        self.highlight_count = 0
        self._material_id = None
        self._reset_marks()
        self.file_box.blockSignals(True)
        self.file_box.clear()
        self.file_box.blockSignals(False)
        self.message.setText(message or self.tr("选择一份材料，在这里查看它的文件"))
        self.stack.setCurrentWidget(self.message)
        self._page_count = 0
        self._update_controls()

    def show_files(self, files: list[tuple[Path, FileInfo]], *, file_index: int = 0,
                   page: int = 0, highlight: tuple[str, ...] = (),
                   material_id: int | None = None, marks_editable: bool = True) -> None:
        """Show the material's files, opening `file_index` at `page` (0-based) with the
        `highlight` terms marked on the page. With `material_id` (and the window's
        marks_host) its PDF pages show their 红线标注, and take new ones or lose them while
        `marks_editable` (a draft or a returned material: what is in review stays signed)."""
        if material_id != self._material_id:  # undo is about the material shown
            self.undo_stack.clear()
            self._refs.clear()
        self.clear()
        self._material_id = material_id
        self._marks_editable = marks_editable
        if not files:
            return
        self._files = files
        self._highlight = highlight
        self._start_page = page
        file_index = max(0, min(file_index, len(files) - 1))
        self.file_box.blockSignals(True)
        for _, info in files:
            self.file_box.addItem(info.filename)
        self.file_box.setCurrentIndex(file_index)
        self.file_box.blockSignals(False)
        self._file_chosen(file_index)

    def go(self, delta: int) -> None:
        if self._current and 0 <= self._page + delta < self._page_count:
            self._page += delta
            self.selection = self.picked = None
            self._render()

    def step_zoom(self, direction: int) -> None:
        if not self._current or self._current[1].kind not in render.RENDERABLE:
            return
        current = self._zoom or self._shown_zoom or 1.0
        if direction > 0:
            bigger = [z for z in ZOOMS if z > current + 1e-6]
            self._zoom = bigger[0] if bigger else ZOOMS[-1]
        else:
            smaller = [z for z in ZOOMS if z < current - 1e-6]
            self._zoom = smaller[-1] if smaller else ZOOMS[0]
        self._render()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.stack and event.type() == QEvent.Type.Resize:
            if self._zoom is None and self._current and \
                    self._current[1].kind in render.RENDERABLE:
                self._refit.start()  # keep the fit true as the pane changes size
            return False
        if watched is self.image_label and self._layout is not None and \
                self._mouse(event):
            return True
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Wheel:
            wheel: QWheelEvent = event  # type: ignore[assignment]
            if wheel.modifiers() & Qt.KeyboardModifier.ControlModifier:
                delta = wheel.angleDelta().y()
                if delta:
                    self.step_zoom(1 if delta > 0 else -1)
                return True
        return super().eventFilter(watched, event)

    def fit_width(self) -> None:
        self._zoom, self._fit = None, "width"
        self._render()

    def fit_page(self) -> None:
        self._zoom, self._fit = None, "page"
        self._render()

    def open_externally(self) -> None:
        """Open a copy of the file shown (named as the clerk filed it, so that the system knows
        what opens it) in the program the system has for it: a video in the player."""
        if not self._current:
            return
        path, info = self._current

        def work(_job: Job) -> str:
            return str(external_copy(path, info))

        self._run(work, lambda copy: QDesktopServices.openUrl(QUrl.fromLocalFile(copy)))

    # -- 红线标注 ---------------------------------------------------------------------------------

    @property
    def marks(self) -> list[mark_core.Mark]:
        """The marks of the file shown (all its pages)."""
        return list(self._marks)

    def mark_selection(self) -> None:
        """标注红线: mark the text chosen on the page, through the core, as the current person."""
        host, chosen, current = self.marks_host, self.selection, self._current
        if not isinstance(host, MarksHost) or self._material_id is None or current is None \
                or chosen is None:
            self._note(self.tr("先在页面上拖动鼠标选中要标注的文字"))
            return
        passage = Passage(self._material_id, current[1].sha256, self._page + 1, chosen.text,
                          chosen.rects)
        self._pending += 1
        self._update_mark_actions()

        def done(mark: mark_core.Mark) -> None:
            self.selection = None
            self.undo_stack.push(MarkCommand(host, self._refs.of(mark), adding=True,
                                             apply=self._mark_put, drop=self._mark_taken,
                                             failed=self._mark_failed))
            self._mark_put(mark)

        host.add(passage, done, self._mark_failed)

    def remove_picked(self) -> None:
        """删除标注: remove the mark clicked on."""
        host, mark = self.marks_host, self.picked
        if not isinstance(host, MarksHost) or mark is None:
            self._note(self.tr("先点选要删除的红线标注"))
            return
        self._pending += 1
        self._update_mark_actions()

        def done(gone: mark_core.Mark) -> None:
            self.undo_stack.push(MarkCommand(host, self._refs.of(gone), adding=False,
                                             apply=self._mark_put, drop=self._mark_taken,
                                             failed=self._mark_failed))
            self._mark_taken(gone)

        host.remove(mark, done, self._mark_failed)

    def undo_mark(self) -> None:
        if self.undo_stack.canUndo() and not self._pending:
            self._pending += 1
            self._update_mark_actions()
            self.undo_stack.undo()

    def redo_mark(self) -> None:
        if self.undo_stack.canRedo() and not self._pending:
            self._pending += 1
            self._update_mark_actions()
            self.undo_stack.redo()

    def _mark_put(self, mark: mark_core.Mark) -> None:
        self._pending = max(0, self._pending - 1)
        if self._shows(mark) and all(m.id != mark.id for m in self._marks):
            self._marks.append(mark)
        self._note("")
        self._compose()
        self._update_mark_actions()
        self.marks_changed.emit()

    def _mark_taken(self, mark: mark_core.Mark) -> None:
        self._pending = max(0, self._pending - 1)
        self._marks = [m for m in self._marks if m.id != mark.id]
        if self.picked is not None and self.picked.id == mark.id:
            self.picked = None
        self._note("")
        self._compose()
        self._update_mark_actions()
        self.marks_changed.emit()

    def _mark_failed(self, message: str) -> None:
        self._pending = max(0, self._pending - 1)
        if self.undo_stack.index() != self.undo_stack.cleanIndex() and "没有编号" in message:
            self.undo_stack.clear()  # the marks changed elsewhere: undo has nothing sure left
            self._refs.clear()
        self._note(message)
        self._update_mark_actions()
        self.marks_message.emit(message)
        self.marks_changed.emit()

    def _shows(self, mark: mark_core.Mark) -> bool:
        return (self._current is not None and mark.material_id == self._material_id
                and mark.sha256 == self._current[1].sha256)

    def _note(self, text: str) -> None:
        self.mark_note.setText(text)
        self.mark_note.setVisible(bool(text))

    def _reset_marks(self) -> None:
        self._layout, self._base, self._drag = None, None, None
        self._marks = []
        self.selection = self.picked = None
        self._note("")

    def _markable(self) -> bool:
        return (self.marks_host is not None and self._material_id is not None
                and self._current is not None
                and self._current[1].kind in mark_core.MARKABLE_KINDS)

    def _update_mark_actions(self) -> None:
        shown = self._markable()
        markable = shown and self._marks_editable
        idle = not self._pending
        self.mark_action.setEnabled(markable and idle and self.selection is not None)
        self.unmark_action.setEnabled(markable and idle and self.picked is not None)
        self.undo_mark_action.setEnabled(markable and idle and self.undo_stack.canUndo())
        self.redo_mark_action.setEnabled(markable and idle and self.undo_stack.canRedo())
        self.mark_bar.setVisible(shown)
        on_page = sum(m.page == self._page + 1 for m in self._marks)
        if shown and not self._marks_editable:
            hint = self.tr("审核中或已通过的材料，标注不能修改（共 {all} 处）").format(
                all=len(self._marks))
        elif self.selection is not None:
            hint = self.tr("已选中 {n} 字（Ctrl+U 标注）").format(
                n=len(self.selection.text.replace("\n", "")))
        elif self._marks:
            hint = self.tr("本页 {page} 处标注，共 {all} 处").format(
                page=on_page, all=len(self._marks))
        else:
            hint = self.tr("拖动鼠标选中文字")
        self.marks_label.setText(hint)
        if self.undo_stack.canUndo():
            self.undo_mark_action.setToolTip(self.tr("撤销：") + self.undo_stack.undoText())
        if self.undo_stack.canRedo():
            self.redo_mark_action.setToolTip(self.tr("重做：") + self.undo_stack.redoText())

    def page_point(self, x: float, y: float) -> tuple[float, float] | None:
        """Where a point of the page widget (image_label) is on the page, in unrotated PDF
        points; None off the page or when the page has no text layer."""
        pix = self.image_label.pixmap()
        if self._layout is None or pix is None or pix.isNull():
            return None
        ratio = pix.devicePixelRatio() or 1.0
        width, height = pix.width() / ratio, pix.height() / ratio
        left = max(0.0, (self.image_label.width() - width) / 2)
        top = max(0.0, (self.image_label.height() - height) / 2)
        px, py = x - left, y - top
        if not (0 <= px <= width and 0 <= py <= height):
            return None
        zoom = self._shown_zoom or 1.0
        return mark_core.apply(self._layout.derotation, px / zoom, py / zoom)

    def widget_point(self, x: float, y: float) -> tuple[float, float]:
        """The page point (unrotated PDF points) on the page widget: page_point's inverse."""
        assert self._layout is not None
        pix = self.image_label.pixmap()
        ratio = pix.devicePixelRatio() or 1.0
        left = max(0.0, (self.image_label.width() - pix.width() / ratio) / 2)
        top = max(0.0, (self.image_label.height() - pix.height() / ratio) / 2)
        rx, ry = mark_core.apply(self._layout.rotation, x, y)
        return left + rx * self._shown_zoom, top + ry * self._shown_zoom

    def _mark_at(self, point: tuple[float, float]) -> mark_core.Mark | None:
        x, y = point
        for mark in reversed(self._marks):
            if mark.page != self._page + 1:
                continue
            for x0, y0, x1, y1 in mark.rects:
                if x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + mark_core.GAP + 2:
                    return mark
        return None

    def _mouse(self, event: QEvent) -> bool:
        """Drag to choose text, click on a mark to pick it, right-click for the menu."""
        kind = event.type()
        if kind == QEvent.Type.ContextMenu:
            pos = event.pos()  # type: ignore[attr-defined]
            point = self.page_point(pos.x(), pos.y())
            if point is not None and (hit := self._mark_at(point)) is not None:
                self.picked = hit
                self._compose()
            self._update_mark_actions()
            menu = QMenu(self)
            for act in (self.mark_action, self.unmark_action):
                menu.addAction(act)
            menu.addSeparator()
            for act in (self.undo_mark_action, self.redo_mark_action):
                menu.addAction(act)
            menu.exec(event.globalPos())  # type: ignore[attr-defined]
            return True
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                        QEvent.Type.MouseButtonRelease):
            return False
        mouse: QMouseEvent = event  # type: ignore[assignment]
        pos = mouse.position()
        point = self.page_point(pos.x(), pos.y())
        if kind == QEvent.Type.MouseButtonPress:
            if mouse.button() != Qt.MouseButton.LeftButton:
                return False
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._drag, self._drag_px = point, (round(pos.x()), round(pos.y()))
            self.picked = self._mark_at(point) if point is not None else None
            self.selection = None
        elif self._drag is not None and point is not None:
            moved = abs(pos.x() - self._drag_px[0]) + abs(pos.y() - self._drag_px[1]) > 3
            if moved:
                self.picked = None
                self.selection = mark_core.select(self._layout.glyphs if self._layout else (),
                                                  self._drag, point)
            if kind == QEvent.Type.MouseButtonRelease:
                self._drag = None
        elif kind == QEvent.Type.MouseButtonRelease:
            self._drag = None
        else:
            return False
        self._compose()
        self._update_mark_actions()
        return True

    def _compose(self) -> None:
        """The page shown: the rendered page, the red lines of its marks under their text, the
        mark picked and the text being chosen."""
        if self._base is None:
            return
        image = self._base
        on_page = [m for m in self._marks if m.page == self._page + 1]
        if self._layout is not None and (on_page or self.selection or self.picked):
            image = self._base.copy()
            zoom, rotation = self._shown_zoom, self._layout.rotation
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)

            def at(x: float, y: float) -> QPointF:
                rx, ry = mark_core.apply(rotation, x, y)
                return QPointF(rx * zoom, ry * zoom)

            def box(rect: mark_core.Rect) -> QRectF:
                return QRectF(at(rect[0], rect[1]), at(rect[2], rect[3])).normalized()

            if self.picked is not None and self.picked.page == self._page + 1:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(220, 0, 0, 40))
                for rect in self.picked.rects:
                    painter.drawRect(box(rect))
            pen = QPen(QColor(round(mark_core.RED[0] * 255), 0, 0))
            # whole pixels, not smoothed: a crisp line at any zoom, never blurred up into text
            pen.setWidth(max(1, round(mark_core.LINE_WIDTH * zoom)))
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            for mark in on_page:
                for rect in mark.rects:  # under the text as the page is shown
                    start, end = mark_core.underline_on(rect, rotation, self._layout.derotation)
                    painter.drawLine(at(*start), at(*end))
            if self.selection is not None:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(0, 110, 220, 70))
                for rect in self.selection.rects:
                    painter.drawRect(box(rect))
            painter.end()
        self.image_label.setPixmap(QPixmap.fromImage(image))

    # -- internals -----------------------------------------------------------------------------

    def _file_chosen(self, index: int) -> None:
        if not (0 <= index < len(self._files)):
            return
        self._current = self._files[index]
        path, info = self._current
        self._page, self._zoom = self._start_page, None
        self._fit = "page" if info.kind in PHOTO_KINDS or info.kind in formats.MEDIA_KINDS \
            else "width"
        self._start_page = 0  # only the first file shown opens at the hit's page
        self.highlight_count = 0
        self._reset_marks()
        self._request += 1
        self._cancel_jobs()
        if info.kind in render.RENDERABLE:
            self._page_count = info.page_count or 1
            self.message.setText(self.tr("正在显示…"))
            self.stack.setCurrentWidget(self.message)
            self._update_controls()
            layout = self.layout()
            if layout is not None:
                layout.activate()  # the zoom bar shown now: fit the pane it leaves
            self._render()
        elif info.kind == "other":
            self._page_count = 0
            self.message.setText(self.tr("这个文件的类型无法识别，不能在这里预览；"
                                         "可以点“打开…”用系统程序查看。"))
            self.stack.setCurrentWidget(self.message)
        else:
            self._page_count = 0
            self.message.setText(self.tr("正在读取…"))
            self.stack.setCurrentWidget(self.message)
            if info.kind == "xlsx":
                self._show_sheets(path)
            elif info.kind == "docx":
                self._show_docx(path)
            else:
                self._show_text(path, info)
        self.media_label.clear()
        if info.kind in formats.MEDIA_KINDS:
            self._show_media_summary(path, info)
        self._update_controls()

    def _show_media_summary(self, path: Path, info: FileInfo) -> None:
        """How long a video or recording is, beside its picture (its own job: the page's
        renders, which come and go with every resize, must not drop it)."""
        current = self._current
        job = Job(lambda _job: render.media_summary(path, info.kind))
        job.signals.finished.connect(while_alive(self, lambda text: (
            self.media_label.setText(text) if self._current is current else None)))
        job.signals.failed.connect(while_alive(self, lambda message: (
            self.media_label.setText(self.tr("无法读取：") + message)
            if self._current is current else None)))
        self._keep(start(job))

    def _run(self, work, on_done) -> None:  # type: ignore[no-untyped-def]
        request = self._request
        job = Job(work)
        job.signals.finished.connect(while_alive(
            self, lambda result: self._done(request, on_done, result)))
        job.signals.failed.connect(while_alive(self, lambda msg: self._failed(request, msg)))
        self._keep(start(job))

    def _done(self, request: int, on_done, result: Any) -> None:  # type: ignore[no-untyped-def]
        if request == self._request and result is not None:
            on_done(result)

    # text --------------------------------------------------------------------------------------

    def _show_text(self, path: Path, info: FileInfo) -> None:
        stored = self.stored_text

        def work(_job: Job) -> str:
            if stored is not None and info.kind not in ("text", *formats.ARCHIVE_KINDS):
                pages = stored(info.sha256)  # read by the extraction child, time-limited
                if pages is not None:
                    return render.pages_text(pages, info.kind)
            return render.text_preview(path, info.kind)

        self._run(work, self._text_ready)

    def _text_ready(self, text: str) -> None:
        document = QTextDocument()
        document.setDocumentMargin(12)
        document.setPlainText(text or self.tr("（这个文件没有可显示的文字）"))
        self._set_document(document)

    def _show_docx(self, path: Path) -> None:
        base_pt = self._base_pt()
        picture = self.tr("[图片]")
        cut_note = self.tr("……文档较长，这里只显示前 {n} 字").format(n=f"{MAX_DOC_CHARS:,}")

        def work(job: Job) -> QTextDocument | None:
            try:
                content = docx_content(path, base_pt, job)
                if job.cancelled:
                    return None
                document = build_document(content, base_pt, picture=picture, cut_note=cut_note)
            except _Cancelled:
                return None
            app = QCoreApplication.instance()
            if app is not None:
                document.moveToThread(app.thread())  # it is shown by the GUI thread
            return document

        self._run(work, self._set_document)

    def _base_pt(self) -> float:
        size = self.text_view.font().pointSizeF()
        return size if size > 0 else 10.0

    def _set_document(self, document: QTextDocument) -> None:
        old = self._document
        document.setParent(self.text_view)
        self._document = document
        self.text_view.setDocument(document)
        if old is not None:
            old.deleteLater()
        self.stack.setCurrentWidget(self.text_view)
        self._mark_text()
        self.rendered.emit(0)

    def _mark_text(self) -> None:
        """Mark the search terms in a DOCX/TXT view and scroll to the first one."""
        marks: list[QTextEdit.ExtraSelection] = []
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(255, 214, 0, 160))
        document = self.text_view.document()
        for term in self._highlight:
            cursor = document.find(term)
            while not cursor.isNull() and len(marks) < MAX_MARKS:
                mark = QTextEdit.ExtraSelection()
                mark.cursor, mark.format = cursor, fmt
                marks.append(mark)
                cursor = document.find(term, cursor)
        self.text_view.setExtraSelections(marks)
        self.highlight_count = len(marks)
        if marks:
            first = min(marks, key=lambda m: m.cursor.position())
            cursor = QTextCursor(first.cursor)
            cursor.clearSelection()
            self.text_view.setTextCursor(cursor)
            QTimer.singleShot(0, self._center_cursor)
        else:
            self.text_view.moveCursor(QTextCursor.MoveOperation.Start)

    def _center_cursor(self) -> None:
        bar = self.text_view.verticalScrollBar()
        rect = self.text_view.cursorRect()
        bar.setValue(bar.value() + rect.center().y() - self.text_view.viewport().height() // 2)

    # sheets ------------------------------------------------------------------------------------

    def _show_sheets(self, path: Path) -> None:
        terms = self._highlight

        def work(job: Job) -> list[SheetData] | None:
            try:
                return read_workbook(path, job, terms)
            except _Cancelled:
                return None

        self._run(work, self._sheets_ready)

    def _sheets_ready(self, sheets: list[SheetData]) -> None:
        while self.sheet_tabs.count():
            page = self.sheet_tabs.widget(0)
            self.sheet_tabs.removeTab(0)
            if page is not None:
                page.deleteLater()
        self.sheet_views = []
        metrics = QFontMetrics(self.font())
        digit = max(5, metrics.horizontalAdvance("0"))
        row_height = metrics.height() + 8
        first_hit: tuple[int, QTableView, tuple[int, int]] | None = None
        hits = 0
        for n, sheet in enumerate(sheets):
            page = QWidget()
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(0)
            note = self._sheet_note(sheet)
            if note:
                label = QLabel(note)
                label.setWordWrap(True)
                label.setObjectName("sheetNote")
                box.addWidget(label)
            view = QTableView()
            model = SheetModel(sheet, view)
            view.setModel(model)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setWordWrap(False)
            view.setAlternatingRowColors(False)
            view.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
            view.verticalHeader().setDefaultSectionSize(row_height)
            view.verticalHeader().setMinimumSectionSize(row_height)
            view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
            view.horizontalHeader().setHighlightSections(False)
            for c in range(sheet.column_count):
                explicit = sheet.widths[c]
                if explicit is not None:
                    px = round(explicit * digit + 5)
                    width = max(12, min(px, 640))
                else:
                    units = max(sheet.content[c], 8)
                    width = max(48, min(units * digit + 14, 420))
                view.setColumnWidth(c, width)
                if c in sheet.hidden_columns:
                    view.setColumnHidden(c, True)
            for r, c, rows, cols in sheet.spans:
                view.setSpan(r, c, rows, cols)
            box.addWidget(view, 1)
            title = sheet.title + (self.tr("（隐藏）") if sheet.hidden else "")
            self.sheet_tabs.addTab(page, title)
            self.sheet_views.append(view)
            hits += len(model.hits)
            if model.hits and first_hit is None:
                first_hit = (n, view, model.hits[0])
        if not sheets:
            self.message.setText(self.tr("（这个工作簿没有工作表）"))
            self.stack.setCurrentWidget(self.message)
            self.rendered.emit(0)
            return
        self.highlight_count = hits
        self.stack.setCurrentWidget(self.sheet_tabs)
        if first_hit is not None:
            n, view, (r, c) = first_hit
            self.sheet_tabs.setCurrentIndex(n)
            index = view.model().index(r, c)
            # current, not selected: the selection colour would hide the yellow of the hit
            view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        else:
            self.sheet_tabs.setCurrentIndex(0)
        self.rendered.emit(0)

    def _sheet_note(self, sheet: SheetData) -> str:
        notes = []
        if sheet.rows_cut:
            if sheet.total_rows:
                notes.append(self.tr("这张表有 {total} 行，这里只显示前 {shown} 行").format(
                    total=f"{sheet.total_rows:,}", shown=f"{MAX_SHEET_ROWS:,}"))
            else:
                notes.append(self.tr("这张表较大，这里只显示前 {shown} 行").format(
                    shown=f"{MAX_SHEET_ROWS:,}"))
        if sheet.columns_cut:
            notes.append(self.tr("只显示前 {shown} 列").format(shown=MAX_SHEET_COLUMNS))
        if not notes:
            return ""
        return self.tr("{notes}；完整内容请用 Excel 或 WPS 打开原文件。").format(
            notes=self.tr("，").join(notes))

    # pages and photos --------------------------------------------------------------------------

    def _render(self) -> None:
        if not self._current:
            return
        path, info = self._current
        self._request += 1
        self._cancel_jobs()
        request, page, zoom, fit = self._request, self._page, self._zoom, self._fit
        box, terms = self._fit_box(fit), self._highlight
        host, material_id = self.marks_host, self._material_id
        markable = host is not None and material_id is not None and \
            info.kind in mark_core.MARKABLE_KINDS

        def layer(index: int) -> tuple[mark_core.PageLayout, list[mark_core.Mark]] | None:
            """The page's text layer and the file's marks, for 红线标注."""
            if not markable or host is None or material_id is None:
                return None
            try:
                return (mark_core.page_layout(path, info.kind, index),
                        host.load(material_id, info.sha256))
            except Exception:  # noqa: BLE001 - the page is still shown, without marks
                return None

        def work(_job: Job) -> tuple[QImage, int, int, float, int, tuple[int, int], Any]:
            source, source_kind = render.page_file(path, info.kind)
            if info.kind in PHOTO_KINDS or info.kind in formats.MEDIA_KINDS:
                try:
                    qimage, index, count, shown = render_photo(source, page, zoom, fit, box)
                    return qimage, index, count, shown, 0, box, None
                except (OSError, ValueError, SyntaxError):
                    pass  # a picture Pillow cannot decode: let MuPDF try
            use = zoom
            if use is None:
                page_width, page_height = render.page_size(path, info.kind, page)
                use = box[0] / max(page_width, 1.0)
                if fit == "page":
                    use = min(use, box[1] / max(page_height, 1.0))
                if source_kind in PHOTO_KINDS or source_kind == "png":
                    use = min(use, 1.0)
                use = max(0.1, min(4.0, use))
            img = render.render_page(path, info.kind, page, use, terms)
            qimage = QImage(img.samples, img.width, img.height, img.stride,
                            QImage.Format.Format_RGB888).copy()
            if img.highlights:
                painter = QPainter(qimage)
                painter.setPen(QColor(230, 120, 0))
                painter.setBrush(QColor(255, 214, 0, 110))
                for x0, y0, x1, y1 in img.highlights:
                    painter.drawRect(QRectF(x0, y0, x1 - x0, y1 - y0))
                painter.end()
            return (qimage, img.page_index, img.page_count, use, len(img.highlights), box,
                    layer(img.page_index))

        job = Job(work)
        job.signals.finished.connect(while_alive(
            self, lambda result: self._image_ready(request, result)))
        job.signals.failed.connect(while_alive(self, lambda msg: self._failed(request, msg)))
        self._keep(start(job))

    def _fit_box(self, fit: str) -> tuple[int, int]:
        # the stack, not the scroll area: a hidden page of a QStackedWidget keeps a stale size
        if fit == "page":  # whole: no scroll bars needed, only the frame
            frame = 2 * self.scroll_area.frameWidth() + 2
            return max(100, self.stack.width() - frame), max(100, self.stack.height() - frame)
        return max(100, self.stack.width() - 28), max(100, self.stack.height() - 28)

    def _image_ready(self, request: int,
                     result: tuple[QImage, int, int, float, int, tuple[int, int], Any]) -> None:
        if request != self._request:
            return
        qimage, page, count, zoom, self.highlight_count, box, layer = result
        if self._zoom is None:
            now = self._fit_box(self._fit)
            if abs(now[0] - box[0]) > 16 or (self._fit == "page" and abs(now[1] - box[1]) > 16):
                self._refit.start()  # the pane was resized while rendering: fit again
        self._page, self._page_count = page, count
        self._shown_zoom = zoom
        # shown first: a label in a hidden page of the stack keeps the size of the page before
        self.stack.setCurrentWidget(self.scroll_area)
        if layer is None:
            self.selection = self.picked = None
        self._base = qimage
        self._layout, marks = layer if layer is not None else (None, [])
        if layer is not None:
            self._marks = marks
        self._compose()
        self.zoom_label.setText(f"{round(zoom * 100)}%")
        self._update_controls()
        self.rendered.emit(page)

    def _failed(self, request: int, message: str) -> None:
        if request != self._request:
            return
        self.message.setText(self.tr("无法显示这个文件：") + message)
        self.stack.setCurrentWidget(self.message)

    def _keep(self, job: Job) -> None:
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]

    def _cancel_jobs(self) -> None:
        for job in self._jobs:
            job.cancel()  # readers stop at their next check; their results are dropped anyway

    def _update_controls(self) -> None:
        self._update_mark_actions()
        pages = self._current is not None and self._current[1].kind in render.RENDERABLE
        for w in (self.zoom_in, self.zoom_out, self.fit_button, self.fit_page_button,
                  self.zoom_label):
            w.setVisible(pages)
        for w in (self.prev_button, self.next_button, self.page_label):
            w.setVisible(pages and self._page_count > 1)
        self.file_box.setVisible(len(self._files) > 1 or bool(self._files))
        self.file_box.setEnabled(len(self._files) > 1)
        self.open_button.setVisible(self._current is not None)
        self.media_label.setVisible(self._current is not None
                                    and self._current[1].kind in formats.MEDIA_KINDS)
        self.fit_button.setChecked(pages and self.fit_mode == "width")
        self.fit_page_button.setChecked(pages and self.fit_mode == "page")
        if pages:
            self.page_label.setText(f"{self._page + 1} / {self._page_count}")
            self.prev_button.setEnabled(self._page > 0)
            self.next_button.setEnabled(self._page + 1 < self._page_count)
