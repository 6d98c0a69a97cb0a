"""Tampering with what the product vouches for (issue 12, items 1 and 3), through the `zicha`
command on real archives with real signatures; the database is forged with sqlite3 behind the
core's back, exports and decisions files are edited as an attacker would.

Item 1, approval means the current state is the signed state: a final-approved material whose
title (date, 文号, filing, file…) was changed in SQL is not exported as approved — the export is
refused naming the material and the field, `verify --archive` fails naming them, an export that
carries such a material fails `verify EXPORT`, and `history` re-hashes the stored files.
Item 3, decisions files signed whole: an edited reviewer, a file cut down to some of its
decisions or a file of the old unsigned format are refused whole, and nothing is applied."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
from pathlib import Path
from unittest import mock

import pytest

from tests.conftest import (
    CliResult,
    FileBuilder,
    ReviewOffice,
    ZichaCli,
    build_reviewed_archive,
    db_snapshot,
)

PLAN = "文明交通劝导行动方案"  # final-approved, 01.01, one PDF
PHOTO = "文明劝导活动照片"  # final-approved, 03.01, a photo exported as a PDF page
WAITING = "尚在初审的工作总结"  # submitted, not decided


def zicha(cli: ZichaCli, *args: str | int | Path) -> CliResult:
    """`zicha ARGS` through desktop.cli.main() in this process, with `cli`'s environment."""
    from desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (mock.patch.dict(os.environ, cli.env, clear=True),
          contextlib.redirect_stdout(out), contextlib.redirect_stderr(err)):
        code = main([str(a) for a in args])
    return CliResult([str(a) for a in args], code, out.getvalue(), err.getvalue())


def assert_refused(result: CliResult, *needles: str) -> None:
    assert result.returncode != 0, str(result)
    assert len(result.stderr_lines) == 1, str(result)
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, str(result)
    for needle in needles:
        assert needle in result.stderr, str(result)


def forge(root: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(root / "zicha.db")
    try:
        assert conn.execute(sql, params).rowcount >= 1
        conn.commit()
    finally:
        conn.close()


# -- item 1: a final-approved archive, forged in SQL --------------------------------------------

@pytest.fixture(scope="module")
def _reviewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    base = tmp_path_factory.mktemp("tamper")
    ids = build_reviewed_archive(base / "档案", base / "home", base / "files")
    return base / "档案", ids


@pytest.fixture
def reviewed(tmp_path: Path, _reviewed: tuple[Path, dict[str, int]]
             ) -> tuple[Path, dict[str, int]]:
    root, ids = _reviewed
    shutil.copytree(root, tmp_path / "档案", symlinks=True)
    return tmp_path / "档案", ids


def _other_blob(root: Path, material_id: int) -> tuple[str, str]:
    conn = sqlite3.connect(root / "zicha.db")
    try:
        return conn.execute("SELECT sha256, filename FROM material_file WHERE material_id != ? "
                            "LIMIT 1", (material_id,)).fetchone()
    finally:
        conn.close()


# (what the forger changes, the field the refusal names)
FORGERIES = {
    "title": ("UPDATE material SET title = '偷改的标题' WHERE id = ?", "材料名称"),
    "date": ("UPDATE material SET material_date = '2020-01-01' WHERE id = ?", "日期"),
    "doc number": ("UPDATE material SET doc_number = '吴文明〔2024〕99号' WHERE id = ?", "文号"),
    "filing": ("UPDATE filing SET node_code = '01.02' WHERE material_id = ?", "测评内容"),
    "file name": ("UPDATE material_file SET filename = '别的.pdf' WHERE material_id = ?", "文件"),
}


@pytest.mark.parametrize("what", list(FORGERIES))
def test_a_material_changed_in_sql_after_final_approval_is_not_exported(
        zicha_cli: ZichaCli, reviewed, tmp_path: Path, what: str) -> None:  # type: ignore[no-untyped-def]
    root, ids = reviewed
    sql, field = FORGERIES[what]
    plan = ids[PLAN]
    forge(root, sql, plan)
    before = db_snapshot(root)

    out = tmp_path / "申报材料.zip"
    result = zicha(zicha_cli, "export", out, "--archive", root)
    assert_refused(result, f"#{plan}", field, "不能导出", "终审通过")
    assert not out.exists() and not list(tmp_path.glob("申报材料.zip*"))
    assert db_snapshot(root) == before  # not even an audit entry for a refused export

    # the preview says the same, per material, before anything is written
    preview = zicha(zicha_cli, "export", "--preview", "--archive", root)
    assert preview.returncode == 0, str(preview)
    assert f"✗ #{plan}" in preview.stdout and field in preview.stdout

    # the archive check names it too
    checked = zicha(zicha_cli, "verify", "--archive", root, "--json")
    assert checked.returncode != 0, str(checked)
    [state] = [c for c in json.loads(checked.stdout)["checks"] if c["name"] == "审核签名与材料现状"]
    assert not state["ok"] and len(state["problems"]) == 1
    assert f"#{plan}" in state["problems"][0] and field in state["problems"][0]

    # and history, which noticed before, now names what changed
    history = zicha(zicha_cli, "history", plan, "--archive", root, "--json")
    assert history.returncode != 0
    final = json.loads(history.stdout)[-1]
    assert not final["ok"] and field in final["problem"]


def test_a_state_forged_in_sql_is_not_exported(zicha_cli: ZichaCli, reviewed,  # type: ignore[no-untyped-def]
                                               tmp_path: Path) -> None:
    root, ids = reviewed
    forge(root, "UPDATE material SET state = 'final_approved' WHERE id = ?", ids[WAITING])
    out = tmp_path / "申报材料.zip"
    assert_refused(zicha(zicha_cli, "export", out, "--archive", root), f"#{ids[WAITING]}",
                   "终审通过")
    assert not list(tmp_path.glob("申报材料.zip*"))
    checked = zicha(zicha_cli, "verify", "--archive", root)
    assert checked.returncode != 0 and f"#{ids[WAITING]}" in checked.stdout


def test_an_untouched_archive_still_exports_and_verifies(zicha_cli: ZichaCli, reviewed,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path) -> None:
    root, _ids = reviewed
    out = tmp_path / "申报材料.zip"
    result = zicha(zicha_cli, "export", out, "--archive", root, "--json")
    assert result.returncode == 0, str(result)
    assert json.loads(result.stdout)["verify"]["ok"]
    assert zicha(zicha_cli, "verify", "--archive", root).returncode == 0


def test_a_draft_export_of_a_forged_material_fails_its_own_check(zicha_cli: ZichaCli,  # type: ignore[no-untyped-def]
                                                                  reviewed,
                                                                  tmp_path: Path) -> None:
    """--all-stages exports everything (it is a draft), but the forged material is presented
    as final-approved there, so the draft's 四性检测 fails naming it."""
    root, ids = reviewed
    forge(root, FORGERIES["title"][0], ids[PLAN])
    out = tmp_path / "草稿"
    result = zicha(zicha_cli, "export", out, "--folder", "--all-stages", "--archive", root,
                   "--json")
    assert result.returncode != 0, str(result)
    report = json.loads(result.stdout)["verify"]
    [state] = [c for c in report["checks"] if c["code"] == "1-5"]
    assert not state["ok"] and any(f"#{ids[PLAN]}" in p and "材料名称" in p
                                   for p in state["problems"])
    flags = [m["flags"] for i in json.loads(result.stdout)["plan"]["items"]
             for m in i["materials"] if m["id"] == ids[PLAN]]
    assert flags and "材料名称" in flags[0][0]


# -- item 1: an export carrying a forged title, checked on its own ------------------------------

@pytest.fixture(scope="module")
def _exported(tmp_path_factory: pytest.TempPathFactory,
              _reviewed: tuple[Path, dict[str, int]]) -> Path:
    root, _ids = _reviewed
    base = tmp_path_factory.mktemp("tamper-export")
    shutil.copytree(root, base / "档案", symlinks=True)
    out = base / "申报材料"
    result = zicha(ZichaCli(base, base), "export", out, "--folder", "--archive", base / "档案")
    assert result.returncode == 0, str(result)
    return out


@pytest.fixture
def exported(tmp_path: Path, _exported: Path) -> Path:
    shutil.copytree(_exported, tmp_path / "申报材料", symlinks=True)
    return tmp_path / "申报材料"


def _sm3(p: Path) -> str:
    h = hashlib.new("sm3")
    h.update(p.read_bytes())
    return h.hexdigest()


def _rehash_bag(bag: Path) -> None:
    """Rewrite both payload manifests (SHA-256 and SM3) and both tag manifests (and
    Payload-Oxum) to fit the bag as it now is, as a forger covering their tracks would."""
    def sha(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    payload = sorted(p for p in (bag / "data").rglob("*") if p.is_file())
    (bag / "manifest-sha256.txt").write_text(
        "".join(f"{sha(p)}  {p.relative_to(bag).as_posix()}\n" for p in payload),
        encoding="utf-8")
    (bag / "manifest-sm3.txt").write_text(
        "".join(f"{_sm3(p)}  {p.relative_to(bag).as_posix()}\n" for p in payload),
        encoding="utf-8")
    info = (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines()
    oxum = f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
    (bag / "bag-info.txt").write_text("".join(
        (f"Payload-Oxum: {oxum}" if line.startswith("Payload-Oxum") else line) + "\n"
        for line in info), encoding="utf-8")
    tags = [bag / n for n in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt",
                              "manifest-sm3.txt", "zicha/manifest.json",
                              "zicha/audit-log.jsonl")]
    (bag / "tagmanifest-sha256.txt").write_text(
        "".join(f"{sha(p)}  {p.relative_to(bag).as_posix()}\n" for p in tags),
        encoding="utf-8")
    (bag / "tagmanifest-sm3.txt").write_text(
        "".join(f"{_sm3(p)}  {p.relative_to(bag).as_posix()}\n" for p in tags),
        encoding="utf-8")


def _retitle(bag: Path, old: str, new: str, *, rename: bool, catalogue: bool) -> None:
    """What the old export wrote for a material retitled in SQL: the title in manifest.json,
    optionally the file name and the 材料目录 row; then every hash fixed up."""
    manifest = bag / "zicha" / "manifest.json"
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    for m in doc["materials"]:
        if m["title"] == old:
            m["title"] = new
    if rename:
        for f in doc["files"]:
            if old in f["path"]:
                target = f["path"].replace(old, new)
                (bag / f["path"]).rename(bag / target)
                f["path"] = target
    if catalogue:
        import openpyxl

        path = bag / "data" / "材料目录.xlsx"
        book = openpyxl.load_workbook(path)
        for row in book["材料目录"].iter_rows():
            for cell in row:
                if cell.value == old:
                    cell.value = new
        book.save(path)
        for f in doc["files"]:
            if f["path"] == "data/材料目录.xlsx":
                f["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
                f["sm3"] = _sm3(path)
                f["size"] = path.stat().st_size
    manifest.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    _rehash_bag(bag)


@pytest.mark.parametrize(("rename", "catalogue"), [(True, True), (False, False)],
                         ids=["as the old export wrote it", "only the manifest's metadata"])
def test_an_export_carrying_a_forged_title_fails_verify(zicha_cli: ZichaCli, exported: Path,
                                                        rename: bool, catalogue: bool) -> None:
    _retitle(exported, PLAN, "偷改的标题", rename=rename, catalogue=catalogue)
    result = zicha(zicha_cli, "verify", exported, "--json")
    assert result.returncode != 0, str(result)
    report = json.loads(result.stdout)
    failed = {c["code"]: c["problems"] for c in report["checks"] if not c["ok"]}
    assert set(failed) == {"1-5"}, failed  # every hash was fixed up: only the signature sees it
    problems = " ".join(failed["1-5"])
    assert "材料名称" in problems and PLAN in problems
    if rename:
        assert "文件名与签名时的材料信息不符" in problems and "材料目录.xlsx" in problems


def test_an_untouched_export_verifies(zicha_cli: ZichaCli, exported: Path) -> None:
    _rehash_bag(exported)  # the helper itself changes nothing that matters
    result = zicha(zicha_cli, "verify", exported)
    assert result.returncode == 0, str(result)


# -- item 1: history re-hashes the stored files -------------------------------------------------

def test_history_notices_a_flipped_byte_in_a_stored_file(zicha_cli: ZichaCli, reviewed) -> None:  # type: ignore[no-untyped-def]
    root, ids = reviewed
    conn = sqlite3.connect(root / "zicha.db")
    [sha] = conn.execute("SELECT sha256 FROM material_file WHERE material_id = ?",
                         (ids[PLAN],)).fetchone()
    conn.close()
    stored = root / "files" / sha[:2] / sha
    assert zicha(zicha_cli, "history", ids[PLAN], "--archive", root).returncode == 0
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0x01
    os.chmod(stored, 0o644)
    stored.write_bytes(bytes(data))
    result = zicha(zicha_cli, "history", ids[PLAN], "--archive", root, "--json")
    assert result.returncode != 0
    checked = json.loads(result.stdout)
    assert checked and not any(c["ok"] for c in checked)
    assert all("已损坏" in c["problem"] for c in checked)


@pytest.mark.parametrize("title", [PLAN, PHOTO], ids=["a PDF copied", "a photo converted"])
def test_a_flipped_byte_in_a_stored_file_is_not_exported(zicha_cli: ZichaCli, reviewed,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path, title: str) -> None:
    root, ids = reviewed
    conn = sqlite3.connect(root / "zicha.db")
    [(sha, name)] = conn.execute("SELECT sha256, filename FROM material_file "
                                 "WHERE material_id = ?", (ids[title],)).fetchall()
    conn.close()
    stored = root / "files" / sha[:2] / sha
    data = bytearray(stored.read_bytes())
    data[-20] ^= 0x01  # near the end: a JPEG still decodes, a PDF still opens
    os.chmod(stored, 0o644)
    stored.write_bytes(bytes(data))
    out = tmp_path / "申报材料.zip"
    assert_refused(zicha(zicha_cli, "export", out, "--archive", root), name, f"#{ids[title]}",
                   "已损坏")
    assert not list(tmp_path.glob("申报材料.zip*"))


# -- item 3: decisions files signed whole -------------------------------------------------------

class Office:
    """A copy of the review office: the clerk 经办人甲, reviewers on their own key stores."""

    def __init__(self, cli: ZichaCli, office: ReviewOffice, root: Path, base: Path) -> None:
        self.cli, self.office, self.root, self.base = cli, office, root, base

    def as_(self, name: str) -> ZichaCli:
        return self.cli.as_person(name, self.office.homes[name])

    def clerk(self, *args: str | int | Path) -> CliResult:
        return zicha(self.as_("经办人甲"), *args, "--archive", self.root)

    def decisions(self, reviewer: str, *approve: int) -> Path:
        """The clerk's 初审 package, reviewed by `reviewer` approving `approve`."""
        package = self.base / "初审.zip"
        if not package.exists():
            made = self.clerk("package", "export", "--stage", "first", "--out", package)
            assert made.returncode == 0, str(made)
        out = self.base / f"{reviewer}的决定.json"
        result = zicha(self.as_(reviewer), "package", "review", package, "--as", reviewer,
                       *[a for i in approve for a in ("--approve", str(i))], "--out", out)
        assert result.returncode == 0, str(result)
        return out


@pytest.fixture
def office(zicha_cli: ZichaCli, review_office: ReviewOffice, tmp_path: Path) -> Office:
    return Office(zicha_cli, review_office, review_office.copy(tmp_path / "档案"), tmp_path)


def _edit(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    out = path.with_name("改过的" + path.name)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def test_an_edited_reviewer_name_is_refused_and_never_recorded(office: Office) -> None:
    plan = office.office.ids["方案"]
    decisions = office.decisions("初审甲", plan)
    # 初审乙 is in the roster too; the outer name is what the old apply recorded as reviewer
    forged = _edit(decisions, lambda d: d["reviewer"].update(name="初审乙"))
    before = db_snapshot(office.root)
    assert_refused(office.clerk("package", "apply", forged), "整体签名无效", "整份拒绝")
    assert db_snapshot(office.root) == before
    # the intact file applies, and the audit log names the reviewer who signed
    applied = office.clerk("package", "apply", decisions, "--json")
    assert applied.returncode == 0, str(applied)
    rows = db_snapshot(office.root)["audit_entry"]
    assert [json.loads(r[5])["via"]["reviewer"] for r in rows if r[3] == "material.decide"][-1] \
        == "初审甲"


def test_a_decisions_file_cut_down_is_refused_whole(office: Office) -> None:
    """24 decisions signed; the file cut down to 5 of them applies none."""
    files = FileBuilder(office.base / "src")
    sources = [files.pdf(f"第{n:02d}份.pdf", f"创建工作材料第{n}份") for n in range(1, 23)]
    rows = json.loads(office.clerk("import", *sources, "--item", "01", "--department",
                                   "市委宣传部", "--no-ocr", "--json").stdout)
    new = [r["id"] for r in rows]
    assert office.clerk("submit", *new, "--as", "经办人甲").returncode == 0
    wanted = [office.office.ids["方案"], office.office.ids["通知"], *new]
    assert len(wanted) == 24
    decisions = office.decisions("初审甲", *wanted)
    assert len(json.loads(decisions.read_text(encoding="utf-8"))["decisions"]) == 24
    cut = _edit(decisions, lambda d: d.update(decisions=d["decisions"][:5]))
    before = db_snapshot(office.root)
    assert_refused(office.clerk("package", "apply", cut), "整体签名无效", "整份拒绝")
    assert db_snapshot(office.root) == before
    # a decision taken out of the file's list and added back under another's position neither
    reordered = _edit(decisions, lambda d: d["decisions"].reverse())
    assert_refused(office.clerk("package", "apply", reordered), "整体签名无效")
    assert db_snapshot(office.root) == before
    applied = office.clerk("package", "apply", decisions, "--json")
    assert applied.returncode == 0 and len(json.loads(applied.stdout)["applied"]) == 24


def test_a_decisions_file_of_the_old_format_is_refused_with_a_message(office: Office) -> None:
    decisions = office.decisions("初审甲", office.office.ids["方案"])

    def old(doc: dict) -> None:  # type: ignore[type-arg]
        doc["format"] = "zicha-decisions/1"
        doc.pop("signature", None)
        doc.pop("audit_head", None)

    before = db_snapshot(office.root)
    assert_refused(office.clerk("package", "apply", _edit(decisions, old)),
                   "zicha-decisions/1", "没有整体签名", "重新审核签名")
    assert db_snapshot(office.root) == before


def test_a_decisions_file_carries_its_package_s_audit_head(office: Office) -> None:
    """The file and each decision in it anchor the head the review package recorded."""
    decisions = office.decisions("初审甲", office.office.ids["方案"])
    doc = json.loads(decisions.read_text(encoding="utf-8"))
    assert doc["format"] == "zicha-decisions/2" and doc["signature"]
    assert set(doc["audit_head"]) == {"seq", "hash"}
    payload = json.loads(doc["decisions"][0]["payload"])
    assert payload["audit_head"] == doc["audit_head"]
