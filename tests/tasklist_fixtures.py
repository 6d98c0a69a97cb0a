"""Task lists laid out as bureaus lay them out, built here with openpyxl (shared by the unit,
e2e and GUI tests of issue 15).

own_headings_list(): like seed 001 (衡阳高新区's plan): the bureau's own headings instead of the
11 测评项目, a title row, a two-row merged header (责任单位 over 牵头单位 | 配合单位), each
heading merged down the 测评项目 column over its tasks, deadlines 2019年6月底 / 2019.12.31 /
长期坚持 / 常态化 / 每季度.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

# heading -> the category the bureau means (what a user confirms in the dialog)
HEADINGS = {
    "（一）提升服务水平,建设廉洁高效政府": "06",
    "（二）弘扬优秀传统,筑牢思想道德篱笆": "02",
    "（三）营造诚信氛围,加强诚信守法建设": "02",
    "（六）实施平安工程,营造安全稳定环境": "09",
    "（七）优化生态环境,提高市民的满意度": "10",
}

# (heading, 工作任务, 牵头单位, 配合单位, 完成时限)
TASKS = [
    ("（一）提升服务水平,建设廉洁高效政府", "进一步推进全面从严治党", "纪工委", "党政办",
     "2019年6月底"),
    ("（一）提升服务水平,建设廉洁高效政府", "进一步加强机关作风建设", "党政办", "",
     "长期坚持"),
    ("（一）提升服务水平,建设廉洁高效政府", "进一步推进依法行政", "政务服务中心", "司法所",
     "2019.12.31"),
    ("（二）弘扬优秀传统,筑牢思想道德篱笆", "加强理想信念教育", "宣传部", "", "常态化"),
    ("（二）弘扬优秀传统,筑牢思想道德篱笆", "推进社会主义核心价值观建设", "宣传部",
     "各街道办事处", "每季度"),
    ("（三）营造诚信氛围,加强诚信守法建设", "推进诚信建设制度化", "经发局", "市场监管所",
     "2019年6月底"),
    ("（三）营造诚信氛围,加强诚信守法建设", "开展诚信教育实践活动", "宣传部", "经发局",
     "每季度"),
    ("（六）实施平安工程,营造安全稳定环境", "加强社会治安综合治理", "政法办", "派出所",
     "2019.12.31"),
    ("（七）优化生态环境,提高市民的满意度", "扎实推进城乡绿化工作", "建设局", "", "长期坚持"),
    ("（七）优化生态环境,提高市民的满意度", "大力加强环境治理力度", "环保分局", "建设局",
     "常态化"),
]

DEADLINES = {  # 完成时限 as written -> (kind, label)
    "2019年6月底": ("date", "2019-06-30"),
    "2019.12.31": ("date", "2019-12-31"),
    "长期坚持": ("open", "长期坚持"),
    "常态化": ("open", "常态化"),
    "每季度": ("recurring", "每季度"),
}

HEADER_ROWS = 3  # title, then the two header rows


def own_headings_list(path: Path, tasks: list[tuple[str, str, str, str, str]] | None = None
                      ) -> Path:
    tasks = TASKS if tasks is None else tasks
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务分解表"
    sheet.append(["衡阳高新区创建全国文明城市工作任务分解表"])
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "测评项目", "工作任务", "责任单位", None, "完成时限"])
    sheet.append([None, None, None, "牵头单位", "配合单位", None])
    for col in "ABCF":
        sheet.merge_cells(f"{col}2:{col}3")
    sheet.merge_cells("D2:E2")
    first = HEADER_ROWS + 1
    previous, start = None, first
    for n, (heading, item, lead, support, deadline) in enumerate(tasks):
        row = first + n
        if heading != previous:
            if previous is not None and row - 1 > start:
                sheet.merge_cells(f"B{start}:B{row - 1}")
            previous, start = heading, row
            shown: str | None = heading
        else:
            shown = None  # under the merged heading cell
        sheet.append([n + 1, shown, item, lead, support or None, deadline])
    last = first + len(tasks) - 1
    if previous is not None and last > start:
        sheet.merge_cells(f"B{start}:B{last}")
    sheet.append([None, "备注：本表由区创建办负责解释", None, None, None, None])
    book.properties.created = dt.datetime(2019, 3, 1)
    book.save(path)
    return path


def expected_tasks() -> set[tuple[str, str, str]]:
    """(category, item name, department) of every task the list gives once mapped."""
    found = set()
    for heading, item, lead, support, _deadline in TASKS:
        for department in [lead] + ([support] if support else []):
            found.add((HEADINGS[heading], item, department))
    return found
