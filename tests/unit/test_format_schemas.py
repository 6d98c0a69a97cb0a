"""The JSON Schemas of what leaves the machine (schema/export-manifest.schema.json,
schema/decision-payload.schema.json) agree with what the code writes and reads: a real export
of a real archive with real signatures validates; a missing or mistyped field is rejected, and
the readers (四性检测, the decisions reader) refuse what the schema rejects."""

from __future__ import annotations

import copy
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from unittest import mock

import jsonschema
import pytest
from sqlalchemy import select

from desktop.core.archive.archive import Archive
from desktop.core.archive.models import Decision
from desktop.core.common.errors import ZichaError
from desktop.core.export import bag
from desktop.core.export.plan import archive_rules, make_plan
from desktop.core.export.verify import verify_export
from desktop.core.review import decisions, keys
from tests.conftest import REVIEW_PASS, build_reviewed_archive

SCHEMA = Path(__file__).resolve().parents[2] / "schema"


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


MANIFEST = _validator("export-manifest.schema.json")
PAYLOAD = _validator("decision-payload.schema.json")


def _errors(validator: jsonschema.Draft202012Validator, doc: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(doc)]


class Written:
    """One reviewed archive (with a 退回) and its exports, built once for the module."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.final = root / "终审通过.zip"
        self.draft = root / "草稿.zip"
        self.payloads: list[str] = []  # as stored: the signed text


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Written]:
    w = Written(tmp_path_factory.mktemp("schemas"))
    ids = build_reviewed_archive(w.root / "档案", w.home, w.root / "files")
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(w.home), "ZICHA_USER": "经办人甲"}), \
            Archive.open(w.root / "档案") as archive:
        decisions.decide(archive, ids["尚在初审的工作总结"], "初审乙", "reject", "请补充文号",
                         keys.load_private("初审乙", REVIEW_PASS))
        bag.write_export(archive, make_plan(archive, archive_rules(archive)), w.final)
        merged = replace(archive_rules(archive), merged_pdf=True)
        bag.write_export(archive, make_plan(archive, merged, all_stages=True), w.draft)
        with archive.read() as session:
            w.payloads = list(session.scalars(select(Decision.payload).order_by(Decision.id)))
    yield w


def _manifest(export: Path) -> dict[str, Any]:
    with zipfile.ZipFile(export) as zf:
        [name] = [n for n in zf.namelist() if n.endswith("/" + bag.MANIFEST_JSON)]
        return json.loads(zf.read(name).decode("utf-8"))


def _rewrite_manifest(export: Path, out: Path, doc: Any) -> Path:
    """A copy of the export whose manifest.json is `doc` (every other member unchanged)."""
    with zipfile.ZipFile(export) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("/" + bag.MANIFEST_JSON):
                data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
            dst.writestr(info, data)
    return out


# -- the export manifest ----------------------------------------------------------------------

def test_the_manifests_the_exports_write_validate(written: Written) -> None:
    final, draft = _manifest(written.final), _manifest(written.draft)
    assert _errors(MANIFEST, final) == []
    assert _errors(MANIFEST, draft) == []
    # the fixture reaches every branch the writer has: draft and final, a returned material
    # left out, every file role, the decisions carried with their payloads
    assert final["draft"] is False and draft["draft"] is True
    assert {f["role"] for f in draft["files"]} == {"material", "form", "catalogue", "merged"}
    assert any(i["not_ready"] for i in final["items"])
    assert "returned" in {m["state"] for m in draft["materials"]}
    for m in draft["materials"]:
        for d in m["decisions"]:
            assert _errors(PAYLOAD, json.loads(d["payload"])) == []


@pytest.mark.parametrize(("change", "where"), [
    (lambda d: d.pop("audit_head"), "audit_head"),
    (lambda d: d.pop("format"), "format"),
    (lambda d: d.update(format="zicha-export/2"), "format"),
    (lambda d: d.update(draft="false"), "draft"),
    (lambda d: d.update(created_at="2024-05-20 10:00"), "created_at"),
    (lambda d: d["rules"].update(max_file_mb="10"), "rules/max_file_mb"),
    (lambda d: d["materials"][0].pop("decisions"), "materials/0"),
    (lambda d: d["materials"][0].update(id="1"), "materials/0/id"),
    (lambda d: d["materials"][0]["decisions"][0].update(hash="abc"),
     "materials/0/decisions/0/hash"),
    (lambda d: d["files"][0].pop("sha256"), "files/0"),
    (lambda d: d["files"][0].update(size=-1), "files/0/size"),
    (lambda d: d["files"][0].update(role="payload"), "files/0/role"),
    (lambda d: d["items"][0].update(tasks=None), "items/0/tasks"),
    (lambda d: d["roster"][0].update(public_key="ssh-ed25519 AAAA"), "roster/0/public_key"),
])
def test_the_manifest_schema_rejects_a_missing_or_mistyped_field(written: Written, change,  # type: ignore[no-untyped-def]
                                                                 where: str) -> None:
    doc = copy.deepcopy(_manifest(written.final))
    change(doc)
    errors = _errors(MANIFEST, doc)
    assert any(where in e for e in errors), errors


@pytest.mark.parametrize("change", [
    lambda d: d.update(format="zicha-export/2"),
    lambda d: d.pop("files"),
    lambda d: d.update(materials={}),
    lambda d: d.update(items="01.01"),
    lambda d: d.pop("roster"),
])
def test_what_the_export_check_refuses_to_read_the_schema_rejects(written: Written, change,  # type: ignore[no-untyped-def]
                                                                  tmp_path: Path) -> None:
    doc = _manifest(written.final)
    assert verify_export(written.final).ok
    changed = copy.deepcopy(doc)
    change(changed)
    report = verify_export(_rewrite_manifest(written.final, tmp_path / "改.zip", changed))
    [meta] = [c for c in report.checks if c.code == "3-1"]
    assert any(bag.MANIFEST_JSON in p for p in meta.problems), meta.problems
    assert _errors(MANIFEST, changed)


# -- the decision payload ---------------------------------------------------------------------

def test_every_signed_payload_validates_and_is_read_back(written: Written) -> None:
    assert len(written.payloads) == 16  # 5 materials × 3 stages, one 退回
    verdicts = set()
    for text in written.payloads:
        body, data = text.encode("utf-8"), json.loads(text)
        assert _errors(PAYLOAD, data) == []
        assert decisions._signed_data(body, "测试") == data
        verdicts.add(data["verdict"])
    assert verdicts == {"approve", "reject"}


def test_a_payload_of_format_1_validates_without_audit_head_only(written: Written) -> None:
    data = json.loads(written.payloads[0])
    old = {k: v for k, v in data.items() if k != "audit_head"} | {"format": "zicha-decision/1"}
    assert _errors(PAYLOAD, old) == []
    assert _errors(PAYLOAD, old | {"audit_head": data["audit_head"]})
    assert _errors(PAYLOAD, {k: v for k, v in data.items() if k != "audit_head"})
    assert _errors(PAYLOAD, data | {"audit_head": None}) == []  # signed from an old package


@pytest.mark.parametrize("change", [
    lambda d: d.pop("format"),
    lambda d: d.update(format="zicha-decision/3"),
    lambda d: d.pop("reviewer"),
    lambda d: d["reviewer"].update(name=7),
    lambda d: d["material"].update(id="1"),
    lambda d: d["material"].pop("archive"),
    lambda d: d.update(round="1"),
    lambda d: d.update(stage="初审"),
    lambda d: d.update(comment=None),
    lambda d: d.update(prev=None),
    lambda d: d.update(decided_at="2024-05-20"),
    lambda d: d.update(audit_head={"seq": "1", "hash": "0" * 64}),
])
def test_the_payload_schema_and_the_reader_reject_a_missing_or_mistyped_field(  # type: ignore[no-untyped-def]
        written: Written, change) -> None:
    data = json.loads(written.payloads[0])
    change(data)
    assert _errors(PAYLOAD, data)
    with pytest.raises(ZichaError):
        decisions._signed_data(decisions.canonical(data), "测试")


@pytest.mark.parametrize("change", [
    lambda d: d.update(verdict="maybe"),
    lambda d: d.update(verdict="reject", comment="  "),
    lambda d: d["material"].update(material_date="20.5.2024"),
    lambda d: d["material"]["files"][0].update(sha256="ABC"),
    lambda d: d["material"].update(items="01.01"),
    lambda d: d.update(extra=1),
])
def test_the_payload_schema_rejects_what_a_signer_never_writes(written: Written, change  # type: ignore[no-untyped-def]
                                                               ) -> None:
    data = json.loads(written.payloads[0])
    change(data)
    assert _errors(PAYLOAD, data)


def test_the_profile_schema_knows_every_file_kind_and_export_rule() -> None:
    from desktop.core.common import formats
    from desktop.core.export.model import ExportRules

    profile = json.loads((SCHEMA / "bureau-profile.schema.json").read_text(encoding="utf-8"))
    export = profile["properties"]["export"]["properties"]
    assert export["allowed_formats"]["items"]["enum"] == list(formats.KINDS)
    assert set(export) == set(ExportRules.__dataclass_fields__)
