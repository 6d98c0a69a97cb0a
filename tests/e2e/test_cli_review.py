"""Every rule of the review workflow through the `zicha` command (issue 4, "What to build" 2):
the role for the stage and the material's department, stages in order, no self-review, no two
stages by one person, a rejection needs a comment and returns the material, resubmission starts
again at 初审, final-approved and in-review materials are read-only, and `zicha history` checks
every signed decision and flags a row changed behind the core's back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import CliResult, ReviewOffice, ZichaCli, db_snapshot


def assert_refused(result: CliResult, *needles: str) -> None:
    assert result.returncode != 0, str(result)
    assert len(result.stderr_lines) == 1, str(result)
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, str(result)


class Office:
    """A copy of the review office archive, and the command as each person runs it there."""

    def __init__(self, cli: ZichaCli, office: ReviewOffice, root: Path) -> None:
        self.cli, self.office, self.root = cli, office, root
        self.ids = office.ids

    def run(self, name: str, *args: str | int | Path) -> CliResult:
        person = self.cli.as_person(name, self.office.homes[name])
        return person.run(*map(str, args), "--archive", self.root)

    def ok(self, name: str, *args: str | int | Path) -> CliResult:
        return self.run(name, *args).succeeded()

    def review(self, name: str, material: int, verdict: str = "--approve",
               comment: str | None = None) -> CliResult:
        extra = ["--comment", comment] if comment is not None else []
        return self.run(name, "review", material, "--as", name, verdict, *extra)

    def decide(self, name: str, material: int, verdict: str = "--approve",
               comment: str | None = None) -> str:
        """`name` decides; the material's state afterwards."""
        extra = ["--comment", comment] if comment is not None else []
        result = self.ok(name, "review", material, "--as", name, verdict, *extra, "--json")
        return result.json()["state"]

    def history(self, material: int) -> list[dict]:
        return self.cli.ok_json("history", material, "--archive", self.root)


@pytest.fixture
def office(zicha_cli: ZichaCli, review_office: ReviewOffice, tmp_path: Path) -> Office:
    return Office(zicha_cli, review_office, review_office.copy(tmp_path / "档案"))


@pytest.fixture(scope="module")
def _final_approved(review_office: ReviewOffice, tmp_path_factory: pytest.TempPathFactory
                    ) -> Path:
    """The office with 方案 through 初审 (初审甲), 复审 (复审人) and 终审 (终审人)."""
    base = tmp_path_factory.mktemp("final-approved")
    done = Office(ZichaCli(base, base), review_office, review_office.copy(base / "档案"))
    for name, comment in (("初审甲", "同意"), ("复审人", "同意上报"), ("终审人", "通过")):
        assert done.decide(name, review_office.ids["方案"], "--approve", comment) == (
            {"初审甲": "first_approved", "复审人": "second_approved",
             "终审人": "final_approved"}[name])
    return done.root


@pytest.fixture
def final_approved(zicha_cli: ZichaCli, review_office: ReviewOffice, tmp_path: Path,
                   _final_approved: Path) -> Office:
    root = tmp_path / "档案"
    shutil.copytree(_final_approved, root, symlinks=True)
    return Office(zicha_cli, review_office, root)


def test_the_role_must_be_for_the_stage_and_the_material_s_department(office: Office) -> None:
    plan, record = office.ids["方案"], office.ids["记录"]
    before = db_snapshot(office.root)
    # 初审乙 does 初审 for 市文明办 only; 方案 belongs to 市委宣传部
    assert_refused(office.review("初审乙", plan), "初审乙", "市委宣传部", "初审权限")
    # 经办人甲 only submits
    assert_refused(office.review("经办人甲", plan), "经办人甲", "初审权限")
    # somebody who is not in the roster, even with a key of their own
    assert_refused(office.review("冒充者", plan), "名册中没有 冒充者")
    assert db_snapshot(office.root) == before

    assert office.decide("初审甲", plan) == "first_approved"
    assert office.decide("初审乙", record, "--approve", "同意") == "first_approved"


def test_stages_go_in_order(office: Office) -> None:
    plan = office.ids["方案"]
    assert_refused(office.review("终审人", plan), "终审人", "初审权限")  # 终审 before 初审
    assert office.decide("初审甲", plan) == "first_approved"
    assert_refused(office.review("终审人", plan), "终审人", "复审权限")  # 终审 before 复审
    assert office.decide("复审人", plan) == "second_approved"
    assert office.decide("终审人", plan) == "final_approved"
    assert [(d["stage"], d["reviewer"], d["ok"]) for d in office.history(plan)] == [
        ("first", "初审甲", True), ("second", "复审人", True), ("final", "终审人", True)]
    # no package for a stage nobody awaits
    out = office.root.parent / "终审.zip"
    assert_refused(office.run("经办人甲", "package", "export", "--stage", "final", "--out", out),
                   "没有等待终审的材料")
    assert not out.exists()


def test_the_submitter_never_decides_on_their_own_material(office: Office) -> None:
    record = office.ids["记录"]  # submitted by 王经办, who may do 初审 for every department
    before = db_snapshot(office.root)
    assert_refused(office.review("王经办", record), "王经办", "不能审核自己提交的材料")
    assert db_snapshot(office.root) == before
    # 王经办 may still do 初审 of what somebody else submitted
    assert office.decide("王经办", office.ids["方案"]) == "first_approved"


def test_one_person_never_decides_two_stages_of_a_material(office: Office) -> None:
    plan = office.ids["方案"]
    assert office.decide("全能人", plan) == "first_approved"  # 全能人 may do 初审 and 复审
    before = db_snapshot(office.root)
    assert_refused(office.review("全能人", plan), "全能人", "已做过这份材料的初审",
                   "同一人不能审核两个阶段")
    assert db_snapshot(office.root) == before


def test_a_rejection_needs_a_comment_and_returns_the_material(office: Office) -> None:
    notice = office.ids["通知"]
    before = db_snapshot(office.root)
    assert_refused(office.review("初审甲", notice, "--reject"), "退回时必须写明原因")
    assert_refused(office.review("初审甲", notice, "--reject", "   "), "退回时必须写明原因")
    assert db_snapshot(office.root) == before

    assert office.decide("初审甲", notice, "--reject", "缺少盖章页") == "returned"
    [decision] = office.history(notice)
    assert (decision["verdict"], decision["comment"], decision["ok"]) == (
        "reject", "缺少盖章页", True)


def test_resubmission_starts_again_at_first_review(office: Office) -> None:
    plan = office.ids["方案"]
    assert office.decide("全能人", plan) == "first_approved"
    assert office.decide("复审人", plan, "--reject", "标题不规范") == "returned"
    # returned: the clerk may change it again, and submit it again
    office.ok("经办人甲", "edit", plan, "--title", "2024年文明交通行动方案")
    office.ok("经办人甲", "submit", plan, "--as", "经办人甲")
    # round 2 awaits 初审, not 复审 where round 1 stopped
    assert_refused(office.review("复审人", plan), "复审人", "初审权限")
    assert office.decide("全能人", plan) == "first_approved"  # the same stage again: allowed
    # 全能人 did 初审 (in both rounds): never 复审 of this material
    assert_refused(office.review("全能人", plan), "同一人不能审核两个阶段")
    assert office.decide("复审人", plan) == "second_approved"
    assert [(d["round"], d["stage"], d["reviewer"], d["verdict"], d["ok"])
            for d in office.history(plan)] == [
        (1, "first", "全能人", "approve", True), (1, "second", "复审人", "reject", True),
        (2, "first", "全能人", "approve", True), (2, "second", "复审人", "approve", True)]


def test_a_material_in_review_cannot_be_edited(office: Office) -> None:
    plan = office.ids["方案"]
    before = db_snapshot(office.root)
    assert_refused(office.run("经办人甲", "edit", plan, "--title", "改名"), "正在审核中")
    assert_refused(office.run("经办人甲", "delete", plan), "已提交审核")
    assert db_snapshot(office.root) == before
    assert office.decide("初审甲", plan) == "first_approved"
    assert_refused(office.run("经办人甲", "edit", plan, "--date", "2024-01-01"), "正在审核中")


def test_a_final_approved_material_is_read_only(final_approved: Office) -> None:
    office, plan = final_approved, final_approved.ids["方案"]
    before = db_snapshot(office.root)
    assert_refused(office.run("经办人甲", "edit", plan, "--title", "改名"), "已终审通过")
    assert_refused(office.run("经办人甲", "delete", plan), "不能删除")
    assert_refused(office.run("经办人甲", "submit", plan, "--as", "经办人甲"), "已终审")
    assert db_snapshot(office.root) == before


def test_history_verifies_every_decision_and_flags_a_tampered_row(final_approved: Office
                                                                   ) -> None:
    office, plan = final_approved, final_approved.ids["方案"]
    text = office.cli.ok("history", plan, "--archive", office.root).stdout
    assert text.count("✔") == 3 and "✘" not in text

    db = sqlite3.connect(office.root / "zicha.db")
    with db:  # what the window shows changed, the signed payload left alone
        db.execute("UPDATE decision SET comment = '不同意' WHERE material_id = ? AND stage = "
                   "'first'", (plan,))
    result = office.cli.run("history", plan, "--archive", office.root)
    assert_refused(result, f"材料 #{plan} 的审核记录有问题")
    lines = result.stdout.splitlines()
    assert "记录与签名内容不符" in lines[0] and "✘" in lines[0]
    assert ["✔" in line for line in lines if line.startswith("第")] == [False, True, True]

    with db:  # put that back; now the signed payload itself changed: its signature fails
        db.execute("UPDATE decision SET comment = '同意' WHERE material_id = ? AND stage = "
                   "'first'", (plan,))
        db.execute("UPDATE decision SET payload = replace(payload, '同意上报', '不同意上报') "
                   "WHERE material_id = ? AND stage = 'second'", (plan,))
    db.close()
    checked = office.cli.run("history", plan, "--archive", office.root, "--json")
    assert checked.returncode != 0
    assert [(d["stage"], d["ok"], d["problem"]) for d in checked.json()] == [
        ("first", True, ""), ("second", False, "签名无效"), ("final", True, "")]
