"""The offline review round trip through the `zicha` command (issue 4, "What to build" 4 and
"What must be shown"): a clerk's archive, three reviewers on their own PCs with their own key
stores and nothing but the package file, three round trips, every signature checked by OpenSSL
over the documented byte format; and every refusal: exit code != 0, one line on stderr naming
the problem, nothing changed."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import struct
import subprocess
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import (
    OUTSIDER,
    PASSPHRASE,
    CliResult,
    ReviewOffice,
    ZichaCli,
    db_snapshot,
)


def assert_refused(result: CliResult, *needles: str) -> None:
    assert result.returncode != 0, str(result)
    assert len(result.stderr_lines) == 1, str(result)
    assert result.stderr.count("\n") == 1, str(result)
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, str(result)
    for needle in needles:
        assert needle in result.stderr, str(result)


@dataclass
class Desk:
    """The clerk's archive (a copy of the review office) and everybody's commands."""

    cli: ZichaCli
    office: ReviewOffice
    root: Path
    base: Path

    @property
    def ids(self) -> dict[str, int]:
        return self.office.ids

    def clerk(self, *args: str | int | Path) -> CliResult:
        person = self.cli.as_person("经办人甲", self.office.homes["经办人甲"])
        return person.run(*map(str, args), "--archive", self.root)

    def online(self, name: str, *args: str | int | Path) -> CliResult:
        """`name` at the clerk's PC, with their own key store."""
        person = self.cli.as_person(name, self.office.homes[name])
        return person.run(*map(str, args), "--archive", self.root).succeeded()

    def reviewer(self, name: str, package: Path, *args: str | int,
                 passphrase: str = PASSPHRASE) -> tuple[CliResult, Path]:
        """`name` on their own PC: a folder holding nothing but a copy of the package, their own
        key store, no archive. Returns the result and the decisions file it was to write."""
        pc = self.base / f"{name}的电脑"
        pc.mkdir(parents=True, exist_ok=True)
        shutil.copy(package, pc / package.name)
        person = self.cli.as_person(name, self.office.homes[name], cwd=pc, passphrase=passphrase)
        out = pc / f"{name}的决定.json"
        return person.run("package", "review", package.name, "--as", name, *map(str, args),
                          "--out", out.name), out

    def reviewers_at_once(self, cases: Sequence[tuple[str, Path, Sequence[str | int], str]]
                          ) -> list[tuple[CliResult, Path]]:
        """Several (name, package, args, passphrase) reviews, each on a PC of its own (the
        reviewer's side has no archive, so nothing to lock)."""
        running = []
        for n, (name, package, args, passphrase) in enumerate(cases):
            pc = self.base / f"pc-{n}"
            pc.mkdir()
            shutil.copy(package, pc / "审核包.zip")
            person = self.cli.as_person(name, self.office.homes[name], cwd=pc,
                                        passphrase=passphrase)
            call = ["package", "review", "审核包.zip", "--as", name, *map(str, args),
                    "--out", "决定.json"]
            running.append((person.run(*call), pc / "决定.json"))
        return running

    def signed(self, name: str, package: Path, *args: str | int) -> Path:
        result, out = self.reviewer(name, package, *args)
        result.succeeded()
        return out


@pytest.fixture
def desk(zicha_cli: ZichaCli, review_office: ReviewOffice, tmp_path: Path) -> Desk:
    return Desk(zicha_cli, review_office, review_office.copy(tmp_path / "档案"), tmp_path)


@dataclass
class Exported:
    """The clerk exported the 初审 package (方案, 通知, 记录); 初审甲 approved 方案 and rejected
    通知 with a comment, in `decisions`. `before` is db_snapshot(root) at that point."""

    desk: Desk
    package: Path
    decisions: Path
    before: dict[str, Any]

    def apply(self, decisions: Path) -> CliResult:
        return self.desk.clerk("package", "apply", decisions)

    def assert_unchanged(self) -> None:
        assert db_snapshot(self.desk.root) == self.before


@pytest.fixture(scope="module")
def _exported(review_office: ReviewOffice, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("exported")
    desk = Desk(ZichaCli(base, base), review_office, review_office.copy(base / "档案"), base)
    package = base / "初审.zip"
    desk.clerk("package", "export", "--stage", "first", "--out", package).succeeded()
    decisions = desk.signed("初审甲", package, "--approve", review_office.ids["方案"],
                            "--reject", review_office.ids["通知"], "--comment", "缺少盖章页")
    return desk.root, package, decisions


@pytest.fixture
def exported(zicha_cli: ZichaCli, review_office: ReviewOffice, tmp_path: Path,
             _exported: tuple[Path, Path, Path]) -> Exported:
    root, package, decisions = _exported
    shutil.copytree(root, tmp_path / "档案", symlinks=True)
    desk = Desk(zicha_cli, review_office, tmp_path / "档案", tmp_path)
    shutil.copy(package, tmp_path / package.name)
    shutil.copy(decisions, tmp_path / "决定.json")
    return Exported(desk, tmp_path / package.name, tmp_path / "决定.json",
                    db_snapshot(desk.root))


# -- helpers that make bad files -------------------------------------------------------------

def rewrite_zip(src: Path, dst: Path, *, doc: Callable[[dict], None] | None = None,
                replace: dict[str, bytes] | None = None,
                add: Sequence[tuple[str, bytes]] = ()) -> Path:
    """A copy of the package `src` with package.json changed by `doc`, members replaced, or
    members added (names written exactly as given)."""
    with zipfile.ZipFile(src) as zin:
        members = {i.filename: zin.read(i) for i in zin.infolist()}
    if doc is not None:
        data = json.loads(members["package.json"])
        doc(data)
        members["package.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")
    members.update(replace or {})
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in [*members.items(), *add]:
            zout.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return dst


def patch_declared_size(path: Path, member: str, size: int) -> None:
    """Make the ZIP's headers (local and central) claim `member` inflates to `size` bytes."""
    data = bytearray(path.read_bytes())
    name = member.encode("utf-8")
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + offset:at + offset + 4] = struct.pack("<I", size)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def file_members(package: Path) -> list[str]:
    with zipfile.ZipFile(package) as zf:
        return [n for n in zf.namelist() if n.startswith("files/")]


def rewrite_decisions(src: Path, dst: Path, change: Callable[[dict], None]) -> Path:
    doc = json.loads(src.read_text(encoding="utf-8"))
    change(doc)
    dst.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return dst


def outsider_key(office: ReviewOffice):  # -> Ed25519PrivateKey
    from cryptography.hazmat.primitives import serialization

    record = json.loads((office.homes[OUTSIDER] / "keys" / f"{OUTSIDER}.json")
                        .read_text(encoding="utf-8"))
    return serialization.load_pem_private_key(record["private_key"].encode("ascii"),
                                              PASSPHRASE.encode("utf-8"))


def canonical(data: Any) -> bytes:  # schema/decision-format.md, written out again here
    return json.dumps(data, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


# -- an independent Ed25519 verifier ----------------------------------------------------------

def _openssl_has_rawin() -> bool:
    if shutil.which("openssl") is None:
        return False
    probe = subprocess.run(["openssl", "pkeyutl", "-help"], capture_output=True, text=True,
                           check=False)
    return "-rawin" in probe.stdout + probe.stderr


def independent_verify(public_key: str, payload: bytes, signature: str, work: Path) -> bool:
    """Check an Ed25519 signature outside Zicha and outside `cryptography`: OpenSSL 3 by the
    steps in schema/decision-format.md, else PyNaCl if it is installed."""
    assert public_key.startswith("ed25519:")
    raw = base64.b64decode(public_key[len("ed25519:"):])
    sig = base64.b64decode(signature)
    if _openssl_has_rawin():
        work.mkdir(parents=True, exist_ok=True)
        (work / "spki.der").write_bytes(bytes.fromhex("302a300506032b6570032100") + raw)
        (work / "payload.bin").write_bytes(payload)
        (work / "sig.bin").write_bytes(sig)
        subprocess.run(["openssl", "pkey", "-pubin", "-inform", "DER", "-in", "spki.der",
                        "-out", "pub.pem"], cwd=work, check=True, capture_output=True)
        result = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                                 "pub.pem", "-rawin", "-in", "payload.bin", "-sigfile",
                                 "sig.bin"], cwd=work, capture_output=True, text=True,
                                check=False)
        return result.returncode == 0 and "Signature Verified Successfully" in result.stdout
    try:
        import nacl.exceptions
        import nacl.signing
    except ImportError:
        pytest.fail("No independent Ed25519 implementation to check the signatures with: "
                    "install OpenSSL 3 (openssl pkeyutl -rawin) or PyNaCl (pip install pynacl)")
    try:
        nacl.signing.VerifyKey(raw).verify(payload, sig)
        return True
    except nacl.exceptions.BadSignatureError:
        return False


# -- the round trip ---------------------------------------------------------------------------

def test_three_offline_round_trips_to_final_approval(desk: Desk) -> None:
    ids, clerk_dir = desk.ids, desk.base / "经办人的U盘"
    clerk_dir.mkdir()
    plan, notice, record = ids["方案"], ids["通知"], ids["记录"]
    rounds = [("first", "初审甲", ["--approve", plan, "--reject", notice, "--comment",
                                  "缺少盖章页"], [plan, notice, record]),
              ("second", "复审人", ["--approve", plan, "--comment", "同意上报"], [plan]),
              ("final", "终审人", ["--approve", plan], [plan])]
    for stage, reviewer, decide, awaiting in rounds:
        package = clerk_dir / f"{stage}.zip"
        made = desk.clerk("package", "export", "--stage", stage, "--out", package, "--json")
        assert made.succeeded().json()["materials"] == awaiting

        result, out = desk.reviewer(reviewer, package, *decide, "--json")
        signed = result.succeeded().json()
        pc = out.parent
        # the reviewer's PC: the package, the decisions file, and no archive anywhere
        assert sorted(os.listdir(pc)) == sorted([package.name, out.name])
        assert not (desk.base / "xdg-data" / "zicha").exists()
        assert len(signed["decisions"]) == sum(a in ("--approve", "--reject") for a in decide)

        back = clerk_dir / f"{stage}-决定.json"
        shutil.copy(out, back)
        # the whole file is signed too: every field but `signature`, canonical, by the reviewer
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert doc["format"] == "zicha-decisions/2"
        whole = canonical({k: v for k, v in doc.items() if k != "signature"})
        assert independent_verify(desk.office.public_keys[reviewer], whole, doc["signature"],
                                  desk.base / f"verify-file-{stage}")
        report = desk.clerk("package", "apply", back, "--json").succeeded().json()
        assert report["reviewer"] == reviewer
        assert {a["id"]: a["state"] for a in report["applied"]} == (
            {plan: "first_approved", notice: "returned"} if stage == "first"
            else {plan: {"second": "second_approved", "final": "final_approved"}[stage]})

    states = {m["id"]: m["state"] for m in desk.cli.ok_json("list", "--archive", desk.root)}
    assert states == {plan: "final_approved", notice: "returned", record: "submitted",
                      ids["草稿"]: "draft"}
    history = desk.cli.ok_json("history", plan, "--archive", desk.root)
    assert [(h["stage"], h["reviewer"], h["ok"]) for h in history] == [
        ("first", "初审甲", True), ("second", "复审人", True), ("final", "终审人", True)]
    [rejected] = desk.cli.ok_json("history", notice, "--archive", desk.root)
    assert (rejected["verdict"], rejected["comment"], rejected["ok"]) == (
        "reject", "缺少盖章页", True)

    # every signature, checked by another Ed25519 implementation over the documented bytes
    import sqlite3

    conn = sqlite3.connect((desk.root / "zicha.db").as_uri() + "?mode=ro", uri=True)
    rows = conn.execute("SELECT material_id, payload, signature, hash FROM decision "
                        "ORDER BY id").fetchall()
    conn.close()
    assert len(rows) == 4
    prev: dict[int, str] = {}
    for n, (material_id, text, signature, digest) in enumerate(rows):
        body = text.encode("utf-8")
        data = json.loads(body)
        assert canonical(data) == body  # the canonical form, byte for byte
        assert data["format"] == "zicha-decision/2"
        # the audit log head the review package recorded (an anchor), as {seq, hash}
        assert set(data["audit_head"]) == {"seq", "hash"} and data["audit_head"]["seq"] > 0
        assert hashlib.sha256(body).hexdigest() == digest
        assert data["prev"] == prev.get(material_id, "")
        prev[material_id] = digest
        name = data["reviewer"]["name"]
        assert data["reviewer"]["public_key"] == desk.office.public_keys[name]
        title = next(t for t, i in ids.items() if i == material_id)
        source = desk.office.sources[title].read_bytes()
        assert [f["sha256"] for f in data["material"]["files"]] == [
            hashlib.sha256(source).hexdigest()]
        assert independent_verify(data["reviewer"]["public_key"], body, signature,
                                  desk.base / f"verify-{n}")
        # and the verifier does say no to a changed payload
        changed = body.replace(b'"verdict":"', b'"verdict":"x')
        assert not independent_verify(data["reviewer"]["public_key"], changed, signature,
                                      desk.base / f"verify-{n}-changed")


# -- refusals on the reviewer's side (no archive) ---------------------------------------------

def _random_bytes(pkg: Path, dst: Path) -> Path:
    dst.write_bytes(os.urandom(3000))
    return dst


def _plain_zip(pkg: Path, dst: Path) -> Path:
    with zipfile.ZipFile(dst, "w") as zf:
        zf.writestr("说明.txt", "这不是审核包")
    return dst


def _other_json(pkg: Path, dst: Path) -> Path:
    dst.write_text(json.dumps({"format": "zicha-export/1", "materials": []}), encoding="utf-8")
    return dst


def _zip_of_other_format(pkg: Path, dst: Path) -> Path:
    return rewrite_zip(pkg, dst, doc=lambda d: d.update(format="bagit/1.0"))


def _newer_version(pkg: Path, dst: Path) -> Path:
    return rewrite_zip(pkg, dst, doc=lambda d: d.update(format="zicha-review-package/2"))


def _incomplete(pkg: Path, dst: Path) -> Path:
    return rewrite_zip(pkg, dst, doc=lambda d: d.pop("manifest"))


def _decisions_file(pkg: Path, dst: Path) -> Path:
    shutil.copy(pkg.parent / "决定.json", dst)
    return dst


def _dotdot(pkg: Path, dst: Path) -> Path:
    return rewrite_zip(pkg, dst, add=[("../../.bashrc", b"echo pwned")])


def _absolute(pkg: Path, dst: Path) -> Path:
    return rewrite_zip(pkg, dst, add=[("/etc/cron.d/zicha", b"* * * * * root true")])


def _backslash(pkg: Path, dst: Path) -> Path:
    return rewrite_zip(pkg, dst, add=[("files\\..\\..\\evil.exe", b"MZ")])


def _bomb_ratio(pkg: Path, dst: Path) -> Path:
    zeros = bytes(8 << 20)
    return rewrite_zip(pkg, dst, add=[(f"files/{hashlib.sha256(zeros).hexdigest()}", zeros)])


def _bomb_declared(pkg: Path, dst: Path) -> Path:
    name = f"files/{'0' * 64}"
    rewrite_zip(pkg, dst, add=[(name, b"x" * 100)])
    patch_declared_size(dst, name, 3 << 30)
    return dst


def _bomb_lying(pkg: Path, dst: Path) -> Path:
    """package.json says it is 200 bytes; it inflates to 8 MB."""
    with zipfile.ZipFile(pkg) as zin:
        body = zin.read("package.json")
    rewrite_zip(pkg, dst, replace={"package.json": body + b" " * (8 << 20)})
    patch_declared_size(dst, "package.json", 200)
    return dst


def _altered_file(pkg: Path, dst: Path) -> Path:
    member = file_members(pkg)[0]
    with zipfile.ZipFile(pkg) as zin:
        data = bytearray(zin.read(member))
    data[len(data) // 2] ^= 0xFF
    return rewrite_zip(pkg, dst, replace={member: bytes(data)})


def _unlisted_file(pkg: Path, dst: Path) -> Path:
    extra = b"not in the manifest"
    return rewrite_zip(pkg, dst, add=[(f"files/{hashlib.sha256(extra).hexdigest()}", extra)])


BAD_PACKAGES = {
    "random bytes": (_random_bytes, ["不是审核包", "不是 ZIP"]),
    "a plain zip": (_plain_zip, ["不是审核包", "没有 package.json"]),
    "JSON of another format": (_other_json, ["不是审核包"]),
    "a zip with JSON of another format": (_zip_of_other_format, ["不是审核包", "format"]),
    "a newer package version": (_newer_version, ["zicha-review-package/2", "不认识"]),
    "an incomplete package.json": (_incomplete, ["内容有误", "manifest"]),
    "a decisions file": (_decisions_file, ["不是审核包", "决定文件"]),
    "../ in a member name": (_dotdot, ["不安全的文件名", "../"]),
    "an absolute member name": (_absolute, ["不安全的文件名", "绝对路径"]),
    "a backslash in a member name": (_backslash, ["不安全的文件名", "反斜杠"]),
    "a zip bomb (ratio)": (_bomb_ratio, ["压缩比", "压缩炸弹"]),
    "a zip bomb (declared size)": (_bomb_declared, ["超过 2 GB", "压缩炸弹"]),
    "a zip bomb (lying size)": (_bomb_lying, ["package.json", "已损坏"]),
    "an altered file": (_altered_file, ["哈希不符", "文件被改动"]),
    "a file not in the manifest": (_unlisted_file, ["清单之外"]),
}


def test_the_reviewer_refuses_what_is_not_a_sound_package(exported: Exported) -> None:
    desk, made = exported.desk, exported.desk.base / "bad"
    made.mkdir()
    cases = [("初审甲", make(exported.package, made / f"{n}.zip"), ["--approve", desk.ids["方案"]],
              PASSPHRASE) for n, (make, _) in enumerate(BAD_PACKAGES.values())]
    results = desk.reviewers_at_once(cases)
    for (case, (_, needles)), (result, out) in zip(BAD_PACKAGES.items(), results, strict=True):
        result.args = [case]
        assert_refused(result, *needles)
        assert not out.exists(), case


def test_the_reviewer_refuses_decisions_the_rules_forbid(exported: Exported) -> None:
    ids = exported.desk.ids
    refusals = [
        # somebody the package's roster does not know
        (OUTSIDER, ["--approve", ids["方案"]], ["审核包的名册中没有 冒充者"]),
        # 初审乙 does 初审 for 市文明办 only
        ("初审乙", ["--approve", ids["方案"]], ["初审乙", "市委宣传部", "初审权限"]),
        # 王经办 submitted 记录
        ("王经办", ["--approve", ids["记录"]], ["不能审核自己提交的材料"]),
        ("初审甲", ["--reject", ids["方案"]], ["退回时必须写明原因"]),
        ("初审甲", ["--approve", ids["草稿"]], [f"材料 #{ids['草稿']} 不在这个审核包里"]),
        ("初审甲", ["--approve", ids["方案"], "--reject", ids["方案"], "--comment", "x"],
         ["既要通过又要退回"]),
        ("初审甲", ["--comment", "都看过了"], ["没有要做的决定"]),
    ]
    cases = [(name, exported.package, args, PASSPHRASE) for name, args, _ in refusals]
    cases.append(("初审甲", exported.package, ["--approve", ids["方案"]], "不是这个口令"))
    needles = [n for _, _, n in refusals] + [["口令不对"]]
    for (result, out), expected in zip(exported.desk.reviewers_at_once(cases), needles,
                                       strict=True):
        assert_refused(result, *expected)
        assert not out.exists()

    # a decisions file already there (perhaps not delivered yet) is never overwritten
    pc = exported.desk.base / "初审甲的电脑"
    pc.mkdir()
    (pc / "初审甲的决定.json").write_text("上一次的决定", encoding="utf-8")
    result, out = exported.desk.reviewer("初审甲", exported.package, "--approve", ids["方案"])
    assert_refused(result, "已存在", "不会覆盖")
    assert out.read_text(encoding="utf-8") == "上一次的决定"


# -- refusals on the clerk's side -------------------------------------------------------------

def test_a_valid_decisions_file_applies_once(exported: Exported) -> None:
    ids = exported.desk.ids
    report = exported.apply(exported.decisions).succeeded()
    assert f"#{ids['方案']}" in report.stdout and "待复审" in report.stdout
    assert "已退回" in report.stdout and "缺少盖章页" in report.stdout
    after = db_snapshot(exported.desk.root)
    assert_refused(exported.apply(exported.decisions), "已应用过")
    assert db_snapshot(exported.desk.root) == after
    # the audit log names the package and the decisions file it applied
    doc = json.loads(exported.decisions.read_text(encoding="utf-8"))
    applied = [row for row in after["audit_entry"] if row[3] == "package.apply"]
    assert len(applied) == 1
    assert doc["decisions_id"] in applied[0][5] and doc["package_id"] in applied[0][5]


def _forge_comment(doc: dict) -> None:
    """Change the signed comment of the last decision, and fix up its hash."""
    entry = doc["decisions"][-1]
    entry["payload"] = entry["payload"].replace("缺少盖章页", "同意")
    entry["hash"] = hashlib.sha256(entry["payload"].encode("utf-8")).hexdigest()


def _flip_signature(doc: dict) -> None:
    entry = doc["decisions"][-1]
    sig = bytearray(base64.b64decode(entry["signature"]))
    sig[5] ^= 0x01
    entry["signature"] = base64.b64encode(bytes(sig)).decode("ascii")


def _change_hash(doc: dict) -> None:
    doc["decisions"][0]["hash"] = hashlib.sha256(b"something else").hexdigest()


@pytest.mark.parametrize(("change", "needles"), [
    (_forge_comment, ["签名无效"]),
    (_flip_signature, ["签名无效"]),
    (_change_hash, ["整体签名无效", "整份拒绝"]),
], ids=["altered payload", "altered signature", "altered hash"])
def test_an_altered_decisions_file_is_refused(exported: Exported, change, needles) -> None:
    bad = rewrite_decisions(exported.decisions, exported.desk.base / "改过.json", change)
    assert_refused(exported.apply(bad), *needles)
    exported.assert_unchanged()  # the other, intact decision was not applied either


def test_a_signature_by_another_key_is_refused(exported: Exported) -> None:
    """Somebody re-signs 初审甲's decision (with a new comment) with a key of their own."""
    key = outsider_key(exported.desk.office)

    def forge(doc: dict) -> None:
        entry = doc["decisions"][0]
        data = json.loads(entry["payload"])
        data["verdict"], data["comment"] = "approve", "我说可以"
        body = canonical(data)
        entry["payload"] = body.decode("utf-8")
        entry["signature"] = base64.b64encode(key.sign(body)).decode("ascii")
        entry["hash"] = hashlib.sha256(body).hexdigest()

    bad = rewrite_decisions(exported.decisions, exported.desk.base / "伪造.json", forge)
    assert_refused(exported.apply(bad), "签名无效", "初审甲")
    exported.assert_unchanged()


def test_a_reviewer_the_archive_does_not_know_is_refused(exported: Exported) -> None:
    """The package's roster was edited to add an outsider as 初审: the reviewer's side cannot
    tell, the archive checks its own roster."""
    desk = exported.desk

    def add_outsider(doc: dict) -> None:
        doc["roster"].append({"name": OUTSIDER, "department": "市委宣传部", "roles": ["first"],
                              "public_key": desk.office.public_keys[OUTSIDER]})

    tampered = rewrite_zip(exported.package, desk.base / "改过的包.zip", doc=add_outsider)
    decisions = desk.signed(OUTSIDER, tampered, "--approve", desk.ids["方案"])
    assert_refused(exported.apply(decisions), "审核人 冒充者 不在本档案名册中")
    exported.assert_unchanged()


def test_a_reviewer_without_the_role_is_refused(exported: Exported) -> None:
    """The package's roster was edited to make 复审人 an 初审 reviewer."""
    desk = exported.desk

    def promote(doc: dict) -> None:
        doc["roster"].append({"name": "复审人", "department": "市文明办", "roles": ["first"],
                              "public_key": desk.office.public_keys["复审人"]})

    tampered = rewrite_zip(exported.package, desk.base / "改过的包.zip", doc=promote)
    decisions = desk.signed("复审人", tampered, "--approve", desk.ids["方案"])
    assert_refused(exported.apply(decisions), "复审人", "市委宣传部", "初审权限")
    exported.assert_unchanged()


def test_a_decision_for_the_wrong_stage_is_refused(exported: Exported) -> None:
    """全能人 signs 初审 offline while 初审甲 already did 初审 at the clerk's PC."""
    desk = exported.desk
    late = desk.signed("全能人", exported.package, "--approve", desk.ids["方案"])
    desk.online("初审甲", "review", desk.ids["方案"], "--as", "初审甲", "--approve")
    before = db_snapshot(desk.root)
    assert_refused(exported.apply(late), "等待复审", "不能做初审", "按顺序")
    assert db_snapshot(desk.root) == before


def test_decisions_on_a_material_changed_since_are_refused(exported: Exported) -> None:
    """方案 was returned, changed and resubmitted after the package was made: 初审甲's decision
    covers what it was, so nothing of the file is applied (通知 neither: all or none)."""
    desk, plan = exported.desk, exported.desk.ids["方案"]
    desk.online("全能人", "review", plan, "--as", "全能人", "--reject", "--comment", "换一版")
    desk.online("经办人甲", "edit", plan, "--title", "方案（第二版）")
    desk.online("经办人甲", "submit", plan, "--as", "经办人甲")
    before = db_snapshot(desk.root)
    assert_refused(exported.apply(exported.decisions), f"材料 #{plan}", "已过期")
    assert db_snapshot(desk.root) == before


def test_decisions_over_altered_package_content_are_refused(exported: Exported) -> None:
    """package.json was edited (a title): the reviewer signed what the archive never held."""
    desk = exported.desk

    def retitle(doc: dict) -> None:
        doc["materials"][0]["facts"]["title"] = "另一份材料"

    tampered = rewrite_zip(exported.package, desk.base / "改过的包.zip", doc=retitle)
    decisions = desk.signed("初审甲", tampered, "--approve", desk.ids["方案"])
    assert_refused(exported.apply(decisions), "作废", "文件或信息与签名时不同")
    exported.assert_unchanged()


def test_a_decisions_file_for_another_archive_is_refused(exported: Exported) -> None:
    desk = exported.desk
    other = desk.base / "另一个档案"
    other_id = desk.cli.ok_json("init", "--archive", other, "--name", "邻市档案")["archive_id"]
    before = db_snapshot(other)
    result = desk.cli.run("package", "apply", exported.decisions, "--archive", other)
    assert_refused(result, "属于另一个档案", "邻市档案")
    # claiming the other archive in the file's header does not help: the header is signed
    # with the rest of the file (and the payloads say which archive they were made for)
    relabelled = rewrite_decisions(exported.decisions, desk.base / "改过.json",
                                   lambda d: d["archive"].update(id=other_id))
    result = desk.cli.run("package", "apply", relabelled, "--archive", other)
    assert_refused(result, "整份拒绝")
    assert db_snapshot(other) == before


@pytest.mark.parametrize(("make", "needles"), [
    (lambda e, dst: shutil.copy(e.package, dst), ["ZIP", "不是决定文件"]),
    (lambda e, dst: dst.write_bytes(os.urandom(500)), ["不是决定文件"]),
    (lambda e, dst: dst.write_text('{"format": "zicha-profile/1"}', encoding="utf-8"),
     ["不是决定文件", "format"]),
    (lambda e, dst: dst.write_text('{"format": "zicha-decisions/2", "decisions": []}',
                                   encoding="utf-8"), ["内容有误"]),
    (lambda e, dst: dst.write_text('{"format": "zicha-decisions/1", "decisions": []}',
                                   encoding="utf-8"), ["zicha-decisions/1", "没有整体签名",
                                                       "重新审核签名"]),
], ids=["a review package", "random bytes", "JSON of another format", "incomplete",
        "the old format"])
def test_apply_refuses_what_is_not_a_decisions_file(exported: Exported, make, needles) -> None:
    bad = exported.desk.base / "不是决定.json"
    make(exported, bad)
    assert_refused(exported.apply(bad), *needles)
    exported.assert_unchanged()


def test_package_files_are_content_addressed_and_listed(exported: Exported) -> None:
    with zipfile.ZipFile(exported.package) as zf:
        doc = json.loads(zf.read("package.json"))
        names = zf.namelist()
        contents = {n: zf.read(n) for n in names if n.startswith("files/")}
    assert doc["format"] == "zicha-review-package/1" and doc["stage"] == "first"
    assert sorted(names) == sorted(["package.json", *[e["path"] for e in doc["manifest"]]])
    for entry in doc["manifest"]:
        data = contents[entry["path"]]
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (entry["sha256"], entry["size"])
    assert [m["facts"]["title"] for m in doc["materials"]] == [
        "方案", "关于开展志愿服务活动的通知", "记录"]  # the DOCX names itself
    # who may do 初审 of these (市委宣传部, 市文明办) and the submitters; nobody else
    assert sorted(p["name"] for p in doc["roster"]) == sorted(
        ["经办人甲", "王经办", "初审甲", "初审乙", "全能人"])
    schema = json.loads((Path(__file__).resolve().parents[2] / "schema"
                         / "review-package.schema.json").read_text(encoding="utf-8"))
    import jsonschema

    jsonschema.validate(doc, schema)
    decisions = json.loads(exported.decisions.read_text(encoding="utf-8"))
    jsonschema.validate(decisions, {**schema["$defs"]["decisions"], "$defs": schema["$defs"]})
