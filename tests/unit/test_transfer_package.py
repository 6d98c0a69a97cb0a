"""The city's gate for 报送包 (docs/transfers.md, issue 16 item 7): every tampered, forged,
misaddressed, replayed, out-of-date or hostile package is refused with the file named, and the
city archive is exactly as before (materials, audit log, stored files)."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from desktop.core.archive.archive import Archive
from desktop.core.common.progress import Cancelled, Progress
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.materials.service import list_materials
from desktop.core.review import decisions, keys, roster
from desktop.core.review import package as review_package
from desktop.core.transfer import TransferError, apply_transfer, export_transfer
from desktop.core.transfer.package import TRANSFER_JSON, signed_bytes
from tests.conftest import ZichaCli, archive_snapshot, build_pdf

PASS = "transfer-pass-1"
PEOPLE = {"公安经办": ("市公安局", ["clerk"]), "公安初审": ("市公安局", ["first@市公安局"]),
          "教育经办": ("市教育局", ["clerk"]), "创文办主任": ("市文明办", ["admin"]),
          "市复审人": ("市文明办", ["second"])}
OUTSIDER = "冒充者"


@dataclass
class Setting:
    base: Path
    home: Path
    city: Path
    dept: Path
    city_id: str
    package: Path  # a good 报送包 of 市公安局 (seq 1), not applied
    cli: ZichaCli

    def key(self, name: str) -> Any:
        with mock.patch.dict("os.environ", {"ZICHA_HOME": str(self.home)}):
            return keys.load_private(name, PASS)

    def apply(self, path: Path) -> Any:
        with Archive.open(self.city) as archive:
            return apply_transfer(archive, path, actor="创文办主任")

    def export(self, out: Path, *, all_: bool = False, to: str | None = None) -> Any:
        with Archive.open(self.dept) as archive:
            return export_transfer(archive, to or self.city_id, out, actor="公安经办",
                                   all_=all_, unlock=lambda: self.key("公安经办"))

    def snapshot(self) -> dict[str, Any]:
        return archive_snapshot(self.cli, self.city)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Setting:
    base = tmp_path_factory.mktemp("transfer-gate")
    home = base / "home"
    with mock.patch.dict("os.environ", {"ZICHA_HOME": str(home), "ZICHA_USER": "测试员"}):
        public = {name: keys.new_key(name, PASS) for name in [*PEOPLE, OUTSIDER]}
        roots = {"city": base / "city", "dept": base / "dept"}
        for root in roots.values():
            with Archive.create(root) as archive:
                for name, (dept, roles) in PEOPLE.items():
                    roster.add_person(archive, name, dept, roles, public[name])
        with Archive.open(roots["dept"]) as archive:
            rows = list(import_paths(archive, [build_pdf(base / "方案.pdf", "工作方案")],
                                     ImportOptions(codes=["01"], department="市公安局")))
            decisions.submit(archive, [rows[0].id], "公安经办")
            decisions.decide(archive, rows[0].id, "公安初审", "approve", "同意",
                             keys.load_private("公安初审", PASS))
        with Archive.open(roots["city"]) as archive:
            city_id = archive.info()["archive_id"]
    setting = Setting(base, home, roots["city"], roots["dept"], city_id, base / "报送包.zip",
                      ZichaCli(base, base))
    setting.export(setting.package)
    return setting


@pytest.fixture
def s(template: Setting, tmp_path: Path) -> Setting:
    """A fresh copy of both archives and of the package for each test."""
    city, dept = tmp_path / "city", tmp_path / "dept"
    shutil.copytree(template.city, city, symlinks=True)
    shutil.copytree(template.dept, dept, symlinks=True)
    package = tmp_path / "报送包.zip"
    shutil.copy(template.package, package)
    return Setting(template.base, template.home, city, dept, template.city_id, package,
                   ZichaCli(tmp_path, tmp_path))


def rewrite(src: Path, out: Path, *, doc: Callable[[dict[str, Any]], None] | None = None,
            member: Callable[[str, bytes], tuple[str, bytes]] | None = None,
            sign_with: Any = None, extra: dict[str, bytes] | None = None) -> Path:
    """A copy of the package with transfer.json and/or members changed; signed again with
    `sign_with` (a private key) if given, else the old signature stays."""
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    data = json.loads(members.pop(TRANSFER_JSON))
    if doc is not None:
        doc(data)
    if sign_with is not None:
        data["signature"] = keys.sign(sign_with, signed_bytes(data))
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(TRANSFER_JSON, json.dumps(data, ensure_ascii=False))
        for name, body in members.items():
            if member is not None:
                name, body = member(name, body)
            zf.writestr(name, body)
        for name, body in (extra or {}).items():
            zf.writestr(name, body)
    return out


def refused(s: Setting, path: Path, *needles: str) -> None:
    before = s.snapshot()
    with pytest.raises(TransferError) as caught:
        s.apply(path)
    message = str(caught.value)
    assert path.name in message, message
    for needle in needles:
        assert needle in message, message
    assert s.snapshot() == before


def test_the_good_package_applies(s: Setting) -> None:
    report = s.apply(s.package)
    assert [m["title"] for m in report.added] == ["方案"]


def test_an_altered_transfer_json_is_refused(s: Setting, tmp_path: Path) -> None:
    def retitle(d: dict[str, Any]) -> None:
        d["materials"][0]["title"] = "改过的标题"
    refused(s, rewrite(s.package, tmp_path / "改动.zip", doc=retitle), "整体签名无效")


def test_an_altered_file_is_refused(s: Setting, tmp_path: Path) -> None:
    def flip(name: str, body: bytes) -> tuple[str, bytes]:
        return (name, body[:-1] + bytes([body[-1] ^ 1])) if name.startswith("files/") \
            else (name, body)
    refused(s, rewrite(s.package, tmp_path / "文件改动.zip", member=flip), "哈希不符")

    def grow(name: str, body: bytes) -> tuple[str, bytes]:
        return (name, body + b"x") if name.startswith("files/") else (name, body)
    refused(s, rewrite(s.package, tmp_path / "文件变长.zip", member=grow), "大小与清单不符")


def test_a_wrong_signature_is_refused(s: Setting, tmp_path: Path) -> None:
    # signed by someone else's key in the sender's name
    refused(s, rewrite(s.package, tmp_path / "错签.zip", sign_with=s.key("教育经办")),
            "整体签名无效")


def test_a_signer_not_on_the_roster_is_refused(s: Setting, tmp_path: Path) -> None:
    outsider = s.key(OUTSIDER)

    def as_outsider(d: dict[str, Any]) -> None:
        d["sender"] = {"name": OUTSIDER, "public_key": keys.public_text(outsider.public_key())}
    refused(s, rewrite(s.package, tmp_path / "冒充.zip", doc=as_outsider, sign_with=outsider),
            "不在本档案名册中")


def test_a_signer_without_a_role_in_the_department_is_refused(s: Setting,
                                                              tmp_path: Path) -> None:
    other = s.key("教育经办")

    def as_other(d: dict[str, Any]) -> None:
        d["sender"] = {"name": "教育经办", "public_key": keys.public_text(other.public_key())}
    refused(s, rewrite(s.package, tmp_path / "别的单位.zip", doc=as_other, sign_with=other),
            "没有任何角色")


def test_another_citys_package_is_refused(s: Setting, tmp_path: Path) -> None:
    elsewhere = tmp_path / "另一个市.zip"
    s.export(elsewhere, to="0f0e0d0c-0b0a-4908-8706-050403020100")
    refused(s, elsewhere, "另一个档案")


def test_a_replay_is_refused(s: Setting) -> None:
    s.apply(s.package)
    refused(s, s.package, "已应用过")


def test_an_out_of_date_package_is_refused(s: Setting, tmp_path: Path) -> None:
    everything = tmp_path / "全部.zip"
    s.export(everything, all_=True)  # seq 2, carrying everything
    assert len(s.apply(everything).added) == 1
    refused(s, s.package, "已过期")  # seq 1, older than what was applied


def test_a_decision_out_of_its_chain_is_refused(s: Setting, tmp_path: Path) -> None:
    def drop_prev(d: dict[str, Any]) -> None:
        d["materials"][0]["decisions"][0]["hash"] = "0" * 64
    refused(s, rewrite(s.package, tmp_path / "断链.zip", doc=drop_prev,
                       sign_with=s.key("公安经办")), "审核记录无法验证")


def test_a_state_its_signatures_do_not_back_is_refused(s: Setting, tmp_path: Path) -> None:
    def promote(d: dict[str, Any]) -> None:
        d["materials"][0]["state"] = "final_approved"
    refused(s, rewrite(s.package, tmp_path / "冒充终审.zip", doc=promote,
                       sign_with=s.key("公安经办")), "终审")


@pytest.mark.parametrize("name", ["../evil.txt", "files/../../evil", "/etc/evil",
                                  "files\\evil"])
def test_unsafe_member_names_are_refused(s: Setting, tmp_path: Path, name: str) -> None:
    refused(s, rewrite(s.package, tmp_path / "不安全.zip", extra={name: b"x"}), "不安全的文件名")


def test_a_stray_member_is_refused(s: Setting, tmp_path: Path) -> None:
    refused(s, rewrite(s.package, tmp_path / "多余.zip", extra={"readme.txt": b"x"}),
            "不属于报送包")


def test_a_zip_bomb_is_refused(s: Setting, tmp_path: Path) -> None:
    bomb = tmp_path / "炸弹.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(TRANSFER_JSON, b" " * (80 * 1024**2))
    refused(s, bomb)


def test_not_a_zip_is_refused(s: Setting, tmp_path: Path) -> None:
    text = tmp_path / "不是包.zip"
    text.write_text("这不是报送包", encoding="utf-8")
    refused(s, text, "不是 ZIP")
    half = tmp_path / "半截.zip"
    half.write_bytes(s.package.read_bytes()[:200])
    refused(s, half)


def test_a_review_package_is_not_a_transfer(s: Setting, tmp_path: Path) -> None:
    other = tmp_path / "审核包.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("package.json", b"{}")
    refused(s, other, "审核包")


def test_a_json_not_of_the_schema_is_refused(s: Setting, tmp_path: Path) -> None:
    def break_it(d: dict[str, Any]) -> None:
        d["seq"] = 0
    refused(s, rewrite(s.package, tmp_path / "格式错.zip", doc=break_it), "内容有误")
    broken = tmp_path / "坏JSON.zip"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr(TRANSFER_JSON, b"{not json")
    refused(s, broken, "不是有效的 JSON")


def test_export_never_overwrites(s: Setting, tmp_path: Path) -> None:
    there = tmp_path / "已有.zip"
    there.write_bytes(b"keep")
    with pytest.raises(TransferError, match="已存在"):
        s.export(there, all_=True)
    assert there.read_bytes() == b"keep"


def test_the_city_reviews_a_transferred_material_offline(s: Setting, tmp_path: Path) -> None:
    """A review package of the city holds the transferred material by its signed identity;
    the reviewer's decision names the department's archive and number and applies at the city."""
    s.apply(s.package)
    package, decided = tmp_path / "复审包.zip", tmp_path / "决定.json"
    with Archive.open(s.city) as archive:
        exported = review_package.export_package(archive, "second", package)
    with mock.patch.dict("os.environ", {"ZICHA_HOME": str(s.home)}), \
            review_package.open_package(package) as opened:
        [entry] = opened.materials
        assert entry["facts"]["archive"] != s.city_id  # the department's archive
        doc = review_package.review_package(
            opened, "市复审人", [review_package.Choice(review_package.number(entry), "approve",
                                                    "同意")],
            lambda: keys.load_private("市复审人", PASS))
    review_package.write_decisions(doc, decided)
    with Archive.open(s.city) as archive:
        applied = review_package.apply_decisions(archive, decided)
        [one] = applied.applied
        assert (one.id, one.state) == (exported.materials[0], "second_approved")
        assert [c.ok for c in decisions.history(archive, one.id)] == [True, True]
        assert decisions.signed_state_problems(archive) == []


def test_two_materials_signed_under_one_number_are_told_apart(s: Setting,
                                                               tmp_path: Path) -> None:
    """The city's own #1 and a transferred material that is #1 in its department, both
    awaiting 复审, go into one review package: the reviewer picks each by its number at the
    city (`number`), each decision names its material's signed identity and applies to it."""
    with Archive.open(s.city) as archive, \
            mock.patch.dict("os.environ", {"ZICHA_HOME": str(s.home)}):
        [row] = import_paths(archive, [build_pdf(tmp_path / "市里的.pdf", "市里自己的材料")],
                             ImportOptions(codes=["02"], department="市公安局"))
        decisions.submit(archive, [row.id], "公安经办")
        decisions.decide(archive, row.id, "公安初审", "approve", "同意",
                         keys.load_private("公安初审", PASS))
    s.apply(s.package)
    package, decided = tmp_path / "复审包.zip", tmp_path / "决定.json"
    with Archive.open(s.city) as archive:
        review_package.export_package(archive, "second", package)
    with mock.patch.dict("os.environ", {"ZICHA_HOME": str(s.home)}), \
            review_package.open_package(package) as opened:
        entries = opened.materials
        assert [e["facts"]["id"] for e in entries] == [1, 1]  # signed under one number
        numbers = [review_package.number(e) for e in entries]
        assert len(set(numbers)) == 2 and row.id in numbers
        theirs = next(n for n in numbers if n != row.id)
        doc = review_package.review_package(
            opened, "市复审人", [review_package.Choice(row.id, "approve", "同意"),
                                 review_package.Choice(theirs, "reject", "请补充")],
            lambda: keys.load_private("市复审人", PASS))
    review_package.write_decisions(doc, decided)
    with Archive.open(s.city) as archive:
        applied = {a.id: a.state for a in review_package.apply_decisions(archive, decided).applied}
        assert applied == {row.id: "second_approved", theirs: "returned"}
        assert decisions.signed_state_problems(archive) == []


def test_a_new_material_from_another_archive_is_refused(s: Setting, tmp_path: Path) -> None:
    """A department's package may bring only materials made in the department's archive (one
    claiming to be the city's own, or a third archive's, is refused, not added as a copy)."""
    def elsewhere(d: dict[str, Any]) -> None:
        entry = d["materials"][0]
        entry["uid"] = "0a1b2c3d-0000-4000-8000-000000000001"
        entry["origin"]["archive"] = s.city_id
        entry["decisions"], entry["state"] = [], "submitted"
    refused(s, rewrite(s.package, tmp_path / "别处的.zip", doc=elsewhere,
                       sign_with=s.key("公安经办")), "另一个档案")


def test_decisions_already_held_by_another_material_are_refused(s: Setting,
                                                                tmp_path: Path) -> None:
    s.apply(s.package)

    def twin(d: dict[str, Any]) -> None:  # the same material (and signatures) under a new uid
        d["materials"][0]["uid"] = "0a1b2c3d-0000-4000-8000-000000000002"
        d["package_id"] = "0a1b2c3d-0000-4000-8000-000000000003"
        d["seq"], d["since"] = 2, 1
    refused(s, rewrite(s.package, tmp_path / "双胞胎.zip", doc=twin,
                       sign_with=s.key("公安经办")), "同一签名不能用于两份材料")


def test_cancelled_apply_changes_nothing_and_a_rerun_completes(s: Setting) -> None:
    """Progress reports each file checked and each material merged; cancel asked at the first
    material leaves the city as it was; applying again without cancel merges it all."""
    seen: list[tuple[int, int, str]] = []

    def report(done: int, total: int, what: str) -> None:
        seen.append((done, total, what))
        if what == "合并材料":
            progress.cancel()

    progress = Progress(report)
    before = s.snapshot()
    with Archive.open(s.city) as archive, pytest.raises(Cancelled, match="没有任何改动"):
        apply_transfer(archive, s.package, actor="创文办主任", progress=progress)
    assert s.snapshot() == before
    assert {what for _, _, what in seen} == {"核对文件", "合并材料"}
    assert len(s.apply(s.package).added) >= 1


def test_cancelled_export_leaves_no_file_and_no_record(s: Setting, tmp_path: Path) -> None:
    progress = Progress(lambda done, total, what: progress.cancel())
    out = tmp_path / "取消的报送包.zip"
    there = sorted(tmp_path.iterdir())
    with Archive.open(s.dept) as archive, pytest.raises(Cancelled, match="报送已取消"):
        export_transfer(archive, s.city_id, out, actor="公安经办", all_=True,
                        unlock=lambda: s.key("公安经办"), progress=progress)
    assert sorted(tmp_path.iterdir()) == there  # no file, no temporary left beside it
    assert s.export(out, all_=True).seq == 2  # the package of the fixture was seq 1


def test_a_review_the_signatures_do_not_back_is_left_out_alone(s: Setting,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    """A 下发包 review whose state the signatures would not back here is rolled back on its
    own (a savepoint) and reported 未采用; the rest of the package (the receipt) applies."""
    from desktop.core.review.decisions import StateMismatch
    from desktop.core.transfer import receive
    from desktop.core.transfer.dispatch import export_dispatch

    s.apply(s.package)
    with Archive.open(s.city) as archive, \
            mock.patch.dict("os.environ", {"ZICHA_HOME": str(s.home)}):
        [m] = list_materials(archive)
        decisions.decide(archive, m.id, "市复审人", "approve", "复审同意",
                         keys.load_private("市复审人", PASS))
        with Archive.open(s.dept, writable=False) as dept:
            dept_id = dept.info()["archive_id"]
        down = tmp_path / "下发.zip"
        sent = export_dispatch(archive, dept_id, down, actor="创文办主任",
                               unlock=lambda: s.key("创文办主任"))
    assert len(sent.reviews) == 1 and sent.receipt == 1
    monkeypatch.setattr(receive.decisions, "signed_state_of",
                        lambda session, here, material, *a, **k: StateMismatch(
                            material.id, material.title, "（测试）签名不支持这个状态"))
    with Archive.open(s.dept) as archive:
        before = [(d.stage, d.verdict) for d in decisions.history(archive, 1)]
        report = apply_transfer(archive, down, actor="公安经办")
        assert [r["reason"] for r in report.skipped] == ["（测试）签名不支持这个状态"]
        assert report.reviews == [] and report.acknowledged == [1]
        assert [(d.stage, d.verdict) for d in decisions.history(archive, 1)] == before
        [m] = list_materials(archive)
        assert m.state == "first_approved"
    monkeypatch.undo()  # verify judges with the real check
    verify = s.cli.run("verify", "--archive", s.dept, "--json")
    assert verify.returncode == 0, str(verify)
