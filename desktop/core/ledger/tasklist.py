"""Reading a 任务分解清单 (the task breakdown a city's 创文办 hands to departments) from .xlsx,
or from an Excel 97-2003 .xls or a WPS 表格 .et (the same binary format, read with xlrd).

Pure parsing, no database: find the header among the first rows, map columns to fields by their
names (SYNONYMS), and return one clean TaskRow per task. Lists differ from city to city, so the
GUI can show `headers` and override the mapping with read_task_list(columns=...).
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import io
import os
import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, TypeVar

from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from desktop.core.common import limits
from desktop.core.common.errors import ZichaError
from desktop.core.common.limits import TimeBudget, quoted, size_text
from desktop.core.common.zipsafety import MAX_RATIO, inflates_like_a_bomb
from desktop.core.ledger.views import DATE, NONE, OPEN, RECURRING, Deadline

FIELDS = ("seq", "category", "item", "requirement", "material", "lead", "support", "responsible",
          "deadline")

# The label shown for each field in the GUI's column-mapping dialog.
FIELD_LABELS = {
    "seq": "序号",
    "category": "测评项目",
    "item": "测评内容",
    "requirement": "测评标准/工作要求",
    "material": "材料要求",
    "lead": "牵头单位",
    "support": "责任单位/配合单位",
    "responsible": "责任人",
    "deadline": "完成时限",
}

# Header names per field, matched after removing whitespace and bracketed notes such as （必填）.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "category": ("测评项目", "项目", "测评类别", "项目类别", "一级指标"),
    "item": ("测评内容", "具体任务", "任务", "工作任务", "任务内容", "指标"),
    "requirement": ("测评标准", "标准要求", "工作要求", "工作措施", "测评原则"),
    "material": ("材料要求", "网上申报要求", "网上申报具体要求", "网上申报详细规定", "佐证材料"),
    "lead": ("牵头单位", "牵头部门"),
    "support": ("责任单位", "配合单位", "配合部门", "责任部门"),
    "responsible": ("责任人", "责任领导", "联系人"),
    "deadline": ("完成时限", "时间节点", "完成时间", "时限"),
}

REQUIRED_HINT = ("item", "lead", "support")  # named in the "no header found" message
HEADER_SCAN_ROWS = 20
MIN_HEADER_FIELDS = 3
MAX_CONTAINS_LENGTH = 16  # longer cells are text, not headers: no "contains" matching on them


class ColumnsMissing(ZichaError):
    """The header was found but the item or department column was not; carries what the GUI's
    mapping dialog needs to let the user choose the columns."""

    def __init__(self, message: str, *, sheet: str, header_rows: tuple[int, ...],
                 headers: list[str], columns: dict[str, int], missing: list[str]) -> None:
        super().__init__(message)
        self.sheet = sheet
        self.header_rows = header_rows
        self.headers = headers
        self.columns = columns
        self.missing = missing


@dataclass
class TaskRow:
    row: int  # 1-based spreadsheet row of the task (first row of a merged block)
    category: str  # as written, e.g. "01 理想信念教育" or "理想信念教育"
    category_code: str | None  # "01" from "01 …" or "一、…"; None when not written
    item: str  # 测评内容, single line, leading item code removed
    item_code: str | None  # "01.02" from "01.02 加强…" or "1.2 …"
    requirement: str
    material: str
    responsible: str
    leads: list[str]
    supports: list[str]
    deadline: Deadline


@dataclass
class TaskList:
    sheet: str
    header_rows: tuple[int, ...]  # 1 or 2 header rows (1-based)
    columns: dict[str, int]  # field -> 1-based column
    headers: list[str]  # header text of every column, for the mapping dialog
    rows: list[TaskRow]
    warnings: list[str]


# --- opening the file

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .et, .doc: the old binary formats
_ZIP_MAGIC = b"PK\x03\x04"
_SAVE_AS = "请在 Excel 或 WPS 中另存为 .xlsx 后再导入"


class _Book:
    """A task list opened for reading, within the limits of common.limits. An .xlsx is
    streamed: the file's size and its members' sizes are checked before anything is parsed
    (zip members cannot inflate beyond their declared size: zipfile stops there and the CRC
    check fails). An .xls/.et (Excel 97-2003, OLE) is checked for size, then read by xlrd."""

    def __init__(self, path: Path, budget: TimeBudget | None = None) -> None:
        self.path = path
        self.budget = budget or TimeBudget(limits.TASK_LIST_SECONDS)
        self.handle: BinaryIO | None = None
        self.book: Workbook | None = None
        self.old: Any = None  # an xlrd Book for .xls/.et
        self.scans: dict[str, _SheetScan] = {}  # worksheet member -> what the pre-scan found

    def __enter__(self) -> _Book:
        try:
            self._open()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.book is not None:
            with contextlib.suppress(Exception):
                self.book.close()
        if self.old is not None:
            with contextlib.suppress(Exception):
                self.old.release_resources()
        if self.handle is not None:
            self.handle.close()
        self.book = self.handle = self.old = None

    def _open(self) -> None:
        path, name = self.path, self.path.name
        try:
            self.handle = handle = path.open("rb")
            magic = handle.read(8)
            if magic != _OLE_MAGIC and not magic.startswith(_ZIP_MAGIC):
                raise ZichaError(_not_xlsx_message(name, path.suffix.lower(), magic))
            size = os.fstat(handle.fileno()).st_size
            if size > limits.TASK_LIST_MAX_BYTES:
                raise ZichaError(f"任务清单 {quoted(name)} 有 {size_text(size)}，超过 "
                                 f"{size_text(limits.TASK_LIST_MAX_BYTES)} 上限；"
                                 "请只保留任务分解清单本身（删去图片和无关的工作表）后再导入")
            handle.seek(0)
            if magic == _OLE_MAGIC:
                self.old = _open_old(name, handle.read())
                return
            with zipfile.ZipFile(handle) as package:
                _check_members(name, package.infolist())
                titles = _sheet_titles(package)
                for member in package.namelist():
                    if _WORKSHEET.fullmatch(member):
                        where = (f"任务清单 {quoted(name)} 的工作表"
                                 f"“{quoted(titles.get(member, member))}”")
                        with package.open(member) as source:
                            self.scans[member] = _scan_sheet(where, source, self.budget)
            handle.seek(0)
            # openpyxl refuses paths not named .xlsx, so it gets the open file; read-only
            # streams the sheets, data_only gives a formula's cached value, never the formula
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # unsupported extensions and the like
                self.book = load_workbook(handle, read_only=True, data_only=True)
        except ZichaError:
            raise
        except FileNotFoundError as exc:
            raise ZichaError(f"找不到文件“{quoted(name)}”") from exc
        except OSError as exc:
            raise ZichaError(f"无法读取文件“{quoted(name)}”：{exc.strerror or exc}") from exc
        except Exception as exc:  # openpyxl and zipfile raise many kinds on a damaged package
            raise ZichaError(f"“{quoted(name)}”已损坏或不是有效的 .xlsx 文件"
                             f"（{type(exc).__name__}）；{_SAVE_AS}") from exc

    def worksheets(self) -> list[ReadOnlyWorksheet]:
        assert self.book is not None
        return list(self.book.worksheets)  # no chartsheets

    def titles(self) -> list[str]:
        if self.old is not None:
            return [str(title) for title in self.old.sheet_names()]
        return [sheet.title for sheet in self.worksheets()]

    def grid(self, index: int) -> _Grid:
        """The values of the index-th sheet, merged ranges filled."""
        if self.old is not None:
            return _old_grid(self.path.name, self.old, index, self.budget)
        sheet = self.worksheets()[index]
        # _worksheet_path: the sheet's member in the package (openpyxl sets it; not in stubs)
        member = sheet._worksheet_path  # type: ignore[attr-defined]
        return _grid(self.path.name, sheet, self.budget, self.scans.get(member))


def _open_old(name: str, data: bytes) -> Any:
    """An Excel 97-2003 workbook (.xls, or WPS's .et, the same format) opened with xlrd;
    formatting_info gives its merged cells, on_demand reads a sheet only when asked for."""
    import xlrd

    log = io.StringIO()  # xlrd writes its warnings to stdout otherwise
    try:
        return xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=log)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct and index errors
        text = str(exc)
        if "encrypt" in text.lower():
            raise ZichaError(f"“{quoted(name)}”设有打开密码，无法读取；请在 Excel 或 WPS 中"
                             "取消密码后另存，再导入") from exc
        if "find workbook" in text.lower():
            raise ZichaError(f"“{quoted(name)}”不是 Excel 表格（可能是 Word 等其他旧版 Office "
                             f"文件）；{_SAVE_AS}") from exc
        raise ZichaError(f"“{quoted(name)}”已损坏或不是有效的 .xls 文件"
                         f"（{type(exc).__name__}）；{_SAVE_AS}") from exc


def _old_value(cell: Any, datemode: int) -> object:
    import xlrd

    kind = cell.ctype
    if kind == xlrd.XL_CELL_TEXT:
        return cell.value
    if kind == xlrd.XL_CELL_NUMBER:
        return cell.value
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return None  # empty, blank, error


def _old_grid(name: str, book: Any, index: int, budget: TimeBudget) -> _Grid:
    """One sheet of an .xls/.et as a _Grid, within the row, column, cell and time limits."""
    title = str(book.sheet_names()[index])
    where = f"任务清单 {quoted(name)} 的工作表“{quoted(title)}”"
    try:
        sheet = book.sheet_by_index(index)
    except Exception as exc:  # a damaged sheet record
        raise ZichaError(f"{where}已损坏，无法读取（{type(exc).__name__}）；{_SAVE_AS}") from exc
    if sheet.nrows * sheet.ncols > limits.TASK_LIST_MAX_CELLS * 4:
        raise ZichaError(f"{where}超过 {limits.TASK_LIST_MAX_CELLS} 个单元格上限；"
                         "请只保留任务分解清单本身后再导入")
    rows = ([_old_value(cell, book.datemode) for cell in sheet.row(n)]
            for n in range(sheet.nrows))
    values, width = _rows_within_limits(where, rows, budget)
    # xlrd: (first row, row after the last, first column, column after the last), 0-based
    merged = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells
              if rhi > rlo and chi > clo]
    return _filled_grid(where, values, width, merged, [])


def _check_members(name: str, members: list[zipfile.ZipInfo]) -> None:
    total = sum(info.file_size for info in members)
    bomb = f"任务清单 {quoted(name)} 解压后"
    if total > limits.TASK_LIST_MAX_UNZIPPED:
        raise ZichaError(f"{bomb}有 {size_text(total)}，超过 "
                         f"{size_text(limits.TASK_LIST_MAX_UNZIPPED)} 上限（疑似压缩炸弹）；"
                         f"{_SAVE_AS}")
    for info in members:
        # worksheets and shared strings are streamed; other parts are parsed whole
        streamed = _WORKSHEET.fullmatch(info.filename) or info.filename == "xl/sharedStrings.xml"
        parsed = info.filename.endswith((".xml", ".rels"))
        limit = (limits.TASK_LIST_MAX_SHEET_XML if streamed
                 else limits.TASK_LIST_MAX_PART_XML if parsed else None)
        if limit is not None and info.file_size > limit:
            raise ZichaError(f"{bomb}其中的 {quoted(info.filename)} 有 {size_text(info.file_size)}"
                             f"，超过 {size_text(limit)} 上限；"
                             "请只保留任务分解清单本身后再导入")
        if inflates_like_a_bomb(info):
            raise ZichaError(f"{bomb}其中的 {quoted(info.filename)} 膨胀到压缩时的 "
                             f"{info.file_size // max(info.compress_size, 1)} 倍，超过 "
                             f"{MAX_RATIO} 倍上限（疑似压缩炸弹）；{_SAVE_AS}")


_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _sheet_titles(package: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet member -> the sheet's name, for messages; {} if the parts cannot be read."""
    try:
        book = etree.fromstring(package.read("xl/workbook.xml"), _SAFE_XML)
        rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"), _SAFE_XML)
    except (KeyError, etree.XMLSyntaxError, ValueError, zipfile.BadZipFile):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "")
               for rel in rels.iter(_PACKAGE_REL_NS + "Relationship")}
    titles = {}
    for sheet in book.iter(_MAIN_NS + "sheet"):
        target = targets.get(sheet.get(_REL_NS + "id"), "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        titles[member] = sheet.get("name", "")
    return titles


def _not_xlsx_message(name: str, suffix: str, magic: bytes) -> str:
    name = quoted(name)
    if magic.lstrip().lower().startswith((b"<", b"\xef\xbb\xbf<")):
        return (f"“{name}”是网页（HTML/XML）而不是 Excel 表格，常见于从网上系统导出的"
                f"“.xls”；{_SAVE_AS}")
    return f"“{name}”不是 Excel 表格（.xlsx、.xls 或 WPS 的 .et），无法读取；{_SAVE_AS}"


def sheet_names(path: Path) -> list[str]:
    """The worksheet names of a task list (.xlsx, .xls or .et), in order."""
    with _Book(path) as book:
        return book.titles()


# --- cells

T = TypeVar("T")
Span = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col (1-based)


@dataclass
class _Grid:
    values: list[list[object]]  # [row][col], 0-based; merged ranges filled with their value
    spans: dict[tuple[int, int], Span]  # 1-based (row, col) of merged cells -> their range
    width: int  # columns in every row
    uncached: list[str] = field(default_factory=list)  # "C5": a formula, no value saved with it

    def get(self, row: int, col: int | None) -> object:
        """Value at a 1-based row and column; None outside the sheet or for no column."""
        if col is None or not 1 <= row <= len(self.values):
            return None
        cells = self.values[row - 1]
        return cells[col - 1] if 1 <= col <= len(cells) else None


def _grid(name: str, sheet: ReadOnlyWorksheet, budget: TimeBudget,
          scan: _SheetScan | None) -> _Grid:
    """The sheet's values, streamed, within the row, column and time limits; merged ranges
    (which read-only openpyxl does not give) come from the pre-scan of its XML."""
    where = f"任务清单 {quoted(name)} 的工作表“{quoted(sheet.title)}”"
    sheet.reset_dimensions()  # the declared range may be wrong (too small) or a lie (too big)
    # the stubs give ReadOnlyWorksheet the iter_rows of Worksheet, self type included
    rows = sheet.iter_rows(max_col=limits.TASK_LIST_MAX_COLUMNS + 1,  # type: ignore[misc]
                           values_only=True)
    values, width = _rows_within_limits(where, rows, budget)
    found = scan or _SheetScan()
    return _filled_grid(where, values, width, found.merged, found.uncached)


def _rows_within_limits(where: str, rows: Iterable[Sequence[object]], budget: TimeBudget
                        ) -> tuple[list[list[object]], int]:
    """The rows of a sheet (XLSX or XLS alike) up to its last one with a value, each cut after
    its last value, and the widest; within the row, column and time limits."""
    values: list[list[object]] = []
    last = width = 0  # rows up to the last one with a value
    columns = limits.TASK_LIST_MAX_COLUMNS
    for number, row in enumerate(rows, start=1):
        if number % 1000 == 0 and budget.over():
            raise ZichaError(f"{where}读取超过 {budget.seconds:g} 秒上限，已停止；"
                             "请只保留任务分解清单本身后再导入")
        filled = [i for i, value in enumerate(row, start=1) if value not in (None, "")]
        if not filled:
            if number <= limits.TASK_LIST_MAX_ROWS:
                values.append([])
            continue
        if number > limits.TASK_LIST_MAX_ROWS:
            raise ZichaError(f"{where}超过 {limits.TASK_LIST_MAX_ROWS} 行上限（第 {number} 行"
                             "仍有内容）；请只保留任务分解清单本身后再导入")
        if filled[-1] > columns:
            raise ZichaError(f"{where}超过 {columns} 列上限；请删去无关的列后再导入")
        values.append(list(row[:filled[-1]]))
        last, width = number, max(width, filled[-1])
    del values[last:]
    return values, width


def _filled_grid(where: str, values: list[list[object]], width: int, ranges: list[Span],
                 uncached: list[str]) -> _Grid:
    """The grid with every cell of a merged range holding the range's value."""
    values = [row + [None] * (width - len(row)) for row in values]
    spans: dict[tuple[int, int], Span] = {}
    filled_cells = 0  # overlapping ranges could otherwise fill the grid many times over
    for merged in ranges:
        min_row, min_col, max_row, max_col = merged
        if min_row > len(values) or min_col > width:
            continue
        value = values[min_row - 1][min_col - 1]
        rows = range(min_row, min(max_row, len(values)) + 1)
        cols = range(min_col, min(max_col, width) + 1)
        filled_cells += len(rows) * len(cols)
        if filled_cells > len(values) * width * 4:
            raise ZichaError(f"{where}的合并单元格相互重叠过多，无法读取；请取消合并后再导入")
        for r in rows:
            for col in cols:
                values[r - 1][col - 1] = value
                spans[(r, col)] = merged
    return _Grid(values, spans, width, uncached)


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _MERGE, _CELL = _MAIN_NS + "row", _MAIN_NS + "mergeCell", _MAIN_NS + "c"
_FORMULA, _VALUE, _INLINE = _MAIN_NS + "f", _MAIN_NS + "v", _MAIN_NS + "is"
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True)


@dataclass
class _SheetScan:
    merged: list[Span] = field(default_factory=list)
    uncached: list[str] = field(default_factory=list)  # cells with a formula and no value


def _scan_sheet(where: str, source: IO[bytes], budget: TimeBudget) -> _SheetScan:
    """One streaming pass over a worksheet's XML before openpyxl sees it: the row, cell and
    time limits, the merged ranges (read-only openpyxl has none) and the formulas that have no
    saved value (read as blank)."""
    scan = _SheetScan()
    row_number = cells = 0
    events = etree.iterparse(source, events=("end",), tag=(_ROW, _MERGE),
                             resolve_entities=False, no_network=True)
    for count, (_, element) in enumerate(events):
        if element.tag == _MERGE:
            with contextlib.suppress(ValueError, TypeError):
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                # a whole-row or whole-column ref ("A:A") has no bounds on one side
                if min_col and min_row and max_col and max_row:
                    scan.merged.append((min_row, min_col, max_row, max_col))
        else:
            given = element.get("r", "")
            row_number = int(given) if given.isdigit() else row_number + 1
            filled = False
            for cell in element.iterchildren(_CELL):
                cells += 1
                if cell.find(_FORMULA) is not None and not cell.findtext(_VALUE):
                    scan.uncached.append(cell.get("r", ""))
                filled = filled or bool(cell.findtext(_VALUE)) or cell.find(_INLINE) is not None
            if filled and row_number > limits.TASK_LIST_MAX_ROWS:
                raise ZichaError(f"{where}超过 {limits.TASK_LIST_MAX_ROWS} 行上限（第 "
                                 f"{row_number} 行仍有内容）；请只保留任务分解清单本身后再导入")
            if cells > limits.TASK_LIST_MAX_CELLS:
                raise ZichaError(f"{where}超过 {limits.TASK_LIST_MAX_CELLS} 个单元格上限；"
                                 "请只保留任务分解清单本身后再导入")
        element.clear(keep_tail=False)
        while element.getprevious() is not None:  # cleared rows would pile up in the root
            del element.getparent()[0]
        if count % 1000 == 0 and budget.over():
            raise ZichaError(f"{where}读取超过 {budget.seconds:g} 秒上限，已停止；"
                             "请只保留任务分解清单本身后再导入")
    return scan


def _text(value: object) -> str:
    """A cell as text: whole numbers without ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _lines(value: object) -> list[str]:
    return [line.strip() for line in _text(value).splitlines() if line.strip()]


def _one_line(value: object) -> str:
    return "".join(_lines(value))


def _multi_line(value: object) -> str:
    return "\n".join(_lines(value))


# --- header

_SPACES = re.compile(r"\s+")  # includes newlines and the full-width space
_BRACKETED = re.compile(r"[（(【\[〔][^）)】\]〕]*[）)】\]〕]")
_BRACKET_CHARS = re.compile(r"[（()）【】\[\]〔〕]")


@dataclass(frozen=True)
class _Match:
    field: str
    synonym: str
    exact: bool


def _normalise(text: str) -> str:
    return _BRACKETED.sub("", _SPACES.sub("", text))


def _match_header(value: object) -> _Match | None:
    """The field a header cell names: an exact synonym first, else the longest one it contains.
    "完成时限（必填）" is 完成时限; a name only in brackets, "【完成时限】", is read inside them."""
    spaceless = _SPACES.sub("", _text(value))
    for key in (_BRACKETED.sub("", spaceless), _BRACKET_CHARS.sub("", spaceless)):
        for name, synonyms in SYNONYMS.items():
            if key in synonyms:
                return _Match(name, key, True)
        if not key or len(key) > MAX_CONTAINS_LENGTH:
            continue
        best: _Match | None = None
        for name, synonyms in SYNONYMS.items():
            for synonym in synonyms:
                if synonym in key and (best is None or len(synonym) > len(best.synonym)):
                    best = _Match(name, synonym, False)
        if best:
            return best
    return None


def _row_matches(grid: _Grid, row: int) -> dict[int, _Match]:
    found = {}
    for col in range(1, grid.width + 1):
        match = _match_header(grid.get(row, col))
        if match:
            found[col] = match
    return found


def _find_header(grid: _Grid) -> tuple[int, ...] | None:
    """The 1-based header row(s) naming the most fields: one row, or a row and the one under it
    when that one names fields too (责任单位 over 牵头单位 | 配合单位). Of equals the earliest
    wins, so a header repeated further down is not taken for the real one."""
    candidates: list[tuple[int, ...]] = []
    for row in range(1, min(len(grid.values), HEADER_SCAN_ROWS) + 1):
        candidates.append((row,))
        if (row < len(grid.values) and _is_header_half(grid, row)
                and _is_header_half(grid, row + 1)):
            candidates.append((row, row + 1))
    scores = {rows: len(_detect_columns(_header_cells(grid, rows))) for rows in candidates}
    best = max(candidates, key=lambda rows: (scores[rows], -rows[0], -len(rows)), default=None)
    return best if best and scores[best] >= MIN_HEADER_FIELDS else None


def _is_header_half(grid: _Grid, row: int) -> bool:
    # exact names only: a data row's short cells may *contain* a synonym ("重点项目")
    exact = {m.field for m in _row_matches(grid, row).values() if m.exact}
    return len(exact) >= 2


def _header_cells(grid: _Grid, header_rows: tuple[int, ...]) -> list[tuple[str, str]]:
    """(upper, lower) header text per column; the same text twice for a one-row header."""
    upper_row, lower_row = header_rows[0], header_rows[-1]
    return [(" ".join(_text(grid.get(upper_row, col)).split()),
             " ".join(_text(grid.get(lower_row, col)).split()))
            for col in range(1, grid.width + 1)]


def _header_labels(cells: list[tuple[str, str]]) -> list[str]:
    return [f"{upper}/{lower}" if upper and lower and upper != lower else lower or upper
            for upper, lower in cells]


def _detect_columns(cells: list[tuple[str, str]]) -> dict[str, int]:
    """Field -> column. The lower header row's name wins where it names a field; a column maps
    to at most one field and a field to one column (exact names first, then longer ones, then
    the leftmost)."""
    matches: dict[int, _Match] = {}
    for col, (upper, lower) in enumerate(cells, start=1):
        match = _match_header(lower) or _match_header(upper)
        if match:
            matches[col] = match
    _responsible_unit_as_lead(matches)
    ranked = sorted(matches.items(), key=lambda cm: (not cm[1].exact, -len(cm[1].synonym), cm[0]))
    columns: dict[str, int] = {}
    for col, match in ranked:
        columns.setdefault(match.field, col)
    return columns


def _responsible_unit_as_lead(matches: dict[int, _Match]) -> None:
    # "责任单位 | 配合单位" with no 牵头单位: the 责任单位 is the one that leads
    if any(m.field == "lead" for m in matches.values()):
        return
    supports = {col: m for col, m in matches.items() if m.field == "support"}
    if any("配合" in m.synonym for m in supports.values()):
        for col, match in supports.items():
            if "责任" in match.synonym:
                matches[col] = _Match("lead", match.synonym, match.exact)
                return


def _apply_overrides(detected: dict[str, int], given: dict[str, int], width: int
                     ) -> dict[str, int]:
    for name, col in given.items():
        if name not in FIELDS:
            raise ValueError(f"unknown task list field {name!r}")
        if not 1 <= col <= width:
            raise ValueError(f"column {col} is outside the sheet (1..{width})")
    taken = set(given.values())
    columns = {f: c for f, c in detected.items() if f not in given and c not in taken}
    columns.update(given)
    return {f: columns[f] for f in FIELDS if f in columns}


def _missing_fields(columns: dict[str, int]) -> list[str]:
    missing = [] if "item" in columns else ["item"]
    if "lead" not in columns and "support" not in columns:
        missing.append("lead/support")
    return missing


# --- codes and units

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CATEGORY_CODE = re.compile(
    r"^(?:(?P<num>\d{1,2})\s*(?:[、.．:：]\s*)?(?=[^\d\s.．])"
    r"|(?P<cn>[一二三四五六七八九十]{1,3})\s*[、.．])")
_ITEM_CODE = re.compile(
    r"^(?P<a>\d{1,2})\s*[.．]\s*(?P<b>\d{1,2})(?:\s*[.．]\s*(?P<c>\d{1,2}))?(?![\d.．])"
    r"\s*[、.．:：]?\s*")
_CODE_ONLY = re.compile(r"^\s*(\d{1,2})[.．](\d{1,2})(?:[.．](\d{1,2}))?\s*$")
_OPENERS, _CLOSERS = "（([【〔《", "）)]】〕》"
_UNIT_SEPARATORS = "、，,；;"


def _chinese_number(text: str) -> int | None:
    """一 … 九十九; None for anything else."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        if "十" in ones or len(tens) > 1 or len(ones) > 1:
            return None
        high = _CN_DIGITS.get(tens, 0) if tens else 1
        low = _CN_DIGITS.get(ones, 0) if ones else 0
        return high * 10 + low if high and (low or not ones) else None
    return _CN_DIGITS.get(text) if len(text) == 1 else None


def category_code(category: str) -> str | None:
    """"01" from "01 理想信念教育", "1、…" or "一、…"; None from "（一）…" or a bare name."""
    match = _CATEGORY_CODE.match(category.strip())
    if not match:
        return None
    number = int(match["num"]) if match["num"] else _chinese_number(match["cn"])
    return f"{number:02d}" if number else None


def _code(*parts: str | None) -> str:
    return ".".join(f"{int(p):02d}" for p in parts if p)


def split_item_code(item: str) -> tuple[str | None, str]:
    """("01.02", "加强…") from "01.02 加强…" or "1.2 加强…"; (None, item) when no code leads."""
    match = _ITEM_CODE.match(item)
    rest = item[match.end():].strip() if match else ""
    if not match or not rest:
        return None, item
    return _code(match["a"], match["b"], match["c"]), rest


def _seq_code(value: object) -> str | None:
    # only text: a number cell 1.10 has already become 1.1
    match = _CODE_ONLY.match(value) if isinstance(value, str) else None
    return _code(*match.groups()) if match else None


def split_units(text: str) -> list[str]:
    """Departments split on 、，,；; and newlines, never inside brackets ("各县（市、区）")."""
    units: list[str] = []
    current: list[str] = []
    depth = 0

    def flush() -> None:
        unit = "".join(current).strip()
        if unit and unit not in units:
            units.append(unit)
        current.clear()

    for char in text:
        if char in "\r\n":
            flush()
            depth = 0
        elif char in _UNIT_SEPARATORS and depth == 0:
            flush()
        else:
            depth += (char in _OPENERS) - (char in _CLOSERS)
            depth = max(depth, 0)
            current.append(char)
    flush()
    return units


# --- deadlines

_RECURRING_WORDS = (  # checked in this order, before any date ("每年6月底前" recurs)
    ("half", ("每半年", "按半年")),
    ("quarter", ("每季度", "按季度", "每个季度", "每一季度", "每季")),
    ("month", ("每月", "按月", "每个月")),
    ("year", ("每年", "按年")),
)
_OPEN_WORDS = ("长期坚持", "常态化", "持续推进", "长期")
_NEXT_YEAR_WORDS = ("明年", "次年", "来年", "下一年")  # relative to a year we would have to guess
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_MONTH_END = r"(?:底|末|份)?(?![上中下]{1,2}旬|\s*\d)"  # 6月底; not 6月中旬, not 6月30
# "年底" must not be "3年内", "半年内" or "明年底"
_NOT_BEFORE_YEAR_END = "0-9〇零一二三四五六七八九十两半几多个每明次来后"
_DATES = re.compile("|".join((
    # 2024-06-30, 2024/6/30, 2024.6.30
    r"(?<!\d)(?P<iso_y>\d{4})\s*[-/.．]\s*(?P<iso_m>\d{1,2})\s*[-/.．]\s*(?P<iso_d>\d{1,2})(?!\d)",
    # 2024年6月30日
    r"(?<!\d)(?P<ymd_y>\d{4})\s*年\s*(?P<ymd_m>\d{1,2})\s*月\s*(?P<ymd_d>\d{1,2})\s*[日号]?(?!\d)",
    # 2024年6月(底)
    r"(?<!\d)(?P<ym_y>\d{4})\s*年\s*(?P<ym_m>\d{1,2})\s*月" + _MONTH_END,
    # 6月30日
    r"(?<!\d)(?P<md_m>\d{1,2})\s*月\s*(?P<md_d>\d{1,2})\s*[日号]?(?!\d)",
    # 6月(底)
    r"(?<!\d)(?P<m_m>\d{1,2})\s*月" + _MONTH_END,
    # 2024年底, 年底, 年内
    r"(?<!\d)(?P<yend_y>\d{4})\s*年\s*(?:底|末|内)",
    rf"(?<![{_NOT_BEFORE_YEAR_END}])(?P<yend>年)\s*(?:底|末|内)",
    # (2024年)上半年, (2024年)第一季度
    r"(?:(?P<half_y>\d{4})\s*年\s*)?(?P<half>[上下])半年",
    r"(?:(?P<q_y>\d{4})\s*年\s*)?第?(?P<q>[一二三四1-4])\s*季度",
)))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _match_date(match: re.Match[str], year: int) -> dt.date | None:
    """The date one _DATES match stands for, the year-less forms in `year`; None if invalid."""
    g = match.groupdict()
    try:
        if g["iso_y"]:
            return dt.date(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
        if g["ymd_y"]:
            return dt.date(int(g["ymd_y"]), int(g["ymd_m"]), int(g["ymd_d"]))
        if g["ym_y"]:
            return _month_end(int(g["ym_y"]), int(g["ym_m"]))
        if g["md_m"]:
            return dt.date(year, int(g["md_m"]), int(g["md_d"]))
        if g["m_m"]:
            return _month_end(year, int(g["m_m"]))
        if g["yend_y"] or g["yend"]:
            return dt.date(int(g["yend_y"] or year), 12, 31)
        if g["half"]:
            return dt.date(int(g["half_y"] or year), 6 if g["half"] == "上" else 12,
                           30 if g["half"] == "上" else 31)
        quarter = int(g["q"]) if g["q"].isdigit() else _CN_DIGITS[g["q"]]
        return dt.date(int(g["q_y"] or year), *_QUARTER_END[quarter])
    except ValueError:  # 2月30日, 13月 and the like
        return None


def _written_year(match: re.Match[str]) -> int | None:
    g = match.groupdict()
    for key in ("iso_y", "ymd_y", "ym_y", "yend_y", "half_y", "q_y"):
        if g[key]:
            return int(g[key])
    return None


def _last_date(text: str, year: int) -> tuple[dt.date, bool] | None:
    """The last date written in the text and whether its year had to be assumed. A year-less
    date takes the year written before it in the same cell ("2024年3月底…，6月底…")."""
    if any(word in text for word in _NEXT_YEAR_WORDS):
        return None
    found: tuple[dt.date, bool] | None = None
    known: int | None = None
    for match in _DATES.finditer(text):
        written = _written_year(match)
        known = written or known
        date = _match_date(match, known or year)
        if date and 1900 <= date.year <= 2100:
            found = (date, known is None)
    return found


def _recurring_period(text: str) -> str | None:
    for period, words in _RECURRING_WORDS:
        if any(word in text for word in words):
            return period
    return None


def parse_deadline(value: object, year: int) -> tuple[Deadline, str | None]:
    """A 完成时限 cell as a Deadline, and a warning (without the row) when the year was assumed
    or the text was not understood. `year` is used where the text names none."""
    if isinstance(value, dt.date):  # datetime included
        date = value.date() if isinstance(value, dt.datetime) else value
        return Deadline(DATE, date, text=date.isoformat()), None
    text = _text(value).strip()
    if not text:
        return Deadline(NONE), None
    shown = quoted(text)
    period = _recurring_period(text)
    if period:
        return Deadline(RECURRING, period=period, text=text), None
    found = _last_date(text, year)
    if found:
        date, assumed = found
        warning = f"完成时限“{shown}”未写年份，按 {year} 年计" if assumed else None
        return Deadline(DATE, date, text=text), warning
    if any(word in text for word in _OPEN_WORDS):
        return Deadline(OPEN, text=text), None
    return Deadline(NONE, text=text), f"完成时限“{shown}”无法识别，记为未定"


# --- rows

_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def _title_year(grid: _Grid, header_rows: tuple[int, ...]) -> int | None:
    for row in range(1, header_rows[0]):
        for value in grid.values[row - 1]:
            match = _TITLE_YEAR.search(_text(value))
            if match:
                return int(match[1])
    return None


@dataclass
class _Block:
    """Spreadsheet rows making up one task: one row, or the rows of a vertically merged item."""

    anchor: int  # first row of the item cell's merged range (or the row itself)
    rows: list[int]
    category: str


class _RowReader:
    def __init__(self, grid: _Grid, header_rows: tuple[int, ...], columns: dict[str, int],
                 year: int) -> None:
        self.grid = grid
        self.header_rows = header_rows
        self.columns = columns
        self.year = year
        self.warnings: list[str] = []
        self.header_keys = {
            col: {_normalise(_text(grid.get(row, col))) for row in header_rows} - {""}
            for col in columns.values()}

    def cell(self, row: int, name: str) -> object:
        return self.grid.get(row, self.columns.get(name))

    def read(self) -> list[TaskRow]:
        return [self.task(block) for block in self.blocks()]

    def blocks(self) -> list[_Block]:
        blocks: list[_Block] = []
        category = ""
        item_col = self.columns["item"]
        for row in range(self.header_rows[-1] + 1, len(self.grid.values) + 1):
            if not self.has_text(row) or self.repeats_header(row):
                continue
            if self.is_section(row):
                category = _one_line(self.cell(row, "item"))
                continue
            category = _one_line(self.cell(row, "category")) or category
            if not _has_letters(_one_line(self.cell(row, "item"))):
                continue
            anchor = self.grid.spans.get((row, item_col), (row,))[0]
            if blocks and anchor != row and blocks[-1].anchor == anchor:
                blocks[-1].rows.append(row)
            else:
                blocks.append(_Block(anchor, [row], category))
        return blocks

    def has_text(self, row: int) -> bool:
        # an empty row, or the column numbers (1 2 3 …) some forms put under the header, has none
        return any(_has_letters(_text(value)) for value in self.grid.values[row - 1])

    def repeats_header(self, row: int) -> bool:
        same = sum(1 for col, keys in self.header_keys.items()
                   if _normalise(_text(self.grid.get(row, col))) in keys)
        return same >= min(2, len(self.header_keys))

    def is_section(self, row: int) -> bool:
        """A heading row such as "一、理想信念教育" merged across the item and unit columns."""
        span = self.grid.spans.get((row, self.columns["item"]))
        if not span:
            return False
        units = [self.columns[f] for f in ("lead", "support") if f in self.columns]
        return any(span[1] <= col <= span[3] for col in units)

    def task(self, block: _Block) -> TaskRow:
        first = block.rows[0]
        item_code, item = split_item_code(_one_line(self.cell(first, "item")))
        leads = self.units(block.rows, "lead")
        supports = self.units(block.rows, "support")
        if not leads and not supports:
            self.warnings.append(f"第 {first} 行：没有填写牵头单位或责任单位")
        deadline, warning = parse_deadline(self.deadline_value(block.rows), self.year)
        if warning:
            self.warnings.append(f"第 {first} 行：{warning}")
        return TaskRow(
            row=first,
            category=block.category,
            category_code=category_code(block.category),
            item=item,
            item_code=item_code or _seq_code(self.cell(first, "seq")),
            requirement=self.joined(block.rows, "requirement"),
            material=self.joined(block.rows, "material"),
            responsible=self.joined(block.rows, "responsible"),
            leads=leads,
            supports=supports,
            deadline=deadline,
        )

    def joined(self, rows: list[int], name: str) -> str:
        return "\n".join(_distinct(_multi_line(self.cell(row, name)) for row in rows))

    def units(self, rows: list[int], name: str) -> list[str]:
        return _distinct(unit for row in rows for unit in split_units(_text(self.cell(row, name))))

    def deadline_value(self, rows: list[int]) -> object:
        values = _distinct(self.cell(row, "deadline") for row in rows)
        if len(values) <= 1:
            return values[0] if values else None
        # different deadlines in one merged task read like several dates in one cell
        return "；".join(_text(value) for value in values)


def _has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)  # CJK characters count


def _distinct(values: Iterable[T]) -> list[T]:
    found: list[T] = []
    for value in values:
        if value not in (None, "") and value not in found:
            found.append(value)
    return found


# --- entry point

def _names(fields: Iterable[str]) -> str:
    return "、".join(f"“{s}”" for f in fields for s in SYNONYMS[f])


def _no_header_message(name: str, sheets: list[str]) -> str:
    where = (f"工作表“{quoted(sheets[0])}”" if len(sheets) == 1
             else f"所有工作表（{quoted('、'.join(sheets))}）" if sheets else "工作簿")
    return (f"“{quoted(name)}”的{where}中找不到任务清单的表头：在前 {HEADER_SCAN_ROWS} 行中查找"
            f"{_names(REQUIRED_HINT)}等列名，至少要认出 {MIN_HEADER_FIELDS} 列")


def _missing_message(name: str, sheet: str, header_rows: tuple[int, ...],
                     missing: list[str]) -> str:
    labels = {"item": "“测评内容”（或“具体任务”）", "lead/support": "“牵头单位”或“责任单位”"}
    rows = "、".join(str(r) for r in header_rows)
    return (f"“{quoted(name)}”的工作表“{quoted(sheet)}”表头（第 {rows} 行）中找不到"
            f"{'和'.join(labels[m] for m in missing)}列；请在导入对话框中手动选择对应的列")


def _pick_sheet(path: Path, book: _Book, sheet: str | None, budget: TimeBudget
                ) -> tuple[str, _Grid, tuple[int, ...]]:
    names = book.titles()
    indexes = list(range(len(names)))
    if sheet is not None:
        if sheet not in names:
            listed = "、".join(f"“{quoted(n)}”" for n in names[:20]) or "（无）"
            raise ZichaError(f"“{quoted(path.name)}”中没有名为“{quoted(sheet)}”的工作表；"
                             f"现有工作表：{listed}")
        indexes = [names.index(sheet)]
    for index in indexes:
        grid = book.grid(index)
        header_rows = _find_header(grid)
        if header_rows:
            return names[index], grid, header_rows
    raise ZichaError(_no_header_message(path.name, [names[i] for i in indexes]))


def _uncached_warning(grid: _Grid) -> str | None:
    if not grid.uncached:
        return None
    shown = "、".join(grid.uncached[:5]) + ("等" if len(grid.uncached) > 5 else "")
    return (f"单元格 {shown} 共 {len(grid.uncached)} 处是公式且没有保存计算结果，按空白读取"
            "（公式本身不导入）；如需这些内容，请在 Excel 或 WPS 中打开并保存后再导入")


def read_task_list(path: Path, *, sheet: str | None = None,
                   columns: dict[str, int] | None = None, year: int | None = None) -> TaskList:
    """Read a 任务分解清单 from an .xlsx, .xls or .et file.

    sheet: the worksheet to read; by default the first one whose header is found.
    columns: field -> 1-based column chosen in the mapping dialog; overrides detection.
    year: for deadlines without one ("6月底"); by default the year in the title rows, else
    this year.
    A formula is read as the value saved with it, never as a formula. The file is read within
    the limits of desktop.core.common.limits (size, rows, columns, time).
    Raises ZichaError (ColumnsMissing when only the item or unit column is lacking).
    """
    budget = TimeBudget(limits.TASK_LIST_SECONDS)
    with _Book(path, budget) as book:
        title, grid, header_rows = _pick_sheet(path, book, sheet, budget)
    cells = _header_cells(grid, header_rows)
    headers = _header_labels(cells)
    mapped = _apply_overrides(_detect_columns(cells), columns or {}, grid.width)
    missing = _missing_fields(mapped)
    if missing:
        raise ColumnsMissing(_missing_message(path.name, title, header_rows, missing),
                             sheet=title, header_rows=header_rows, headers=headers,
                             columns=mapped, missing=missing)
    year = year or _title_year(grid, header_rows) or dt.date.today().year
    reader = _RowReader(grid, header_rows, mapped, year)
    rows = reader.read()
    found = [w for w in [_uncached_warning(grid)] if w]
    return TaskList(sheet=title, header_rows=header_rows, columns=mapped,
                    headers=headers, rows=rows, warnings=found + reader.warnings)
