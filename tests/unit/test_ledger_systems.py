"""The 台账 by indicator system (issue 15 item 4, 同创同测): per system its weight, its tasks
done and its material coverage, systems without tasks included; a ledger of one system; the
weekly report's sections numbered as they come."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.archive.archive import Archive
from desktop.core.archive.systems import add_category, create_system
from desktop.core.common.errors import ZichaError
from desktop.core.ledger import negatives, problems, tasks
from desktop.core.ledger.documents import section_titles
from desktop.core.ledger.views import CLOSED, DONE, Ledger
from tests.systems_fixtures import TODAY, V_LIST, V_NAME, W_LIST, W_NAME, build_systems_archive

CITY = "全国文明城市（地级以上）测评体系（2023年版）"


@pytest.fixture(scope="module")
def _built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("systems")
    build_systems_archive(base / "档案", base / "home", base / "files")
    return base / "档案"


@pytest.fixture
def office(tmp_path: Path, _built: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Archive]:
    monkeypatch.setenv("ZICHA_USER", "管理员戊")
    shutil.copytree(_built, tmp_path / "档案")
    with Archive.open(tmp_path / "档案") as archive:
        yield archive


def _rows(ledger: Ledger) -> list[tuple[object, ...]]:
    return [(s.prefix, s.label, s.weight, s.done, s.total, s.covered, s.items)
            for s in ledger.by_system]


def test_each_system_with_its_weight_tasks_and_coverage(office: Archive) -> None:
    ledger = tasks.ledger(office, TODAY)
    # the city's 7 tasks, 2 done; its 11 places of evidence: 7 测评内容 from the lists and the 4
    # 测评项目 that have none (02, 04, 05, 07), 01.01 and 11.01 with final-approved material
    assert _rows(ledger) == [("", CITY, None, 2, 7, 2, 11),
                             ("W", W_NAME, 20, 2, 4, 1, 4),  # one done, one 销号
                             ("V", V_NAME, 10, 0, 2, 0, 2)]
    city, w, v = ledger.by_system
    assert city.main and not w.main
    assert (city.weight_text, w.weight_text, v.weight_text) == ("", "20%", "10%")
    assert round(w.percent) == 50 and w.coverage == 25.0
    # 文明村镇's 测评项目 were made from its list; no evidence yet: 0 %
    assert v.coverage == 0.0 and v.red == 1 and v.white == 1
    assert sum(s.total for s in ledger.by_system) == len(ledger.tasks) == 13
    statuses = {(t.item_code, t.status) for t in ledger.tasks if t.system_prefix == "W"}
    assert ("W01.01", DONE) in statuses and ("W03.01", CLOSED) in statuses


def test_tasks_and_categories_in_system_order(office: Archive) -> None:
    ledger = tasks.ledger(office, TODAY)
    prefixes = [t.system_prefix for t in ledger.tasks]
    assert prefixes == sorted(prefixes, key=["", "W", "V"].index)  # V was added after W
    assert [c.key for c in ledger.by_category] == [
        "01", "03", "06", "08", "09", "10", "11", "W01", "W02", "W03", "V01", "V02"]
    assert {t.system_id for t in ledger.tasks if t.system_prefix == "W"} == {"bureau-w"}


def test_systems_without_tasks_are_listed(office: Archive) -> None:
    create_system(office, "全国文明校园测评体系", prefix="X", weight=5)
    create_system(office, "全国文明家庭测评体系", prefix="Y")
    add_category(office, "X", "校园文化")  # a 测评项目 without 测评内容 takes evidence itself
    rows = _rows(tasks.ledger(office, TODAY))
    assert rows[3:] == [("X", "全国文明校园测评体系", 5, 0, 0, 0, 1),
                        ("Y", "全国文明家庭测评体系", None, 0, 0, 0, 0)]
    empty = tasks.ledger(office, TODAY).by_system[4]
    assert empty.percent == 0.0 and empty.coverage == 0.0


def test_a_list_filter_keeps_every_system(office: Archive) -> None:
    ledger = tasks.ledger(office, TODAY, list_kind=W_LIST)
    assert [(s.prefix, s.done, s.total) for s in ledger.by_system] == [
        ("", 0, 0), ("W", 2, 4), ("V", 0, 0)]
    # coverage is the system's whatever list is shown
    assert [s.covered for s in ledger.by_system] == [2, 1, 0]


def test_a_ledger_of_one_system(office: Archive) -> None:
    problems.add_problem(office, "W01.02", "思政课听课记录不全", "管理员戊")
    problems.add_problem(office, "01.01", "宣传栏破损", "管理员戊")
    negatives.add_negative(office, "未成年人网络沉迷事件", "管理员戊", code="W01")
    negatives.add_negative(office, "占道经营反弹", "管理员戊")
    for ref in ("W", "w", "bureau-w", W_NAME):
        ledger = tasks.ledger(office, TODAY, system=ref)
        assert (ledger.system, ledger.system_name) == ("bureau-w", W_NAME)
        assert {t.system_prefix for t in ledger.tasks} == {"W"} and len(ledger.tasks) == 4
    assert _rows(ledger) == [("W", W_NAME, 20, 2, 4, 1, 4)]
    assert [c.key for c in ledger.by_category] == ["W01", "W02", "W03"]
    assert [c.key for c in ledger.by_list] == [W_LIST]
    assert [p.item_code for p in ledger.problems] == ["W01.02"]
    assert [n.description for n in ledger.negatives] == ["未成年人网络沉迷事件"]
    assert [b.title for b in ledger.bonus] == ["未成年人思想道德建设工作获全国通报表扬"]
    assert ledger.bonus[0].item_labels == ["W01.01 开展新时代好少年学习宣传"]
    village = tasks.ledger(office, TODAY, system="V", list_kind=V_LIST)
    assert [t.item_code for t in village.tasks] == ["V01.01", "V02.01"]
    assert tasks.ledger(office, TODAY, system="V", list_kind="材料自查").tasks == []
    assert [t.item_code for t in tasks.list_tasks(office, today=TODAY, system="V",
                                                  status="red")] == ["V02.01"]
    everything = tasks.ledger(office, TODAY)
    assert len(everything.problems) == 2 and len(everything.negatives) == 2
    assert everything.system == "" and len(everything.bonus) == 2


def test_an_unknown_system_is_named(office: Archive) -> None:
    with pytest.raises(ZichaError) as caught:
        tasks.ledger(office, TODAY, system="Q")
    message = str(caught.value)
    assert "没有测评体系“Q”" in message
    assert f"W {W_NAME}" in message and f"V {V_NAME}" in message


def test_report_sections_numbered_as_they_come(office: Archive) -> None:
    assert section_titles(tasks.ledger(office, TODAY)) == [
        "一、总体情况", "二、各测评体系完成情况", "三、各测评项目完成情况",
        "四、各责任单位完成情况", "五、红色清单（已逾期）", "六、黄色清单（临近时限）",
        "七、本周销号/完成", "八、创新特色（加分）材料", "九、未结问题", "十、负面清单"]
    # one system and no 创新特色 material: the report as it was
    alone = tasks.ledger(office, TODAY, system="V")
    assert section_titles(alone) == [
        "一、总体情况", "二、各测评项目完成情况", "三、各责任单位完成情况",
        "四、红色清单（已逾期）", "五、黄色清单（临近时限）", "六、本周销号/完成", "七、未结问题",
        "八、负面清单"]
