"""问题整改: the supervision loop. A problem found (发现) against an item or a task is assigned
to a department with a deadline (交办), rectified with a note and evidence (整改), and
confirmed or sent back (反馈). Every step is in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import Role
from desktop.core.archive.models import IndicatorNode, Material, Problem, ProblemEvidence, Task
from desktop.core.common.errors import ZichaError
from desktop.core.ledger.views import ProblemView
from desktop.core.review import roster, workflow
from desktop.core.review.roster import department_named


class ProblemState(StrEnum):
    """The stored value of Problem.state."""

    FOUND = "found"  # 已发现
    ASSIGNED = "assigned"  # 已交办
    RECTIFIED = "rectified"  # 已整改待确认
    CONFIRMED = "confirmed"  # 已确认
    RETURNED = "returned"  # 已退回 (整改不到位)


class ProblemAction(StrEnum):
    ADD = "add"  # 发现
    ASSIGN = "assign"  # 交办
    RECTIFY = "rectify"  # 整改
    CONFIRM = "confirm"  # 确认
    SEND_BACK = "send_back"  # 退回


FOUND, ASSIGNED, RECTIFIED, CONFIRMED, RETURNED = ProblemState
ADD, ASSIGN, RECTIFY, CONFIRM, SEND_BACK = ProblemAction
ACTIONS = tuple(ProblemAction)

#   (add) ──▶ found ──assign──▶ assigned ──rectify──▶ rectified ──confirm──▶ confirmed
#   found / assigned / returned ──assign──▶ assigned;  rectified ──send_back──▶ returned
#   returned ──rectify──▶ rectified
# ADD starts a problem in FOUND (ASSIGNED when a department and a deadline come with it); it
# does not depend on any state, so it is not in the table.
TRANSITIONS: dict[tuple[ProblemState, ProblemAction], ProblemState] = {
    (FOUND, ASSIGN): ASSIGNED,
    (ASSIGNED, ASSIGN): ASSIGNED,
    (RETURNED, ASSIGN): ASSIGNED,
    (ASSIGNED, RECTIFY): RECTIFIED,
    (RETURNED, RECTIFY): RECTIFIED,
    (RECTIFIED, CONFIRM): CONFIRMED,
    (RECTIFIED, SEND_BACK): RETURNED,
}
STATE_LABELS: dict[str, str] = {FOUND: "已发现", ASSIGNED: "已交办", RECTIFIED: "已整改待确认",
                                CONFIRMED: "已确认", RETURNED: "已退回"}
# why an action is refused in a state the table has no move for
NOT_NOW: dict[ProblemAction, str] = {
    ASSIGN: "不能再交办",
    RECTIFY: "只有已交办或已退回的问题可以报整改",
    CONFIRM: "只有已报整改的问题可以确认或退回",
    SEND_BACK: "只有已报整改的问题可以确认或退回",
}
SUPERVISORS = (Role.ADMIN, Role.FIRST, Role.SECOND, Role.FINAL)  # who find and confirm
# Who may take each action: a supervisor (any of SUPERVISORS, in any department) or, for
# RECTIFY, a clerk of the department the problem is assigned to.
WHO: dict[ProblemAction, tuple[Role, ...]] = {
    ADD: SUPERVISORS, ASSIGN: SUPERVISORS, RECTIFY: (Role.CLERK,), CONFIRM: SUPERVISORS,
    SEND_BACK: SUPERVISORS}
OF_THE_DEPARTMENT = frozenset({RECTIFY})  # the role must cover the problem's department


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _what(state: str | None, problem_id: int | None) -> str:
    return f"问题 {problem_id} {STATE_LABELS.get(state or '', state)}"


def after(state: str | None, action: str, problem_id: int | None = None) -> ProblemState:
    """The state a problem in `state` moves to by `action`; ZichaError when it cannot."""
    act = ProblemAction(action)
    try:
        if state is None:
            raise KeyError(state)
        return TRANSITIONS[(ProblemState(state), act)]
    except (KeyError, ValueError):
        raise ZichaError(f"{_what(state, problem_id)}，{NOT_NOW[act]}") from None


def _who_refusal(action: ProblemAction, actor: workflow.Actor, department: str | None) -> str:
    if action in OF_THE_DEPARTMENT:
        return actor.refusal(WHO[action], department,
                             f"{actor.name} 不是“{department}”的经办人，不能报这个问题的整改")
    return actor.refusal(WHO[action], None, f"{actor.name} 没有督查权限（管理员或审核人才能"
                                            "发现、交办和确认问题）")


def refusal(action: str, actor: workflow.Actor, state: str | None = None,
            department: str | None = None, problem_id: int | None = None) -> str:
    """Why `actor` may not do `action` (ADD, ASSIGN, RECTIFY, CONFIRM, SEND_BACK) on a problem in
    `state` assigned to `department`; "" when they may. Pure: the functions below and the
    ledger window's buttons both go through it. A supervisor's right does not depend on the
    problem, so it is asked first; a clerk's depends on the department the problem is at, so
    the state is asked first."""
    act = ProblemAction(action)
    if actor.retired:
        return f"{actor.name} 已停用，不能再处理问题"
    if act == ADD:
        return _who_refusal(act, actor, department)
    who, now = _who_refusal(act, actor, department), _state_refusal(state, act, problem_id)
    first, second = (now, who) if act in OF_THE_DEPARTMENT else (who, now)
    return first or second


def _state_refusal(state: str | None, action: ProblemAction, problem_id: int | None) -> str:
    try:
        after(state, action, problem_id)
    except ZichaError as exc:
        return str(exc)
    return ""


def permissions(archive: Archive, person: str | None,
                problem: ProblemView | None = None) -> dict[str, str]:
    """For each action, why `person` may not do it on `problem` now ("" when they may); ADD
    does not need a problem, the others do."""
    why = ""
    actor = None
    if not person:
        why = "请先在主窗口选择当前人员"
    else:
        with archive.read() as session:
            try:
                _person, actor = roster.acting_person(session, person)
            except ZichaError as exc:
                why = str(exc)
    result: dict[str, str] = {}
    for action in ACTIONS:
        if actor is None:
            result[action] = why
        elif action == ADD:
            result[action] = refusal(ADD, actor)
        elif problem is None:
            result[action] = "请先在表中选择一个问题"
        else:
            result[action] = refusal(action, actor, problem.state, problem.department or None,
                                     problem.id)
    return result


def _check(session, action: str, by: str, problem: Problem | None = None) -> None:  # type: ignore[no-untyped-def]
    _person, actor = roster.acting_person(session, by)
    if problem is None:
        why = refusal(action, actor)
    else:
        why = refusal(action, actor, problem.state,
                      problem.department.name if problem.department else None, problem.id)
    if why:
        raise ZichaError(why)


def _problem(session, problem_id: int) -> Problem:  # type: ignore[no-untyped-def]
    problem = session.get(Problem, problem_id)
    if problem is None:
        raise ZichaError(f"没有编号为 {problem_id} 的问题", hint="用 zicha problem list 查看")
    return problem


def add_problem(archive: Archive, code: str, description: str, by: str, *,
                department: str | None = None, deadline: dt.date | None = None,
                found_at: dt.date | None = None, task_id: int | None = None) -> int:
    """发现 (and, with a department and deadline, 交办 at once). Returns the problem's id."""
    description = description.strip()
    if not description:
        raise ZichaError("请写明发现的问题")
    now = _now()
    with archive.write(by) as (session, log):
        _check(session, ADD, by)
        if session.get(IndicatorNode, code) is None:
            raise ZichaError(f"未知的测评内容编号 {code}", hint="用 zicha items 查看本档案的编号")
        if task_id is not None:
            task = session.get(Task, task_id)
            if task is None or task.node_code != code:
                raise ZichaError(f"任务 {task_id} 不属于测评内容 {code}")
            department = department or task.department.name
        dept = department_named(session, department) if department else None
        problem = Problem(node_code=code, task_id=task_id,
                          department_id=dept.id if dept else None, description=description,
                          found_at=found_at or dt.date.today(), found_by=by, deadline=deadline,
                          state=after(FOUND, ASSIGN) if dept and deadline else FOUND,
                          rectification="", feedback="", created_at=now, updated_at=now)
        session.add(problem)
        session.flush()
        log("problem.add", f"problem:{problem.id}", {
            "item": code, "description": description, "department": department,
            "deadline": deadline.isoformat() if deadline else None})
        return problem.id


def assign(archive: Archive, problem_id: int, department: str, deadline: dt.date,
           by: str) -> None:
    """交办: to a department, with a deadline."""
    with archive.write(by) as (session, log):
        problem = _problem(session, problem_id)
        _check(session, ASSIGN, by, problem)
        problem.department_id = department_named(session, department).id
        problem.deadline, problem.updated_at = deadline, _now()
        problem.state = after(problem.state, ASSIGN, problem_id)
        log("problem.assign", f"problem:{problem_id}",
            {"department": department, "deadline": deadline.isoformat()})


def rectify(archive: Archive, problem_id: int, note: str, by: str,
            evidence: Sequence[int] = ()) -> None:
    """整改: the assigned department's clerk reports what was done, with material as evidence."""
    note = note.strip()
    if not note:
        raise ZichaError("请写明整改情况")
    with archive.write(by) as (session, log):
        problem = _problem(session, problem_id)
        _check(session, RECTIFY, by, problem)
        for material_id in evidence:
            if session.get(Material, material_id) is None:
                raise ZichaError(f"没有编号为 {material_id} 的材料，不能作为整改佐证")
        existing = {e.material_id for e in problem.evidence}
        problem.evidence.extend(ProblemEvidence(material_id=m) for m in dict.fromkeys(evidence)
                                if m not in existing)
        problem.state = after(problem.state, RECTIFY, problem_id)
        problem.rectification, problem.updated_at = note, _now()
        log("problem.rectify", f"problem:{problem_id}",
            {"note": note, "evidence": list(evidence)})


def confirm(archive: Archive, problem_id: int, by: str, comment: str = "") -> None:
    """反馈: the rectification is accepted."""
    _feedback(archive, problem_id, by, comment, CONFIRM)


def send_back(archive: Archive, problem_id: int, by: str, comment: str) -> None:
    """反馈: not good enough; back to the department with the reason."""
    if not comment.strip():
        raise ZichaError("退回整改必须写明原因")
    _feedback(archive, problem_id, by, comment, SEND_BACK)


def _feedback(archive: Archive, problem_id: int, by: str, comment: str,
              action: ProblemAction) -> None:
    with archive.write(by) as (session, log):
        problem = _problem(session, problem_id)
        _check(session, action, by, problem)
        problem.state = after(problem.state, action, problem_id)
        problem.feedback, problem.updated_at = comment.strip(), _now()
        log(f"problem.{'confirm' if action == CONFIRM else 'return'}",
            f"problem:{problem_id}", {"comment": comment.strip()})
