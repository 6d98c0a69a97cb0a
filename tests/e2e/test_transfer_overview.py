"""The city's view over its departments (issue 16, item 6): what each has sent, how far its
material is reviewed, its tasks, and who has not reported since a day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from desktop.core.archive.archive import Archive
from desktop.core.transfer.overview import departments_overview, not_reported
from tests.e2e.test_cli_transfer import DEPARTMENTS, Bureau, bureau  # noqa: F401


def test_the_city_sees_each_department(bureau: Bureau, tmp_path: Path) -> None:  # noqa: F811
    b = bureau
    sending = ["市公安局", "市教育局"]
    for dept in sending:
        b.send(dept, tmp_path / f"{dept}.zip")
        b.apply(tmp_path / f"{dept}.zip")
    book = openpyxl.Workbook()
    book.active.append(["测评项目", "测评内容", "牵头单位", "完成时限"])
    book.active.append(["01 理想信念教育", "学习宣传", "市卫健委", "2024-01-31"])
    book.active.append(["01 理想信念教育", "学习宣传", "市公安局", "2099-12-31"])
    book.save(tmp_path / "清单.xlsx")
    b.ok("创文办主任", b.city, "tasks", "import", tmp_path / "清单.xlsx")
    with Archive.open(b.city, writable=False) as city:
        reports = {r.department: r for r in departments_overview(city, dt.date(2024, 6, 1))}
    police, health = reports["市公安局"], reports["市卫健委"]
    assert (police.packages, police.last_seq, police.materials, police.submitted) == (1, 1, 2, 2)
    assert (police.approved, police.returned, police.open_conflicts) == (0, 0, 0)
    assert (police.tasks, police.tasks_done, police.tasks_overdue) == (1, 0, 0)
    assert (health.packages, health.last_at, health.materials) == (0, None, 0)
    assert (health.tasks, health.tasks_overdue) == (1, 1)
    assert list(reports)[:2] == sorted(sending)  # those that sent come first
    today = dt.datetime.now(dt.UTC).date()
    assert [r.department for r in not_reported(list(reports.values()), today)] == ["市卫健委"]
    later = today + dt.timedelta(days=1)
    assert [r.department for r in not_reported(list(reports.values()), later)] == [
        "市公安局", "市教育局", "市卫健委"]
