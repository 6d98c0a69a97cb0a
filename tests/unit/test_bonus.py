"""创新特色 / 加分 evidence (issue 15 item 5): the mark on a material (migration 0007 on an
archive made before it), set and cleared through the material service, signed with the rest
of the metadata without voiding signatures made before the mark existed, and carried into the
export's manifest and 材料目录."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import zipfile
from pathlib import Path
from unittest import mock

import jsonschema
import openpyxl
import pytest
from sqlalchemy import select

from desktop.core.archive import db
from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.archive.models import AuditEntry, Decision, Material
from desktop.core.common.errors import ZichaError
from desktop.core.export import bag
from desktop.core.export.plan import archive_rules, make_plan
from desktop.core.export.verify import verify_export
from desktop.core.materials.service import get_material, list_materials, update_material
from desktop.core.review import decisions, keys
from tests.conftest import REVIEW_PASS, build_reviewed_archive

SCHEMA = Path(__file__).resolve().parents[2] / "schema"
MARK = {"level": "省级", "issuer": "省文明办", "date": "2024-04-01"}


def test_an_archive_from_before_the_mark_is_migrated(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    monkeypatch.setenv("ZICHA_USER", "测试员")
    root = tmp_path / "档案"
    Archive.create(root).close()
    engine = db.make_engine(root / DB_NAME)
    command.downgrade(db._alembic_config(engine), "0006")
    engine.dispose()
    with sqlite3.connect(root / DB_NAME) as conn:  # a material as 0006 wrote it
        conn.execute("INSERT INTO material (id, title, doc_number, material_type, description, "
                     "caption_time, caption_place, caption_people, caption_subject, state, "
                     "created_at, updated_at, created_by, submitted_by, review_round) VALUES "
                     "(1, '工作方案', '', '其他', '', '', '', '', '', 'draft', "
                     "'2024-06-01 00:00:00', '2024-06-01 00:00:00', '甲', '', 0)")
    with Archive.open(root) as archive:
        assert db.current_revision(archive.engine) == db.HEAD_REVISION
        assert get_material(archive, 1).bonus is None
        update_material(archive, 1, {"bonus": MARK})
        assert get_material(archive, 1).bonus == MARK
    engine = db.make_engine(root / DB_NAME)
    command.downgrade(db._alembic_config(engine), "0006")  # and back: the columns go
    engine.dispose()
    with sqlite3.connect(root / DB_NAME) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(material)")}
    assert "bonus" not in columns and "title" in columns


def _draft(archive: Archive) -> int:
    with archive.write("测试员") as (session, _log):
        now = dt.datetime(2024, 6, 1)
        m = Material(title="省级表扬通报", created_at=now, updated_at=now)
        session.add(m)
        session.flush()
        return m.id


def test_the_mark_is_set_normalised_cleared_and_audited(core_archive: Archive) -> None:
    material_id = _draft(core_archive)
    view = update_material(core_archive, material_id,
                           {"bonus": {"level": "国家", "issuer": " 中央文明办 "}})
    assert view.bonus == {"level": "国家级", "issuer": "中央文明办", "date": None}
    assert view.to_json()["bonus"] == view.bonus
    assert [v.id for v in list_materials(core_archive, bonus=True)] == [material_id]
    assert update_material(core_archive, material_id, {"bonus": True}).bonus == {
        "level": "", "issuer": "", "date": None}  # the bare mark
    assert update_material(core_archive, material_id, {"bonus": None}).bonus is None
    assert list_materials(core_archive, bonus=True) == []
    with core_archive.read() as session:
        diffs = [json.loads(e.detail)["bonus"] for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "material.update")
            .order_by(AuditEntry.seq))]
    assert diffs[0] == {"old": None, "new": {"level": "国家级", "issuer": "中央文明办",
                                             "date": None}}
    assert diffs[-1]["new"] is None


@pytest.mark.parametrize(("mark", "says"), [
    ({"level": "县级"}, "县级 不是 国家级、省级、市级 之一"),
    ({"date": "2024年4月"}, "日期 2024年4月 格式不对"),
    ({"by": "x"}, "没有 by"),
    ("省级", "应写明级别"),
])
def test_a_wrong_mark_is_refused_by_name(core_archive: Archive, mark: object,
                                         says: str) -> None:
    material_id = _draft(core_archive)
    with pytest.raises(ZichaError, match=says):
        update_material(core_archive, material_id, {"bonus": mark})
    assert get_material(core_archive, material_id).bonus is None


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("bonus")
    ids = build_reviewed_archive(root / "档案", root / "home", root / "files")
    return root / "档案", root / "home", ids


def test_signatures_cover_the_mark_and_older_ones_stay_valid(
        reviewed: tuple[Path, Path, dict[str, int]], tmp_path: Path) -> None:
    archive_path, home, ids = reviewed
    env = {"ZICHA_HOME": str(home), "ZICHA_USER": "经办人甲"}
    summary = ids["尚在初审的工作总结"]
    with mock.patch.dict(os.environ, env), Archive.open(archive_path) as archive:
        # signed without a mark: the payload has no bonus key, as signatures before 0007
        with archive.read() as session:
            payloads = [json.loads(p) for p in session.scalars(select(Decision.payload))]
        assert payloads and all("bonus" not in p["material"] for p in payloads)
        assert decisions.signed_state_problems(archive) == []

        # a returned material is marked, resubmitted and approved: the mark is signed
        decisions.decide(archive, summary, "初审乙", "reject", "请写明表扬",
                         keys.load_private("初审乙", REVIEW_PASS))
        update_material(archive, summary, {"bonus": MARK})
        decisions.submit(archive, [summary], "经办人甲")
        for name in ("初审乙", "复审丙", "终审丁"):
            decisions.decide(archive, summary, name, "approve", "同意",
                             keys.load_private(name, REVIEW_PASS))
        with archive.read() as session:
            last = session.scalars(select(Decision).where(Decision.material_id == summary)
                                   .order_by(Decision.id.desc())).first()
            assert last is not None
            signed = json.loads(last.payload)
        assert signed["material"]["bonus"] == MARK
        jsonschema.Draft202012Validator(json.loads(
            (SCHEMA / "decision-payload.schema.json").read_text("utf-8"))).validate(signed)
        assert decisions.signed_state_problems(archive) == []

        # approved materials cannot be (un)marked through the service
        with pytest.raises(ZichaError, match="已终审通过"):
            update_material(archive, summary, {"bonus": None})

        # the export: manifest and 材料目录 carry it, 四性检测 passes
        out = tmp_path / "导出.zip"
        plan = make_plan(archive, archive_rules(archive))
        assert [m.id for _item, m in plan.bonus] == [summary]
        bag.write_export(archive, plan, out)
        folder = tmp_path / "导出"
        bag.write_export(archive, plan, folder, as_zip=False)
    report = verify_export(out)
    assert report.ok, [p for c in report.checks for p in c.problems]
    with zipfile.ZipFile(out) as zf:
        [name] = [n for n in zf.namelist() if n.endswith("/" + bag.MANIFEST_JSON)]
        manifest = json.loads(zf.read(name).decode("utf-8"))
        [xlsx] = [n for n in zf.namelist() if n.endswith("data/材料目录.xlsx")]
        (tmp_path / "目录.xlsx").write_bytes(zf.read(xlsx))
    jsonschema.Draft202012Validator(json.loads(
        (SCHEMA / "export-manifest.schema.json").read_text("utf-8"))).validate(manifest)
    marks = {m["id"]: m["bonus"] for m in manifest["materials"]}
    assert marks[summary] == MARK
    assert [v for k, v in marks.items() if k != summary] == [None] * (len(marks) - 1)
    sheet = openpyxl.load_workbook(tmp_path / "目录.xlsx")["创新特色（加分）材料"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[2:6] for r in rows] == [["尚在初审的工作总结", "省级", "省文明办", "2024-04-01"]]

    # the mark changed in the export after signing: 四性检测 names it
    manifest_path = folder / bag.MANIFEST_JSON
    edited = json.loads(manifest_path.read_text("utf-8"))
    for m in edited["materials"]:
        if m["id"] == summary:
            m["bonus"] = {**MARK, "level": "国家级"}
    manifest_path.write_text(json.dumps(edited, ensure_ascii=False), "utf-8")
    problems = [p for c in verify_export(folder).checks for p in c.problems]
    assert any("创新特色（加分）" in p and "与审核签名时不同" in p for p in problems), problems

    # changed behind the service's back after signing: the approval is void, by name
    with sqlite3.connect(archive_path / DB_NAME) as conn:
        conn.execute("UPDATE material SET bonus_level = '国家级' WHERE id = ?", (summary,))
        conn.execute("UPDATE material SET bonus = 1 WHERE id = ?", (ids["志愿服务活动通知"],))
    with mock.patch.dict(os.environ, env), Archive.open(archive_path) as archive:
        found = {p.material_id: p for p in decisions.signed_state_problems(archive)}
    assert set(found) == {summary, ids["志愿服务活动通知"]}
    assert all("创新特色（加分）" in p.reason for p in found.values())
