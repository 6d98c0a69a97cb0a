"""负面清单: the risks and events that cost points or the nomination. Each line names what it
is, its 测评项目, the responsible department and its 防范措施; when it happens it is recorded as
occurred (with the date) and 处置 (what was done, with evidence materials). Every change is one
operation by a person of the roster, in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import Role
from desktop.core.archive.models import (
    IndicatorNode,
    Material,
    NegativeEvidence,
    NegativeItem,
)
from desktop.core.common.errors import ZichaError
from desktop.core.ledger.views import NegativeView
from desktop.core.review import roster
from desktop.core.review.roster import department_named

# who keeps the list (add, edit): the 创文办's admins and reviewers; 处置 also the clerk of the
# responsible department
KEEPERS = (Role.ADMIN, Role.FIRST, Role.SECOND, Role.FINAL)
EDITABLE = ("description", "code", "department", "prevention", "occurred", "occurred_on")
FIELD_LABELS = {"description": "内容", "code": "测评项目", "department": "责任单位",
                "prevention": "防范措施", "occurred": "是否发生", "occurred_on": "发生日期"}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _keeper(session: Session, by: str) -> None:
    _person, actor = roster.acting_person(session, by)
    if actor.retired:
        raise ZichaError(f"{actor.name} 已停用，不能再修改负面清单")
    if why := actor.refusal(KEEPERS, None, f"{actor.name} 没有修改负面清单的权限（管理员或审核人"
                                           "才能登记和修改）"):
        raise ZichaError(why)


def _disposer(session: Session, by: str, item: NegativeItem) -> None:
    _person, actor = roster.acting_person(session, by)
    if actor.retired:
        raise ZichaError(f"{actor.name} 已停用，不能再修改负面清单")
    department = item.department.name if item.department else None
    if actor.refusal(KEEPERS, None, "x") and actor.refusal(Role.CLERK, department, "x"):
        where = f"“{department}”的经办人、" if department else ""
        raise ZichaError(f"{actor.name} 不能登记负面清单 {item.id} 的处置（{where}管理员或审核人"
                         "才能登记）")


def _item(session: Session, negative_id: int) -> NegativeItem:
    item = session.get(NegativeItem, negative_id)
    if item is None:
        raise ZichaError(f"负面清单中没有编号为 {negative_id} 的事项",
                         hint="用 zicha negative list 查看")
    return item


def _category(session: Session, code: str | None) -> str | None:
    code = (code or "").strip()
    if not code:
        return None
    node = session.get(IndicatorNode, code)
    if node is None:
        raise ZichaError(f"未知的测评项目编号 {code}", hint="用 zicha items 查看本档案的编号")
    return code


def _date(value: Any, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ZichaError(f"{what} {value} 格式不对；请写成 2024-06-30") from None


def add_negative(archive: Archive, description: str, by: str, *, code: str | None = None,
                 department: str | None = None, prevention: str = "",
                 occurred_on: dt.date | str | None = None) -> int:
    """Put a risk on the list (or, with `occurred_on`, an event that has happened)."""
    description = description.strip()
    if not description:
        raise ZichaError("请写明负面清单事项的内容")
    now = _now()
    with archive.write(by) as (session, log):
        _keeper(session, by)
        day = _date(occurred_on, "发生日期")
        dept = department_named(session, department) if department and department.strip() \
            else None
        item = NegativeItem(description=description, node_code=_category(session, code),
                            department_id=dept.id if dept else None,
                            prevention=prevention.strip(), occurred=day is not None,
                            occurred_on=day, disposal="", disposed_by="", created_by=by,
                            created_at=now, updated_at=now)
        session.add(item)
        session.flush()
        log("negative.add", f"negative:{item.id}", _facts(item))
        return item.id


def edit_negative(archive: Archive, negative_id: int, changes: dict[str, Any], by: str) -> None:
    """Change what the line says (keys of EDITABLE); `occurred` False clears the date, a date
    in `occurred_on` marks it occurred. One audit entry with the old and new values."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ZichaError(f"负面清单不能修改的字段: {', '.join(sorted(unknown))}")
    with archive.write(by) as (session, log):
        item = _item(session, negative_id)
        _keeper(session, by)
        before = _facts(item)
        if "description" in changes:
            text = str(changes["description"] or "").strip()
            if not text:
                raise ZichaError("负面清单事项的内容不能为空")
            item.description = text
        if "code" in changes:
            item.node_code = _category(session, changes["code"])
        if "department" in changes:
            name = str(changes["department"] or "").strip()
            item.department = department_named(session, name) if name else None
        if "prevention" in changes:
            item.prevention = str(changes["prevention"] or "").strip()
        if "occurred" in changes and not changes["occurred"]:
            if item.disposal:
                raise ZichaError(f"负面清单 {negative_id} 已有处置记录，不能改为未发生")
            item.occurred, item.occurred_on = False, None
        elif "occurred" in changes:
            item.occurred = True
        if changes.get("occurred_on") not in (None, ""):
            item.occurred, item.occurred_on = True, _date(changes["occurred_on"], "发生日期")
        after = _facts(item)
        diff = {k: {"old": before[k], "new": after[k]} for k in after if before[k] != after[k]}
        if diff:
            item.updated_at = _now()
            log("negative.edit", f"negative:{negative_id}", diff)


def dispose(archive: Archive, negative_id: int, note: str, by: str, *,
            evidence: Sequence[int] = (), occurred_on: dt.date | str | None = None) -> None:
    """处置: what was done about an event that occurred (its date given here if not yet), with
    materials as evidence; a later 处置 replaces the record and adds evidence."""
    note = note.strip()
    if not note:
        raise ZichaError("请写明处置情况")
    with archive.write(by) as (session, log):
        item = _item(session, negative_id)
        _disposer(session, by, item)
        day = _date(occurred_on, "发生日期")
        if not item.occurred and day is None:
            raise ZichaError(f"负面清单 {negative_id}“{item.description}”尚未记为已发生；"
                             "请同时写明发生日期",
                             hint="用 --occurred YYYY-MM-DD 写明发生日期")
        for material_id in evidence:
            if session.get(Material, material_id) is None:
                raise ZichaError(f"没有编号为 {material_id} 的材料，不能作为处置佐证")
        if day is not None:
            item.occurred, item.occurred_on = True, day
        have = {e.material_id for e in item.evidence}
        item.evidence.extend(NegativeEvidence(material_id=m) for m in dict.fromkeys(evidence)
                             if m not in have)
        now = _now()
        item.disposal, item.disposed_by, item.disposed_at, item.updated_at = note, by, now, now
        log("negative.dispose", f"negative:{negative_id}", {
            "note": note, "evidence": list(dict.fromkeys(evidence)),
            "occurred_on": item.occurred_on.isoformat() if item.occurred_on else None})


def _facts(item: NegativeItem) -> dict[str, Any]:
    return {"description": item.description, "code": item.node_code,
            "department": item.department.name if item.department else None,
            "prevention": item.prevention, "occurred": bool(item.occurred),
            "occurred_on": item.occurred_on.isoformat() if item.occurred_on else None}


def negative_views(session: Session) -> list[NegativeView]:
    """The whole list: events that occurred first (latest first), then the risks by number."""
    names = {n.code: n for n in session.scalars(select(IndicatorNode))}
    found = []
    for item in session.scalars(select(NegativeItem).order_by(NegativeItem.id)):
        node = names.get(item.node_code or "")
        category = names.get(node.parent_code or "", node) if node else None
        found.append(NegativeView(
            item.id, item.description, category.code if category else "",
            category.name if category else "", item.department.name if item.department else "",
            item.prevention, bool(item.occurred),
            item.occurred_on.isoformat() if item.occurred_on else "", item.disposal,
            item.disposed_by,
            item.disposed_at.isoformat(timespec="seconds") if item.disposed_at else "",
            sorted(e.material_id for e in item.evidence), item.created_by,
            item.created_at.isoformat(timespec="seconds")))
    occurred = sorted((v for v in found if v.occurred), key=lambda v: v.occurred_on,
                      reverse=True)
    return occurred + [v for v in found if not v.occurred]


def list_negatives(archive: Archive) -> list[NegativeView]:
    with archive.read() as session:
        return negative_views(session)
