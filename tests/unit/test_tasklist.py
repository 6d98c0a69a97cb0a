"""Reading 任务分解清单 spreadsheets (desktop.core.ledger.tasklist): header detection, column
mapping, merged cells, departments and deadlines, on workbooks built here and on the shared
sample."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop.core.common.errors import ZichaError
from desktop.core.ledger.tasklist import (
    FIELD_LABELS,
    FIELDS,
    SYNONYMS,
    ColumnsMissing,
    category_code,
    parse_deadline,
    read_task_list,
    sheet_names,
    split_item_code,
    split_units,
)
from desktop.core.ledger.views import DATE, NONE, OPEN, RECURRING, Deadline

SAMPLE = Path("/work/shared/corpus/任务分解清单-示例.xlsx")
D = dt.date


def _xlsx(path: Path, rows: Sequence[Sequence[object]], merges: Iterable[str] = (),
          sheet: str = "清单", before: Iterable[str] = ()) -> Path:
    """A workbook whose sheet `sheet` holds `rows` from A1; `before` adds empty sheets first."""
    book = Workbook()
    first = book.active
    for name in before:
        book.create_sheet(name, 0)
    first.title = sheet
    for row in rows:
        first.append(list(row))
    for cells in merges:
        first.merge_cells(cells)
    book.save(path)
    return path


def _date(day: D, text: str | None = None) -> Deadline:
    return Deadline(DATE, day, text=day.isoformat() if text is None else text)


# --- 1. the shared sample

@pytest.mark.skipif(not SAMPLE.exists(), reason="shared sample corpus not present")
def test_the_shared_sample_reads_every_task() -> None:
    tasks = read_task_list(SAMPLE)

    assert sheet_names(SAMPLE) == ["任务分解清单"]
    assert tasks.sheet == "任务分解清单"
    assert tasks.header_rows == (2,)
    assert tasks.columns == {"seq": 1, "category": 2, "item": 3, "requirement": 4,
                             "material": 5, "lead": 6, "support": 7, "deadline": 8}
    assert tasks.headers == ["序号", "测评项目", "测评内容", "工作要求", "材料要求", "牵头单位",
                             "责任单位", "完成时限"]
    assert len(tasks.rows) == 39
    assert [r.row for r in tasks.rows] == list(range(3, 42))
    assert tasks.warnings == []

    first = tasks.rows[0]
    assert (first.row, first.category, first.category_code) == (3, "01 理想信念教育", "01")
    assert first.item == "深入学习贯彻习近平新时代中国特色社会主义思想"
    assert first.item_code is None
    assert first.requirement.startswith("把学习贯彻习近平新时代中国特色社会主义思想作为首要政治")
    assert first.material == "工作方案、会议记录、活动图片(注明时间、地点、人物、主题)、总结报告"
    assert first.leads == ["市委宣传部"]
    assert first.supports == ["各县(市、区)"]  # the 、 inside brackets does not split
    assert first.responsible == ""
    assert first.deadline == _date(D(2021, 12, 31))

    third = tasks.rows[2]
    assert (third.category, third.item) == ("02 思想道德建设", "深化社会主义核心价值观教育")
    assert third.leads == ["市文明办"]
    assert third.supports == ["市教育局", "团市委"]
    assert third.deadline == _date(D(2022, 12, 31))

    last = tasks.rows[-1]
    assert (last.row, last.category_code, last.item) == (41, "02", "净化社会文化环境")
    assert last.deadline == _date(D(2023, 6, 30))

    assert {r.category_code for r in tasks.rows} == {f"{n:02d}" for n in range(1, 12)}
    assert all(r.deadline.kind == DATE for r in tasks.rows)


# --- 2. titles, 2-row header

def _two_row_header_list(path: Path, vertical_merges: bool) -> Path:
    # with vertical merges the lower row reads like a full header; without, it is just two names
    upper = ["序号", "测评项目", "测评内容", "工作要求", "责任单位", None, "完成时限", "备注"]
    lower = [None, None, None, None, "牵头单位", "配合单位", None, None]
    rows = [
        ["2024年某市创建全国文明城市任务分解清单"],
        ["市创建全国文明城市工作指挥部办公室  2024年3月印发"],
        upper,
        lower,
        [1, "01 理想信念教育", "深入学习贯彻习近平新时代中国特色社会主义思想", "组织中心组学习",
         "市委宣传部", "市委党校、各县（市、区）", dt.datetime(2024, 6, 30), None],
        [2, "01 理想信念教育", "开展理论宣讲", "组织宣讲团进基层", "市委宣传部", "市文明办",
         "2024年3月底前完成方案，6月底前完成验收", "分两步"],
        [None] * 8,
        ["序号", "测评项目", "测评内容", "工作要求", "牵头单位", "配合单位", "完成时限", None],
        [3, "02 思想道德建设", "推进诚信建设", "建立红黑名单", "市发展改革委",
         "市市场监管局；市文明办；市市场监管局", "年底前", None],
    ]
    merges = ["A1:H1", "A2:H2", "E3:F3"]
    if vertical_merges:
        merges += ["A3:A4", "B3:B4", "C3:C4", "D3:D4", "G3:G4", "H3:H4"]
    return _xlsx(path, rows, merges)


@pytest.mark.parametrize("vertical_merges", [True, False])
def test_title_rows_and_a_two_row_header(tmp_path: Path, vertical_merges: bool) -> None:
    tasks = read_task_list(_two_row_header_list(tmp_path / "清单.xlsx", vertical_merges))

    assert tasks.header_rows == (3, 4)
    assert tasks.columns == {"seq": 1, "category": 2, "item": 3, "requirement": 4, "lead": 5,
                             "support": 6, "deadline": 7}
    assert tasks.headers == ["序号", "测评项目", "测评内容", "工作要求", "责任单位/牵头单位",
                             "责任单位/配合单位", "完成时限", "备注"]
    assert [r.row for r in tasks.rows] == [5, 6, 9]  # empty row and repeated header skipped
    first, second, third = tasks.rows
    assert first.item == "深入学习贯彻习近平新时代中国特色社会主义思想"
    assert first.leads == ["市委宣传部"]
    assert first.supports == ["市委党校", "各县（市、区）"]
    assert first.deadline == _date(D(2024, 6, 30))
    assert second.deadline == _date(D(2024, 6, 30), "2024年3月底前完成方案，6月底前完成验收")
    assert third.supports == ["市市场监管局", "市文明办"]  # de-duplicated
    assert third.category_code == "02"
    # the year comes from the title rows
    assert third.deadline == _date(D(2024, 12, 31), "年底前")
    assert tasks.warnings == ["第 9 行：完成时限“年底前”未写年份，按 2024 年计"]


# --- 3. merged categories

CATEGORY_LIST = [
    ["序号", "具体\n任务", "项目", "牵头部门", "标准要求", "时间节点（必填）", "配合部门",
     "责\u3000任\u3000领\u3000导", "网上申报要求"],
    [1, "学习宣传习近平新时代\n中国特色社会主义思想", "一、理想信念教育", "市委宣传部",
     "1.组织中心组学习\n 2.开展宣讲 ", "2024.6.30", "市委党校\n市社科联", "张三",
     "会议记录\n\n活动图片"],
    [2, "开展理论宣讲", None, "市委宣传部", "宣讲不少于10场", "6月底", "市文明办", "张三", None],
    [3, "1.推进主题教育常态化\n2.开展党史学习", None, "市委组织部", None, "每季度", None, "李四",
     None],
    [4, "深化核心价值观教育", "二、思想道德建设", "市文明办", None, "长期坚持", "市教育局", None,
     None],
    [5, "加强诚信建设", None, "市发展改革委", None, "年底前", None, None, None],
    [6, "开展未成年人教育", None, "市教育局", None, "尽快", "团市委", None, None],
    [None, None, "三、文明风尚培育", None, None, None, None, None, None],
    [7, "规范市民文明行为", None, "市文明办", None, None, None, None, None],
]


def test_merged_categories_other_names_and_order(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "分解.xlsx", CATEGORY_LIST, ["C2:C4"])
    tasks = read_task_list(path, year=2024)

    assert tasks.header_rows == (1,)
    assert tasks.columns == {"seq": 1, "category": 3, "item": 2, "requirement": 5, "material": 9,
                             "lead": 4, "support": 7, "responsible": 8, "deadline": 6}
    assert tasks.headers[1] == "具体 任务"
    assert [(r.row, r.category, r.category_code) for r in tasks.rows] == [
        (2, "一、理想信念教育", "01"), (3, "一、理想信念教育", "01"), (4, "一、理想信念教育", "01"),
        (5, "二、思想道德建设", "02"), (6, "二、思想道德建设", "02"), (7, "二、思想道德建设", "02"),
        (9, "三、文明风尚培育", "03")]

    first = tasks.rows[0]
    assert first.item == "学习宣传习近平新时代中国特色社会主义思想"
    assert first.requirement == "1.组织中心组学习\n2.开展宣讲"
    assert first.material == "会议记录\n活动图片"
    assert first.responsible == "张三"
    assert first.leads == ["市委宣传部"]
    assert first.supports == ["市委党校", "市社科联"]
    # several numbered tasks in one item cell stay one task
    assert tasks.rows[2].item == "1.推进主题教育常态化2.开展党史学习"
    assert tasks.rows[2].item_code is None
    assert tasks.rows[2].supports == []

    assert [r.deadline for r in tasks.rows] == [
        _date(D(2024, 6, 30), "2024.6.30"),
        _date(D(2024, 6, 30), "6月底"),
        Deadline(RECURRING, period="quarter", text="每季度"),
        Deadline(OPEN, text="长期坚持"),
        _date(D(2024, 12, 31), "年底前"),
        Deadline(NONE, text="尽快"),
        Deadline(NONE),
    ]
    assert tasks.warnings == [
        "第 3 行：完成时限“6月底”未写年份，按 2024 年计",
        "第 6 行：完成时限“年底前”未写年份，按 2024 年计",
        "第 7 行：完成时限“尽快”无法识别，记为未定",
    ]


def test_without_a_title_year_the_current_year_is_assumed(tmp_path: Path) -> None:
    tasks = read_task_list(_xlsx(tmp_path / "分解.xlsx", CATEGORY_LIST, ["C2:C4"]))
    this_year = dt.date.today().year
    assert tasks.rows[1].deadline.date == D(this_year, 6, 30)
    assert tasks.warnings[0] == f"第 3 行：完成时限“6月底”未写年份，按 {this_year} 年计"


def test_a_heading_row_merged_across_sets_the_category(tmp_path: Path) -> None:
    rows = [
        ["序号", "测评内容", "牵头单位", "配合单位", "完成时限"],
        ["一、理想信念教育"],
        [1, "开展理论宣讲", "市委宣传部", None, "2024-06-30"],
        ["二、思想道德建设"],
        [2, "推进诚信建设", "市文明办", "市教育局", "2024-12-31"],
    ]
    tasks = read_task_list(_xlsx(tmp_path / "分节.xlsx", rows, ["A2:E2", "A4:E4"]))
    assert [(r.row, r.category, r.category_code, r.item) for r in tasks.rows] == [
        (3, "一、理想信念教育", "01", "开展理论宣讲"),
        (5, "二、思想道德建设", "02", "推进诚信建设")]


def test_an_item_merged_down_over_rows_is_one_task(tmp_path: Path) -> None:
    rows = [
        ["测评项目", "测评内容", "工作要求", "牵头单位", "责任单位", "完成时限"],
        ["04 教育科技进步", "深入推进国民教育", "推进义务教育均衡", "市教育局", "市财政局",
         "2024年6月30日"],
        [None, None, "开展校外培训治理", "市教育局", "市市场监管局", "2024年12月31日"],
        ["04 教育科技进步", "加强科普", None, "市科协", None, None],
    ]
    tasks = read_task_list(_xlsx(tmp_path / "合并.xlsx", rows, ["A2:A3", "B2:B3"]))
    assert [r.row for r in tasks.rows] == [2, 4]
    merged = tasks.rows[0]
    assert merged.requirement == "推进义务教育均衡\n开展校外培训治理"
    assert merged.leads == ["市教育局"]
    assert merged.supports == ["市财政局", "市市场监管局"]
    assert merged.deadline == _date(D(2024, 12, 31), "2024年6月30日；2024年12月31日")


# --- 4. units and item codes

def test_only_responsible_units_and_item_codes(tmp_path: Path) -> None:
    rows = [
        ["序号", "测评项目", "测评内容", "测评标准", "责任单位", "完成时限"],
        [1, 2, 3, 4, 5, 6],  # column numbers under the header, as some forms have
        [None, "01 理想信念教育"],  # a category on its own row
        [1, None, "01.02 加强爱国主义教育", "开展主题教育", "市委宣传部、市教育局",
         "2024-12-31"],
        [2, "01 理想信念教育", "1.3\u3000开展国旗下讲话", None, "市教育局\n各县（市、区）",
         "2024年6月"],
        ["1.4", "01 理想信念教育", "推进新时代文明实践", None, "市文明办，", "2024年6月底"],
    ]
    tasks = read_task_list(_xlsx(tmp_path / "责任.xlsx", rows))

    assert "lead" not in tasks.columns and tasks.columns["support"] == 5
    assert [r.row for r in tasks.rows] == [4, 5, 6]
    assert {r.category_code for r in tasks.rows} == {"01"}
    assert [(r.item_code, r.item) for r in tasks.rows] == [
        ("01.02", "加强爱国主义教育"), ("01.03", "开展国旗下讲话"), ("01.04", "推进新时代文明实践")]
    assert [r.leads for r in tasks.rows] == [[], [], []]
    assert [r.supports for r in tasks.rows] == [
        ["市委宣传部", "市教育局"], ["市教育局", "各县（市、区）"], ["市文明办"]]
    assert [r.deadline.date for r in tasks.rows] == [D(2024, 12, 31), D(2024, 6, 30),
                                                     D(2024, 6, 30)]
    assert tasks.warnings == []


def test_responsible_unit_beside_a_cooperating_unit_leads(tmp_path: Path) -> None:
    rows = [["测评内容", "责任单位", "配合单位", "完成时限"],
            ["加强诚信建设", "市发展改革委", "市文明办", "2024-12-31"]]
    tasks = read_task_list(_xlsx(tmp_path / "责任配合.xlsx", rows))
    assert (tasks.columns["lead"], tasks.columns["support"]) == (2, 3)
    assert (tasks.rows[0].leads, tasks.rows[0].supports) == (["市发展改革委"], ["市文明办"])


# --- 5. explicit columns

UNUSUAL = [
    ["序号", "任务名称", "承办单位", "完成时限", "备注"],
    [1, "开展文明交通劝导", "市公安局交警支队", "2024-09-30", None],
    [2, "整治占道经营", "市城管局", "2024-10-31", "重点路段"],
]


def test_missing_unit_column_carries_the_headers_for_the_dialog(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "承办.xlsx", UNUSUAL)
    with pytest.raises(ColumnsMissing) as err:
        read_task_list(path)
    assert err.value.missing == ["lead/support"]
    assert err.value.headers == ["序号", "任务名称", "承办单位", "完成时限", "备注"]
    assert err.value.columns == {"seq": 1, "item": 2, "deadline": 4}
    assert err.value.header_rows == (1,)
    message = str(err.value)
    assert "承办.xlsx" in message and "“牵头单位”或“责任单位”" in message
    assert "手动选择" in message


def test_explicit_columns_override_detection(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "承办.xlsx", UNUSUAL)
    tasks = read_task_list(path, columns={"lead": 3})
    assert tasks.columns == {"seq": 1, "item": 2, "lead": 3, "deadline": 4}
    assert [(r.item, r.leads) for r in tasks.rows] == [
        ("开展文明交通劝导", ["市公安局交警支队"]), ("整治占道经营", ["市城管局"])]

    # a column chosen for one field is taken from the field it was detected for
    tasks = read_task_list(path, columns={"item": 5, "support": 3, "material": 2})
    assert tasks.columns == {"seq": 1, "item": 5, "material": 2, "support": 3, "deadline": 4}
    assert [r.item for r in tasks.rows] == ["重点路段"]  # the row without a 备注 is skipped

    with pytest.raises(ValueError):
        read_task_list(path, columns={"department": 3})
    with pytest.raises(ValueError):
        read_task_list(path, columns={"lead": 9})


def test_missing_item_column_is_named(tmp_path: Path) -> None:
    rows = [["序号", "工作事项", "牵头单位", "完成时限"], [1, "整治占道经营", "市城管局", None]]
    with pytest.raises(ColumnsMissing) as err:
        read_task_list(_xlsx(tmp_path / "事项.xlsx", rows))
    assert err.value.missing == ["item"]
    assert "“测评内容”" in str(err.value) and "第 1 行" in str(err.value)
    tasks = read_task_list(_xlsx(tmp_path / "事项.xlsx", rows), columns={"item": 2})
    assert tasks.rows[0].item == "整治占道经营"


def test_no_header_names_what_was_looked_for(tmp_path: Path) -> None:
    rows = [["名称", "单位", "日期"], ["整治占道经营", "市城管局", "2024-10-31"]]
    with pytest.raises(ZichaError) as err:
        read_task_list(_xlsx(tmp_path / "无表头.xlsx", rows))
    message = str(err.value)
    assert "无表头.xlsx" in message and "工作表“清单”" in message
    assert "“测评内容”" in message and "“牵头单位”" in message and "“责任单位”" in message


# --- 6. deadlines

@pytest.mark.parametrize(("value", "expected"), [
    (dt.datetime(2024, 6, 30, 0, 0), _date(D(2024, 6, 30))),
    (dt.datetime(2024, 6, 30, 17, 30), _date(D(2024, 6, 30))),
    (D(2024, 6, 30), _date(D(2024, 6, 30))),
    ("2024-06-30", _date(D(2024, 6, 30), "2024-06-30")),
    ("2024/6/30", _date(D(2024, 6, 30), "2024/6/30")),
    ("2024.6.30", _date(D(2024, 6, 30), "2024.6.30")),
    ("2024年6月30日", _date(D(2024, 6, 30), "2024年6月30日")),
    ("2024年6月30日前", _date(D(2024, 6, 30), "2024年6月30日前")),
    ("2024年6月底", _date(D(2024, 6, 30), "2024年6月底")),
    ("2024年6月", _date(D(2024, 6, 30), "2024年6月")),
    ("2024年2月底前", _date(D(2024, 2, 29), "2024年2月底前")),
    ("2024年底", _date(D(2024, 12, 31), "2024年底")),
    ("2024年上半年", _date(D(2024, 6, 30), "2024年上半年")),
    ("2024年第二季度", _date(D(2024, 6, 30), "2024年第二季度")),
    ("2024年3月底前完成方案，6月底前完成验收",
     _date(D(2024, 6, 30), "2024年3月底前完成方案，6月底前完成验收")),
    (" 2024-06-30\n", _date(D(2024, 6, 30), "2024-06-30")),
])
def test_deadlines_with_a_year(value: object, expected: Deadline) -> None:
    assert parse_deadline(value, 2030) == (expected, None)


@pytest.mark.parametrize(("text", "day"), [
    ("6月底", D(2025, 6, 30)),
    ("6月30日", D(2025, 6, 30)),
    ("6月", D(2025, 6, 30)),
    ("9月底前", D(2025, 9, 30)),
    ("2月", D(2025, 2, 28)),
    ("年底", D(2025, 12, 31)),
    ("年内", D(2025, 12, 31)),
    ("年底前", D(2025, 12, 31)),
    ("上半年", D(2025, 6, 30)),
    ("下半年", D(2025, 12, 31)),
    ("第一季度", D(2025, 3, 31)),
    ("一季度", D(2025, 3, 31)),
    ("第三季度", D(2025, 9, 30)),
    ("四季度", D(2025, 12, 31)),
    ("3月底前完成方案，6月底前完成验收", D(2025, 6, 30)),
])
def test_deadlines_without_a_year_use_the_given_year_and_say_so(text: str, day: D) -> None:
    assert parse_deadline(text, 2025) == (
        Deadline(DATE, day, text=text), f"完成时限“{text}”未写年份，按 2025 年计")


@pytest.mark.parametrize(("text", "period"), [
    ("每季度", "quarter"), ("按季度", "quarter"), ("每季度报送一次", "quarter"),
    ("每月", "month"), ("每年", "year"), ("每年6月底前", "year"), ("每半年", "half"),
])
def test_recurring_deadlines(text: str, period: str) -> None:
    assert parse_deadline(text, 2024) == (Deadline(RECURRING, period=period, text=text), None)


@pytest.mark.parametrize("text", ["长期坚持", "常态化", "持续推进", "长期", "常态化开展"])
def test_open_ended_deadlines(text: str) -> None:
    deadline, warning = parse_deadline(text, 2024)
    assert (deadline, warning) == (Deadline(OPEN, text=text), None)
    assert deadline.label() == text


@pytest.mark.parametrize("value", [None, "", "  \n"])
def test_empty_deadline_is_none_without_warning(value: object) -> None:
    assert parse_deadline(value, 2024) == (Deadline(NONE), None)


@pytest.mark.parametrize(("value", "text"), [
    ("尽快", "尽快"), ("6月中旬", "6月中旬"), ("2024年6月中下旬", "2024年6月中下旬"),
    ("明年底", "明年底"), ("3年内", "3年内"), ("半年内", "半年内"),
    ("2024年2月30日", "2024年2月30日"), ("2024", "2024"), (45473, "45473"),
])
def test_unrecognised_deadlines_are_none_with_a_warning(value: object, text: str) -> None:
    deadline, warning = parse_deadline(value, 2024)
    assert deadline == Deadline(NONE, text=text)
    assert warning == f"完成时限“{text}”无法识别，记为未定"
    assert deadline.label() == text


# --- helpers and API

def test_codes_and_units_helpers() -> None:
    assert category_code("01 理想信念教育") == "01"
    assert category_code("1、理想信念教育") == "01"
    assert category_code("十一、创建常态长效") == "11"
    assert category_code("（一）理想信念教育") is None
    assert category_code("理想信念教育") is None
    assert category_code("2024年重点任务") is None
    assert split_item_code("01.02 加强爱国主义教育") == ("01.02", "加强爱国主义教育")
    assert split_item_code("1.2、加强") == ("01.02", "加强")
    assert split_item_code("1.开展宣讲") == (None, "1.开展宣讲")
    assert split_units("市教育局、团市委；市教育局\n各县（市、区）,  市文明办") == [
        "市教育局", "团市委", "各县（市、区）", "市文明办"]


def test_field_tables_are_consistent() -> None:
    assert set(FIELD_LABELS) == set(SYNONYMS) == set(FIELDS)
    names = [name for synonyms in SYNONYMS.values() for name in synonyms]
    assert len(names) == len(set(names))


# --- 7. files and sheets

def test_damaged_old_excel_and_wps_files_are_refused_by_name(tmp_path: Path) -> None:
    # a real .xls/.et is read (test_tasklist_xls.py); a broken one is refused, by its content
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    words = "已损坏或不是有效的 .xls 文件"
    for name in ("清单.xls", "清单.et", "改了名.xlsx"):
        path = tmp_path / name
        path.write_bytes(ole)
        with pytest.raises(ZichaError) as err:
            read_task_list(path)
        assert f"“{name}”" in str(err.value) and words in str(err.value)
        assert "另存为 .xlsx" in str(err.value)


def test_corrupt_and_foreign_files_are_refused_by_name(tmp_path: Path) -> None:
    corrupt = tmp_path / "坏的.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + b"not really a zip" * 20)
    text = tmp_path / "清单.csv"
    text.write_text("序号,测评内容\n", encoding="utf-8")
    for path, words in [(corrupt, "已损坏"), (text, "不是 Excel 表格（.xlsx、.xls 或 WPS 的 .et）"),
                        (tmp_path / "没有.xlsx", "找不到文件")]:
        with pytest.raises(ZichaError) as err:
            sheet_names(path)
        assert path.name in str(err.value) and words in str(err.value)


def test_sheets_are_listed_and_the_first_with_a_header_is_read(tmp_path: Path) -> None:
    rows = [["测评内容", "牵头单位", "完成时限"], ["整治占道经营", "市城管局", "长期"]]
    path = _xlsx(tmp_path / "多表.xlsx", rows, sheet="清单", before=["说明"])
    assert sheet_names(path) == ["说明", "清单"]
    assert read_task_list(path).sheet == "清单"
    assert read_task_list(path, sheet="清单").rows[0].deadline == Deadline(OPEN, text="长期")

    with pytest.raises(ZichaError) as err:
        read_task_list(path, sheet="任务")
    assert str(err.value) == "“多表.xlsx”中没有名为“任务”的工作表；现有工作表：“说明”、“清单”"
    with pytest.raises(ZichaError) as err:
        read_task_list(path, sheet="说明")
    assert "工作表“说明”中找不到任务清单的表头" in str(err.value)


def test_an_empty_workbook_has_no_header(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "空.xlsx", [])
    with pytest.raises(ZichaError) as err:
        read_task_list(path)
    assert "“空.xlsx”的工作表“清单”中找不到任务清单的表头" in str(err.value)
