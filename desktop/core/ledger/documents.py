"""台账 exports for the 创文办's weekly meeting (日推进、周点评、月总结): the task ledger as a
workbook (台账, per-category and per-department completion, 问题整改) and the weekly report
(周报) as a Word document, both built from a taskviews.Ledger. Nothing here imports Qt."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, NamedTuple

import pymupdf
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image, ImageDraw, ImageFont

from desktop.core.common import atomic
from desktop.core.ledger import problems
from desktop.core.ledger.views import (
    CLOSED,
    DONE,
    RED,
    STATUS_COLOURS,
    STATUS_LABELS,
    WHITE,
    YELLOW,
    BonusView,
    ChecklistRow,
    Completion,
    Ledger,
    NegativeView,
    ProblemView,
    SystemCompletion,
    TaskView,
)
from desktop.core.office import sheets
from desktop.core.office.docx import set_fonts
from desktop.core.review.workflow import STATE_LABELS

__all__ = ["PROBLEM_STATES", "ROLE_LABELS", "date_text", "department_chart_png", "percent_text",
           "section_titles", "several_systems", "weight_text", "write_ledger_xlsx",
           "write_weekly_report_docx"]

PROBLEM_STATES = problems.STATE_LABELS
ROLE_LABELS = {"lead": "牵头", "support": "配合"}
FINISHED = (DONE, CLOSED)  # both count as 完成 in every completion figure
NONE_TEXT = "无"
DARK, LIGHT = "212121", "FFFFFF"
BODY_FONT, TITLE_FONT = "宋体", "黑体"  # in the workbook too, so that it prints like the 周报


# -- text ------------------------------------------------------------------------------------

def percent_text(value: float, digits: int = 1) -> str:
    """A percentage as a Chinese report writes it: "66.7%", "50%", "100%" (no trailing zeros)."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def date_text(day: dt.date) -> str:
    """"2024年6月20日"."""
    return f"{day.year}年{day.month}月{day.day}日"


def _item(task: TaskView | ProblemView) -> str:
    return f"{task.item_code} {task.item_name}"


def _category(task: TaskView) -> str:
    return f"{task.category_code} {task.category_name}"


def _completion_name(row: Completion) -> str:
    """"A01 公共文明" for a category (key is its code); a department's key is its name."""
    if not row.key or row.label.startswith(row.key):
        return row.label
    return f"{row.key} {row.label}"


def several_systems(ledger: Ledger) -> bool:
    """The ledger spans more than one indicator system: the documents then total by system
    and name each task's."""
    return len(ledger.by_system) > 1


def weight_text(system: SystemCompletion) -> str:
    """"20%", or "—" when the system's weight is not given (the city system's)."""
    return system.weight_text or "—"


def _system_names(ledger: Ledger) -> dict[str, str]:
    return {s.key: s.name for s in ledger.by_system}


def _state_text(state: str) -> str:
    """草稿、已终审 … for a review state code."""
    return next((label for code, label in STATE_LABELS.items() if str(code) == state), state)


def _days_left(task: TaskView) -> int | None:
    """Days to the deadline; none for finished tasks, whose deadline no longer matters."""
    return None if task.status in FINISHED else task.days_left


def _tally(label: str, tasks: Iterable[TaskView]) -> Completion:
    total = Completion(key="", label=label)
    for task in tasks:
        total.total += 1
        total.done += task.status in FINISHED
        total.white += task.status == WHITE
        total.yellow += task.status == YELLOW
        total.red += task.status == RED
    return total


def _sum(label: str, rows: Iterable[Completion]) -> Completion:
    total = Completion(key="", label=label)
    for row in rows:
        for name in ("total", "done", "white", "yellow", "red"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def _completion_values(row: Completion) -> tuple[int, int, int, int, int]:
    return row.total, row.done, row.white, row.yellow, row.red


def _hex(status: str) -> str:
    return STATUS_COLOURS[status].lstrip("#").upper()


def _ink(status: str) -> str:
    """Text colour that reads on the status colour: dark on white and yellow, white otherwise."""
    return DARK if status in (WHITE, YELLOW) else LIGHT


def _open_problems(ledger: Ledger) -> list[ProblemView]:
    return [p for p in ledger.problems if p.state != "confirmed"]


def _laggards_first(rows: Iterable[Completion]) -> list[Completion]:
    return sorted(rows, key=lambda r: (r.percent, -r.red, -r.yellow, _completion_name(r)))


# -- XLSX ------------------------------------------------------------------------------------

class Column(NamedTuple):
    header: str
    cap: int  # widest the column may get, in Excel character units (a CJK character is 2)
    wrap: bool = False  # long text: left aligned and wrapped; otherwise centred


LEDGER_COLUMNS = (
    Column("序号", 6), Column("测评项目", 16, True), Column("测评内容", 20, True),
    Column("责任单位", 14, True), Column("牵头/配合", 11), Column("测评标准", 34, True),
    Column("材料要求", 26, True), Column("责任人", 10), Column("完成时限", 12),
    Column("剩余天数", 10), Column("材料数", 8), Column("终审通过", 10), Column("状态", 8),
    Column("销号说明", 20, True), Column("清单", 14, True),
)
SYSTEM_COLUMN = Column("测评体系", 20, True)  # before 测评项目, with more than one system
PROBLEM_COLUMNS = (
    Column("编号", 6), Column("测评内容", 20, True), Column("责任单位", 14, True),
    Column("问题", 36, True), Column("发现日期", 12), Column("发现人", 10),
    Column("整改时限", 12), Column("状态", 14), Column("整改说明", 30, True),
    Column("是否逾期", 10),
)
NEGATIVE_COLUMNS = (
    Column("编号", 6), Column("测评项目", 16, True), Column("事项", 30, True),
    Column("责任单位", 14, True), Column("防范措施", 30, True), Column("是否发生", 10),
    Column("发生日期", 12), Column("处置情况", 30, True), Column("处置人", 10),
    Column("佐证材料", 12, True),
)
COMPLETION_COLUMNS = (Column("任务数", 8), Column("已完成", 8), Column("白", 6),
                      Column("黄", 6), Column("红", 6), Column("完成率", 9))
SYSTEM_COLUMNS = (Column("测评体系", 44, True), Column("编号前缀", 10), Column("权重", 8),
                  *COMPLETION_COLUMNS, Column("测评内容", 10), Column("有终审材料", 12),
                  Column("材料覆盖率", 12))
COUNT_STATUS = {3: WHITE, 4: YELLOW, 5: RED}  # 0-based columns of 白/黄/红 in COMPLETION_COLUMNS
PERCENT_FORMAT = "0.0%"
LINE_HEIGHT = 15  # points per line of 11 pt text, CJK included

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT_WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _font(*, strong: bool = False, size: float = 11, color: str = DARK) -> Font:
    """Every cell names its font: an unnamed one prints in LibreOffice's serif default."""
    return Font(name=TITLE_FONT if strong else BODY_FONT, size=size, color=color)


def _paint(cell: Cell | MergedCell, status: str, strong: bool = True) -> None:
    cell.fill = PatternFill("solid", fgColor=_hex(status))
    cell.font = _font(strong=strong, color=_ink(status))


def _write_table(sheet: Worksheet, columns: Sequence[Column],
                 rows: Sequence[Sequence[object]], header_row: int) -> None:
    """Header at header_row, then rows, every cell bordered; long-text columns wrap, left
    aligned, the others are centred."""
    for col, column in enumerate(columns, start=1):
        cell = sheets.write(sheet, header_row, col, column.header)
        cell.font, cell.fill, cell.border, cell.alignment = (_font(strong=True), HEADER_FILL,
                                                             BORDER, CENTER)
    for r, values in enumerate(rows, start=header_row + 1):
        for col, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheets.write(sheet, r, col, value)
            cell.font, cell.border = _font(), BORDER
            cell.alignment = LEFT_WRAP if column.wrap else CENTER
    _fit(sheet, columns, rows, header_row)


def _fit(sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[object]],
         header_row: int) -> None:
    """Column widths from the widest value, capped; row heights from the lines that wrap.
    A row written by openpyxl keeps the default height whatever wraps in it (LibreOffice
    prints the lines over the next row), so every row gets its height here."""
    widths = []
    for col, column in enumerate(columns, start=1):
        widest = max([sheets.display_width(column.header)]
                     + [sheets.display_width(str(row[col - 1] or "")) for row in rows])
        widths.append(min(max(widest + 2, 6), column.cap))
        sheet.column_dimensions[get_column_letter(col)].width = widths[-1]
    for r, values in enumerate([[c.header for c in columns], *rows], start=header_row):
        lines = max(_lines(v if isinstance(v, str) else "", w)  # numbers never wrap
                    for v, w in zip(values, widths, strict=True))
        sheet.row_dimensions[r].height = LINE_HEIGHT * lines + 4


def _lines(text: str, width: float) -> int:
    """Lines `text` takes wrapped in a column `width` units wide (a CJK character is 2)."""
    usable = max(width - 1.5, 1)  # cell padding; Latin words wrap whole, so a little slack
    return sum(max(1, math.ceil(sheets.display_width(part) / usable)) for part in text.split("\n"))


def _freeze_and_filter(sheet: Worksheet, header_row: int, columns: int, rows: int) -> None:
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{header_row + rows}"


def _ledger_row(seq: int, task: TaskView) -> list[object]:
    return [seq, _category(task), _item(task), task.department,
            ROLE_LABELS.get(task.role, task.role), task.requirement,
            task.material_requirement, task.responsible, task.deadline.label(),
            _days_left(task), task.materials, task.final_approved,
            STATUS_LABELS.get(task.status, task.status), task.closed_reason, task.list_kind]


def _of_list(ledger: Ledger) -> str:
    """"（材料自查清单）" in a title when the ledger is of one list, "（全国未成年人思想道德建设
    工作测评体系）" when of one system, both in one bracket when of both."""
    parts = [ledger.system_name, f"{ledger.list_kind}清单" if ledger.list_kind else ""]
    text = "，".join(p for p in parts if p)
    return f"（{text}）" if text else ""


def _ledger_sheet(sheet: Worksheet, ledger: Ledger) -> None:
    sheet.title = "台账"
    title = f"{ledger.bureau}创建全国文明城市任务台账{_of_list(ledger)}（截至 {ledger.today}）"
    sheets.write(sheet, 1, 1, title).font = _font(strong=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    columns = list(LEDGER_COLUMNS)
    rows = [_ledger_row(seq, task) for seq, task in enumerate(ledger.tasks, start=1)]
    if several_systems(ledger):  # which system each task is of, next to its 测评项目
        names = _system_names(ledger)
        columns.insert(1, SYSTEM_COLUMN)
        for row, task in zip(rows, ledger.tasks, strict=True):
            row.insert(1, names.get(task.system_id, task.system_id))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    _write_table(sheet, columns, rows, header_row=2)
    status_column = next(n for n, c in enumerate(columns, start=1) if c.header == "状态")
    for r, task in enumerate(ledger.tasks, start=3):
        if task.status in STATUS_COLOURS:
            _paint(sheet.cell(r, status_column), task.status)
    _freeze_and_filter(sheet, 2, len(columns), len(rows))
    sheets.print_setup(sheet, header_row=2)


def _completion_sheet(sheet: Worksheet, name_header: str, rows: Sequence[Completion]) -> None:
    """One row per category / department and a 合计 row below the filtered range."""
    columns = (Column(name_header, 30, True), *COMPLETION_COLUMNS)
    total = _sum("合计", rows)
    values = [[_completion_name(r), *_completion_values(r), r.percent / 100]
              for r in [*rows, total]]
    _write_table(sheet, columns, values, header_row=1)
    for col, status in COUNT_STATUS.items():
        _paint(sheet.cell(1, col + 1), status)
    for r in range(2, len(values) + 2):
        sheet.cell(r, len(columns)).number_format = PERCENT_FORMAT
        for col, status in COUNT_STATUS.items():
            if status != WHITE and sheet.cell(r, col + 1).value:
                _paint(sheet.cell(r, col + 1), status, strong=False)
    for cell in sheet[len(values) + 1]:
        cell.font = _font(strong=True, color=cell.font.color.rgb[-6:])
    _freeze_and_filter(sheet, 1, len(columns), len(rows))
    sheets.print_setup(sheet, header_row=1)


def _system_sheet(sheet: Worksheet, rows: Sequence[SystemCompletion]) -> None:
    """One row per indicator system (city first): its weight, task completion and material
    coverage, and a 合计 row of the tasks and the coverage below the filtered range."""
    total = _sum("合计", rows)
    items, covered = sum(r.items for r in rows), sum(r.covered for r in rows)
    values: list[list[object]] = [
        [r.label, r.prefix or "—", r.weight / 100 if r.weight is not None else "—",
         *_completion_values(r), r.percent / 100, r.items, r.covered, r.coverage / 100]
        for r in rows]
    values.append([total.label, "", "", *_completion_values(total), total.percent / 100, items,
                   covered, covered / items if items else 0.0])
    _write_table(sheet, SYSTEM_COLUMNS, values, header_row=1)
    first = 3  # COUNT_STATUS counts from a single name column; here 编号前缀 and 权重 follow it
    for col, status in COUNT_STATUS.items():
        _paint(sheet.cell(1, first + col), status)
    for r in range(2, len(values) + 2):
        sheet.cell(r, 3).number_format = "0%"  # 权重
        for col in (first + len(COMPLETION_COLUMNS), len(SYSTEM_COLUMNS)):  # 完成率, 材料覆盖率
            sheet.cell(r, col).number_format = PERCENT_FORMAT
        for col, status in COUNT_STATUS.items():
            if status != WHITE and sheet.cell(r, first + col).value:
                _paint(sheet.cell(r, first + col), status, strong=False)
    for cell in sheet[len(values) + 1]:
        cell.font = _font(strong=True, color=cell.font.color.rgb[-6:])
    _freeze_and_filter(sheet, 1, len(SYSTEM_COLUMNS), len(rows))
    sheets.print_setup(sheet, header_row=1)


def _problem_row(problem: ProblemView) -> list[object]:
    deadline = problem.deadline.isoformat() if problem.deadline else ""
    return [problem.id, _item(problem), problem.department, problem.description,
            problem.found_at[:10], problem.found_by, deadline,
            PROBLEM_STATES.get(problem.state, problem.state), problem.rectification,
            "是" if problem.overdue else "否"]


def _problem_sheet(sheet: Worksheet, problems: Sequence[ProblemView]) -> None:
    _write_table(sheet, PROBLEM_COLUMNS, [_problem_row(p) for p in problems], header_row=1)
    for r, problem in enumerate(problems, start=2):
        if problem.overdue:
            _paint(sheet.cell(r, len(PROBLEM_COLUMNS)), RED)
    _freeze_and_filter(sheet, 1, len(PROBLEM_COLUMNS), len(problems))
    sheets.print_setup(sheet, header_row=1)


def _negative_sheet(sheet: Worksheet, negatives: Sequence[NegativeView]) -> None:
    rows: list[list[object]] = [
        [n.id, f"{n.category_code} {n.category_name}".strip(), n.description, n.department,
         n.prevention, "是" if n.occurred else "否", n.occurred_on, n.disposal, n.disposed_by,
         "、".join(f"#{m}" for m in n.evidence)] for n in negatives]
    _write_table(sheet, NEGATIVE_COLUMNS, rows, header_row=1)
    for r, n in enumerate(negatives, start=2):
        if n.occurred:
            _paint(sheet.cell(r, 6), RED)
    _freeze_and_filter(sheet, 1, len(NEGATIVE_COLUMNS), len(negatives))
    sheets.print_setup(sheet, header_row=1)


def _save(out: Path, save: Callable[[IO[bytes]], object]) -> None:
    """Build the document in memory, then write it atomically: a full disk leaves no partial
    or empty file (an older file of that name stays as it was) and says how much room it
    needed (atomic.WriteFailed, which is an OSError too)."""
    buffer = io.BytesIO()
    save(buffer)
    atomic.write_bytes(Path(out), buffer.getvalue())


def write_ledger_xlsx(ledger: Ledger, out: Path) -> None:
    """The 台账 workbook: 台账 (one row per task, status in its colour, its list and, with more
    than one indicator system, its system), 按测评体系 (with more than one: weight, completion,
    material coverage), 按测评项目, 按责任单位 and 按清单 (completion), 问题整改 (one row per
    problem) and, when there is one, 负面清单 (one row per risk or event, events first)."""
    book = Workbook()
    _ledger_sheet(sheets.active_sheet(book), ledger)
    if several_systems(ledger):
        _system_sheet(book.create_sheet("按测评体系"), ledger.by_system)
    _completion_sheet(book.create_sheet("按测评项目"), "测评项目", ledger.by_category)
    _completion_sheet(book.create_sheet("按责任单位"), "责任单位", ledger.by_department)
    if ledger.by_list:
        _completion_sheet(book.create_sheet("按清单"), "清单", ledger.by_list)
    _problem_sheet(book.create_sheet("问题整改"), ledger.problems)
    if ledger.negatives:
        _negative_sheet(book.create_sheet("负面清单"), ledger.negatives)
    if any(c.status != "none" for c in ledger.checklists):
        _checklist_sheet(book.create_sheet("材料清单"), ledger.checklists)
    _save(out, book.save)


CHECKLIST_COLUMNS = (Column("测评内容", 12), Column("名称", 30, True), Column("材料清单", 10),
                     Column("已满足", 8), Column("未满足", 8), Column("缺项", 60, True))
CHECKLIST_LABELS = {"complete": "齐全", "gaps": "有缺项", "none": "无要求"}


def _checklist_sheet(sheet: Worksheet, rows: Sequence[ChecklistRow]) -> None:
    """One row per 测评内容: its 材料清单 齐全 / 有缺项 / 无要求, how many requirements are met
    and not, and what is missing; a last row with the totals."""
    values: list[list[object]] = [
        [c.code, c.name, CHECKLIST_LABELS[c.status], c.met, c.unmet, c.missing] for c in rows]
    complete = sum(c.status == "complete" for c in rows)
    gaps = sum(c.status == "gaps" for c in rows)
    values.append(["合计", f"{len(rows)} 个测评内容", f"齐全 {complete}，有缺项 {gaps}",
                   sum(c.met for c in rows), sum(c.unmet for c in rows), ""])
    _write_table(sheet, CHECKLIST_COLUMNS, values, header_row=1)
    for r, c in enumerate(rows, start=2):
        if c.status == "gaps":
            _paint(sheet.cell(r, 3), RED)
        elif c.status == "complete":
            _paint(sheet.cell(r, 3), DONE)
    _freeze_and_filter(sheet, 1, len(CHECKLIST_COLUMNS), len(rows))
    sheets.print_setup(sheet, header_row=1)


# -- DOCX ------------------------------------------------------------------------------------

BODY_SIZE, TABLE_SIZE = 12, 10.5  # 小四 for text, 五号 in tables
# The weekly report's sections in order; 各测评体系 only with more than one system, 创新特色 only
# when a material is marked. Numbered as they come (section_titles).
SUMMARY, SYSTEMS, CATEGORIES, DEPARTMENTS = ("总体情况", "各测评体系完成情况", "各测评项目完成情况",
                                             "各责任单位完成情况")
RED_LIST, YELLOW_LIST, DONE_LIST = "红色清单（已逾期）", "黄色清单（临近时限）", "本周销号/完成"
BONUS, PROBLEMS, NEGATIVES = "创新特色（加分）材料", "未结问题", "负面清单"
NUMERALS = "一二三四五六七八九十"


class Grid(NamedTuple):
    header: tuple[str, ...]
    widths: tuple[float, ...]  # mm; A4 portrait less 20 mm margins leaves 170 mm
    centered: frozenset[int] = frozenset()  # 0-based columns whose text is centred


def _completion_grid(name_header: str) -> Grid:
    return Grid((name_header, "任务数", "已完成", "白", "黄", "红", "完成率"),
                (62, 18, 18, 16, 16, 16, 24), frozenset(range(1, 7)))


SUMMARY_GRID = Grid(("任务总数", "已完成（含销号）", "白", "黄", "红", "完成率"),
                    (26, 36, 24, 24, 24, 36), frozenset(range(6)))
RED_GRID = Grid(("测评内容", "责任单位", "完成时限", "逾期天数"), (76, 44, 28, 22),
                frozenset({2, 3}))
YELLOW_GRID = Grid(("测评内容", "责任单位", "完成时限", "剩余天数"), (76, 44, 28, 22),
                   frozenset({2, 3}))
DONE_GRID = Grid(("测评内容", "责任单位", "状态", "日期", "说明"), (48, 32, 16, 26, 48),
                 frozenset({2, 3}))
PROBLEM_GRID = Grid(("测评内容", "责任单位", "问题", "整改时限", "状态"), (38, 26, 54, 26, 26),
                    frozenset({3, 4}))
NEGATIVE_GRID = Grid(("测评项目", "事项", "责任单位", "发生情况", "防范措施 / 处置情况"),
                     (24, 46, 26, 24, 50), frozenset({3}))
SYSTEM_GRID = Grid(("测评体系", "权重", "任务数", "已完成", "完成率", "有终审材料的测评内容",
                    "材料覆盖率"), (50, 16, 16, 16, 20, 26, 26), frozenset(range(1, 7)))
BONUS_GRID = Grid(("材料名称", "测评内容", "级别", "发文（表扬）单位", "日期", "审核状态"),
                  (42, 36, 18, 26, 28, 20), frozenset({2, 4, 5}))
COUNT_COLUMNS = {2: WHITE, 3: YELLOW, 4: RED}  # 白/黄/红 in SUMMARY_GRID; +1 in the others


def _new_report() -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_FONT)
    normal.font.size = Pt(BODY_SIZE)
    heading = doc.styles["Heading 1"]  # a real heading: Word's navigation pane, PDF bookmarks
    set_fonts(heading, TITLE_FONT)
    heading.font.size = Pt(14)
    heading.font.bold = False  # 黑体 is heavy enough; a faux bold smears it
    heading.font.color.rgb = RGBColor(0, 0, 0)
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)
    _page_number_footer(doc)
    return doc


def _page_number_footer(doc: DocxDocument) -> None:
    """"— 1 —" centred at the foot of every page, as on official documents."""
    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    para._p.append(field)
    para.add_run(" —")


def _paragraph(doc: DocxDocument, text: str, *, font: str = BODY_FONT,
               size: float = BODY_SIZE, bold: bool = False, center: bool = False) -> None:
    para = doc.add_paragraph()
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    set_fonts(run, font)
    run.font.size = Pt(size)
    run.bold = bold


def _shade(cell: _Cell, status: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), _hex(status))
    cell._tc.get_or_add_tcPr().append(shd)


def _fill(cell: _Cell, text: str, *, bold: bool = False, center: bool = False,
          status: str | None = None) -> None:
    para = cell.paragraphs[0]
    para.paragraph_format.space_after = Pt(0)
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    run = para.add_run(text)
    set_fonts(run, TITLE_FONT if bold else BODY_FONT)
    run.font.size = Pt(TABLE_SIZE)
    if status is not None:
        _shade(cell, status)
        run.font.color.rgb = RGBColor.from_string(_ink(status))


def _row_properties(row_element: CT_Row, *tags: str) -> None:
    tr_pr = row_element.get_or_add_trPr()
    for tag in tags:
        tr_pr.append(OxmlElement(tag))


def _table(doc: DocxDocument, grid: Grid,
           header_status: dict[int, str] | None = None) -> Table:
    """A bordered table whose header row repeats on every page; no row splits across pages."""
    table = doc.add_table(rows=1, cols=len(grid.widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # gridCol widths for LibreOffice, cell widths for Word; add_row copies the grid to new cells
    for column, width in zip(table.columns, grid.widths, strict=True):
        column.width = Mm(width)
        column.cells[0].width = Mm(width)
    for i, (cell, text) in enumerate(zip(table.rows[0].cells, grid.header, strict=True)):
        _fill(cell, text, bold=True, center=True, status=(header_status or {}).get(i))
    _row_properties(table.rows[0]._tr, "w:cantSplit", "w:tblHeader")
    return table


def _add_row(table: Table, grid: Grid, values: Sequence[object],
             shading: dict[int, str] | None = None) -> None:
    row = table.add_row()
    _row_properties(row._tr, "w:cantSplit")
    for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
        cell.width = Mm(grid.widths[i])
        _fill(cell, "" if value is None else str(value), center=i in grid.centered,
              status=(shading or {}).get(i))


def _count_shading(counts: dict[int, object], columns: dict[int, str]) -> dict[int, str]:
    """Yellow/red shading for the 黄/红 counts that are not zero."""
    return {col: status for col, status in columns.items()
            if status != WHITE and counts.get(col)}


def _summary(doc: DocxDocument, ledger: Ledger) -> None:
    total = _tally("合计", ledger.tasks)
    closed = sum(t.status == CLOSED for t in ledger.tasks)
    _paragraph(doc, f"截至{date_text(ledger.today)}，共有任务 {total.total} 项，已完成 "
                    f"{total.done} 项（含销号 {closed} 项），完成率 {percent_text(total.percent)}；"
                    f"白色 {total.white} 项，黄色 {total.yellow} 项，红色 {total.red} 项。")
    table = _table(doc, SUMMARY_GRID, header_status=COUNT_COLUMNS)
    values = (total.total, total.done, total.white, total.yellow, total.red,
              percent_text(total.percent))
    _add_row(table, SUMMARY_GRID, values,
             _count_shading(dict(enumerate(values)), COUNT_COLUMNS))
    _paragraph(doc, f"说明：白色为正常推进；黄色为距完成时限不足 {ledger.warn_days} 天；"
                    "红色为已逾期未完成；完成含经创文办同意的销号。", size=TABLE_SIZE)
    checked = [c for c in ledger.checklists if c.status != "none"]
    if checked:  # the 材料清单 of each 测评内容 against its 材料要求
        gaps = [c for c in checked if c.status == "gaps"]
        _paragraph(doc, f"材料清单：{len(checked)} 个测评内容有材料要求，齐全 "
                        f"{len(checked) - len(gaps)} 个，有缺项 {len(gaps)} 个"
                        + (f"（{'、'.join(c.code for c in gaps[:20])}"
                           f"{' 等' if len(gaps) > 20 else ''}）" if gaps else "") + "。")


def _completion_table(doc: DocxDocument, name_header: str, rows: Sequence[Completion]) -> None:
    if not rows:
        _paragraph(doc, NONE_TEXT)
        return
    grid = _completion_grid(name_header)
    columns = {col + 1: status for col, status in COUNT_COLUMNS.items()}
    table = _table(doc, grid, header_status=columns)
    for row in rows:
        values = (_completion_name(row), *_completion_values(row), percent_text(row.percent))
        _add_row(table, grid, values, _count_shading(dict(enumerate(values)), columns))


def _task_list(doc: DocxDocument, grid: Grid, tasks: Sequence[TaskView], status: str,
               days: int) -> None:
    """Red or yellow list; `days` is +1 (剩余天数) or -1 (逾期天数), shaded in the status colour."""
    if not tasks:
        _paragraph(doc, NONE_TEXT)
        return
    table = _table(doc, grid)
    for task in tasks:
        left = "" if task.days_left is None else days * task.days_left
        _add_row(table, grid, (_item(task), task.department, task.deadline.label(), left),
                 {3: status})


def _by_days_left(tasks: Iterable[TaskView]) -> list[TaskView]:
    """Most urgent first: fewest days left (most overdue); tasks without a date last."""
    return sorted(tasks, key=lambda t: (t.days_left is None, t.days_left or 0, t.item_code))


def _newly_done(doc: DocxDocument, tasks: Sequence[TaskView]) -> None:
    if not tasks:
        _paragraph(doc, NONE_TEXT)
        return
    table = _table(doc, DONE_GRID)
    for task in tasks:
        if task.status == CLOSED:
            when = task.closed_at
            note = task.closed_reason + (f"（{task.closed_by}）" if task.closed_by else "")
        else:
            when, note = task.done_at, f"材料终审通过 {task.final_approved} 份"
        status = task.status if task.status in STATUS_COLOURS else DONE
        _add_row(table, DONE_GRID, (_item(task), task.department,
                                    STATUS_LABELS.get(task.status, task.status),
                                    (when or "")[:10], note), {2: status})


def _open_problem_table(doc: DocxDocument, problems: Sequence[ProblemView]) -> None:
    if not problems:
        _paragraph(doc, NONE_TEXT)
        return
    table = _table(doc, PROBLEM_GRID)
    for p in problems:
        state = PROBLEM_STATES.get(p.state, p.state)
        deadline = p.deadline.isoformat() if p.deadline else ""
        _add_row(table, PROBLEM_GRID,
                 (_item(p), p.department, p.description, deadline,
                  f"{state}\n（已逾期）" if p.overdue else state),
                 {3: RED, 4: RED} if p.overdue else None)


def _negative_table(doc: DocxDocument, negatives: Sequence[NegativeView]) -> None:
    """负面清单: the events that occurred first (red, with their 处置 or 待处置), then the
    risks with their 防范措施."""
    occurred = sum(n.occurred for n in negatives)
    if not negatives:
        _paragraph(doc, NONE_TEXT)
        return
    _paragraph(doc, f"负面清单共 {len(negatives)} 项，其中已发生 {occurred} 项"
               + (f"（{sum(bool(n.disposal) for n in negatives if n.occurred)} 项已处置）"
                  if occurred else "") + "。")
    table = _table(doc, NEGATIVE_GRID)
    for n in negatives:
        if n.occurred:
            state = f"已发生\n{n.occurred_on}" if n.occurred_on else "已发生"
            evidence = "、".join(f"#{m}" for m in n.evidence)
            what = (f"处置：{n.disposal}" + (f"（佐证材料 {evidence}）" if evidence else "")
                    if n.disposal else "待处置")
            if n.prevention:
                what = f"防范：{n.prevention}\n{what}"
        else:
            state, what = "未发生", n.prevention and f"防范：{n.prevention}"
        _add_row(table, NEGATIVE_GRID,
                 (f"{n.category_code} {n.category_name}".strip(), n.description, n.department,
                  state, what), {3: RED} if n.occurred else None)


def _system_table(doc: DocxDocument, rows: Sequence[SystemCompletion]) -> None:
    """同创同测: each system with its weight, its tasks done and its 测评内容 that have
    final-approved material."""
    weighted = "、".join(f"{r.name} {r.weight_text}" for r in rows if r.weight is not None)
    _paragraph(doc, "与全国文明城市同创同测的测评体系"
               + (f"按权重计入总成绩（{weighted}）" if weighted else "") + "；材料覆盖率为已有"
               "终审通过材料的测评内容所占比例。", size=TABLE_SIZE)
    table = _table(doc, SYSTEM_GRID)
    for r in rows:
        _add_row(table, SYSTEM_GRID, (
            r.label, weight_text(r), r.total, r.done, percent_text(r.percent),
            f"{r.covered}/{r.items}", percent_text(r.coverage)),
            {6: RED} if r.items and not r.covered else None)


def _bonus_table(doc: DocxDocument, bonus: Sequence[BonusView]) -> None:
    """创新特色（加分）: every marked material, national first, with the recognition it shows."""
    levels: dict[str, int] = {}  # in the order given: national first
    for b in bonus:
        levels[b.level] = levels.get(b.level, 0) + 1
    detail = "、".join(f"{level or '级别未填'} {n} 份" for level, n in levels.items())
    approved = sum(b.state == "final_approved" for b in bonus)
    _paragraph(doc, f"创新特色（加分）材料共 {len(bonus)} 份（{detail}），其中终审通过 "
                    f"{approved} 份。")
    table = _table(doc, BONUS_GRID)
    for b in bonus:
        _add_row(table, BONUS_GRID, (
            f"{b.title}（#{b.id}）", "\n".join(b.item_labels or b.items), b.level or "—",
            b.issuer, b.date, _state_text(b.state)))


def section_titles(ledger: Ledger) -> list[str]:
    """The weekly report's headings, numbered: 各测评体系 with more than one system, 创新特色
    when a material is marked."""
    titles = [SUMMARY, *([SYSTEMS] if several_systems(ledger) else []), CATEGORIES,
              DEPARTMENTS, RED_LIST, YELLOW_LIST, DONE_LIST, *([BONUS] if ledger.bonus else []),
              PROBLEMS, NEGATIVES]
    return [f"{NUMERALS[n]}、{title}" for n, title in enumerate(titles)]


def write_weekly_report_docx(ledger: Ledger, out: Path) -> None:
    """工作周报 for the weekly meeting, A4 portrait: totals, completion by indicator system
    (with more than one: weight, tasks, material coverage), by category and by department
    (laggards first, with a chart), the red and yellow lists, this week's completions and 销号,
    the 创新特色（加分） materials (when any is marked), the problems not yet confirmed and the
    负面清单 (events that occurred first)."""
    doc = _new_report()
    title = f"{ledger.bureau}创建全国文明城市工作周报{_of_list(ledger)}"
    doc.core_properties.title, doc.core_properties.author = title, ledger.bureau
    _paragraph(doc, title, font=TITLE_FONT, size=18, center=True)
    start = ledger.today - dt.timedelta(days=6)
    _paragraph(doc, f"（{date_text(start)}—{date_text(ledger.today)}）", center=True)

    headings = iter(section_titles(ledger))
    doc.add_heading(next(headings), level=1)
    _summary(doc, ledger)
    if len(ledger.by_list) > 1:  # 材料自查, 省级部门评价项目, 创新特色 … each with its totals
        _paragraph(doc, "各清单完成情况：")
        _completion_table(doc, "清单", ledger.by_list)
    if several_systems(ledger):
        doc.add_heading(next(headings), level=1)
        _system_table(doc, ledger.by_system)
    doc.add_heading(next(headings), level=1)
    _completion_table(doc, "测评项目", ledger.by_category)
    doc.add_heading(next(headings), level=1)
    departments = _laggards_first(ledger.by_department)
    _completion_table(doc, "责任单位", departments)
    if departments:
        doc.add_picture(io.BytesIO(department_chart_png(departments)), width=Mm(150))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading(next(headings), level=1)
    _task_list(doc, RED_GRID, _by_days_left(t for t in ledger.tasks if t.status == RED), RED, -1)
    doc.add_heading(next(headings), level=1)
    _task_list(doc, YELLOW_GRID, _by_days_left(t for t in ledger.tasks if t.status == YELLOW),
               YELLOW, 1)
    doc.add_heading(next(headings), level=1)
    _newly_done(doc, ledger.newly_done)
    if ledger.bonus:
        doc.add_heading(next(headings), level=1)
        _bonus_table(doc, ledger.bonus)
    doc.add_heading(next(headings), level=1)
    _open_problem_table(doc, _open_problems(ledger))
    doc.add_heading(next(headings), level=1)
    _negative_table(doc, ledger.negatives)
    _save(out, doc.save)


# -- chart -----------------------------------------------------------------------------------

CHART_WIDTH = 1200  # px; printed 150 mm wide, about 200 dpi
CHART_SEGMENTS = ((DONE, "done", "已完成"), (WHITE, "white", "白"), (YELLOW, "yellow", "黄"),
                  (RED, "red", "红"))


@lru_cache(maxsize=4)
def _chart_font(size: int) -> ImageFont.FreeTypeFont:
    """PyMuPDF's bundled Droid Sans Fallback: covers Chinese on every platform, no font files
    to find or ship."""
    return ImageFont.truetype(io.BytesIO(pymupdf.Font("cjk").buffer), size)


def _legend(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
    font = _chart_font(26)
    for status, _, label in CHART_SEGMENTS:
        draw.rectangle((x, y, x + 28, y + 28), fill=STATUS_COLOURS[status], outline="#808080")
        x += 38
        draw.text((x, y - 2), label, font=font, fill="#" + DARK)
        x += int(draw.textlength(label, font=font)) + 36


def department_chart_png(rows: Sequence[Completion]) -> bytes:
    """A stacked bar per department: the share of its tasks done, 白, 黄 and 红, with the
    completion rate at the right; the rows in the order given."""
    font = _chart_font(28)
    bar, gap, top = 40, 18, 70
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    label_width = max(int(probe.textlength(r.label, font=font)) for r in rows) + 24
    bar_left, bar_right = label_width, CHART_WIDTH - 140
    image = Image.new("RGB", (CHART_WIDTH, top + len(rows) * (bar + gap) + gap), "white")
    draw = ImageDraw.Draw(image)
    _legend(draw, bar_left, 16)
    for i, row in enumerate(rows):
        y = top + gap + i * (bar + gap)
        draw.text((bar_left - 12, y + bar // 2), row.label, font=font, anchor="rm",
                  fill="#" + DARK)
        x = float(bar_left)
        for status, name, _ in CHART_SEGMENTS:
            share = getattr(row, name) / row.total if row.total else 0.0
            end = x + share * (bar_right - bar_left)
            if end > x:
                draw.rectangle((round(x), y, round(end), y + bar), fill=STATUS_COLOURS[status],
                               outline="#808080")
            x = end
        draw.text((bar_right + 14, y + bar // 2), percent_text(row.percent), font=font,
                  anchor="lm", fill="#" + DARK)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
