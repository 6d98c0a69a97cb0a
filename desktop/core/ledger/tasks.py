"""Tasks (任务分解清单) in the archive: importing a task list, the derived 白/黄/红 status,
销号 by an admin, and the ledger (台账) that the exports and the window show."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import NodeKind, ReviewState, Role
from desktop.core.archive.models import (
    ArchiveInfo,
    Decision,
    Filing,
    IndicatorNode,
    Material,
    Problem,
    Task,
)
from desktop.core.common.errors import ZichaError
from desktop.core.common.limits import quoted
from desktop.core.ledger.tasklist import TaskList, TaskRow, read_task_list
from desktop.core.ledger.views import (
    CLOSED,
    DATE,
    DONE,
    RED,
    WHITE,
    YELLOW,
    Completion,
    Deadline,
    Ledger,
    ProblemView,
    TaskView,
)
from desktop.core.review import roster
from desktop.core.review.roster import department_named

WARN_DAYS_KEY = "task_warn_days"
DEFAULT_WARN_DAYS = 7
LEAD, SUPPORT = "lead", "support"
STATUSES = {"done": DONE, "white": WHITE, "yellow": YELLOW, "red": RED, "closed": CLOSED,
            "白": WHITE, "黄": YELLOW, "红": RED}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# -- settings ----------------------------------------------------------------------------------

def warn_days(archive: Archive) -> int:
    value = archive.info().get(WARN_DAYS_KEY)
    return int(value) if value else DEFAULT_WARN_DAYS


def set_warn_days(archive: Archive, days: int, *, actor: str | None = None) -> None:
    if not 0 <= days <= 365:
        raise ZichaError("黄色预警天数应在 0 到 365 之间")
    with archive.write(actor) as (session, log):
        row = session.get(ArchiveInfo, WARN_DAYS_KEY)
        if row is None:
            session.add(ArchiveInfo(key=WARN_DAYS_KEY, value=str(days)))
        else:
            row.value = str(days)
        log("tasks.warn_days", "archive", {"days": days})


# -- importing a task list ---------------------------------------------------------------------

@dataclass
class TaskImport:
    file: str
    sheet: str
    rows: int
    items_created: list[str] = field(default_factory=list)  # "01.03 名称"
    tasks_created: list[str] = field(default_factory=list)  # "01.03 / 市文明办"
    tasks_updated: list[str] = field(default_factory=list)  # "01.03 / 市文明办：完成时限 …"
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_in_list: list[str] = field(default_factory=list)  # tasks from earlier lists, kept

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def import_tasks(archive: Archive, path: Path, *, sheet: str | None = None,
                 columns: dict[str, int] | None = None, year: int | None = None,
                 actor: str | None = None, parsed: TaskList | None = None) -> TaskImport:
    """Create the 测评内容 and tasks of a task list; a revised list updates them (matched by
    测评内容 and department) and says what changed. All or nothing."""
    path = Path(path)
    parsed = parsed or read_task_list(path, sheet=sheet, columns=columns, year=year)
    report = TaskImport(path.name, parsed.sheet, len(parsed.rows), warnings=list(parsed.warnings))
    now = _now()
    with archive.write(actor) as (session, log):
        categories = list(session.scalars(select(IndicatorNode).where(
            IndicatorNode.kind == NodeKind.CATEGORY)))
        seen: set[int] = set()
        for row in parsed.rows:
            category = _category(row, categories)
            if category is None:
                report.skipped.append(f"第 {row.row} 行：测评项目“{quoted(row.category)}”"
                                      "不在本档案的测评体系中（或没有写）")
                continue
            node = _item(session, category, row, report)
            departments = [(d, LEAD) for d in row.leads] + [
                (d, SUPPORT) for d in row.supports if d not in row.leads]
            if not departments:
                report.skipped.append(f"第 {row.row} 行：没有牵头单位或责任单位")
                continue
            for name, role in departments:
                task_id = _upsert_task(session, node, name, role, row, f"{path.name}#{row.row}",
                                       now, report)
                seen.add(task_id)
        earlier = session.scalars(select(Task).where(Task.id.not_in(seen) if seen else true()))
        report.not_in_list = [f"{t.node_code} / {t.department.name}" for t in earlier]
        log("tasks.import", f"file:{path.name}", {
            "sheet": parsed.sheet, "rows": report.rows, "items_created": report.items_created,
            "tasks_created": len(report.tasks_created),
            "tasks_updated": report.tasks_updated, "skipped": report.skipped})
    return report


def _category(row: TaskRow, categories: list[IndicatorNode]) -> IndicatorNode | None:
    if row.category_code:
        found = next((c for c in categories if c.code == row.category_code), None)
        if found is not None:
            return found
    text = re.sub(r"\s", "", row.category)
    if not text:
        return None
    return next((c for c in categories if c.name in text or text in c.name), None)


def _item(session: Session, category: IndicatorNode, row: TaskRow,
          report: TaskImport) -> IndicatorNode:
    if row.item_code and row.item_code.startswith(category.code + "."):
        node = session.get(IndicatorNode, row.item_code)
        if node is not None:
            return node
    node = session.scalars(select(IndicatorNode).where(
        IndicatorNode.parent_code == category.code, IndicatorNode.name == row.item)).first()
    if node is not None:
        return node
    code = row.item_code if row.item_code and row.item_code.startswith(category.code + ".") \
        and session.get(IndicatorNode, row.item_code) is None else _next_code(session, category)
    count = session.scalar(select(func.count()).select_from(IndicatorNode).where(
        IndicatorNode.parent_code == category.code)) or 0
    node = IndicatorNode(code=code, parent_code=category.code, kind=NodeKind.ITEM,
                         name=row.item, criterion=row.requirement, position=count,
                         source="tasklist")
    session.add(node)
    session.flush()
    report.items_created.append(f"{code} {row.item}")
    return node


def _next_code(session: Session, category: IndicatorNode) -> str:
    codes = session.scalars(select(IndicatorNode.code).where(
        IndicatorNode.parent_code == category.code))
    numbers = [int(c.rsplit(".", 1)[1]) for c in codes if c.rsplit(".", 1)[1].isdigit()]
    return f"{category.code}.{max(numbers, default=0) + 1:02d}"


def _upsert_task(session: Session, node: IndicatorNode, department: str, role: str,
                 row: TaskRow, source: str, now: dt.datetime, report: TaskImport) -> int:
    dept = department_named(session, department)
    d = row.deadline
    values = {"role": role, "requirement": row.requirement,
              "material_requirement": row.material, "responsible": row.responsible,
              "deadline_kind": d.kind, "deadline": d.date, "deadline_period": d.period,
              "deadline_text": d.text}
    task = session.scalars(select(Task).where(Task.node_code == node.code,
                                              Task.department_id == dept.id)).first()
    label = f"{node.code} / {department}"
    if task is None:
        task = Task(node_code=node.code, department_id=dept.id, source=source, created_at=now,
                    updated_at=now, closed_by="", closed_reason="", **values)
        session.add(task)
        session.flush()
        report.tasks_created.append(label)
        return task.id
    changed = [key for key, value in values.items() if getattr(task, key) != value]
    if changed:
        names = {"role": "牵头/配合", "requirement": "测评标准", "material_requirement": "材料要求",
                 "responsible": "责任人", "deadline_kind": "完成时限", "deadline": "完成时限",
                 "deadline_period": "完成时限", "deadline_text": "完成时限"}
        what = "、".join(dict.fromkeys(names[k] for k in changed))
        before = Deadline(task.deadline_kind, task.deadline, task.deadline_period,
                          task.deadline_text).label()
        extra = f"（{before} → {d.label()}）" if "完成时限" in what and before != d.label() else ""
        for key, value in values.items():
            setattr(task, key, value)
        task.source, task.updated_at = source, now
        report.tasks_updated.append(f"{label}：{what}{extra}")
    else:
        report.unchanged += 1
    return task.id


# -- status ------------------------------------------------------------------------------------

def task_status(deadline: Deadline, final_approved: int, closed: bool, today: dt.date,
                warn: int) -> tuple[str, int | None]:
    """(status, days left) of one task. Done when final-approved material covers it; 销号 when
    an admin closed it; otherwise by its date: 红 past it, 黄 within `warn` days, else 白.
    Recurring and open-ended deadlines have no date to miss: 白 until done."""
    days = (deadline.date - today).days if deadline.kind == DATE and deadline.date else None
    if closed:
        return CLOSED, days
    if final_approved:
        return DONE, days
    if days is None:
        return WHITE, None
    if days < 0:
        return RED, days
    return (YELLOW if days <= warn else WHITE), days


def ledger(archive: Archive, today: dt.date | None = None) -> Ledger:
    today = today or dt.date.today()
    warn = warn_days(archive)
    info = archive.info()
    with archive.read() as session:
        names = {n.code: n for n in session.scalars(select(IndicatorNode))}
        counts, approved_at = _coverage(session)
        result = Ledger(today, info.get("bureau") or info.get("name") or "", warn)
        for t in session.scalars(select(Task).order_by(Task.node_code, Task.role, Task.id)):
            node = names[t.node_code]
            category = names.get(node.parent_code or "", node)
            deadline = Deadline(t.deadline_kind, t.deadline, t.deadline_period, t.deadline_text)
            total, final = counts.get((t.node_code, t.department_id), (0, 0))
            status, days = task_status(deadline, final, t.closed_at is not None, today, warn)
            done_at = approved_at.get((t.node_code, t.department_id), "")
            result.tasks.append(TaskView(
                t.id, category.code, category.name, node.code, node.name, t.department.name,
                t.role, t.requirement, t.material_requirement, t.responsible, deadline, status,
                days, total, final, t.closed_reason, t.closed_by,
                t.closed_at.isoformat(timespec="seconds") if t.closed_at else "", done_at))
        result.problems = [_problem_view(p, names, today) for p in
                           session.scalars(select(Problem).order_by(Problem.id))]
    result.by_category = _completion(result.tasks, lambda t: (t.category_code,
                                                              t.category_name))
    result.by_department = _completion(result.tasks, lambda t: (t.department, t.department))
    week_ago = today - dt.timedelta(days=7)
    result.newly_done = [t for t in result.tasks if _recent(t, week_ago, today)]
    return result


def _coverage(session: Session) -> tuple[dict[tuple[str, int], tuple[int, int]],
                                         dict[tuple[str, int], str]]:
    """Per (item, department): materials filed, final-approved ones, and when the first of
    those was final-approved."""
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    final_ids: dict[int, list[tuple[str, int]]] = defaultdict(list)
    rows = session.execute(select(Filing.node_code, Material.department_id, Material.state,
                                  Material.id).join(Material, Material.id == Filing.material_id))
    for code, dept, state, material_id in rows:
        if dept is None:
            continue
        entry = counts[(code, dept)]
        entry[0] += 1
        if state == ReviewState.FINAL_APPROVED:
            entry[1] += 1
            final_ids[material_id].append((code, dept))
    approved_at: dict[tuple[str, int], str] = {}
    if final_ids:
        for material_id, at in session.execute(
                select(Decision.material_id, func.max(Decision.decided_at))
                .where(Decision.stage == "final", Decision.verdict == "approve",
                       Decision.material_id.in_(list(final_ids)))
                .group_by(Decision.material_id)):
            for key in final_ids[material_id]:
                approved_at[key] = min(approved_at.get(key, at), at)
    return {k: (v[0], v[1]) for k, v in counts.items()}, approved_at


def _recent(t: TaskView, since: dt.date, today: dt.date) -> bool:
    when = t.closed_at if t.status == CLOSED else t.done_at if t.status == DONE else ""
    return bool(when) and since < dt.date.fromisoformat(when[:10]) <= today


def _completion(tasks: Sequence[TaskView], key) -> list[Completion]:  # type: ignore[no-untyped-def]
    groups: dict[str, Completion] = {}
    for t in tasks:
        code, label = key(t)
        c = groups.setdefault(code, Completion(code, label))
        c.total += 1
        if t.status in (DONE, CLOSED):
            c.done += 1
        elif t.status == WHITE:
            c.white += 1
        elif t.status == YELLOW:
            c.yellow += 1
        elif t.status == RED:
            c.red += 1
    return sorted(groups.values(), key=lambda c: c.key)


def _problem_view(p: Problem, names: dict[str, IndicatorNode], today: dt.date) -> ProblemView:
    node = names.get(p.node_code)
    return ProblemView(p.id, p.node_code, node.name if node else "",
                       p.department.name if p.department else "", p.description,
                       p.found_at.isoformat(), p.found_by, p.deadline, p.state, p.rectification,
                       [e.material_id for e in p.evidence], p.feedback,
                       p.deadline is not None and p.deadline < today
                       and p.state not in ("rectified", "confirmed"))


def list_tasks(archive: Archive, *, today: dt.date | None = None, status: str | None = None,
               department: str | None = None) -> list[TaskView]:
    wanted = None
    if status:
        wanted = STATUSES.get(status)
        if wanted is None:
            raise ZichaError(f"未知的状态 {status}；可用: done、white、yellow、red、closed")
    return [t for t in ledger(archive, today).tasks
            if (wanted is None or t.status == wanted)
            and (department is None or t.department == department)]


# -- 销号 ---------------------------------------------------------------------------------------

def close_task(archive: Archive, task_id: int, reason: str, by: str) -> None:
    """销号: an admin marks a task done by hand, with the reason, in the audit log."""
    reason = reason.strip()
    if not reason:
        raise ZichaError("销号必须写明理由")
    with archive.write(by) as (session, log):
        _person, actor = roster.acting_person(session, by)
        actor.require(Role.ADMIN, None, f"{by} 不是管理员；只有管理员可以销号")
        task = session.get(Task, task_id)
        if task is None:
            raise ZichaError(f"没有编号为 {task_id} 的任务", hint="用 zicha tasks list 查看")
        if task.closed_at is not None:
            raise ZichaError(f"任务 {task_id} 已于 {task.closed_at:%Y-%m-%d} 由 {task.closed_by} "
                             "销号")
        task.closed_at, task.closed_by, task.closed_reason = _now(), by, reason
        log("task.close", f"task:{task_id}", {"item": task.node_code,
                                              "department": task.department.name,
                                              "reason": reason})
