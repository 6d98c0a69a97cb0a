"""desktop.core.ledger.documents writes the 台账 workbook and the weekly report, reopened here as
real files (and, when LibreOffice is installed, converted to PDF)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pymupdf
import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image

from desktop.core.export.convert import ConversionError, docx_to_pdf, find_soffice
from desktop.core.ledger.documents import (
    PROBLEM_STATES,
    date_text,
    department_chart_png,
    percent_text,
    write_ledger_xlsx,
    write_weekly_report_docx,
)
from desktop.core.ledger.views import (
    CLOSED,
    DATE,
    DONE,
    OPEN,
    RECURRING,
    RED,
    WHITE,
    YELLOW,
    Completion,
    Deadline,
    Ledger,
    ProblemView,
    TaskView,
)

TODAY = dt.date(2024, 6, 20)
BUREAU = "吴州市文明办"
CATEGORIES = {"A01": "公共文明", "A02": "公共服务", "A03": "生态环境"}
SECTIONS = ["一、总体情况", "二、各测评项目完成情况", "三、各责任单位完成情况",
            "四、红色清单（已逾期）", "五、黄色清单（临近时限）", "六、本周销号/完成",
            "七、未结问题", "八、负面清单"]


def _due(day: str) -> Deadline:
    return Deadline(DATE, date=dt.date.fromisoformat(day), text=day)


def _task(task_id: int, item: tuple[str, str], department: str, status: str,
          deadline: Deadline, role: str = "lead", **extra: object) -> TaskView:
    code, name = item
    days_left = (deadline.date - TODAY).days if deadline.date else None
    return TaskView(
        id=task_id, category_code=code[:3], category_name=CATEGORIES[code[:3]], item_code=code,
        item_name=name, department=department, role=role,
        requirement=f"{name}工作常态化开展，测评期间实地考察无明显问题，群众满意度达到 90% 以上",
        material_requirement="工作方案、推进会议纪要、整改前后对比照片",
        responsible="张伟", deadline=deadline, status=status, days_left=days_left,
        materials=3 if status in (DONE, CLOSED) else 1,
        final_approved=3 if status == DONE else 0, **extra)


TASKS = [
    _task(1, ("A01-01", "公共场所秩序"), "市城管局", DONE, _due("2024-06-30"),
          done_at="2024-06-18T10:00:00+08:00"),
    _task(2, ("A01-02", "文明交通"), "市公安局", RED, _due("2024-06-15")),
    _task(3, ("A01-02", "文明交通"), "市城管局", WHITE, Deadline(OPEN, text="长期坚持"),
          role="support"),
    _task(4, ("A01-03", "烟花爆竹禁放"), "市公安局", YELLOW, _due("2024-06-23")),
    _task(5, ("A02-01", "公共厕所"), "市城管局", YELLOW, _due("2024-06-25")),
    _task(6, ("A02-02", "无障碍设施"), "市住建局", RED, _due("2024-06-01")),
    _task(7, ("A02-02", "无障碍设施"), "市城管局", CLOSED, _due("2024-06-30"), role="support",
          closed_reason="该点位已纳入市住建局统一整改，经创文办同意销号", closed_by="王芳",
          closed_at="2024-06-17T15:30:00+08:00"),
    _task(8, ("A02-03", "老旧小区改造"), "市住建局", DONE, _due("2024-05-31"),
          done_at="2024-05-30T09:00:00+08:00"),
    _task(9, ("A03-01", "河湖水质"), "市生态环境局", DONE, _due("2024-06-10"),
          done_at="2024-06-01T09:00:00+08:00"),
    _task(10, ("A03-02", "建筑工地扬尘"), "市住建局", WHITE,
          Deadline(RECURRING, period="quarter", text="每季度")),
]
PROBLEMS = [
    ProblemView(id=1, item_code="A01-02", item_name="文明交通", department="市公安局",
                description="人民路与解放路口行人闯红灯现象突出，早高峰文明劝导员未到岗",
                found_at="2024-06-05", found_by="李明", deadline=dt.date(2024, 6, 15),
                state="assigned", rectification="", evidence=[], feedback="", overdue=True),
    ProblemView(id=2, item_code="A02-01", item_name="公共厕所", department="市城管局",
                description="人民公园东门公厕无障碍扶手损坏", found_at="2024-06-10",
                found_by="李明", deadline=dt.date(2024, 6, 28), state="confirmed",
                rectification="已更换扶手并张贴服务监督电话", evidence=[11, 12],
                feedback="复查合格", overdue=False),
]


def _completion(tasks: list[TaskView], key: Callable[[TaskView], str],
                label: Callable[[TaskView], str]) -> list[Completion]:
    rows: dict[str, Completion] = {}
    for t in tasks:
        row = rows.setdefault(key(t), Completion(key=key(t), label=label(t)))
        row.total += 1
        row.done += t.status in (DONE, CLOSED)
        row.white += t.status == WHITE
        row.yellow += t.status == YELLOW
        row.red += t.status == RED
    return list(rows.values())


def _ledger(tasks: list[TaskView], problems: list[ProblemView]) -> Ledger:
    week_start = (TODAY - dt.timedelta(days=7)).isoformat()
    return Ledger(
        today=TODAY, bureau=BUREAU, warn_days=7, tasks=tasks, problems=problems,
        by_category=_completion(tasks, lambda t: t.category_code, lambda t: t.category_name),
        by_department=_completion(tasks, lambda t: t.department, lambda t: t.department),
        newly_done=[t for t in tasks if (t.done_at or t.closed_at) >= week_start])


@pytest.fixture
def ledger() -> Ledger:
    return _ledger(TASKS, PROBLEMS)


@pytest.fixture
def quiet_ledger() -> Ledger:
    """No red tasks, nothing finished this week, no problems."""
    tasks = [t for t in TASKS if t.status != RED and t.id not in (1, 7)]
    return _ledger(tasks, [])


# -- text --------------------------------------------------------------------------------------

def test_percent_text() -> None:
    assert percent_text(200 / 3) == "66.7%"
    assert percent_text(50.0) == "50%"
    assert percent_text(100.0) == "100%"
    assert percent_text(0.0) == "0%"
    assert percent_text(99.96) == "100%"
    assert percent_text(12.5, digits=2) == "12.5%"


def test_date_text() -> None:
    assert date_text(dt.date(2024, 6, 4)) == "2024年6月4日"


def test_fixture_covers_every_status(ledger: Ledger) -> None:
    assert {t.status for t in ledger.tasks} == {DONE, WHITE, YELLOW, RED, CLOSED}
    assert [d.key for d in ledger.by_department] == ["市城管局", "市公安局", "市住建局",
                                                     "市生态环境局"]
    assert [t.id for t in ledger.newly_done] == [1, 7]


# -- XLSX --------------------------------------------------------------------------------------

def _xlsx(ledger: Ledger, tmp_path: Path) -> openpyxl.Workbook:
    out = tmp_path / "台账.xlsx"
    write_ledger_xlsx(ledger, out)
    return openpyxl.load_workbook(out)


def _column(sheet: Worksheet, header: str, header_row: int) -> int:
    headers = [c.value for c in sheet[header_row]]
    return headers.index(header) + 1


def _row_of(sheet: Worksheet, text: str, department: str) -> int:
    for row in sheet.iter_rows(min_row=3):
        if row[2].value == text and row[3].value == department:
            return row[0].row
    raise AssertionError(f"no row for {text} / {department}")


def test_xlsx_sheets_title_and_header(ledger: Ledger, tmp_path: Path) -> None:
    book = _xlsx(ledger, tmp_path)
    assert book.sheetnames == ["台账", "按测评项目", "按责任单位", "问题整改"]
    sheet = book["台账"]
    assert sheet["A1"].value == "吴州市文明办创建全国文明城市任务台账（截至 2024-06-20）"
    assert (sheet["A1"].font.name, sheet["A1"].font.sz) == ("黑体", 14)
    assert sheet["B2"].font.name == "黑体" and sheet["C3"].font.name == "宋体"
    assert "A1:O1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]] == [
        "序号", "测评项目", "测评内容", "责任单位", "牵头/配合", "测评标准", "材料要求", "责任人",
        "完成时限", "剩余天数", "材料数", "终审通过", "状态", "销号说明", "清单"]
    assert sheet.max_row == 2 + len(TASKS)
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:O12"


def test_xlsx_task_rows(ledger: Ledger, tmp_path: Path) -> None:
    sheet = _xlsx(ledger, tmp_path)["台账"]
    red = [c.value for c in sheet[_row_of(sheet, "A01-02 文明交通", "市公安局")]]
    assert red[:5] == [2, "A01 公共文明", "A01-02 文明交通", "市公安局", "牵头"]
    assert red[8:13] == ["2024-06-15", -5, 1, 0, "红"]
    support = [c.value for c in sheet[_row_of(sheet, "A01-02 文明交通", "市城管局")]]
    assert support[4] == "配合" and support[8] == "长期坚持" and support[9] is None
    closed = [c.value for c in sheet[_row_of(sheet, "A02-02 无障碍设施", "市城管局")]]
    assert closed[12:14] == ["已销号", "该点位已纳入市住建局统一整改，经创文办同意销号"]
    assert closed[9] is None  # a finished task has no days left to count
    recurring = [c.value for c in sheet[_row_of(sheet, "A03-02 建筑工地扬尘", "市住建局")]]
    assert recurring[8] == "每季度"


def test_xlsx_status_fills(ledger: Ledger, tmp_path: Path) -> None:
    sheet = _xlsx(ledger, tmp_path)["台账"]
    status = _column(sheet, "状态", 2)

    def cell(item: str, department: str) -> openpyxl.cell.Cell:
        return sheet.cell(_row_of(sheet, item, department), status)

    red = cell("A01-02 文明交通", "市公安局")
    assert red.fill.fgColor.rgb.endswith("C62828")
    assert red.font.color.rgb.endswith("FFFFFF")
    yellow = cell("A02-01 公共厕所", "市城管局")
    assert yellow.fill.fgColor.rgb.endswith("F9A825")
    assert yellow.font.color.rgb.endswith("212121")
    white = cell("A01-02 文明交通", "市城管局")
    assert white.fill.fgColor.rgb.endswith("FFFFFF")
    assert white.border.left.style == white.border.bottom.style == "thin"
    assert cell("A01-01 公共场所秩序", "市城管局").fill.fgColor.rgb.endswith("2E7D32")
    assert cell("A02-02 无障碍设施", "市城管局").fill.fgColor.rgb.endswith("607D8B")


def test_xlsx_layout_and_print_setup(ledger: Ledger, tmp_path: Path) -> None:
    sheet = _xlsx(ledger, tmp_path)["台账"]
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGHIJKLMN"}
    assert widths["A"] == 6  # 序号
    assert widths["F"] == 34  # 测评标准 is long: capped, and it wraps
    assert widths["D"] == 14  # 市生态环境局: 12 units + 2
    assert sheet["F3"].alignment.wrap_text
    assert sheet["A3"].alignment.horizontal == "center"
    # openpyxl cannot make Excel grow a row for wrapped text: the height is set, 3 lines here
    assert sheet.row_dimensions[3].height == 3 * 15 + 4
    assert sheet.row_dimensions[2].height == 15 + 4
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 == "9"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert str(sheet.print_title_rows) == "$2:$2"


def test_xlsx_completion_sheets(ledger: Ledger, tmp_path: Path) -> None:
    book = _xlsx(ledger, tmp_path)
    categories = book["按测评项目"]
    rows = [[c.value for c in row] for row in categories.iter_rows()]
    assert rows[0] == ["测评项目", "任务数", "已完成", "白", "黄", "红", "完成率"]
    assert rows[1:] == [["A01 公共文明", 4, 1, 1, 1, 1, 0.25],
                        ["A02 公共服务", 4, 2, 0, 1, 1, 0.5],
                        ["A03 生态环境", 2, 1, 1, 0, 0, 0.5],
                        ["合计", 10, 4, 2, 2, 2, 0.4]]
    assert categories.freeze_panes == "A2"
    assert categories.auto_filter.ref == "A1:G4"  # the 合计 row stays out of sorting
    for row in range(2, 6):
        assert categories.cell(row, 7).number_format == "0.0%"
    assert categories["F2"].fill.fgColor.rgb.endswith("C62828")  # 红 1
    assert categories["F4"].fill.fill_type is None  # 红 0: no colour

    departments = book["按责任单位"]
    assert [departments.cell(r, 1).value for r in range(2, 7)] == [
        "市城管局", "市公安局", "市住建局", "市生态环境局", "合计"]
    assert [departments.cell(r, 7).value for r in range(2, 6)] == pytest.approx(
        [0.5, 0.0, 1 / 3, 1.0])
    assert departments["G3"].number_format == "0.0%"
    heights = {departments.row_dimensions[r].height for r in range(2, 7)}
    assert heights == {19}  # one line each: 33.3% is a number, not a long text


def test_xlsx_problem_sheet(ledger: Ledger, tmp_path: Path) -> None:
    sheet = _xlsx(ledger, tmp_path)["问题整改"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["编号", "测评内容", "责任单位", "问题", "发现日期", "发现人", "整改时限",
                       "状态", "整改说明", "是否逾期"]
    assert len(rows) == 3
    assert rows[1][:3] == [1, "A01-02 文明交通", "市公安局"]
    assert rows[1][6:] == ["2024-06-15", "已交办", None, "是"]
    assert rows[2][7:] == ["已确认", "已更换扶手并张贴服务监督电话", "否"]
    assert sheet["J2"].fill.fgColor.rgb.endswith("C62828")
    assert sheet.auto_filter.ref == "A1:J3"
    assert sheet.freeze_panes == "A2"


def test_problem_state_labels() -> None:
    assert PROBLEM_STATES == {"found": "已发现", "assigned": "已交办",
                              "rectified": "已整改待确认", "confirmed": "已确认",
                              "returned": "已退回"}


def test_xlsx_of_an_empty_ledger(tmp_path: Path) -> None:
    book = _xlsx(Ledger(today=TODAY, bureau=BUREAU, warn_days=7), tmp_path)
    assert book["台账"].max_row == 2
    assert book["台账"].auto_filter.ref == "A2:O2"
    assert [c.value for c in book["按责任单位"][2]][:2] == ["合计", 0]


# -- DOCX --------------------------------------------------------------------------------------

def _docx(ledger: Ledger, tmp_path: Path, name: str = "周报.docx") -> DocxDocument:
    out = tmp_path / name
    write_weekly_report_docx(ledger, out)
    return Document(str(out))


def _body(doc: DocxDocument) -> list[tuple[str, object]]:
    """The body in order: ("p", paragraph) and ("t", table)."""
    items: list[tuple[str, object]] = []
    paragraphs = {p._p: p for p in doc.paragraphs}
    tables = {t._tbl: t for t in doc.tables}
    for element in doc.element.body.iterchildren():
        if element in paragraphs:
            items.append(("p", paragraphs[element]))
        elif element in tables:
            items.append(("t", tables[element]))
    return items


def _section(doc: DocxDocument, heading: str) -> list[tuple[str, object]]:
    """What lies between `heading` and the next section heading."""
    body = _body(doc)
    start = next(i for i, (kind, x) in enumerate(body) if kind == "p" and x.text == heading)
    end = next((i for i in range(start + 1, len(body))
                if body[i][0] == "p" and body[i][1].style.name == "Heading 1"), len(body))
    return body[start + 1:end]


def _tables(doc: DocxDocument, heading: str) -> list[Table]:
    return [x for kind, x in _section(doc, heading) if kind == "t"]


def _texts(doc: DocxDocument, heading: str) -> list[str]:
    return [x.text for kind, x in _section(doc, heading) if kind == "p" and x.text]


def _rows(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _fill(cell: _Cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd"))
    return None if shd is None else shd.get(qn("w:fill"))


def test_docx_page_and_title(ledger: Ledger, tmp_path: Path) -> None:
    doc = _docx(ledger, tmp_path)
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    title, subtitle = doc.paragraphs[0], doc.paragraphs[1]
    assert title.text == "吴州市文明办创建全国文明城市工作周报"
    assert subtitle.text == "（2024年6月14日—2024年6月20日）"
    fonts = title.runs[0]._r.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "黑体"
    body = doc.styles["Normal"].element.rPr.rFonts
    assert body.get(qn("w:eastAsia")) == "宋体"
    assert doc.core_properties.title == title.text


def test_docx_sections_in_order(ledger: Ledger, tmp_path: Path) -> None:
    doc = _docx(ledger, tmp_path)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTIONS
    heading_fonts = doc.styles["Heading 1"].element.rPr.rFonts
    assert heading_fonts.get(qn("w:eastAsia")) == "黑体"
    assert heading_fonts.get(qn("w:eastAsiaTheme")) is None


def test_docx_summary(ledger: Ledger, tmp_path: Path) -> None:
    doc = _docx(ledger, tmp_path)
    texts = _texts(doc, "一、总体情况")
    assert texts[0] == ("截至2024年6月20日，共有任务 10 项，已完成 4 项（含销号 1 项），"
                        "完成率 40%；白色 2 项，黄色 2 项，红色 2 项。")
    assert "7 天" in texts[1]
    (table,) = _tables(doc, "一、总体情况")
    assert _rows(table) == [["任务总数", "已完成（含销号）", "白", "黄", "红", "完成率"],
                            ["10", "4", "2", "2", "2", "40%"]]
    assert _fill(table.rows[1].cells[4]) == "C62828"
    assert _fill(table.rows[1].cells[3]) == "F9A825"


def test_docx_completion_tables(ledger: Ledger, tmp_path: Path) -> None:
    doc = _docx(ledger, tmp_path)
    (categories,) = _tables(doc, "二、各测评项目完成情况")
    assert _rows(categories) == [["测评项目", "任务数", "已完成", "白", "黄", "红", "完成率"],
                                 ["A01 公共文明", "4", "1", "1", "1", "1", "25%"],
                                 ["A02 公共服务", "4", "2", "0", "1", "1", "50%"],
                                 ["A03 生态环境", "2", "1", "1", "0", "0", "50%"]]
    assert _fill(categories.rows[1].cells[5]) == "C62828"
    assert _fill(categories.rows[3].cells[5]) is None

    (departments,) = _tables(doc, "三、各责任单位完成情况")
    rows = _rows(departments)
    assert [r[0] for r in rows[1:]] == ["市公安局", "市住建局", "市城管局", "市生态环境局"]
    assert [r[-1] for r in rows[1:]] == ["0%", "33.3%", "50%", "100%"]
    assert len(doc.inline_shapes) == 1  # the department chart


def test_docx_red_and_yellow_lists(ledger: Ledger, tmp_path: Path) -> None:
    doc = _docx(ledger, tmp_path)
    (red,) = _tables(doc, "四、红色清单（已逾期）")
    assert _rows(red) == [["测评内容", "责任单位", "完成时限", "逾期天数"],
                          ["A02-02 无障碍设施", "市住建局", "2024-06-01", "19"],
                          ["A01-02 文明交通", "市公安局", "2024-06-15", "5"]]
    assert all(_fill(row.cells[3]) == "C62828" for row in red.rows[1:])
    (yellow,) = _tables(doc, "五、黄色清单（临近时限）")
    assert _rows(yellow) == [["测评内容", "责任单位", "完成时限", "剩余天数"],
                             ["A01-03 烟花爆竹禁放", "市公安局", "2024-06-23", "3"],
                             ["A02-01 公共厕所", "市城管局", "2024-06-25", "5"]]
    assert all(_fill(row.cells[3]) == "F9A825" for row in yellow.rows[1:])


def test_docx_tables_repeat_their_header_row(ledger: Ledger, tmp_path: Path) -> None:
    doc = _docx(ledger, tmp_path)
    assert len(doc.tables) == 7
    for table in doc.tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        assert table.style.name == "Table Grid"
        header_fonts = table.rows[0].cells[0].paragraphs[0].runs[0]._r.rPr.rFonts
        assert header_fonts.get(qn("w:eastAsia")) == "黑体"


def test_docx_newly_done_and_open_problems(ledger: Ledger, tmp_path: Path) -> None:
    doc = _docx(ledger, tmp_path)
    (done,) = _tables(doc, "六、本周销号/完成")
    assert _rows(done)[1:] == [
        ["A01-01 公共场所秩序", "市城管局", "已完成", "2024-06-18", "材料终审通过 3 份"],
        ["A02-02 无障碍设施", "市城管局", "已销号", "2024-06-17",
         "该点位已纳入市住建局统一整改，经创文办同意销号（王芳）"]]
    (problems,) = _tables(doc, "七、未结问题")
    assert _rows(problems) == [
        ["测评内容", "责任单位", "问题", "整改时限", "状态"],
        ["A01-02 文明交通", "市公安局", PROBLEMS[0].description, "2024-06-15",
         "已交办\n（已逾期）"]]  # the confirmed problem is closed
    assert _fill(problems.rows[1].cells[4]) == "C62828"


def test_docx_empty_sections_say_none(quiet_ledger: Ledger, tmp_path: Path) -> None:
    doc = _docx(quiet_ledger, tmp_path)
    for heading in ("四、红色清单（已逾期）", "六、本周销号/完成", "七、未结问题"):
        assert _tables(doc, heading) == []
        assert _texts(doc, heading) == ["无"]
    assert len(_tables(doc, "五、黄色清单（临近时限）")) == 1


def test_docx_of_an_empty_ledger(tmp_path: Path) -> None:
    doc = _docx(Ledger(today=TODAY, bureau=BUREAU, warn_days=7), tmp_path)
    for heading in SECTIONS[1:]:
        assert _texts(doc, heading) == ["无"]
    assert "共有任务 0 项" in _texts(doc, "一、总体情况")[0]
    assert len(doc.inline_shapes) == 0


def test_department_chart_is_a_png(ledger: Ledger) -> None:
    png = department_chart_png(ledger.by_department)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.width == 1200
        assert image.height > 4 * 40  # a bar per department


# -- PDF (LibreOffice) -------------------------------------------------------------------------

def _pdf_text(pdf: Path) -> str:
    with pymupdf.open(pdf) as doc:
        return "".join(page.get_text() for page in doc).replace("\n", "").replace(" ", "")


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_weekly_report_converts_to_pdf(ledger: Ledger, tmp_path: Path) -> None:
    docx = tmp_path / "周报.docx"
    write_weekly_report_docx(ledger, docx)
    text = _pdf_text(docx_to_pdf(docx, tmp_path / "pdf"))
    assert "吴州市文明办创建全国文明城市工作周报" in text
    assert "七、未结问题" in text and "烟花爆竹禁放" in text


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_ledger_workbook_converts_to_pdf(ledger: Ledger, tmp_path: Path) -> None:
    xlsx = tmp_path / "台账.xlsx"
    write_ledger_xlsx(ledger, xlsx)
    try:
        pdf = docx_to_pdf(xlsx, tmp_path / "pdf")  # any document LibreOffice opens
    except ConversionError as exc:  # Writer alone cannot open a workbook
        pytest.skip(f"LibreOffice cannot convert a workbook here (no Calc?): {exc}")
    text = _pdf_text(pdf)
    assert "吴州市文明办创建全国文明城市任务台账（截至2024-06-20）" in text
    assert "A01-02文明交通" in text  # a task row
    assert "人民路与解放路口" in text  # the 问题整改 sheet is printed too
