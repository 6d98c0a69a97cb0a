"""The review rules, on plain values (desktop.core.review.workflow is pure)."""

from __future__ import annotations

import pytest

from desktop.core.archive.kinds import ReviewState
from desktop.core.review.workflow import (
    APPROVE,
    REJECT,
    SUBMIT,
    TRANSITIONS,
    Actor,
    WorkflowError,
    after,
    check_decision,
    check_submit,
)

CLERK = Actor("张三", "市文明办", (("clerk", None),))
FIRST_OWN = Actor("李初审", "市文明办", (("first", "市文明办"),))
SECOND = Actor("王复审", "市创城办", (("second", None),))
BOTH = Actor("钱两审", "市创城办", (("first", None), ("second", None)))


def test_the_table_is_the_whole_workflow() -> None:
    assert after("draft", SUBMIT) == ReviewState.SUBMITTED
    assert after("returned", SUBMIT) == ReviewState.SUBMITTED
    assert after("submitted", APPROVE) == ReviewState.FIRST_APPROVED
    assert after("first_approved", APPROVE) == ReviewState.SECOND_APPROVED
    assert after("second_approved", APPROVE) == ReviewState.FINAL_APPROVED
    for state in ("submitted", "first_approved", "second_approved"):
        assert after(state, REJECT) == ReviewState.RETURNED
    assert len(TRANSITIONS) == 8
    for state, action in (("final_approved", REJECT), ("draft", APPROVE),
                          ("submitted", SUBMIT), ("final_approved", SUBMIT)):
        with pytest.raises(WorkflowError, match="状态"):
            after(state, action)


def test_only_a_clerk_of_the_department_submits() -> None:
    assert check_submit(CLERK, "draft", "市文明办") == ReviewState.SUBMITTED
    with pytest.raises(WorkflowError, match="不是"):
        check_submit(SECOND, "draft", "市文明办")


def decide(actor: Actor, verdict: str = APPROVE, state: str = "submitted", stage: str = "first",
           department: str | None = "市文明办", submitter: str = "张三",
           decided: dict[str, set[str]] | None = None) -> ReviewState:
    return check_decision(actor, verdict, state, stage, department, submitter, decided or {})


def test_role_limited_to_a_department() -> None:
    assert decide(FIRST_OWN) == ReviewState.FIRST_APPROVED
    with pytest.raises(WorkflowError, match="没有“市教育局”的初审权限"):
        decide(FIRST_OWN, department="市教育局")
    with pytest.raises(WorkflowError, match="初审权限"):
        decide(FIRST_OWN, department=None)


def test_stages_in_order() -> None:
    with pytest.raises(WorkflowError, match="按顺序"):
        decide(SECOND, stage="second")  # still awaiting 初审
    with pytest.raises(WorkflowError, match="不在审核中"):
        decide(FIRST_OWN, state="draft")


def test_nobody_reviews_what_they_submitted() -> None:
    with pytest.raises(WorkflowError, match="自己提交"):
        decide(BOTH, submitter="钱两审")


def test_one_person_one_stage_per_material() -> None:
    assert decide(BOTH, state="first_approved", stage="second") == ReviewState.SECOND_APPROVED
    with pytest.raises(WorkflowError, match="两个阶段"):
        decide(BOTH, state="first_approved", stage="second", decided={"钱两审": {"first"}})
    # the same stage again in a later round is fine
    assert decide(BOTH, decided={"钱两审": {"first"}}) == ReviewState.FIRST_APPROVED


def test_reject_returns() -> None:
    assert decide(FIRST_OWN, REJECT) == ReviewState.RETURNED
