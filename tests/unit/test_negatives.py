"""负面清单 (issue 15 item 6): migration 0008 on an archive made before it; adding, editing
and 处置 of risks and events, each one audited operation by a person of the roster with the
right role; the list with the events that occurred first, and its section of the weekly
report."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy import select

from desktop.core.archive import db
from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.archive.items import add_item
from desktop.core.archive.models import AuditEntry, Material
from desktop.core.common.errors import ZichaError
from desktop.core.ledger import negatives, tasks
from desktop.core.ledger.documents import write_ledger_xlsx, write_weekly_report_docx
from desktop.core.review import keys, roster


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def office(core_archive: Archive) -> Archive:
    """An admin, a clerk of 市城管局, a clerk of 市文明办 and items 06 / 06.01."""
    for name, dept, roles in (("管理员", "市创城办", ["admin"]),
                              ("城管经办", "市城管局", ["clerk@市城管局"]),
                              ("文明办经办", "市文明办", ["clerk@市文明办"])):
        roster.add_person(core_archive, name, dept, roles, keys.new_key(name, "passphrase-1"),
                          actor="管理员" if name != "管理员" else None)
    add_item(core_archive, "06.01", "政务服务")
    return core_archive


def _evidence(archive: Archive) -> int:
    with archive.write("管理员") as (session, _log):
        now = dt.datetime(2024, 6, 1)
        m = Material(title="处置情况说明", created_at=now, updated_at=now)
        session.add(m)
        session.flush()
        return m.id


def _audit(archive: Archive) -> list[AuditEntry]:
    with archive.read() as session:
        return list(session.scalars(select(AuditEntry).where(
            AuditEntry.action.like("negative.%")).order_by(AuditEntry.seq)))


def test_an_archive_from_before_the_list_is_migrated(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    monkeypatch.setenv("ZICHA_USER", "测试员")
    root = tmp_path / "档案"
    Archive.create(root).close()
    engine = db.make_engine(root / DB_NAME)
    command.downgrade(db._alembic_config(engine), "0007")
    engine.dispose()
    with sqlite3.connect(root / DB_NAME) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "negative_item" not in tables
    with Archive.open(root) as archive:
        assert db.current_revision(archive.engine) == db.HEAD_REVISION
        assert negatives.list_negatives(archive) == []
        assert tasks.ledger(archive).negatives == []


def test_add_edit_dispose_each_audited(office: Archive) -> None:
    risk = negatives.add_negative(office, "占道经营反弹", "管理员", code="06.01",
                                  department="市城管局", prevention="每日巡查，发现即劝离")
    event = negatives.add_negative(office, "发生重大安全生产事故", "管理员", code="06")
    [r, e] = sorted(negatives.list_negatives(office), key=lambda n: n.id)
    assert (r.category_code, r.department, r.occurred) == ("06", "市城管局", False)
    assert r.category_name  # the 测评项目 of item 06.01, by name
    assert e.department == "" and e.prevention == ""

    negatives.edit_negative(office, event, {"department": "市应急局", "occurred_on": "2024-05-03",
                                            "prevention": "开展隐患排查"}, "管理员")
    material = _evidence(office)
    negatives.dispose(office, event, "已按程序上报并整改", "管理员", evidence=[material])
    listed = negatives.list_negatives(office)
    assert [n.id for n in listed] == [event, risk]  # occurred first
    assert (listed[0].occurred, listed[0].occurred_on, listed[0].disposal, listed[0].evidence,
            listed[0].disposed_by) == (True, "2024-05-03", "已按程序上报并整改", [material],
                                       "管理员")

    # the clerk of the responsible department records a 处置, naming the date it happened
    negatives.dispose(office, risk, "已劝离并恢复通行", "城管经办", occurred_on="2024-06-02")
    assert negatives.list_negatives(office)[0].id == risk  # the latest event first

    entries = _audit(office)
    assert [(x.action, x.actor, x.target) for x in entries] == [
        ("negative.add", "管理员", f"negative:{risk}"),
        ("negative.add", "管理员", f"negative:{event}"),
        ("negative.edit", "管理员", f"negative:{event}"),
        ("negative.dispose", "管理员", f"negative:{event}"),
        ("negative.dispose", "城管经办", f"negative:{risk}")]
    edit = json.loads(entries[2].detail)
    assert edit["department"] == {"old": None, "new": "市应急局"}
    assert edit["occurred"] == {"old": False, "new": True}

    with pytest.raises(ZichaError, match="已有处置记录，不能改为未发生"):
        negatives.edit_negative(office, event, {"occurred": False}, "管理员")
    negatives.edit_negative(office, event, {"prevention": "开展隐患排查"}, "管理员")  # no change
    assert len(_audit(office)) == len(entries)


def test_who_may_do_what_and_what_is_refused(office: Archive) -> None:
    with pytest.raises(ZichaError, match="没有修改负面清单的权限"):
        negatives.add_negative(office, "x", "城管经办")
    risk = negatives.add_negative(office, "占道经营反弹", "管理员", department="市城管局")
    with pytest.raises(ZichaError, match="尚未记为已发生"):
        negatives.dispose(office, risk, "已处置", "管理员")
    with pytest.raises(ZichaError, match="“市城管局”的经办人"):
        negatives.dispose(office, risk, "已处置", "文明办经办", occurred_on="2024-06-02")
    with pytest.raises(ZichaError, match="请写明处置情况"):
        negatives.dispose(office, risk, " ", "管理员", occurred_on="2024-06-02")
    with pytest.raises(ZichaError, match="没有编号为 999 的材料"):
        negatives.dispose(office, risk, "已处置", "管理员", evidence=[999],
                          occurred_on="2024-06-02")
    with pytest.raises(ZichaError, match="未知的测评项目编号 99"):
        negatives.add_negative(office, "x", "管理员", code="99")
    with pytest.raises(ZichaError, match="请写明负面清单事项的内容"):
        negatives.add_negative(office, "  ", "管理员")
    with pytest.raises(ZichaError, match="发生日期 6月2日 格式不对"):
        negatives.edit_negative(office, risk, {"occurred_on": "6月2日"}, "管理员")
    with pytest.raises(ZichaError, match="负面清单中没有编号为 42 的事项"):
        negatives.edit_negative(office, 42, {"prevention": "x"}, "管理员")
    roster.retire_person(office, "城管经办", actor="管理员")
    with pytest.raises(ZichaError, match="已停用"):
        negatives.dispose(office, risk, "已处置", "城管经办", occurred_on="2024-06-02")
    # nothing of the refused operations was stored
    [n] = negatives.list_negatives(office)
    assert (n.occurred, n.disposal) == (False, "")


def test_the_weekly_report_lists_events_first(office: Archive, tmp_path: Path) -> None:
    negatives.add_negative(office, "占道经营反弹", "管理员", department="市城管局",
                           prevention="每日巡查")
    event = negatives.add_negative(office, "发生重大安全生产事故", "管理员", code="06",
                                   occurred_on="2024-05-03")
    out = tmp_path / "周报.docx"
    write_weekly_report_docx(tasks.ledger(office, dt.date(2024, 6, 3)), out)
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[-1] == "八、负面清单"
    texts = [p.text for p in doc.paragraphs]
    assert "负面清单共 2 项，其中已发生 1 项（0 项已处置）。" in texts
    table = doc.tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["测评项目", "事项", "责任单位", "发生情况", "防范措施 / 处置情况"]
    assert rows[1][1:] == ["发生重大安全生产事故", "", "已发生\n2024-05-03", "待处置"]
    assert rows[2][1:] == ["占道经营反弹", "市城管局", "未发生", "防范：每日巡查"]
    negatives.dispose(office, event, "已上报并整改", "管理员")
    write_weekly_report_docx(tasks.ledger(office, dt.date(2024, 6, 3)), out)
    rows = [[c.text for c in r.cells] for r in Document(str(out)).tables[-1].rows]
    assert rows[1][4] == "处置：已上报并整改"


def test_the_ledger_workbook_has_a_sheet_of_the_list(office: Archive, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    write_ledger_xlsx(tasks.ledger(office), out)
    assert "负面清单" not in openpyxl.load_workbook(out).sheetnames  # none yet: no sheet
    negatives.add_negative(office, "占道经营反弹", "管理员", department="市城管局",
                           prevention="每日巡查")
    event = negatives.add_negative(office, "发生重大安全生产事故", "管理员", code="06",
                                   occurred_on="2024-05-03")
    negatives.dispose(office, event, "已上报并整改", "管理员", evidence=[_evidence(office)])
    write_ledger_xlsx(tasks.ledger(office), out)
    sheet = openpyxl.load_workbook(out)["负面清单"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["编号", "测评项目", "事项", "责任单位", "防范措施", "是否发生", "发生日期",
                       "处置情况", "处置人", "佐证材料"]
    assert rows[1][2:9] == ["发生重大安全生产事故", None, None, "是", "2024-05-03",
                            "已上报并整改", "管理员"]
    assert rows[2][2:6] == ["占道经营反弹", "市城管局", "每日巡查", "否"]
    assert sheet.freeze_panes == "A2"
