"""Writing cells of the workbooks we produce (台账, 材料目录) so that nothing in them runs, and
setting them up to print.

openpyxl turns any string that starts with "=" into a formula, and one that reads like an
error code ("#N/A") into an error. Text from a task list or a material's title is data: every
string is written as a string cell, and one that a spreadsheet would take for a formula when
the cell is edited (=, +, -, @, tab, CR first) also gets the quote prefix, as Excel gives text
typed after an apostrophe. The text itself is kept as written."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def set_value(cell: Cell | MergedCell, value: object) -> Cell:
    """Give `cell` the value `value`; a string always stays an inert string cell."""
    if not isinstance(cell, Cell):  # what openpyxl raises when a merged cell is written
        raise AttributeError(f"{cell.coordinate} 是合并单元格的一部分，只能写入其左上角单元格")
    cell.value = value  # type: ignore[assignment]  # openpyxl refuses what it cannot store
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def active_sheet(book: Workbook) -> Worksheet:
    """The worksheet a new workbook opens with (openpyxl types `active` as possibly none)."""
    sheet = book.active
    if not isinstance(sheet, Worksheet):
        raise TypeError("工作簿没有可写入的工作表")
    return sheet


def write(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """sheet.cell(row, column, value), inert."""
    return set_value(sheet.cell(row, column), value)


def append(sheet: Worksheet, values: Iterable[object]) -> None:
    """sheet.append(values), inert."""
    values = list(values)
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        set_value(cell, value)


def display_width(text: str) -> int:
    """Columns `text` takes in a spreadsheet: two for a wide (CJK) character, one for others."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def print_setup(sheet: Worksheet, header_row: int) -> None:
    """Landscape A4, every column on one page width, the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75  # room for the footer
    if sheet.oddFooter is None:
        sheet.oddFooter = HeaderFooterItem()
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
