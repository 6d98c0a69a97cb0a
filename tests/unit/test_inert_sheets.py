"""Nothing we write to a workbook runs: text from a task list or a material that looks like a
formula (=, +, -, @, tab, CR first) comes out of the 台账 and the 材料目录 as an inert string
cell, and a formula in an imported task list is read as its saved value, never as a formula.
Each workbook is checked twice: reopened with openpyxl, and in its sheet XML (no <f>)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from desktop.core.export.documents import write_catalogue_xlsx
from desktop.core.ledger.tasklist import read_task_list
from tests.conftest import ZichaCli
from tests.unit.test_export_documents import CHAIN, _decision, _material, _plan

PAYLOADS = ["=cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "=HYPERLINK(\"http://x.invalid\",\"点我\")",
            "#N/A"]


def _as_text(cell: openpyxl.cell.cell.Cell, value: str) -> None:
    """Store `value` as a string cell, as Excel does for text typed after an apostrophe."""
    cell.value = value
    cell.data_type = "s"


def _formulas(path: Path) -> list[str]:
    """The <f> elements of every worksheet of the workbook at `path`."""
    with zipfile.ZipFile(path) as package:
        return [found for name in package.namelist() if name.startswith("xl/worksheets/")
                for found in re.findall(r"<(?:\w+:)?f[ >].*?</(?:\w+:)?f>|<(?:\w+:)?f/>",
                                        package.read(name).decode("utf-8"))]


def _string_cells(path: Path) -> dict[str, tuple[str, str, bool]]:
    """value -> (cell, data type, quote prefix) of every string cell, reopened by openpyxl."""
    book = openpyxl.load_workbook(path)
    return {cell.value: (f"{sheet.title}!{cell.coordinate}", cell.data_type, cell.quotePrefix)
            for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, str)}


def _hostile_list(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务清单"
    sheet.append(["序号", "测评项目", "测评内容", "工作要求", "材料要求", "牵头单位", "责任人",
                  "完成时限"])
    for n, payload in enumerate(PAYLOADS, start=1):
        sheet.append([n, "01 理想信念教育", f"任务{n}", "", "", "市委宣传部", "", "2024-06-30"])
        for column in (4, 5, 7):  # 工作要求, 材料要求, 责任人
            _as_text(sheet.cell(n + 1, column), payload)
    _as_text(sheet.cell(2, 3), "=cmd|' /C calc'!A0 宣传任务")  # a 测评内容 too
    book.save(path)
    assert not _formulas(path)  # the list itself holds text only
    return path


def test_formula_text_from_a_task_list_is_inert_in_the_ledger(
        zicha_cli: ZichaCli, cli_archive: Path, tmp_path: Path) -> None:
    listed = _hostile_list(tmp_path / "清单.xlsx")
    zicha_cli.ok_json("tasks", "import", listed, "--archive", cli_archive)
    out = tmp_path / "台账.xlsx"
    zicha_cli.ok("tasks", "export", out, "--archive", cli_archive)
    assert _formulas(out) == []
    cells = _string_cells(out)
    for payload in [*PAYLOADS, "=cmd|' /C calc'!A0 宣传任务"]:
        assert any(value.endswith(payload) for value in cells), payload
    for value, (where, data_type, quote_prefix) in cells.items():
        assert data_type == "s", f"{value!r} at {where} is not a string cell"
        if value.startswith(("=", "+", "-", "@")):
            assert quote_prefix, f"{value!r} at {where} has no quote prefix"


def test_formula_titles_are_inert_in_the_catalogue(tmp_path: Path) -> None:
    plan = _plan()
    plan.items[0].materials = [_material(n, payload, [_decision(s, r) for s, r in CHAIN])
                               for n, payload in enumerate(PAYLOADS, start=1)]
    out = tmp_path / "材料目录.xlsx"
    write_catalogue_xlsx(plan, out)
    assert _formulas(out) == []
    cells = _string_cells(out)
    for payload in PAYLOADS:
        assert cells[payload][1] == "s", cells.get(payload)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_dangerous_start_is_written_as_text(tmp_path: Path, start: str) -> None:
    from desktop.core.office import sheets

    book = openpyxl.Workbook()
    sheets.write(book.active, 1, 1, f"{start}1+cmd|' /C calc'!A0")
    sheets.append(book.active, [f"{start}2+2", 5, None, "普通文字"])
    out = tmp_path / "x.xlsx"
    book.save(out)
    assert _formulas(out) == []
    reopened = openpyxl.load_workbook(out).active
    assert reopened["A1"].value == f"{start}1+cmd|' /C calc'!A0"
    assert reopened["A1"].data_type == "s" and reopened["A1"].quotePrefix
    assert [c.value for c in reopened[2]] == [f"{start}2+2", 5, None, "普通文字"]
    assert reopened["B2"].data_type == "n" and not reopened["D2"].quotePrefix


def _with_cached_value(path: Path, cell: str, value: str) -> None:
    """openpyxl writes formulas without a saved result; add one as Excel would."""
    with zipfile.ZipFile(path) as package:
        members = {name: package.read(name) for name in package.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = members[name].decode("utf-8")
    xml, count = re.subn(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
                         rf'<c r="{cell}"\1 t="str"><f>\2</f><v>{value}</v></c>', xml)
    assert count == 1, xml
    members[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for member, data in members.items():
            package.writestr(member, data)


def test_formulas_in_a_task_list_are_read_as_their_values_never_copied(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "测评项目", "测评内容", "牵头单位", "配合单位", "完成时限"])
    sheet.append([1, "01 理想信念教育", "深入学习宣传", '="市委"&"宣传部"', "", "2024-06-30"])
    sheet.append([2, "01 理想信念教育", "规范文明行为", "市文明办", '=HYPERLINK("x","市教育局")',
                  "2024-06-30"])
    path = tmp_path / "公式.xlsx"
    book.save(path)
    _with_cached_value(path, "D2", "市委宣传部")
    listed = read_task_list(path)
    assert [(r.item, r.leads, r.supports) for r in listed.rows] == [
        ("深入学习宣传", ["市委宣传部"], []), ("规范文明行为", ["市文明办"], [])]
    text = repr(listed)
    assert "HYPERLINK" not in text and "&" not in text
    # the formula without a saved result is named, not silently dropped
    assert any("E3" in w and "公式" in w for w in listed.warnings), listed.warnings
