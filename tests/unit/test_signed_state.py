"""The core of issue 12 items 1 and 2 (anchors): decisions.signed_state_of / signed_state_problems
name what changed since the last signature; every decision, review package and export records
the audit log's head; decisions.anchors() lists the heads anchored in decisions."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import select

from desktop.core.archive import audit
from desktop.core.archive.archive import Archive
from desktop.core.archive.models import AuditEntry, Decision, Material
from desktop.core.export import bag
from desktop.core.export.model import ExportRules
from desktop.core.export.plan import make_plan
from desktop.core.review import decisions, keys, package
from tests.conftest import REVIEW_PASS, build_reviewed_archive

PLAN = "文明交通劝导行动方案"
WAITING = "尚在初审的工作总结"


@pytest.fixture(scope="module")
def _built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    base = tmp_path_factory.mktemp("signed-state")
    ids = build_reviewed_archive(base / "档案", base / "home", base / "files")
    return base, ids


@pytest.fixture
def reviewed(tmp_path: Path, _built: tuple[Path, dict[str, int]]):  # type: ignore[no-untyped-def]
    base, ids = _built
    shutil.copytree(base / "档案", tmp_path / "档案", symlinks=True)
    shutil.copytree(base / "home", tmp_path / "home", symlinks=True)
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(tmp_path / "home"),
                                      "ZICHA_USER": "经办人甲"}), \
            Archive.open(tmp_path / "档案") as archive:
        yield archive, ids


def _change(archive: Archive, material_id: int, **values: object) -> None:
    """Behind the core's back: the columns of a material row, no audit entry."""
    with archive.engine.begin() as conn:
        sets = ", ".join(f"{k} = :{k}" for k in values)
        conn.exec_driver_sql(f"UPDATE material SET {sets} WHERE id = :id",
                             {**values, "id": material_id})


def test_an_untouched_archive_has_no_mismatch(reviewed) -> None:  # type: ignore[no-untyped-def]
    archive, _ids = reviewed
    assert decisions.signed_state_problems(archive) == []


def test_the_changed_fields_are_named(reviewed) -> None:  # type: ignore[no-untyped-def]
    archive, ids = reviewed
    _change(archive, ids[PLAN], title="偷改的标题", material_date="2020-01-01")
    [found] = decisions.signed_state_problems(archive)
    assert found.material_id == ids[PLAN] and found.title == "偷改的标题"
    assert found.fields == ("材料名称", "日期")
    assert "签名后被改动：材料名称、日期" in found.reason and "终审" in found.reason
    assert str(found).startswith(f"材料 #{ids[PLAN]}《偷改的标题》")


def test_a_file_swapped_in_the_database_is_named_by_its_name(reviewed) -> None:  # type: ignore[no-untyped-def]
    archive, ids = reviewed
    with archive.read() as session:
        other = session.get(Material, ids[WAITING]).files[0].sha256
    with archive.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE material_file SET sha256 = ? WHERE material_id = ?",
                             (other, ids[PLAN]))
    [found] = decisions.signed_state_problems(archive)
    assert found.fields == ("文件（方案.pdf 的内容）",)


def test_a_state_without_its_signed_approvals_is_named(reviewed) -> None:  # type: ignore[no-untyped-def]
    archive, ids = reviewed
    _change(archive, ids[WAITING], state="second_approved")
    [found] = decisions.signed_state_problems(archive)
    assert found.material_id == ids[WAITING]
    assert "已复审" in found.reason or "复审" in found.reason
    assert "初审通过、复审通过" in found.reason


def test_a_decision_row_with_a_broken_signature_is_named(reviewed) -> None:  # type: ignore[no-untyped-def]
    archive, ids = reviewed
    with archive.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE decision SET payload = replace(payload, '同意', '同意！') "
                             "WHERE material_id = ? AND stage = 'final'", (ids[PLAN],))
    [found] = decisions.signed_state_problems(archive)
    assert "签名无效" in found.reason


def test_a_returned_and_edited_material_is_not_a_mismatch(reviewed) -> None:  # type: ignore[no-untyped-def]
    """Editing after 退回 is the normal path: a rejection vouches for nothing."""
    archive, ids = reviewed
    key = keys.load_private("初审乙", REVIEW_PASS)
    decisions.decide(archive, ids[WAITING], "初审乙", "reject", "缺少盖章页", key)
    _change(archive, ids[WAITING], title="改过的工作总结")
    assert decisions.signed_state_problems(archive) == []


def test_the_plan_leaves_a_mismatch_out_and_the_writer_refuses(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    archive, ids = reviewed
    _change(archive, ids[PLAN], title="偷改的标题")
    plan = make_plan(archive, ExportRules())
    assert [v[0] for v in plan.void] == [ids[PLAN]]
    assert ids[PLAN] not in {m.id for m in plan.materials}
    assert all(ids[PLAN] not in {n[0] for n in i.not_ready} for i in plan.items)
    out = tmp_path / "导出.zip"
    with pytest.raises(decisions.ZichaError, match=f"#{ids[PLAN]}.*材料名称"):
        bag.write_export(archive, plan, out)
    assert not out.exists() and not list(tmp_path.glob("导出.zip*"))
    draft = make_plan(archive, ExportRules(), all_stages=True)
    [planned] = [m for m in draft.materials if m.id == ids[PLAN]]
    assert "材料名称" in planned.flags[0]


# -- anchors -----------------------------------------------------------------------------------

def test_a_decision_anchors_the_head_before_its_own_entry(reviewed) -> None:  # type: ignore[no-untyped-def]
    archive, ids = reviewed
    with archive.read() as session:
        before = audit.head(session)
    key = keys.load_private("初审乙", REVIEW_PASS)
    decision = decisions.decide(archive, ids[WAITING], "初审乙", "approve", "同意", key)
    data = json.loads(decision.payload)
    assert data["format"] == "zicha-decision/2"
    assert data["audit_head"] == before.to_json()
    with archive.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.seq == before.seq)).one()
        assert entry.hash == before.hash
        found = decisions.anchors(session)
        count = len(list(session.scalars(select(Decision))))
    assert len(found) == count  # build_reviewed_archive's decisions carry anchors too
    where, seq, digest = found[-1]
    assert (seq, digest) == (before.seq, before.hash)
    assert f"材料 #{ids[WAITING]}" in where and "初审" in where and "初审乙" in where


def test_anchors_skip_decisions_of_the_first_format(reviewed) -> None:  # type: ignore[no-untyped-def]
    archive, _ids = reviewed
    with archive.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE decision SET payload = '{\"format\":\"zicha-decision/1\"}' "
                             "WHERE id = 1")
    with archive.read() as session:
        assert len(decisions.anchors(session)) == len(list(session.scalars(select(Decision)))) - 1


def test_packages_decisions_files_and_exports_carry_the_head(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    archive, ids = reviewed
    with archive.read() as session:
        head = audit.head(session).to_json()
    out = tmp_path / "初审.zip"
    package.export_package(archive, "first", out)
    with zipfile.ZipFile(out) as zf:
        assert json.loads(zf.read("package.json"))["audit_head"] == head
    with package.open_package(out) as pkg:
        doc = package.review_package(pkg, "初审乙", [package.Choice(ids[WAITING], "approve")],
                                     lambda: keys.load_private("初审乙", REVIEW_PASS))
    assert doc["audit_head"] == head
    assert json.loads(doc["decisions"][0]["payload"])["audit_head"] == head
    assert keys.verify(doc["reviewer"]["public_key"], package.signed_bytes(doc),
                       doc["signature"])
    decided = tmp_path / "决定.json"
    package.write_decisions(doc, decided)
    package.apply_decisions(archive, decided)
    with archive.read() as session:
        assert decisions.anchors(session)[-1][1:] == (head["seq"], head["hash"])
        export_head = audit.head(session).to_json()

    plan = make_plan(archive, ExportRules())
    assert plan.audit_head == export_head
    target = tmp_path / "申报材料.zip"
    bag.write_export(archive, plan, target)
    with zipfile.ZipFile(target) as zf:
        manifest = json.loads(zf.read("申报材料/zicha/manifest.json"))
        info = zf.read("申报材料/bag-info.txt").decode("utf-8")
    assert manifest["audit_head"] == export_head
    assert f"Zicha-Audit-Head: {export_head['seq']} {export_head['hash']}\n" in info


def test_history_rehashes_a_stored_file_in_the_same_process(reviewed) -> None:  # type: ignore[no-untyped-def]
    archive, ids = reviewed
    assert all(c.ok for c in decisions.history(archive, ids[PLAN]))
    with archive.read() as session:
        sha = session.get(Material, ids[PLAN]).files[0].sha256
    stored = archive.store.path_for(sha)
    stat = stored.stat()
    data = bytearray(stored.read_bytes())
    data[-10] ^= 0x01
    os.chmod(stored, 0o644)
    stored.write_bytes(bytes(data))
    os.utime(stored, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the mtime set back, too
    checked = decisions.history(archive, ids[PLAN])
    assert checked and not any(c.ok for c in checked)
    assert "方案.pdf" in checked[-1].problem and "已损坏" in checked[-1].problem
