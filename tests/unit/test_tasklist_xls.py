"""Task lists in the Excel 97-2003 format (.xls) and WPS 表格's .et (the same format) are read
through the same grid as .xlsx (issue 15, item 2): merged cells from xlrd, dates as dates, and
what is not a workbook refused by name."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from desktop.core.common.errors import ZichaError
from desktop.core.ledger.tasklist import read_task_list, sheet_names
from desktop.core.ledger.views import DATE, Deadline
from tests.tasklist_fixtures import TASKS, own_headings_list

HERE = Path(__file__).resolve().parents[1] / "fixtures"
OLD = HERE / "tasklists"
LEGACY = HERE / "formats" / "legacy"
EXTRA = ("（七）优化生态环境,提高市民的满意度", "推进生活垃圾分类", "城管局", "",
         dt.datetime(2019, 9, 30))


@pytest.mark.parametrize("name", ["own-headings.xls", "own-headings.et"])
def test_an_old_format_list_reads_as_its_xlsx_does(tmp_path: Path, name: str) -> None:
    old = read_task_list(OLD / name)
    new = read_task_list(own_headings_list(tmp_path / "表.xlsx", [*TASKS, EXTRA]))  # type: ignore[list-item]
    assert sheet_names(OLD / name) == ["任务分解表"]
    assert (old.sheet, old.header_rows, old.columns) == (new.sheet, new.header_rows, new.columns)
    # the two-row header needs the merged 责任单位 over 牵头单位 | 配合单位
    assert old.headers == new.headers
    assert old.headers[3:5] == ["责任单位/牵头单位", "责任单位/配合单位"]
    assert old.rows == new.rows and old.warnings == new.warnings == []
    # the heading merged down its rows reaches every task under it
    assert [r.category for r in old.rows[-3:]] == ["（七）优化生态环境,提高市民的满意度"] * 3
    assert old.rows[-1].deadline == Deadline(DATE, dt.date(2019, 9, 30), text="2019-09-30")
    assert old.rows[0].deadline == Deadline(DATE, dt.date(2019, 6, 30), text="2019年6月底")


def test_a_legacy_xls_with_a_header_is_read(tmp_path: Path) -> None:
    path = LEGACY / "taizhang.xls"
    assert sheet_names(path)  # opens; whether it is a task list is for read_task_list


def test_what_is_not_an_old_workbook_is_refused_by_name(tmp_path: Path) -> None:
    fake = tmp_path / "清单.xls"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(ZichaError) as err:
        read_task_list(fake)
    assert "“清单.xls”已损坏或不是有效的 .xls 文件" in str(err.value)
    assert "另存为 .xlsx" in str(err.value)
    html = tmp_path / "导出.xls"
    html.write_text("<html><table><tr><td>序号</td></tr></table></html>", encoding="utf-8")
    with pytest.raises(ZichaError, match="“导出.xls”是网页"):
        read_task_list(html)
    if (LEGACY / "tongzhi.doc").exists():
        doc = tmp_path / "通知.et"
        shutil.copy(LEGACY / "tongzhi.doc", doc)
        with pytest.raises(ZichaError, match="“通知.et”不是 Excel 表格"):
            read_task_list(doc)
    if (LEGACY / "taizhang-encrypted.xls").exists():
        with pytest.raises(ZichaError, match="设有打开密码"):
            read_task_list(LEGACY / "taizhang-encrypted.xls")
