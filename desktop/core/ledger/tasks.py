"""Tasks (任务分解清单) in the archive: importing a task list, the derived 白/黄/红 status,
销号 by an admin, and the ledger (台账) that the exports and the window show."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select, true
from sqlalchemy.orm import Session

from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import NodeKind, ReviewState, Role
from desktop.core.archive.models import (
    ArchiveInfo,
    Decision,
    Filing,
    IndicatorNode,
    IndicatorSystemRecord,
    Material,
    Problem,
    Task,
)
from desktop.core.archive.models import TaskList as TaskListRecord
from desktop.core.archive.systems import new_category, system_of
from desktop.core.common.errors import ZichaError
from desktop.core.common.limits import quoted
from desktop.core.indicators.system import system_label
from desktop.core.ledger import checklist
from desktop.core.ledger.headings import (
    NAME,
    NEW,
    Category,
    HeadingChoice,
    heading_key,
    heading_name,
    new_choice,
    settle_all,
)
from desktop.core.ledger.negatives import negative_views
from desktop.core.ledger.tasklist import TaskList, TaskRow, read_task_list
from desktop.core.ledger.views import (
    CLOSED,
    DATE,
    DONE,
    RED,
    WHITE,
    YELLOW,
    BonusView,
    ChecklistRow,
    Completion,
    Deadline,
    Ledger,
    ProblemView,
    SystemCompletion,
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

DEFAULT_KIND = "材料自查"
# seed 000 §一(一): the three lists a bureau keeps; a bureau may name others
LIST_KINDS = ("材料自查", "省级部门评价项目", "创新特色")
MAX_NAMED = 12  # headings or rows named in one message
# a mapping value that makes the heading a new 测评项目 of the list's system
NEW_VALUES = ("新建", "新建测评项目", "new", "+")


class HeadingsUnmapped(ZichaError):
    """Some headings of the list are not 测评项目 and have no mapping yet; `choices` has every
    heading of the list with its proposal, for the dialog."""

    def __init__(self, message: str, choices: list[HeadingChoice], *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.choices = choices


@dataclass
class TaskImport:
    file: str
    sheet: str
    rows: int
    list_kind: str = DEFAULT_KIND
    headings: list[dict[str, Any]] = field(default_factory=list)  # heading, code, how, rows
    categories_created: list[str] = field(default_factory=list)  # "W01 名称" (新建测评项目)
    items_created: list[str] = field(default_factory=list)  # "01.03 名称"
    tasks_created: list[str] = field(default_factory=list)  # "01.03 / 市文明办"
    tasks_updated: list[str] = field(default_factory=list)  # "01.03 / 市文明办：完成时限 …"
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_in_list: list[str] = field(default_factory=list)  # tasks of this list not in the file

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def rows_text(rows: Sequence[int]) -> str:
    """"第 4–7、9 行" for rows 4, 5, 6, 7, 9."""
    parts: list[str] = []
    ordered = sorted(set(rows))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}–{ordered[j]}")
        i = j + 1
    return f"第 {'、'.join(parts)} 行"


def list_headings(parsed: TaskList) -> list[tuple[str, list[int]]]:
    """The distinct headings (测评项目 as written) of a list, in order, with their rows."""
    found: dict[str, list[int]] = {}
    for row in parsed.rows:
        found.setdefault(row.category, []).append(row.row)
    return list(found.items())


def _categories(session: Session, system_id: str | None = None) -> list[Category]:
    query = select(IndicatorNode).order_by(IndicatorNode.position, IndicatorNode.code)
    if system_id is not None:
        query = query.where(IndicatorNode.system_id == system_id)
    nodes = list(session.scalars(query))
    items: dict[str, list[str]] = defaultdict(list)
    for node in nodes:
        if node.kind == NodeKind.ITEM and node.parent_code:
            items[node.parent_code].append(node.name)
    return sorted((Category(n.code, n.name, tuple(items[n.code])) for n in nodes
                   if n.kind == NodeKind.CATEGORY), key=lambda c: c.code)


def categories(archive: Archive, system: str | None = None) -> list[Category]:
    """The 测评项目 of the archive, or of one system (by id, prefix or name), with their
    测评内容 names, for the mapping drop-downs."""
    with archive.read() as session:
        return _categories(session, system_of(session, system).id if system else None)


def list_system(archive: Archive, kind: str | None = None, system: str | None = None
                ) -> IndicatorSystemRecord:
    """The system a list's headings and codes belong to: `system` when given, else the one
    saved with the list, else the city system."""
    with archive.read() as session:
        return _list_system(session, _list_kind(kind), system)


def _main_system(session: Session) -> IndicatorSystemRecord:
    record = session.scalars(select(IndicatorSystemRecord)
                             .where(IndicatorSystemRecord.prefix == "")).first()
    if record is None:  # every archive has its city system (Archive.create, migration 0009)
        raise ZichaError("档案中没有主测评体系，档案数据库不完整；请检查档案",
                         hint="用 zicha verify 检查")
    return record


def _list_system(session: Session, kind: str, system: str | None) -> IndicatorSystemRecord:
    record = session.scalars(select(TaskListRecord).where(TaskListRecord.kind == kind)).first()
    saved = session.get(IndicatorSystemRecord, record.system_id) \
        if record is not None and record.system_id else None
    if system is None:
        return saved or _main_system(session)
    chosen = system_of(session, system)
    has_tasks = record is not None and session.scalar(
        select(func.count()).select_from(Task).where(Task.list_id == record.id))
    current = saved or _main_system(session)
    if has_tasks and chosen.id != current.id:
        raise ZichaError(f"清单“{kind}”的任务属于测评体系“{current.name}”，"
                         f"不能改为“{chosen.name}”；另一个测评体系的清单请作为另一个清单导入",
                         hint="用 --list-kind 给它另起一个清单类别，"
                              "如 --list-kind 未成年人思想道德建设")
    return chosen


def _list_kind(kind: str | None) -> str:
    kind = (kind or DEFAULT_KIND).strip()
    if not kind or len(kind) > 64:
        raise ZichaError("清单类别应为 1 到 64 个字，如“材料自查”“省级部门评价项目”“创新特色”")
    return kind


def task_list_record(session: Session, kind: str = DEFAULT_KIND, *, name: str = ""
                     ) -> TaskListRecord:
    """The list of this kind, made (empty, never imported) if the archive has none yet."""
    record = session.scalars(select(TaskListRecord).where(TaskListRecord.kind == kind)).first()
    if record is None:
        record = TaskListRecord(kind=kind, name=name or kind, source_file="", mapping="{}",
                                imported_at=None, imported_by="")
        session.add(record)
        session.flush()
    return record


def _saved_mapping(session: Session, kind: str) -> dict[str, str]:
    record = session.scalars(select(TaskListRecord).where(TaskListRecord.kind == kind)).first()
    if record is None:
        return {}
    try:
        saved = json.loads(record.mapping or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in saved.items()} if isinstance(saved, dict) else {}


def category_for(value: str, known: Sequence[Category], prefix: str = "") -> str | None:
    """The category code a mapping value names: "06", "6", "06 政务廉洁高效", its name, or in
    a system with a prefix also "W01" ("01" then means W01)."""
    text = re.sub(r"\s+", "", str(value))
    if prefix and text.upper().startswith(prefix):
        text = text[len(prefix):]
    number = re.match(r"^(\d{1,2})(?!\d)", text)
    if number:
        code = f"{prefix}{int(number[1]):02d}"
        if any(c.code == code for c in known):
            return code
    return next((c.code for c in known if c.name == text or c.code == text), None)


def _given_mapping(given: dict[str, str] | None, known: Sequence[Category],
                   file: str, system: IndicatorSystemRecord) -> dict[str, str]:
    """heading_key -> category code, or NEW for a heading to become a new 测评项目."""
    mapping: dict[str, str] = {}
    for heading, value in (given or {}).items():
        if str(value).strip() in NEW_VALUES:
            _check_new(system, file)
            mapping[heading_key(heading)] = NEW
            continue
        code = category_for(value, known, system.prefix)
        if code is None:
            codes = "、".join(f"{c.code} {c.name}" for c in known) or "（尚无测评项目）"
            raise ZichaError(f"任务清单 {quoted(file)}：标题“{quoted(heading)}”指定的测评项目"
                             f"“{quoted(str(value))}”不在测评体系“{system.name}”中；可选：{codes}"
                             + ("，或“新建”" if system.prefix else ""))
        mapping[heading_key(heading)] = code
    return mapping


def _check_new(system: IndicatorSystemRecord, file: str) -> None:
    if system.prefix == "":
        raise ZichaError(
            f"任务清单 {quoted(file)}：“{system.name}”的测评项目来自测评体系文件，不能新建；"
            "新的测评项目只能建在本单位添加的测评体系（如未成年人思想道德建设）中",
            hint="先用 zicha systems add 添加测评体系，导入时用 --system 指定它")


def heading_plan(archive: Archive, parsed: TaskList, *, categories: dict[str, str] | None = None,
                 kind: str | None = None, file: str = "", system: str | None = None,
                 new_categories: bool = False) -> list[HeadingChoice]:
    """Every heading of the list, how it maps to a 测评项目 of the list's system (given here,
    saved with the list, by its name or code, or to be made new) or what is proposed for it."""
    with archive.read() as session:
        kind = _list_kind(kind)
        return _plan(session, parsed, categories, kind, file,
                     _list_system(session, kind, system), new_categories)


def _plan(session: Session, parsed: TaskList, given: dict[str, str] | None, kind: str,
          file: str, system: IndicatorSystemRecord, new_categories: bool
          ) -> list[HeadingChoice]:
    known = _categories(session, system.id)
    mapping = _given_mapping(given, known, file, system)
    if new_categories:
        _check_new(system, file)
    found = []
    for choice in settle_all(list_headings(parsed), known, mapping,
                             _saved_mapping(session, kind), system.prefix):
        asked_new = mapping.get(heading_key(choice.heading)) == NEW
        if choice.heading and (asked_new or (new_categories and not choice.settled)):
            choice = new_choice(choice.heading, choice.rows, system.name)
        found.append(choice)
    return found


def _unmapped_error(file: str, choices: list[HeadingChoice], known: list[Category],
                    system: IndicatorSystemRecord) -> HeadingsUnmapped:
    open_ = [c for c in choices if not c.settled]
    names = {c.code: c.name for c in known}
    named = []
    for choice in open_[:MAX_NAMED]:
        what = (f"建议 {choice.proposal} {names.get(choice.proposal, '')}" if choice.proposal
                else "无建议")
        named.append(f"“{quoted(choice.label)}”（{rows_text(choice.rows)}，{what}）")
    more = f"等 {len(open_)} 个" if len(open_) > MAX_NAMED else ""
    flags = " ".join(f"--category '{heading_key(c.heading)}={c.proposal or '编号'}'"
                     for c in open_[:MAX_NAMED])
    new = ("，或新建为测评项目" if system.prefix else "")
    return HeadingsUnmapped(
        f"任务清单 {quoted(file)} 中有 {len(open_)} 个测评项目标题不是测评体系“{system.name}”"
        f"的测评项目，尚未对应，未导入任何任务：{'、'.join(named)}{more}；请为每个标题选择对应的"
        f"测评项目{new}（确认后随清单保存，再次导入修订的清单时不再询问）",
        choices,
        hint="用 --category '标题=编号'（可重复）或 --mapping 文件（YAML/JSON，标题: 编号）"
             f"指定；按建议可写：{flags}"
             + ("；--category '标题=新建' 或 --new-categories 把标题新建为测评项目"
                if system.prefix else ""))


def import_tasks(archive: Archive, path: Path, *, sheet: str | None = None,
                 columns: dict[str, int] | None = None, year: int | None = None,
                 actor: str | None = None, parsed: TaskList | None = None,
                 categories: dict[str, str] | None = None, kind: str | None = None,
                 allow_skipped: bool = False, system: str | None = None,
                 new_categories: bool = False) -> TaskImport:
    """Create the 测评内容 and tasks of a task list; a revised list updates them (matched by
    测评内容 and department, within the list of this kind) and says what changed. All or
    nothing: headings without a 测评项目 (HeadingsUnmapped), rows that would be skipped (unless
    allow_skipped) or a list without tasks change nothing.

    categories: heading -> category code (or name) chosen for this import; kept with the list
    with the headings settled by name, so the next import of the list asks nothing.
    kind: the list (材料自查 by default); tasks of other lists are never touched.
    system: the indicator system of the list (id, prefix or name; by default the one saved with
    the list, else the city system); its codes and headings are read as that system's.
    A heading mapped to "新建" (NEW_VALUES), or with new_categories every heading not
    settled, becomes a new 测评项目 of that system (one the bureau added)."""
    path = Path(path)
    kind = _list_kind(kind)
    parsed = parsed or read_task_list(path, sheet=sheet, columns=columns, year=year)
    report = TaskImport(path.name, parsed.sheet, len(parsed.rows), kind,
                        warnings=list(parsed.warnings))
    if not parsed.rows:
        raise ZichaError(f"任务清单 {quoted(path.name)} 的工作表“{quoted(parsed.sheet)}”在表头"
                         "下没有读到任何任务（测评内容一列为空）；请检查所选的工作表和列")
    now = _now()
    with archive.write(actor) as (session, log):
        chosen = _list_system(session, kind, system)
        choices = _plan(session, parsed, categories, kind, path.name, chosen, new_categories)
        if any(not c.settled for c in choices):
            raise _unmapped_error(path.name, choices, _categories(session, chosen.id), chosen)
        for choice in choices:
            if choice.how == NEW:
                made = new_category(session, log, chosen, heading_name(choice.heading))
                choice.code = made.code
                report.categories_created.append(f"{made.code} {made.name}")
        mapped = {c.heading: c.code or "" for c in choices}
        used = {heading_key(c.heading) for c in choices}
        report.warnings += [f"指定的标题“{quoted(heading)}”不在本清单中，未使用"
                            for heading in categories or {} if heading_key(heading) not in used]
        report.headings = [{"heading": c.heading, "code": c.code, "how": c.how,
                            "rows": len(c.rows)} for c in choices]
        skipped_rows = [row for row in parsed.rows if not row.leads and not row.supports]
        if skipped_rows and not allow_skipped:
            shown = "、".join(str(r.row) for r in skipped_rows[:MAX_NAMED])
            more = f"等 {len(skipped_rows)} 行" if len(skipped_rows) > MAX_NAMED else ""
            raise ZichaError(
                f"任务清单 {quoted(path.name)} 第 {shown} 行{more}没有牵头单位或责任单位，"
                "这些任务无法分派，未导入任何任务；请在清单中补上责任单位后再导入",
                hint="或加 --allow-skipped 只导入其余的行")
        if len(skipped_rows) == len(parsed.rows):
            raise ZichaError(f"任务清单 {quoted(path.name)} 的每一行都没有牵头单位或责任单位，"
                             "没有可导入的任务；请检查所选的单位列")
        record = task_list_record(session, kind, name=path.stem)
        saved = _saved_mapping(session, kind)
        saved.update({heading_key(c.heading): c.code for c in choices if c.code})
        record.mapping = json.dumps(saved, ensure_ascii=False, sort_keys=True)
        record.source_file, record.imported_at, record.imported_by = path.name, now, log.actor
        record.system_id = chosen.id if chosen.prefix else None
        by_code = {n.code: n for n in session.scalars(select(IndicatorNode).where(
            IndicatorNode.kind == NodeKind.CATEGORY))}
        seen: set[int] = set()
        for row in parsed.rows:
            departments = [(d, LEAD) for d in row.leads] + [
                (d, SUPPORT) for d in row.supports if d not in row.leads]
            if not departments:
                report.skipped.append(f"第 {row.row} 行：没有牵头单位或责任单位")
                continue
            node = _item(session, by_code[mapped[row.category]], row, report, chosen.prefix)
            for name, role in departments:
                task_id = _upsert_task(session, record.id, node, name, role, row,
                                       f"{path.name}#{row.row}", now, report)
                seen.add(task_id)
        earlier = session.scalars(select(Task).where(
            Task.list_id == record.id, Task.id.not_in(seen) if seen else true()))
        report.not_in_list = [f"{t.node_code} / {t.department.name}" for t in earlier]
        log("tasks.import", f"file:{path.name}", {
            "list": kind, "sheet": parsed.sheet, "rows": report.rows, "system": chosen.id,
            "categories_created": report.categories_created,
            "mapping": {c.heading: c.code for c in choices if c.how != NAME},
            "items_created": report.items_created,
            "tasks_created": len(report.tasks_created),
            "tasks_updated": report.tasks_updated, "skipped": report.skipped})
    return report


def _item(session: Session, category: IndicatorNode, row: TaskRow,
          report: TaskImport, prefix: str = "") -> IndicatorNode:
    written = row.item_code
    if written and prefix and not written.startswith(prefix):
        written = prefix + written  # a list of the system writes its codes without the prefix
    if written and written.startswith(category.code + "."):
        node = session.get(IndicatorNode, written)
        if node is not None:
            return node
    node = session.scalars(select(IndicatorNode).where(
        IndicatorNode.parent_code == category.code, IndicatorNode.name == row.item)).first()
    if node is not None:
        return node
    code = written if written and written.startswith(category.code + ".") \
        and session.get(IndicatorNode, written) is None else _next_code(session, category)
    count = session.scalar(select(func.count()).select_from(IndicatorNode).where(
        IndicatorNode.parent_code == category.code)) or 0
    node = IndicatorNode(code=code, system_id=category.system_id, parent_code=category.code,
                         kind=NodeKind.ITEM,
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


def _upsert_task(session: Session, list_id: int, node: IndicatorNode, department: str,
                 role: str, row: TaskRow, source: str, now: dt.datetime,
                 report: TaskImport) -> int:
    dept = department_named(session, department)
    d = row.deadline
    values = {"role": role, "requirement": row.requirement,
              "material_requirement": row.material, "responsible": row.responsible,
              "deadline_kind": d.kind, "deadline": d.date, "deadline_period": d.period,
              "deadline_text": d.text}
    task = session.scalars(select(Task).where(Task.list_id == list_id,
                                              Task.node_code == node.code,
                                              Task.department_id == dept.id)).first()
    label = f"{node.code} / {department}"
    if task is None:
        task = Task(list_id=list_id, node_code=node.code, department_id=dept.id, source=source,
                    created_at=now,
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


@dataclass
class TaskListInfo:
    kind: str
    name: str
    source_file: str
    imported_at: str  # ISO, "" if never imported
    imported_by: str
    tasks: int
    mapping: dict[str, str]  # heading (as keyed) -> category code

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def task_lists(archive: Archive) -> list[TaskListInfo]:
    """The task lists of the archive, 材料自查 first, then in the order they were made."""
    with archive.read() as session:
        counts = {list_id: n for list_id, n in session.execute(  # Result has keys(): no dict()
            select(Task.list_id, func.count()).group_by(Task.list_id))}
        found = []
        for record in session.scalars(select(TaskListRecord).order_by(TaskListRecord.id)):
            try:
                mapping = json.loads(record.mapping or "{}")
            except ValueError:
                mapping = {}
            found.append(TaskListInfo(
                record.kind, record.name, record.source_file,
                record.imported_at.isoformat(timespec="seconds") if record.imported_at else "",
                record.imported_by, counts.get(record.id, 0),
                mapping if isinstance(mapping, dict) else {}))
    return sorted(found, key=lambda info: info.kind != DEFAULT_KIND)


def _check_list_kind(session: Session, kind: str) -> None:
    kinds = list(session.scalars(select(TaskListRecord.kind).order_by(TaskListRecord.id)))
    if kind not in kinds:
        known = "、".join(f"“{k}”" for k in kinds) or "（尚未导入任何清单）"
        raise ZichaError(f"没有“{quoted(kind)}”清单；本档案的清单：{known}")


def ledger(archive: Archive, today: dt.date | None = None, *,
           list_kind: str | None = None, system: str | None = None,
           with_checklists: bool = True) -> Ledger:
    """The 台账: every task with its status, completion by category, department, list and
    indicator system (with the system's weight and material coverage), the problems. With
    list_kind, the tasks (and the totals) of that list only. With system (id, prefix or name),
    the tasks of that system only, and of the problems, 创新特色 materials and 负面清单 lines
    those under its codes; an unknown system is an error naming the archive's systems.
    Without `with_checklists` the 材料清单 rows are left out (they weigh every material's
    evidence: what only needs the tasks, such as the window's tree colours, skips them)."""
    today = today or dt.date.today()
    warn = warn_days(archive)
    info = archive.info()
    with archive.read() as session:
        if list_kind:
            _check_list_kind(session, list_kind)
        chosen = system_of(session, system) if system else None
        records = list(session.scalars(select(IndicatorSystemRecord)
                                       .order_by(IndicatorSystemRecord.position)))
        prefixes = {r.id: r.prefix for r in records}
        names = {n.code: n for n in session.scalars(select(IndicatorNode))}
        counts, approved_at = _coverage(session)
        result = Ledger(today, info.get("bureau") or info.get("name") or "", warn,
                        list_kind=list_kind or "", system=chosen.id if chosen else "",
                        system_name=chosen.name if chosen else "")
        query = select(Task).order_by(Task.node_code, Task.role, Task.id)
        if list_kind:
            query = query.join(TaskListRecord).where(TaskListRecord.kind == list_kind)
        if chosen is not None:
            query = query.join(IndicatorNode, IndicatorNode.code == Task.node_code).where(
                IndicatorNode.system_id == chosen.id)
        for t in session.scalars(query):
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
                t.closed_at.isoformat(timespec="seconds") if t.closed_at else "", done_at,
                t.task_list.kind, node.system_id, prefixes.get(node.system_id, "")))

        def ours(code: str) -> bool:
            node = names.get(code)
            return chosen is None or (node is not None and node.system_id == chosen.id)

        result.problems = [_problem_view(p, names, today) for p in
                           session.scalars(select(Problem).order_by(Problem.id))
                           if ours(p.node_code)]
        result.bonus = [b for b in bonus_materials(session)
                        if chosen is None or any(ours(code) for code in b.items)]
        result.negatives = [n for n in negative_views(session)
                            if chosen is None or ours(n.category_code)]
        result.by_system = _system_completions(session, [chosen] if chosen else records,
                                               names, result.tasks)
    position = {r.id: r.position for r in records}
    result.tasks.sort(key=lambda t: position.get(t.system_id, 0))  # city first, then as added
    result.by_category = sorted(
        _completion(result.tasks, lambda t: (t.category_code, t.category_name)),
        key=lambda c: (position.get(names[c.key].system_id, 0) if c.key in names else 0,
                       c.key))
    result.by_department = _completion(result.tasks, lambda t: (t.department, t.department))
    order = {info.kind: n for n, info in enumerate(task_lists(archive))}
    result.by_list = sorted(_completion(result.tasks, lambda t: (t.list_kind, t.list_kind)),
                            key=lambda c: order.get(c.key, len(order)))
    week_ago = today - dt.timedelta(days=7)
    result.newly_done = [t for t in result.tasks if _recent(t, week_ago, today)]
    result.checklists = [] if not with_checklists else [
        ChecklistRow(c.code, c.name, c.status, len(c.checks) - len(c.gaps), len(c.gaps),
                     "；".join(g.missing for g in c.gaps))
        for c in checklist.checklists(archive)
        if chosen is None or names[c.code].system_id == chosen.id]
    return result


def _system_completions(session: Session, records: Sequence[IndicatorSystemRecord],
                        names: dict[str, IndicatorNode], tasks: Sequence[TaskView]
                        ) -> list[SystemCompletion]:
    """Per system, in the order given: its tasks done out of all, and its material coverage:
    the places evidence is filed under (测评内容, and 测评项目 without any) that have at least
    one final-approved material, out of all of them."""
    parents = {n.parent_code for n in names.values() if n.parent_code}
    places: dict[str, list[str]] = defaultdict(list)
    for node in names.values():
        if node.kind == NodeKind.ITEM or node.code not in parents:
            places[node.system_id].append(node.code)
    approved = set(session.scalars(
        select(Filing.node_code).distinct().join(Material, Material.id == Filing.material_id)
        .where(Material.state == ReviewState.FINAL_APPROVED)))
    done = {c.key: c for c in _completion(tasks, lambda t: (t.system_id, t.system_id))}
    found = []
    for record in records:
        label = system_label(record.name, record.edition)
        entry = SystemCompletion(record.id, label, prefix=record.prefix, name=record.name,
                                 weight=record.weight, items=len(places[record.id]),
                                 covered=sum(code in approved for code in places[record.id]))
        tally = done.get(record.id)
        if tally is not None:
            entry.total, entry.done = tally.total, tally.done
            entry.white, entry.yellow, entry.red = tally.white, tally.yellow, tally.red
        found.append(entry)
    return found


BONUS_ORDER = {"国家级": 0, "省级": 1, "市级": 2}


def bonus_materials(session: Session) -> list[BonusView]:
    """The 创新特色 / 加分 materials: national first, then provincial, city, unknown level;
    within a level the latest recognition first."""
    found = []
    for m in session.scalars(select(Material).where(Material.bonus.is_(True))):
        nodes = [session.get(IndicatorNode, code) for code in m.codes]
        found.append(BonusView(
            m.id, m.title, m.codes, m.department.name if m.department else "", m.bonus_level,
            m.bonus_issuer, m.bonus_date.isoformat() if m.bonus_date else "", str(m.state),
            [f"{code} {node.name}" if node else code for code, node in zip(m.codes, nodes,
                                                                          strict=True)]))
    found.sort(key=lambda b: b.id)
    found.sort(key=lambda b: b.date, reverse=True)
    return sorted(found, key=lambda b: BONUS_ORDER.get(b.level, len(BONUS_ORDER)))


def _coverage(session: Session) -> tuple[dict[tuple[str, int], tuple[int, int]],
                                         dict[tuple[str, int], str]]:
    """Per (item, department): materials filed, final-approved ones, and when the first of
    those was final-approved."""
    # aggregates in the database: at 50,000 materials a loop over every filing in Python holds
    # the interpreter long enough to stall the window that asked for the ledger
    final = Material.state == ReviewState.FINAL_APPROVED
    counts = {(code, dept): (int(n), int(approved or 0)) for code, dept, n, approved in
              session.execute(
                  select(Filing.node_code, Material.department_id, func.count(),
                         func.sum(case((final, 1), else_=0)))
                  .join(Material, Material.id == Filing.material_id)
                  .where(Material.department_id.is_not(None))
                  .group_by(Filing.node_code, Material.department_id))}
    last_final = (select(Decision.material_id, func.max(Decision.decided_at).label("at"))
                  .where(Decision.stage == "final", Decision.verdict == "approve")
                  .group_by(Decision.material_id).subquery())
    approved_at = {(code, dept): at for code, dept, at in session.execute(
        select(Filing.node_code, Material.department_id, func.min(last_final.c.at))
        .join(Material, Material.id == Filing.material_id)
        .join(last_final, last_final.c.material_id == Material.id)
        .where(final, Material.department_id.is_not(None))
        .group_by(Filing.node_code, Material.department_id))}
    return counts, approved_at


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
               department: str | None = None, list_kind: str | None = None,
               system: str | None = None) -> list[TaskView]:
    wanted = None
    if status:
        wanted = STATUSES.get(status)
        if wanted is None:
            raise ZichaError(f"未知的状态 {status}；可用: done、white、yellow、red、closed")
    return [t for t in ledger(archive, today, list_kind=list_kind, system=system).tasks
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
