"""The 问题整改 machine on plain values (desktop.core.ledger.problems: the table, after() and
refusal()): every action from every state, with the messages the window and the CLI show."""

from __future__ import annotations

import pytest

from desktop.core.common.errors import ZichaError
from desktop.core.ledger import problems
from desktop.core.ledger.problems import (
    ADD,
    ASSIGN,
    CONFIRM,
    RECTIFY,
    SEND_BACK,
    TRANSITIONS,
    ProblemAction,
    ProblemState,
    after,
    refusal,
)
from desktop.core.review.workflow import Actor

DEPT = "市城管局"
SUPERVISOR = Actor("初审乙", "市创城办", (("first", None),))
ADMIN = Actor("管理员戊", "市创城办", (("admin", None),))
CLERK = Actor("经办人庚", DEPT, (("clerk", DEPT),))
OTHER_CLERK = Actor("经办人辛", "市文明办", (("clerk", "市文明办"),))
LIMITED = Actor("初审丁", DEPT, (("first", DEPT),))  # a reviewer of one department only
RETIRED = Actor("初审退", "市创城办", (("first", None),), retired=True)

# the whole machine, written out: (state, action) -> the state it moves to
MOVES = {
    ("found", "assign"): "assigned",
    ("assigned", "assign"): "assigned",
    ("returned", "assign"): "assigned",
    ("assigned", "rectify"): "rectified",
    ("returned", "rectify"): "rectified",
    ("rectified", "confirm"): "confirmed",
    ("rectified", "send_back"): "returned",
}
LABELS = {"found": "已发现", "assigned": "已交办", "rectified": "已整改待确认",
          "confirmed": "已确认", "returned": "已退回"}
NOT_NOW = {"assign": "不能再交办", "rectify": "只有已交办或已退回的问题可以报整改",
           "confirm": "只有已报整改的问题可以确认或退回",
           "send_back": "只有已报整改的问题可以确认或退回"}
NO_SUPERVISION = "没有督查权限（管理员或审核人才能发现、交办和确认问题）"
STEPS = ("assign", "rectify", "confirm", "send_back")  # the actions on an existing problem


def test_stored_values_and_labels_are_unchanged() -> None:
    assert [s.value for s in ProblemState] == list(LABELS)
    assert problems.STATE_LABELS == LABELS
    assert [a.value for a in ProblemAction] == ["add", *STEPS]
    assert problems.ACTIONS == (ADD, ASSIGN, RECTIFY, CONFIRM, SEND_BACK)
    assert tuple(LABELS) == (problems.FOUND, problems.ASSIGNED, problems.RECTIFIED,
                             problems.CONFIRMED, problems.RETURNED)


def test_the_table_is_the_whole_machine() -> None:
    assert {(str(s), str(a)): str(t) for (s, a), t in TRANSITIONS.items()} == MOVES
    assert all(isinstance(t, ProblemState) for t in TRANSITIONS.values())


@pytest.mark.parametrize("state", list(LABELS))
@pytest.mark.parametrize("action", STEPS)
def test_every_action_from_every_state(state: str, action: str) -> None:
    allowed = (state, action) in MOVES
    who = CLERK if action == "rectify" else SUPERVISOR
    if allowed:
        assert after(state, action, 7) == MOVES[(state, action)]
        assert refusal(action, who, state, DEPT, 7) == ""
    else:
        message = f"问题 7 {LABELS[state]}，{NOT_NOW[action]}"
        with pytest.raises(ZichaError) as caught:
            after(state, action, 7)
        assert str(caught.value) == message
        assert refusal(action, who, state, DEPT, 7) == message


@pytest.mark.parametrize("state", list(LABELS))
def test_adding_does_not_depend_on_a_state(state: str) -> None:
    assert refusal(ADD, SUPERVISOR) == ""
    assert refusal(ADD, ADMIN, state, DEPT, 7) == ""
    assert refusal(ADD, CLERK) == f"经办人庚 {NO_SUPERVISION}"
    assert refusal(ADD, LIMITED) == f"初审丁 {NO_SUPERVISION}"


@pytest.mark.parametrize("state", list(LABELS))
@pytest.mark.parametrize("action", ["add", *STEPS])
def test_a_retired_person_is_refused_first(state: str, action: str) -> None:
    assert refusal(action, RETIRED, state, DEPT, 7) == "初审退 已停用，不能再处理问题"


@pytest.mark.parametrize("state", list(LABELS))
@pytest.mark.parametrize("action", ["assign", "confirm", "send_back"])
def test_supervision_is_asked_before_the_state(state: str, action: str) -> None:
    for who in (CLERK, OTHER_CLERK, LIMITED):
        assert refusal(action, who, state, DEPT, 7) == f"{who.name} {NO_SUPERVISION}"
    for who in (SUPERVISOR, ADMIN):
        expected = "" if (state, action) in MOVES else \
            f"问题 7 {LABELS[state]}，{NOT_NOW[action]}"
        assert refusal(action, who, state, DEPT, 7) == expected


@pytest.mark.parametrize("state", list(LABELS))
def test_rectifying_asks_the_state_before_the_department(state: str) -> None:
    wrong_clerk = "经办人辛 不是“市城管局”的经办人，不能报这个问题的整改"
    wrong_reviewer = "初审乙 不是“市城管局”的经办人，不能报这个问题的整改"
    if (state, "rectify") in MOVES:
        assert refusal(RECTIFY, OTHER_CLERK, state, DEPT, 7) == wrong_clerk
        assert refusal(RECTIFY, SUPERVISOR, state, DEPT, 7) == wrong_reviewer
        assert refusal(RECTIFY, CLERK, state, DEPT, 7) == ""
    else:
        message = f"问题 7 {LABELS[state]}，只有已交办或已退回的问题可以报整改"
        for who in (CLERK, OTHER_CLERK, SUPERVISOR):
            assert refusal(RECTIFY, who, state, DEPT, 7) == message


def test_an_unknown_state_is_refused_by_its_value() -> None:
    with pytest.raises(ZichaError, match="问题 3 weird，不能再交办"):
        after("weird", ASSIGN, 3)
    assert refusal(CONFIRM, SUPERVISOR, None, DEPT, 3) == \
        "问题 3 None，只有已报整改的问题可以确认或退回"


def test_one_permission_check_for_every_operation() -> None:
    """Actor.refusal (for a window's disabled button) and Actor.require (for the operation)
    are the one rule the review, the 销号 and the problem loop use."""
    assert ADMIN.refusal("admin", None, "不行") == ""
    assert CLERK.refusal(("first", "admin"), None, "不行") == "不行"
    assert CLERK.refusal("clerk", DEPT, "不行") == ""
    assert CLERK.refusal("clerk", "市文明办", "不行") == "不行"
    assert LIMITED.refusal("first", None, "不行") == "不行"  # a one-department grant is not all
    ADMIN.require("admin", None, "不行")
    with pytest.raises(ZichaError, match="^不行$"):
        CLERK.require("admin", None, "不行")
    with pytest.raises(ZichaError, match="初审退 已停用，不能再提交、审核或处理问题"):
        RETIRED.require("first", None, "不行")
