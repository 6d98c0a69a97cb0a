"""The roster kept in the archive: adding people, changing roles and departments, retiring
(停用), replacing a public key; the admin rule; public key files; renaming a 测评内容; who may
do what in the 问题整改 loop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item, nodes, rename_item
from desktop.core.archive.models import AuditEntry
from desktop.core.common.errors import UnknownCode, ZichaError
from desktop.core.ledger import problems
from desktop.core.review import decisions, keys, roster
from desktop.core.review.workflow import Actor
from tests.conftest import REVIEW_PASS, build_reviewed_archive


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _key(name: str) -> str:
    return keys.new_key(name, "passphrase-1")


def _audit(archive: Archive) -> list[AuditEntry]:
    with archive.read() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def _roster(archive: Archive, **kwargs: bool) -> dict[str, roster.PersonView]:
    return {p.name: p for p in roster.people(archive, **kwargs)}


@pytest.fixture
def office(core_archive: Archive) -> Archive:
    """An admin, a clerk and a reviewer."""
    roster.add_person(core_archive, "管理员", "市创城办", ["admin"], _key("管理员"))
    roster.add_person(core_archive, "经办人", "市文明办", ["clerk@市文明办"], _key("经办人"),
                      actor="管理员")
    roster.add_person(core_archive, "初审人", "市文明办", ["first"], _key("初审人"),
                      actor="管理员")
    return core_archive


def test_roles_and_department_change_with_one_audit_entry_each(office: Archive) -> None:
    before = len(_audit(office))
    view = roster.set_roles(office, "经办人", ["clerk", "first@市教育局"], actor="管理员")
    assert view.roles == ["clerk", "first@市教育局"]
    roster.set_department(office, "经办人", "市教育局", actor="管理员")
    roster.update_person(office, "经办人", department="市教育局", roles=["clerk", "first@市教育局"],
                         actor="管理员")  # no change, nothing recorded
    entries = _audit(office)[before:]
    assert [(e.action, e.actor, e.target) for e in entries] == [
        ("person.update", "管理员", "person:经办人"), ("person.update", "管理员", "person:经办人")]
    assert json.loads(entries[1].detail)["department"] == ["市文明办", "市教育局"]
    person = _roster(office)["经办人"]
    assert (person.department, person.roles) == ("市教育局", ["clerk", "first@市教育局"])
    with pytest.raises(ZichaError, match="至少要给"):
        roster.set_roles(office, "经办人", [], actor="管理员")
    with pytest.raises(ZichaError, match="未知的角色"):
        roster.set_roles(office, "经办人", ["boss"], actor="管理员")
    with pytest.raises(ZichaError, match="名册中没有 无名氏"):
        roster.set_roles(office, "无名氏", ["clerk"], actor="管理员")
    assert len(_audit(office)) == before + 2


def test_only_an_admin_changes_a_roster_that_has_one(core_archive: Archive) -> None:
    # before there is an admin, anyone sets up the roster
    roster.add_person(core_archive, "经办人", "市文明办", ["clerk"], _key("经办人"),
                      actor="经办人")
    assert roster.roster_refusal(core_archive, "经办人") == ""
    roster.add_person(core_archive, "管理员", "市创城办", ["admin"], _key("管理员"),
                      actor="经办人")
    for who in ("经办人", "路人"):
        assert "只有管理员可以修改名册" in roster.roster_refusal(core_archive, who)
    assert "请先选择当前人员" in roster.roster_refusal(core_archive, None)
    before = len(_audit(core_archive))
    refused = [
        lambda: roster.add_person(core_archive, "新人", "市文明办", ["clerk"], _key("新人"),
                                  actor="经办人"),
        lambda: roster.set_roles(core_archive, "经办人", ["admin"], actor="经办人"),
        lambda: roster.set_department(core_archive, "经办人", "市教育局", actor="路人"),
        lambda: roster.retire_person(core_archive, "管理员", actor="经办人"),
        lambda: roster.replace_key(core_archive, "经办人", _key("另一把"), actor="经办人"),
    ]
    for call in refused:
        with pytest.raises(ZichaError, match="只有管理员可以修改名册"):
            call()
    assert len(_audit(core_archive)) == before
    roster.set_roles(core_archive, "经办人", ["clerk", "first"], actor="管理员")
    assert roster.roster_refusal(core_archive, "管理员") == ""


def test_the_last_admin_in_post_stays(office: Archive) -> None:
    with pytest.raises(ZichaError, match="至少要保留一名在岗的管理员"):
        roster.retire_person(office, "管理员", actor="管理员")
    with pytest.raises(ZichaError, match="至少要保留一名在岗的管理员"):
        roster.set_roles(office, "管理员", ["clerk"], actor="管理员")
    assert _roster(office)["管理员"].roles == ["admin"]
    roster.set_roles(office, "初审人", ["first", "admin"], actor="管理员")
    roster.retire_person(office, "管理员", actor="初审人")
    assert "只有管理员" in roster.roster_refusal(office, "管理员")


def test_a_retired_person_stays_listed_but_can_no_longer_act(tmp_path: Path, home: Path) -> None:
    ids = build_reviewed_archive(tmp_path / "档案", home, tmp_path / "files")
    waiting = ids["尚在初审的工作总结"]
    with Archive.open(tmp_path / "档案") as archive:
        approved = ids["文明交通劝导行动方案"]
        signed_before = decisions.history(archive, approved)
        roster.retire_person(archive, "初审乙", actor="管理")
        roster.retire_person(archive, "经办人甲", actor="管理")
        by_name = _roster(archive)
        assert by_name["初审乙"].retired and not by_name["复审丙"].retired
        assert by_name["初审乙"].to_json()["retired"] is True
        assert "初审乙" not in _roster(archive, include_retired=False)
        key = keys.load_private("初审乙", REVIEW_PASS)
        with pytest.raises(ZichaError, match="初审乙 已停用"):
            decisions.decide(archive, waiting, "初审乙", "approve", "同意", key)
        with pytest.raises(ZichaError, match="经办人甲 已停用"):
            decisions.submit(archive, [ids["文明劝导活动照片"]], "经办人甲")
        with pytest.raises(ZichaError, match="已停用"):
            problems.add_problem(archive, "01.01", "宣传栏破损", "初审乙")
        with pytest.raises(ZichaError, match="已停用；先恢复在岗"):
            roster.set_roles(archive, "初审乙", ["first"], actor="管理")
        with pytest.raises(ZichaError, match="已于 .* 停用"):
            roster.retire_person(archive, "初审乙", actor="管理")
        # what they signed still verifies against the key the roster keeps
        assert decisions.history(archive, approved) == signed_before
        assert all(d.ok for d in signed_before)
        roster.reinstate_person(archive, "初审乙", actor="管理")
        decisions.decide(archive, waiting, "初审乙", "approve", "同意", key)
        actions = [e.action for e in _audit(archive)[-4:]]
        assert actions == ["person.retire", "person.retire", "person.reinstate",
                           "material.decide"]


def test_a_key_is_replaced_only_while_it_has_signed_nothing(tmp_path: Path, home: Path) -> None:
    ids = build_reviewed_archive(tmp_path / "档案", home, tmp_path / "files")
    with Archive.open(tmp_path / "档案") as archive:
        roster.add_person(archive, "新审核人", "市文明办", ["first"], _key("新审核人"))
        new = _key("新审核人的新钥")
        roster.replace_key(archive, "新审核人", new, actor="管理")
        assert _roster(archive)["新审核人"].public_key == new
        entry = _audit(archive)[-1]
        assert (entry.action, json.loads(entry.detail)["new"]) == ("person.key", new)
        with pytest.raises(ZichaError, match="已经是名册中 新审核人 的公钥"):
            roster.replace_key(archive, "新审核人", new, actor="管理")
        with pytest.raises(ZichaError, match="已属于 复审丙"):
            roster.replace_key(archive, "新审核人", _roster(archive)["复审丙"].public_key,
                               actor="管理")
        with pytest.raises(ZichaError, match="格式不对"):
            roster.replace_key(archive, "新审核人", "ed25519:broken", actor="管理")
        before = len(_audit(archive))
        with pytest.raises(ZichaError, match="已用名册中的公钥签过 5 条审核意见"):
            roster.replace_key(archive, "初审乙", _key("初审乙2"), actor="管理")
        assert len(_audit(archive)) == before
        approved = ids["文明交通劝导行动方案"]
        assert all(d.ok for d in decisions.history(archive, approved))


def test_add_person_checks_its_input(office: Archive) -> None:
    with pytest.raises(ZichaError, match="部门"):
        roster.add_person(office, "甲", " ", ["clerk"], _key("甲"), actor="管理员")
    with pytest.raises(ZichaError, match="名册中已有 经办人"):
        roster.add_person(office, "经办人", "市文明办", ["clerk"], _key("乙"), actor="管理员")


# -- public key files --------------------------------------------------------------------------

def test_a_public_key_goes_to_a_file_and_back(tmp_path: Path) -> None:
    public = _key("张三")
    assert keys.own_public("张三") == public
    assert keys.own_public("李四") is None
    path = tmp_path / "张三-公钥.txt"
    keys.write_public_file(path, "张三", public)
    assert keys.read_public_file(path) == keys.PublicKeyFile(public, "张三")
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, no temporary file left
    bare = tmp_path / "bare.txt"
    bare.write_text("\ufeff" + public + "\r\n", encoding="utf-8")
    assert keys.read_public_file(bare) == keys.PublicKeyFile(public, "")
    assert len(keys.fingerprint(public)) == 19


@pytest.mark.parametrize(("content", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "不是文本"),
    (b"", "不是公钥文件"),
    (b"hello world\n", "不是有效的公钥"),
    (b"ed25519:AAAA\n", "不是有效的公钥"),
    (b"ed25519:a\ned25519:b\n", "不是公钥文件"),
    (b"x" * (keys.PUBLIC_FILE_MAX + 1), "太大"),
])
def test_a_file_that_is_not_a_public_key_is_named(tmp_path: Path, content: bytes,
                                                  message: str) -> None:
    path = tmp_path / "坏文件.txt"
    path.write_bytes(content)
    with pytest.raises(ZichaError, match=message) as err:
        keys.read_public_file(path)
    assert str(path) in str(err.value)


def test_a_private_key_file_is_not_taken_for_a_public_key(home: Path) -> None:
    _key("张三")
    with pytest.raises(ZichaError, match="含私钥"):
        keys.read_public_file(keys.key_path("张三"))
    with pytest.raises(ZichaError, match="无法读取"):
        keys.read_public_file(home / "nothing.txt")


def test_writing_a_public_key_file_leaves_nothing_half_written(tmp_path: Path) -> None:
    public = _key("张三")
    with pytest.raises(ZichaError, match="无法写入"):
        keys.write_public_file(tmp_path / "no-such-folder" / "k.txt", "张三", public)
    assert not list(tmp_path.glob("**/*.tmp"))


# -- renaming a 测评内容 -----------------------------------------------------------------------

def test_rename_item(core_archive: Archive) -> None:
    add_item(core_archive, "02.01", "旧名称", "旧标准")
    rename_item(core_archive, "02.01", " 社会主义核心价值观宣传 ", actor="管理员")
    rename_item(core_archive, "02.01", "社会主义核心价值观宣传", "有方案、有活动记录",
                actor="管理员")
    node = {n.code: n for n in nodes(core_archive)}["02.01"]
    assert (node.name, node.criterion) == ("社会主义核心价值观宣传", "有方案、有活动记录")
    entries = _audit(core_archive)[-2:]
    assert [(e.action, e.target, e.actor) for e in entries] == [
        ("item.rename", "02.01", "管理员"), ("item.rename", "02.01", "管理员")]
    assert json.loads(entries[0].detail) == {"name": ["旧名称", "社会主义核心价值观宣传"]}
    before = len(_audit(core_archive))
    with pytest.raises(UnknownCode, match="未知的测评内容编号 09.99"):
        rename_item(core_archive, "09.99", "x", actor="管理员")
    with pytest.raises(ZichaError, match="是测评项目"):
        rename_item(core_archive, "02", "x", actor="管理员")
    with pytest.raises(ZichaError, match="不能为空"):
        rename_item(core_archive, "02.01", "  ", actor="管理员")
    with core_archive.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == before


# -- who may do what with a problem --------------------------------------------------------------

CLERK = Actor("经办人", "市城管局", (("clerk", "市城管局"),))
OTHER_CLERK = Actor("别的经办人", "市文明办", (("clerk", "市文明办"),))
REVIEWER = Actor("复审人", "市文明办", (("second", None),))
LIMITED = Actor("部门初审", "市文明办", (("first", "市文明办"),))
RETIRED = Actor("老审核人", "市文明办", (("admin", None),), retired=True)


def test_problem_rules_are_one_pure_function() -> None:
    r = problems.refusal
    assert r(problems.ADD, REVIEWER) == ""
    assert "没有督查权限" in r(problems.ADD, CLERK)
    assert "没有督查权限" in r(problems.ADD, LIMITED)  # a reviewer of one department only
    assert "已停用" in r(problems.ADD, RETIRED)
    assert r(problems.ASSIGN, REVIEWER, "found", None, 1) == ""
    assert "不能再交办" in r(problems.ASSIGN, REVIEWER, "rectified", "市城管局", 1)
    assert r(problems.RECTIFY, CLERK, "assigned", "市城管局", 1) == ""
    assert "不是“市城管局”的经办人" in r(problems.RECTIFY, OTHER_CLERK, "assigned", "市城管局", 1)
    assert "只有已交办或已退回" in r(problems.RECTIFY, CLERK, "found", "市城管局", 1)
    assert r(problems.CONFIRM, REVIEWER, "rectified", "市城管局", 1) == ""
    assert "只有已报整改" in r(problems.SEND_BACK, REVIEWER, "assigned", "市城管局", 1)
    assert "没有督查权限" in r(problems.CONFIRM, CLERK, "rectified", "市城管局", 1)
