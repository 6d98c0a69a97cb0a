"""The generated documents of an upload-ready export: 测评材料提交表 (one per item), 材料目录
(DOCX and XLSX) and the 四性检测报告. python-docx and openpyxl only; nothing here imports Qt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.core.export import wordxml
from desktop.core.export.model import (
    PROPERTIES,
    ExportPlan,
    PlannedItem,
    PlannedMaterial,
    PlannedSystem,
    SignedDecision,
    VerifyReport,
)
from desktop.core.office import sheets
from desktop.core.office.docx import set_fonts

__all__ = ["write_catalogue_docx", "write_catalogue_xlsx", "write_submission_form",
           "write_verify_report_docx"]

BODY_FONT, TITLE_FONT = "宋体", "黑体"
RED, GREEN = RGBColor(0xC0, 0x00, 0x00), RGBColor(0x00, 0x80, 0x00)
DRAFT_WARNING = "草稿导出：含未终审材料，不可作为正式申报材料"
STAGES = {"first": "初审", "second": "复审", "final": "终审"}
VERDICTS = {"approve": "通过", "reject": "退回"}
MARKS = {"approve": "✓", "reject": "✗"}
MISSING = "（缺材料）"

CATALOGUE_HEADER = ("序号", "测评内容", "材料名称", "文号", "日期", "页数", "责任单位", "审核")
CATALOGUE_WIDTHS = (24, 35, 54, 30, 29, 12, 26, 47)  # mm, landscape A4 less 20 mm margins
ARCHIVAL_COLUMN = "档号"  # last, when some exported material has one
CATALOGUE_NUMBERED_WIDTHS = (22, 30, 46, 26, 22, 10, 24, 43, 34)
BONUS_TITLE = "创新特色（加分）材料"
BONUS_HEADER = ("序号", "测评内容", "材料名称", "级别", "发文（表扬）单位", "表扬日期", "责任单位",
                "审核")
BONUS_WIDTHS = (24, 35, 54, 18, 41, 24, 26, 35)
# with more than one indicator system the bonus table names each material's system
BONUS_SYSTEM = "测评体系"
BONUS_SYSTEMS_WIDTHS = (30, 34, 30, 37, 14, 30, 28, 22, 32)
# with more than one system, 序号 such as W01.01-001 (a prefix of up to three letters) needs room
CATALOGUE_SYSTEMS_WIDTHS = (30, 33, 50, 30, 27, 12, 26, 49)
NO_BONUS = "本次导出没有标为创新特色（加分）的材料。"
NO_ITEMS = "本测评体系尚无测评内容。"
FORM_HEADER = ("序号", "材料名称", "文号", "日期", "页数", "责任单位", "文件")
FORM_WIDTHS = (13, 35, 24, 28, 12, 20, 38)  # mm, portrait A4 less 20 mm margins
DECISION_HEADER = ("阶段", "结论", "审核人", "时间（北京时间）", "意见", "签名摘要")
DECISION_WIDTHS = (12, 12, 18, 44, 48, 36)
MARKS_HEADER = ("序号", "文件", "页码", "标注的文字")
MARKS_WIDTHS = (13, 45, 18, 94)
CHECK_HEADER = ("性质", "编号", "检测项", "检测数", "结果", "说明")
CHECK_WIDTHS = (16, 12, 46, 16, 16, 64)


# -- text ------------------------------------------------------------------------------------

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


def _time(iso: str) -> str:
    """An ISO timestamp (stored in UTC) as "YYYY-MM-DD HH:MM" Beijing time, the time every
    reader of these documents lives in; an unparsable value is shown as it is."""
    try:
        when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (AttributeError, TypeError, ValueError):
        return iso or ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def _seq(material: PlannedMaterial) -> str:
    return f"{material.seq:03d}"


def _pages(material: PlannedMaterial) -> str:
    return "" if material.page_count is None else str(material.page_count)


def _last_round(decisions: Sequence[SignedDecision]) -> list[SignedDecision]:
    if not decisions:
        return []
    last = max(d.round for d in decisions)
    return [d for d in decisions if d.round == last]


def _review_summary(decisions: Sequence[SignedDecision]) -> str:
    parts = [f"{STAGES.get(d.stage, d.stage)} {d.reviewer} {MARKS.get(d.verdict, d.verdict)}"
             for d in _last_round(decisions)]
    return "；".join(parts) or "未审核"


def _numbered(plan: ExportPlan) -> bool:
    """Whether 材料目录 has a 档号 column: some exported material has a 档号."""
    return any(m.archival_number for m in plan.materials)


def _catalogue_header(plan: ExportPlan) -> tuple[str, ...]:
    return (*CATALOGUE_HEADER, ARCHIVAL_COLUMN) if _numbered(plan) else CATALOGUE_HEADER


def _catalogue_rows(items: Sequence[PlannedItem], numbered: bool = False
                    ) -> list[tuple[str, ...]]:
    """One row per material (a 缺材料 row for an item without); with `numbered`, its 档号 last
    (so the columns before keep their places)."""
    rows: list[tuple[str, ...]] = []
    for item in items:
        content = f"{item.code} {item.name}"
        if not item.materials:
            rows.append(("—", content, MISSING, "", "", "", "", "", *([""] if numbered else [])))
        for m in item.materials:
            number = (m.archival_number or {}).get("code", "")
            rows.append((f"{item.code}-{_seq(m)}", content, m.title, m.doc_number,
                         m.material_date or "", _pages(m), m.department,
                         _review_summary(m.decisions), *([number] if numbered else [])))
    return rows


def _bonus_header(plan: ExportPlan) -> tuple[str, ...]:
    if not plan.several_systems:
        return BONUS_HEADER
    return (BONUS_HEADER[0], BONUS_SYSTEM, *BONUS_HEADER[1:])


def _bonus_rows(plan: ExportPlan) -> list[tuple[str, ...]]:
    """One row per 创新特色 / 加分 material (once, under the first item it is filed in); with
    more than one system, the systems it is filed in (the first item's first) come second."""
    systems: dict[int, list[str]] = {}
    for item in plan.items:
        for m in item.materials:
            names = systems.setdefault(m.id, [])
            if item.system.name not in names:
                names.append(item.system.name)
    rows: list[tuple[str, ...]] = []
    for item, m in plan.bonus:
        bonus = m.bonus or {}
        where = ("、".join(systems.get(m.id) or [item.system.name]),) \
            if plan.several_systems else ()
        rows.append((f"{item.code}-{_seq(m)}", *where, f"{item.code} {item.name}", m.title,
                     str(bonus.get("level") or ""), str(bonus.get("issuer") or ""),
                     str(bonus.get("date") or ""), m.department,
                     _review_summary(m.decisions)))
    return rows


def _section_note(system: PlannedSystem, items: Sequence[PlannedItem]) -> str:
    """What a system's section of 材料目录 holds, below its heading."""
    materials = len({m.id for i in items for m in i.materials})
    missing = sum(1 for i in items if not i.materials)
    note = f"测评内容 {len(items)} 项，材料 {materials} 份"
    if missing:
        note += f"，{missing} 项缺材料"
    if system.folder and materials:
        note += f"；文件在 {system.folder} 文件夹中"
    return note


# -- DOCX helpers ----------------------------------------------------------------------------


def _new_document(landscape: bool = False) -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_FONT)
    normal.font.size = Pt(10.5)
    return doc


def _paragraph(doc: DocxDocument, text: str = "", *, bold: bool = False,
               color: RGBColor | None = None, size: float | None = None,
               font: str = BODY_FONT, center: bool = False) -> Paragraph:
    para = doc.add_paragraph()
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    set_fonts(run, font)
    run.bold = bold
    if color is not None:
        run.font.color.rgb = color
    if size is not None:
        run.font.size = Pt(size)
    return para


def _title(doc: DocxDocument, text: str) -> None:
    _paragraph(doc, text, bold=True, size=18, font=TITLE_FONT, center=True)


def _heading(doc: DocxDocument, text: str) -> None:
    para = _paragraph(doc, text, bold=True, size=12, font=TITLE_FONT)
    para.paragraph_format.space_before = Pt(10)


def _fill_cell(cell: _Cell, text: str, *, bold: bool = False,
               color: RGBColor | None = None) -> None:
    run = cell.paragraphs[0].add_run(text)  # "\n" in text becomes a line break
    set_fonts(run, TITLE_FONT if bold else BODY_FONT)
    run.bold = bold
    if color is not None:
        run.font.color.rgb = color


def _repeat_header(table: Table) -> None:
    """Mark the first row as a header row, repeated at the top of every page."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def _grid(doc: DocxDocument, widths_mm: Sequence[float], rows: int = 0) -> Table:
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # gridCol widths (LibreOffice) and cell widths (Word); add_row copies gridCol to new cells
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    return table


def _table(doc: DocxDocument, header: Sequence[str], widths_mm: Sequence[float]) -> Table:
    """A grid whose first row is a bold header, repeated at the top of every page."""
    table = _grid(doc, widths_mm, rows=1)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _fill_cell(cell, text, bold=True)
    _repeat_header(table)
    return table


def _add_row(table: Table, values: Sequence[str],
             colors: dict[int, RGBColor] | None = None) -> None:
    cells = table.add_row().cells
    for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
        _fill_cell(cell, text, color=(colors or {}).get(i))


def _blank_line(para: Paragraph, chars: int) -> None:
    """An underlined stretch of ideographic spaces: a line to write on by hand."""
    run = para.add_run("\u3000" * chars)
    run.underline = True


# -- the same, written as WordprocessingML text (wordxml): the documents an export writes many
#    of, or with many rows

def _skeleton(landscape: bool) -> wordxml.Skeleton:
    return wordxml.cached_skeleton("landscape" if landscape else "portrait",
                                   _LANDSCAPE if landscape else _PORTRAIT)


def _PORTRAIT() -> DocxDocument:  # noqa: N802 - named as the constant it stands for
    return _new_document()


def _LANDSCAPE() -> DocxDocument:  # noqa: N802
    return _new_document(landscape=True)


def _run(text: str, *, bold: bool = False, color: RGBColor | None = None,
         size: float | None = None, font: str = BODY_FONT) -> wordxml.Run:
    """A run as _paragraph() makes it."""
    return wordxml.Run(text, font, bold, None if color is None else str(color), size)


def _cell(text: str, *, bold: bool = False, color: RGBColor | None = None) -> wordxml.Run:
    """A cell's run as _fill_cell() makes it."""
    return _run(text, bold=bold, color=color, font=TITLE_FONT if bold else BODY_FONT)


def _para(text: str = "", *, bold: bool = False, color: RGBColor | None = None,
          size: float | None = None, font: str = BODY_FONT, center: bool = False) -> str:
    return wordxml.paragraph(_run(text, bold=bold, color=color, size=size, font=font),
                             center=center)


def _title_xml(text: str) -> str:
    return _para(text, bold=True, size=18, font=TITLE_FONT, center=True)


def _heading_xml(text: str) -> str:
    return wordxml.paragraph(_run(text, bold=True, size=12, font=TITLE_FONT), space_before=10)


def _table_xml(header: Sequence[str], widths_mm: Sequence[float],
               rows: Sequence[Sequence[str]],
               colors: Callable[[Sequence[str]], dict[int, RGBColor] | None] = lambda _r: None
               ) -> str:
    """As _table() then _add_row() per row: a bold header row repeated on every page."""
    cells = [[_cell(text, bold=True) for text in header]]
    for row in rows:
        tint = colors(row) or {}
        cells.append([_cell(text, color=tint.get(i)) for i, text in enumerate(row)])
    return wordxml.table(widths_mm, cells, header=True)


def _blank(chars: int) -> wordxml.Run:
    """An underlined stretch of ideographic spaces, as _blank_line() makes it."""
    return wordxml.Run("\u3000" * chars, underline=True)


# -- 测评材料提交表 ------------------------------------------------------------------------------

def write_submission_form(plan: ExportPlan, item: PlannedItem, out: Path) -> None:
    """《测评材料提交表》 of one 测评内容: its materials, their files and review records."""
    body = [_title_xml("测评材料提交表")]
    # with more than one indicator system, the form says whose 测评项目 this is
    system = (("测评体系", item.system.heading),) if plan.several_systems else ()
    info = (*system,
            ("测评项目", f"{item.category_code} {item.category_name}"),
            ("测评内容", f"{item.code} {item.name}"),
            ("报送单位", plan.bureau),
            ("材料份数", str(len(item.materials))),
            ("导出时间", _time(plan.created_at) + "（北京时间）"))
    body.append(wordxml.table((30, 140), [[_cell(label, bold=True), _cell(value)]
                                          for label, value in info]))
    if plan.draft:
        body.append(_para(DRAFT_WARNING, bold=True, color=RED, size=12))

    body.append(_heading_xml("材料清单"))
    body.append(_table_xml(FORM_HEADER, FORM_WIDTHS, [
        (_seq(m), m.title, m.doc_number, m.material_date or "", _pages(m), m.department,
         "、".join(PurePosixPath(f.path.replace("\\", "/")).name for f in m.files))
        for m in item.materials]))
    if not item.materials:
        body.append(_para(f"本测评内容无可导出的材料{MISSING}。", color=RED))

    marked = [(m, mark) for m in item.materials for mark in m.marks]
    if marked:  # 红线标注: the passages that prove the point, where to find them
        body.append(_heading_xml("红线标注（标注副本中以红线画在文字下方）"))
        names = {(m.id, f.source_sha256): PurePosixPath(f.path).name
                 for m in item.materials for f in m.files}
        body.append(_table_xml(MARKS_HEADER, MARKS_WIDTHS, [
            (_seq(m), names.get((m.id, mark["file_sha256"]), ""), f"第 {mark['page']} 页",
             mark["text"].replace("\n", "")) for m, mark in marked]))

    for m in item.materials:
        body.append(_heading_xml(f"审核记录：{_seq(m)} {m.title}"))
        if not m.decisions:
            body.append(_para("未审核"))
            continue
        rounds = sorted({d.round for d in m.decisions})
        if len(rounds) > 1:
            body.append(_para(f"共 {len(rounds)} 轮审核，以第 {rounds[-1]} 轮为准。"))
        body.append(_table_xml(DECISION_HEADER, DECISION_WIDTHS, [
            (STAGES.get(d.stage, d.stage), VERDICTS.get(d.verdict, d.verdict), d.reviewer,
             _time(d.decided_at), d.comment, f"{d.hash[:16]}…") for d in m.decisions],
            colors=lambda row: {1: RED} if row[1] == VERDICTS["reject"] else None))

    body.append(_heading_xml("结论性说明："))
    if item.conclusion:  # written in the archive (zicha items conclusion, the window)
        body += [_para(text.strip()) for text in item.conclusion.splitlines() if text.strip()]
    else:
        body += [wordxml.paragraph(_blank(40)) for _ in range(2)]
    signed = bool(item.conclusion)
    body.append(wordxml.paragraph(
        wordxml.Run("填表人："),
        wordxml.Run(item.conclusion_by) if signed and item.conclusion_by else _blank(10),
        wordxml.Run("\u3000\u3000日期："),
        wordxml.Run(_time(item.conclusion_at)[:10]) if signed and item.conclusion_at
        else _blank(10)))
    wordxml.save(_skeleton(landscape=False), body, out)


# -- 材料目录 -------------------------------------------------------------------------------

def write_catalogue_docx(plan: ExportPlan, out: Path) -> None:
    """材料目录 of the whole export as one Word table, A4 landscape."""
    body = [_title_xml("材料目录"),
            _para(f"报送单位：{plan.bureau}\u3000\u3000导出日期：{_time(plan.created_at)[:10]}",
                  center=True)]
    if plan.draft:
        body.append(_para(DRAFT_WARNING, bold=True, color=RED, size=12, center=True))
    several = plan.several_systems
    for system, items in plan.sections if several else [(None, plan.items)]:
        if system is not None:  # one section per system, the city system first
            body.append(_heading_xml(system.heading))
            if not items:
                body.append(_para(NO_ITEMS))
                continue
            body.append(_para(_section_note(system, items)))
        numbered = _numbered(plan)
        body.append(_table_xml(
            _catalogue_header(plan),
            CATALOGUE_NUMBERED_WIDTHS if numbered else
            CATALOGUE_SYSTEMS_WIDTHS if several else CATALOGUE_WIDTHS,
            _catalogue_rows(items, numbered),
            colors=lambda row: {2: RED} if row[2] == MISSING else None))
    body.append(_heading_xml(BONUS_TITLE))
    bonus = _bonus_rows(plan)
    if bonus:
        body.append(_table_xml(_bonus_header(plan),
                               BONUS_SYSTEMS_WIDTHS if several else BONUS_WIDTHS, bonus))
    else:
        body.append(_para(NO_BONUS))
    wordxml.save(_skeleton(landscape=True), body, out)


def _fit_columns(sheet: Worksheet, cap: int = 60, skip: frozenset[int] = frozenset()) -> None:
    """Each column as wide as its widest cell (up to `cap`), leaving out the rows `skip`
    (section headings, merged across the row)."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        if row and row[0].row in skip:
            continue
        for cell in row:
            if cell.column is None:  # a merged cell's column is typed optional
                continue
            width = sheets.display_width("" if cell.value is None else str(cell.value))
            widths[cell.column] = max(widths.get(cell.column, 0), width)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 6), cap)


def _sheet(sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[object]],
           headings: Sequence[int] = ()) -> None:
    """A sheet with a bold header row, `rows` below, a filter and fitted columns. The rows
    at the indexes `headings` (of `rows`) are section headings: one text merged across the
    row, bold on a light fill."""
    sheets.append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheets.append(sheet, row)
    marked = frozenset(index + 2 for index in headings)  # the sheet's row numbers
    last = get_column_letter(len(header))
    for number in sorted(marked):
        sheet.merge_cells(f"A{number}:{last}{number}")
        cell = sheet.cell(number, 1)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EDEDED")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    _fit_columns(sheet, skip=marked)
    sheets.print_setup(sheet, header_row=1)


def _sections(plan: ExportPlan, make: Callable[[Sequence[PlannedItem]], list[Any]],
              width: int) -> tuple[list[Any], list[int], list[PlannedItem | None]]:
    """A sheet's rows system by system: with more than one system, each system's rows follow
    a heading row (its name, edition and weight). Also the indexes of the heading rows and,
    row by row, the item each row is of (None for a heading) when `make` gives one row per
    item."""
    if not plan.several_systems:
        return make(plan.items), [], list(plan.items)
    rows: list[Any] = []
    headings: list[int] = []
    owners: list[PlannedItem | None] = []
    for system, items in plan.sections:
        headings.append(len(rows))
        owners.append(None)
        note = _section_note(system, items) if items else NO_ITEMS.rstrip("。")
        rows.append((f"{system.heading}\u3000{note}", *[None] * (width - 1)))
        rows.extend(make(items))
        owners.extend(items)
    return rows, headings, owners


def write_catalogue_xlsx(plan: ExportPlan, out: Path) -> None:
    """材料目录 as a workbook: sheet 材料目录 (one row per material), 测评内容 (per item) and
    创新特色（加分）材料 (one row per material marked as bonus evidence)."""
    book = Workbook()
    catalogue = sheets.active_sheet(book)
    catalogue.title = "材料目录"
    # 页数 as a number so it sums; dates stay text, as written on the material
    header = _catalogue_header(plan)
    rows, headings, _ = _sections(plan, lambda items: [
        (*row[:5], int(row[5]) if row[5] else None, *row[6:])
        for row in _catalogue_rows(items, _numbered(plan))], len(header))
    _sheet(catalogue, header, rows, headings)

    items = book.create_sheet("测评内容")
    header = ("测评项目", "测评内容", "材料份数", "未就绪")
    rows, headings, owners = _sections(plan, lambda items: [
        (f"{i.category_code} {i.category_name}", f"{i.code} {i.name}", len(i.materials),
         len(i.not_ready)) for i in items], len(header))
    _sheet(items, header, rows, headings)
    red = PatternFill("solid", fgColor="FFC7CE")
    for row_number, item in enumerate(owners, start=2):
        if item is not None and not item.materials:
            for cell in items[row_number]:
                cell.fill = red
    _sheet(book.create_sheet(BONUS_TITLE), _bonus_header(plan), _bonus_rows(plan))
    book.save(str(out))


# -- 四性检测报告 --------------------------------------------------------------------------------

def write_verify_report_docx(report: VerifyReport, out: Path) -> None:
    """电子档案四性检测报告 (DA/T 70-2018) of a written export."""
    doc = _new_document()
    _title(doc, "电子档案四性检测报告")
    for line in (f"检测对象：{report.path}", f"检测时间：{_time(report.checked_at)}（北京时间）",
                 f"报送单位：{report.bureau}",
                 f"文件数：{report.files}\u3000\u3000字节数：{report.bytes:,}"):
        _paragraph(doc, line)
    verdict = doc.add_paragraph()
    verdict.add_run("结论：")
    run = verdict.add_run("通过" if report.ok else "不通过")
    run.bold = True
    run.font.color.rgb = GREEN if report.ok else RED
    if report.draft:
        _paragraph(doc, DRAFT_WARNING, bold=True, color=RED, size=12)

    table = _table(doc, CHECK_HEADER, CHECK_WIDTHS)
    order = {name: i for i, name in enumerate(PROPERTIES)}
    # sorted() is stable: checks keep their order within a property, unknown ones come last
    for check in sorted(report.checks, key=lambda c: order.get(c.property, len(PROPERTIES))):
        explain = "\n".join(check.problems) or "\n".join(check.notes) or "—"
        _add_row(table, (check.property, check.code, check.name, str(check.count),
                         "通过" if check.ok else "不通过", explain),
                 colors={4: GREEN if check.ok else RED})
    doc.save(str(out))
