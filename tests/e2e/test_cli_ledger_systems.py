"""The 台账 of a city tested with 未成年人思想道德建设 (同创同测, issue 15 item 4) through the
command line: the city system with three lists (材料自查, 省级部门评价项目, 创新特色) and a system
W (weight 20) whose 测评项目 were made from its own list; `zicha tasks --system`, the 台账
XLSX's 按测评体系 sheet and 测评体系 column, and the weekly report's 各测评体系 and 创新特色（加分）
材料 sections, read back."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.document import Document as DocxDocument
from docx.table import Table

from tests.conftest import ZichaCli
from tests.systems_fixtures import CITY_LISTS, TODAY, W_LIST, W_NAME, build_systems_archive

CITY = "全国文明城市（地级以上）测评体系（2023年版）"
DAY = ("--today", TODAY.isoformat())


@pytest.fixture(scope="module")
def _built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("two-systems")
    build_systems_archive(base / "档案", base / "home", base / "files", village=False)
    return base / "档案"


@pytest.fixture
def archive(tmp_path: Path, _built: Path) -> Path:
    shutil.copytree(_built, tmp_path / "档案")
    return tmp_path / "档案"


def _section(doc: DocxDocument, heading: str) -> tuple[list[str], list[Table]]:
    """The paragraphs and tables between `heading` and the next heading."""
    body = doc.element.body
    texts: list[str] = []
    tables: list[Table] = []
    inside = False
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            para = next(p for p in doc.paragraphs if p._p is child)
            if para.style.name == "Heading 1":
                if inside:
                    break
                inside = para.text == heading
            elif inside and para.text:
                texts.append(para.text)
        elif inside and child.tag.endswith("}tbl"):
            tables.append(next(t for t in doc.tables if t._tbl is child))
    return texts, tables


def _cells(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_tasks_carry_their_system_and_filter_by_it(zicha_cli: ZichaCli, archive: Path) -> None:
    every = zicha_cli.ok_json("tasks", "--archive", archive, *DAY)
    assert len(every) == sum(map(len, CITY_LISTS.values())) + 4
    systems = {(t["item"], t["system"], t["system_prefix"]) for t in every}
    assert ("01.01", "cn-wmcs-2023-prefecture", "") in systems
    assert ("W01.02", "bureau-w", "W") in systems
    only = zicha_cli.ok_json("tasks", "list", "--system", "W", "--archive", archive, *DAY)
    assert sorted(t["item"] for t in only) == ["W01.01", "W01.02", "W02.01", "W03.01"]
    assert {t["list"] for t in only} == {W_LIST}
    red = zicha_cli.ok_json("tasks", "--system", W_NAME, "--status", "red", "--archive",
                            archive, *DAY)
    assert [(t["item"], t["department"]) for t in red] == [("W01.02", "市教育局")]
    text = zicha_cli.ok("tasks", "--system", "w", "--archive", archive, *DAY).stdout
    assert "共 4 项任务" in text and "W02.01 乡村学校少年宫建设" in text
    none = zicha_cli.ok_json("tasks", "--system", "W", "--list-kind", "材料自查",
                             "--archive", archive)
    assert none == []
    unknown = zicha_cli.run("tasks", "list", "--system", "文明村镇", "--archive", archive)
    assert unknown.returncode == 1 and len(unknown.stderr_lines) == 1
    assert "没有测评体系“文明村镇”" in unknown.stderr and f"W {W_NAME}" in unknown.stderr


def test_ledger_workbook_by_system(zicha_cli: ZichaCli, archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    zicha_cli.ok("tasks", "export", out, "--archive", archive, *DAY)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["台账", "按测评体系", "按测评项目"]
    rows = list(book["按测评体系"].iter_rows(values_only=True))
    assert rows[0] == ("测评体系", "编号前缀", "权重", "任务数", "已完成", "白", "黄", "红",
                       "完成率", "测评内容", "有终审材料", "材料覆盖率")
    assert [r[:8] for r in rows[1:]] == [(CITY, "—", "—", 7, 2, 3, 1, 1),
                                         (W_NAME, "W", 0.2, 4, 2, 1, 0, 1),
                                         ("合计", None, None, 11, 4, 4, 1, 2)]
    assert [r[9:] for r in rows[1:]] == [(11, 2, pytest.approx(2 / 11)), (4, 1, 0.25),
                                         (15, 3, 0.2)]
    ledger = book["台账"]
    header = [c.value for c in ledger[2]]
    assert header[1:3] == ["测评体系", "测评项目"]
    status = header.index("状态") + 1
    by_item = {r[3].split()[0]: r for r in ledger.iter_rows(min_row=3, values_only=True)}
    assert by_item["W01.01"][1] == W_NAME
    assert by_item["01.01"][1] == "全国文明城市（地级以上）测评体系"
    assert by_item["W03.01"][status - 1] == "已销号"
    assert list(by_item)[-4:] == ["W01.01", "W01.02", "W02.01", "W03.01"]  # city first

    one = tmp_path / "未成年人.xlsx"
    zicha_cli.ok("tasks", "export", one, "--system", "W", "--archive", archive, *DAY)
    single = openpyxl.load_workbook(one)
    assert "按测评体系" not in single.sheetnames
    sheet = single["台账"]
    assert f"（{W_NAME}）" in sheet["A1"].value
    assert [c.value for c in sheet[2]][1] == "测评项目"  # one system: no 测评体系 column
    assert len(list(sheet.iter_rows(min_row=3, values_only=True))) == 4


def test_weekly_report_by_system_and_bonus(zicha_cli: ZichaCli, archive: Path,
                                           tmp_path: Path) -> None:
    out = tmp_path / "周报.docx"
    zicha_cli.ok("report", "weekly", out, "--archive", archive, *DAY)
    doc = docx.Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、总体情况", "二、各测评体系完成情况", "三、各测评项目完成情况",
                        "四、各责任单位完成情况", "五、红色清单（已逾期）",
                        "六、黄色清单（临近时限）", "七、本周销号/完成", "八、创新特色（加分）材料",
                        "九、未结问题", "十、负面清单"]
    texts, [table] = _section(doc, "二、各测评体系完成情况")
    assert "按权重计入总成绩（全国未成年人思想道德建设工作测评体系 20%）" in texts[0]
    assert _cells(table) == [
        ["测评体系", "权重", "任务数", "已完成", "完成率", "有终审材料的测评内容", "材料覆盖率"],
        [CITY, "—", "7", "2", "28.6%", "2/11", "18.2%"],
        [W_NAME, "20%", "4", "2", "50%", "1/4", "25%"]]
    texts, [table] = _section(doc, "八、创新特色（加分）材料")
    assert texts == ["创新特色（加分）材料共 2 份（国家级 1 份、省级 1 份），其中终审通过 1 份。"]
    assert _cells(table) == [
        ["材料名称", "测评内容", "级别", "发文（表扬）单位", "日期", "审核状态"],
        [f"未成年人思想道德建设工作获全国通报表扬（#{4}）", "W01.01 开展新时代好少年学习宣传",
         "国家级", "中央文明办", "2024-04-18", "待初审"],
        [f"志愿服务经验获省文明办推介（#{3}）", "11.01 志愿服务典型经验获省级推介", "省级",
         "省文明办", "2024-05-10", "已终审"]]
    # the categories of both systems, the city's first
    _texts, [categories] = _section(doc, "三、各测评项目完成情况")
    names = [row[0] for row in _cells(categories)[1:]]
    assert names[0] == "01 理想信念教育" and names[-3:] == ["W01 思想道德教育",
                                                      "W02 未成年人活动阵地", "W03 家庭教育"]

    one = tmp_path / "未成年人周报.docx"
    zicha_cli.ok("report", "weekly", one, "--system", "W", "--archive", archive, *DAY)
    single = docx.Document(str(one))
    assert f"（{W_NAME}）" in single.paragraphs[0].text
    headings = [p.text for p in single.paragraphs if p.style.name == "Heading 1"]
    assert "二、各测评体系完成情况" not in headings and headings[1] == "二、各测评项目完成情况"
    assert "七、创新特色（加分）材料" in headings  # W's own: the national one
    _texts, [table] = _section(single, "七、创新特色（加分）材料")
    assert [row[0] for row in _cells(table)[1:]] == ["未成年人思想道德建设工作获全国通报表扬（#4）"]
    both = tmp_path / "城市材料自查.docx"
    zicha_cli.ok("report", "weekly", both, "--system", "cn-wmcs-2023-prefecture",
                 "--list-kind", "材料自查", "--archive", archive, *DAY)
    title = docx.Document(str(both)).paragraphs[0].text
    assert title.endswith("（全国文明城市（地级以上）测评体系，材料自查清单）")
    bad = zicha_cli.run("report", "weekly", tmp_path / "x.docx", "--system", "Z",
                        "--archive", archive)
    assert bad.returncode == 1 and "没有测评体系“Z”" in bad.stderr
    assert not (tmp_path / "x.docx").exists()
