"""The review workflow as one explicit table, and the rules every caller goes through.

    draft ──submit──▶ submitted ──approve(first)──▶ first_approved ──approve(second)──▶
    second_approved ──approve(final)──▶ final_approved
    submitted / first_approved / second_approved ──reject──▶ returned ──submit──▶ submitted

Pure: plain values in, a new state or a WorkflowError out. desktop.core.review.decisions applies it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.archive.kinds import ReviewState, Role
from desktop.core.common.errors import ZichaError

SUBMIT, APPROVE, REJECT = "submit", "approve", "reject"

TRANSITIONS: dict[tuple[ReviewState, str], ReviewState] = {
    (ReviewState.DRAFT, SUBMIT): ReviewState.SUBMITTED,
    (ReviewState.RETURNED, SUBMIT): ReviewState.SUBMITTED,
    (ReviewState.SUBMITTED, APPROVE): ReviewState.FIRST_APPROVED,
    (ReviewState.FIRST_APPROVED, APPROVE): ReviewState.SECOND_APPROVED,
    (ReviewState.SECOND_APPROVED, APPROVE): ReviewState.FINAL_APPROVED,
    (ReviewState.SUBMITTED, REJECT): ReviewState.RETURNED,
    (ReviewState.FIRST_APPROVED, REJECT): ReviewState.RETURNED,
    (ReviewState.SECOND_APPROVED, REJECT): ReviewState.RETURNED,
}

# the stage whose decision a material in this state awaits
STAGE_AWAITED: dict[ReviewState, Role] = {
    ReviewState.SUBMITTED: Role.FIRST,
    ReviewState.FIRST_APPROVED: Role.SECOND,
    ReviewState.SECOND_APPROVED: Role.FINAL,
}
STAGE_LABELS = {Role.FIRST: "初审", Role.SECOND: "复审", Role.FINAL: "终审"}
STATE_LABELS = {
    ReviewState.DRAFT: "草稿", ReviewState.SUBMITTED: "待初审",
    ReviewState.FIRST_APPROVED: "待复审", ReviewState.SECOND_APPROVED: "待终审",
    ReviewState.FINAL_APPROVED: "已终审", ReviewState.RETURNED: "已退回",
}
EDITABLE_STATES = (ReviewState.DRAFT, ReviewState.RETURNED)


class WorkflowError(ZichaError):
    pass


@dataclass(frozen=True)
class Actor:
    name: str
    department: str | None
    grants: tuple[tuple[str, str | None], ...]  # (role, department or None for all)
    retired: bool = False  # 已停用: in the roster for checking old signatures, may not act

    def may(self, role: str, department: str | None) -> bool:
        return not self.retired and any(r == role and (scope is None or scope == department)
                                        for r, scope in self.grants)

    def refusal(self, roles: str | Iterable[str], department: str | None, why: str) -> str:
        """`why` unless this person holds one of `roles` for `department` (None: a grant for
        every department); "" when they do. For a window that shows the reason beside a
        disabled button; require() is the same rule for the operation itself."""
        wanted = (roles,) if isinstance(roles, str) else tuple(roles)
        return "" if any(self.may(role, department) for role in wanted) else why

    def require(self, roles: str | Iterable[str], department: str | None, why: str) -> None:
        """Raise WorkflowError(`why`) unless this person, in post, holds one of `roles` for
        `department`; a retired person is refused as such first."""
        check_active(self)
        if refused := self.refusal(roles, department, why):
            raise WorkflowError(refused)


def check_active(actor: Actor) -> None:
    """A retired person (已停用) can no longer submit, decide or change anything."""
    if actor.retired:
        raise WorkflowError(f"{actor.name} 已停用，不能再提交、审核或处理问题")


def after(state: str, action: str) -> ReviewState:
    current = ReviewState(state)
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        verb = {SUBMIT: "提交", APPROVE: "通过", REJECT: "退回"}[action]
        raise WorkflowError(f"材料处于“{STATE_LABELS[current]}”状态，不能{verb}") from None


def check_submit(actor: Actor, state: str, department: str | None) -> ReviewState:
    where = f"“{department}”的" if department else ""
    actor.require(Role.CLERK, department, f"{actor.name} 不是{where}经办人，不能提交这份材料")
    return after(state, SUBMIT)


def check_decision(actor: Actor, verdict: str, state: str, stage: str, department: str | None,
                   submitter: str, stages_decided_by: dict[str, set[str]]) -> ReviewState:
    """The state after `actor` decides `verdict` at `stage`; raises WorkflowError with the rule
    that forbids it. `stages_decided_by` maps a person to the stages they already decided on
    this material (any round)."""
    check_active(actor)
    current = ReviewState(state)
    awaited = STAGE_AWAITED.get(current)
    if awaited is None:
        raise WorkflowError(f"材料处于“{STATE_LABELS[current]}”状态，不在审核中")
    if stage != awaited:
        raise WorkflowError(f"材料在等待{STAGE_LABELS[awaited]}，不能做"
                            f"{STAGE_LABELS.get(Role(stage), stage)}（审核须按顺序进行）")
    where = f"“{department}”的" if department else ""
    actor.require(stage, department, f"{actor.name} 没有{where}{STAGE_LABELS[awaited]}权限")
    if actor.name == submitter:
        raise WorkflowError(f"{actor.name} 提交了这份材料，不能审核自己提交的材料")
    other = stages_decided_by.get(actor.name, set()) - {stage}
    if other:
        done = "、".join(STAGE_LABELS[Role(s)] for s in sorted(other))
        raise WorkflowError(f"{actor.name} 已做过这份材料的{done}，同一人不能审核两个阶段")
    return after(state, verdict)
