"""The offline review round trip (issue 4, DESIGN.md §6): review packages and decisions files.

    zicha package export   clerk      archive -> review package: one ZIP holding package.json
                                      (schema/review-package.schema.json) and files/<sha256>
    zicha package review   reviewer   review package -> decisions file, signed with the
                                      reviewer's own key, each decision and the file as a whole
                                      (zicha-decisions/2); no archive on the reviewer's side
    zicha package apply    clerk      decisions file -> archive: verified against the archive
                                      itself, applied all or none (decisions.apply_signed)

Everything that arrives from elsewhere (a package, a decisions file) is read through
read_untrusted() first: member names, sizes, compression ratio, JSON and its schema, all refused
with a one-line reason before anything else looks at the content.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from desktop.core.archive import audit, marks
from desktop.core.archive.archive import DB_NAME
from desktop.core.archive.kinds import ReviewState, Role
from desktop.core.archive.models import Decision, Material, Person, SubmissionGap
from desktop.core.common import atomic
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Progress, as_progress
from desktop.core.common.zipsafety import MAX_RATIO, inflates_like_a_bomb, unsafe_name
from desktop.core.review import decisions, keys, roster, workflow

PACKAGE_FORMAT = "zicha-review-package/1"
DECISIONS_FORMAT = "zicha-decisions/2"
# decisions files of /1 signed each decision but not the file: who sent it and which decisions
# it holds were unsigned. They are refused with a message saying so (see _parse).
OLD_DECISIONS_FORMAT = "zicha-decisions/1"
PACKAGE_JSON = "package.json"
SCHEMA_NAME = "review-package.schema.json"

# what a package may hold: beyond these it is refused as a zip bomb, before anything is inflated
MAX_TOTAL = 2 * 1024**3  # declared uncompressed bytes of all members together
MAX_MEMBERS = 100_000
MAX_JSON = 64 * 1024**2  # package.json, or a whole decisions file
CHUNK = 1 << 20

STAGES = (Role.FIRST.value, Role.SECOND.value, Role.FINAL.value)
AWAITING = {stage.value: state for state, stage in workflow.STAGE_AWAITED.items()}
if TYPE_CHECKING:
    from desktop.core.archive.archive import Archive

_FILE_MEMBER = re.compile(r"^files/[0-9a-f]{64}$")
_WHAT = {PACKAGE_FORMAT: "审核包", DECISIONS_FORMAT: "决定文件"}


class PackageError(ZichaError):
    pass


def _stage_label(stage: str) -> str:
    return decisions.STAGE_NAMES.get(stage, stage)


def _now() -> str:
    return decisions.utc_now()


# -- reading what came from elsewhere ---------------------------------------------------------

@dataclass
class Untrusted:
    """A package or decisions file that passed read_untrusted(): its JSON document (checked
    against the schema), the bytes it was parsed from and, for a package, the open ZIP."""

    path: Path
    doc: dict[str, Any]
    raw: bytes
    zip: zipfile.ZipFile | None = None
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def read_untrusted(path: Path, expected: str) -> Untrusted:
    """Open a file that came from elsewhere as `expected` (PACKAGE_FORMAT or DECISIONS_FORMAT):
    the one door for both, so every reader gets the same checks and the same clear refusals."""
    path = Path(path)
    what = _WHAT[expected]
    label = f"{what} {path.name}"
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
        size = path.stat().st_size
    except FileNotFoundError:
        raise PackageError(f"找不到{what} {path}") from None
    except IsADirectoryError:
        raise PackageError(f"{path} 是文件夹，不是{what}") from None
    except OSError as exc:
        raise PackageError(f"无法读取 {path}: {exc.strerror or exc}") from None
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if expected != PACKAGE_FORMAT:
            raise PackageError(f"{path.name} 是一个 ZIP 文件（审核包？），不是决定文件；"
                               "只能应用审核人审核签名后交回的决定文件",
                               hint="决定文件由审核人用 zicha package review 写出")
        zf, members = open_package_zip(path, label)
        try:
            info = members.get(PACKAGE_JSON)
            if info is None:
                raise PackageError(f"{path.name} 不是审核包：ZIP 中没有 {PACKAGE_JSON}")
            if info.file_size > MAX_JSON:
                raise PackageError(f"{label} 的 {PACKAGE_JSON} 超过 {MAX_JSON >> 20} MB，"
                                   "拒绝打开")
            raw = b"".join(member_chunks(zf, info, label))
            doc = _parse(raw, expected, label)
            strays = [n for n in members if n != PACKAGE_JSON and not _FILE_MEMBER.match(n)]
            if strays:
                raise PackageError(f"{label} 中有不属于审核包的文件 {strays[0]!r}，拒绝打开")
        except BaseException:
            zf.close()
            raise
        return Untrusted(path, doc, raw, zf, members)
    if size > MAX_JSON:
        raise PackageError(f"{path.name} 不是{what}（{size} 字节，远超{what}的大小）")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackageError(f"无法读取 {path}: {exc.strerror or exc}") from None
    if expected == PACKAGE_FORMAT:
        other = _sniff(raw)
        if other in (DECISIONS_FORMAT, OLD_DECISIONS_FORMAT):
            raise PackageError(f"{path.name} 不是审核包（这是审核后的决定文件，应在档案一侧应用）",
                               hint="用 zicha package apply 应用")
        raise PackageError(f"{path.name} 不是审核包（不是 ZIP 文件）")
    return Untrusted(path, _parse(raw, expected, label), raw)


def _sniff(raw: bytes) -> str | None:
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return doc.get("format") if isinstance(doc, dict) else None


def _parse(raw: bytes, expected: str, label: str) -> dict[str, Any]:
    what = _WHAT[expected]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PackageError(f"{label} 不是{what}（不是 UTF-8 文本）") from None
    try:
        doc = json.loads(text)
    except RecursionError:
        raise PackageError(f"{label} 不是{what}（JSON 嵌套过深）") from None
    except ValueError as exc:
        where = f"第 {exc.lineno} 行" if isinstance(exc, json.JSONDecodeError) else ""
        raise PackageError(f"{label} 不是{what}（{where}不是有效的 JSON）") from None
    found = doc.get("format") if isinstance(doc, dict) else None
    if found == OLD_DECISIONS_FORMAT and expected == DECISIONS_FORMAT:
        raise PackageError(f"{label} 是旧版 Zicha 写的 {OLD_DECISIONS_FORMAT} 格式：审核人和"
                           "决定的完整集合没有整体签名，不能确认未被改动，因此不能应用；"
                           "请审核人用新版 Zicha 重新审核签名这个审核包")
    if found != expected:
        if found in _WHAT:
            raise PackageError(f"{label} 是{_WHAT[found]}，不是{what}")
        family = expected.rsplit("/", 1)[0] + "/"
        if isinstance(found, str) and found.startswith(family):
            raise PackageError(f"{label} 的版本 {found} 本程序不认识（只认 {expected}）；"
                               "请升级 Zicha")
        raise PackageError(f"{label} 不是{what}（format 应为 {expected}）")
    _validate(doc, expected, label)
    return doc


def _validate(doc: dict[str, Any], expected: str, label: str) -> None:
    import jsonschema

    schema = json.loads((resources.files("desktop.schema") / SCHEMA_NAME)
                        .read_text(encoding="utf-8"))
    if expected == DECISIONS_FORMAT:
        schema = {**schema["$defs"]["decisions"], "$defs": schema["$defs"]}
    try:
        jsonschema.validate(doc, schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "顶层"
        raise PackageError(f"{label} 内容有误（{where}: {exc.message[:200]}）") from None


def open_package_zip(path: Path, label: str) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise PackageError(f"{label} 已损坏，无法作为 ZIP 打开（{exc}）") from None
    try:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise PackageError(f"{label} 有 {len(infos)} 个成员，超过上限 {MAX_MEMBERS}")
        members: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            for name in (info.orig_filename, info.filename):
                if (reason := unsafe_name(name)) is not None:
                    raise PackageError(f"{label} 中有不安全的文件名 {name!r}（{reason}），"
                                       "拒绝打开")
            if info.filename in members:
                raise PackageError(f"{label} 中文件名 {info.filename!r} 出现了两次，拒绝打开")
            if info.flag_bits & 0x1:
                raise PackageError(f"{label} 中的 {info.filename} 被加密，拒绝打开")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise PackageError(f"{label} 中的 {info.filename} 用了不支持的压缩方式")
            total += info.file_size
            if info.file_size > MAX_TOTAL or total > MAX_TOTAL:
                raise PackageError(f"{label} 声明解压后超过 {MAX_TOTAL >> 30} GB"
                                   "（疑似压缩炸弹），拒绝打开")
            if inflates_like_a_bomb(info):
                raise PackageError(f"{label} 中的 {info.filename} 压缩比超过 {MAX_RATIO}:1"
                                   "（疑似压缩炸弹），拒绝打开")
            members[info.filename] = info
        return zf, members
    except BaseException:
        zf.close()
        raise


def member_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> Iterator[bytes]:
    """A member's bytes, never more than its declared size."""
    read = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                read += len(chunk)
                if read > info.file_size:
                    raise PackageError(f"{label} 中的 {info.filename} 解压后超过声明的大小"
                                       "（疑似压缩炸弹），拒绝打开")
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise PackageError(f"{label} 中的 {info.filename} 已损坏（{exc}）") from None
    if read != info.file_size:
        raise PackageError(f"{label} 中的 {info.filename} 已损坏（长度与声明不符）")


# -- the reviewer's side: opening a package --------------------------------------------------

class ReviewPackage:
    """An opened, fully checked review package: every file matched its manifest hash, every
    earlier decision verified. Use as a context manager, or close()."""

    def __init__(self, untrusted: Untrusted) -> None:
        self._u = untrusted
        doc = untrusted.doc
        self.path = untrusted.path
        self.package_id: str = doc["package_id"]
        self.stage: str = doc["stage"]
        self.archive: dict[str, str] = doc["archive"]
        self.created_at: str = doc["created_at"]
        self.roster: list[dict[str, Any]] = doc["roster"]
        self.materials: list[dict[str, Any]] = doc["materials"]
        self.manifest: list[dict[str, Any]] = doc["manifest"]
        # the archive's audit log head when the package was made; every decision signed from
        # the package carries it (None: a package made before anchors existed)
        self.audit_head: dict[str, Any] | None = doc.get("audit_head")
        self.sha256 = hashlib.sha256(untrusted.raw).hexdigest()
        self.label = f"审核包 {self.path.name}"

    def __enter__(self) -> ReviewPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._u.close()

    def material(self, material_id: int) -> dict[str, Any] | None:
        return next((m for m in self.materials if number(m) == material_id), None)

    def person(self, name: str) -> dict[str, Any] | None:
        return next((p for p in self.roster if p["name"] == name), None)

    def file_bytes(self, sha256: str) -> bytes:
        """One file's content (for a viewer), checked against its hash again."""
        info = self._u.members.get(f"files/{sha256}")
        if info is None or self._u.zip is None:
            raise PackageError(f"{self.label} 中没有文件 {sha256}")
        data = b"".join(member_chunks(self._u.zip, info, self.label))
        if hashlib.sha256(data).hexdigest() != sha256:
            raise PackageError(f"{self.label} 中的文件 {sha256[:12]}… 与清单中的哈希不符")
        return data

    def check(self) -> None:
        self._check_files()
        self._check_materials()

    def _check_files(self) -> None:
        zf, members = self._u.zip, self._u.members
        assert zf is not None
        listed: dict[str, dict[str, Any]] = {}
        for entry in self.manifest:
            if entry["path"] != f"files/{entry['sha256']}" or entry["path"] in listed:
                raise PackageError(f"{self.label} 的清单有误（{entry['path']}）")
            listed[entry["path"]] = entry
        present = {n for n in members if n != PACKAGE_JSON}
        if extra := sorted(present - set(listed)):
            raise PackageError(f"{self.label} 中有清单之外的文件 {extra[0]}，拒绝使用此包")
        if missing := sorted(set(listed) - present):
            raise PackageError(f"{self.label} 缺少清单中的文件 {missing[0]}")
        for name, entry in listed.items():
            info = members[name]
            if info.file_size != entry["size"]:
                raise PackageError(f"{self.label} 中的文件 {name} 大小与清单不符（文件被改动），"
                                   "拒绝使用此包")
            digest = hashlib.sha256()
            for chunk in member_chunks(zf, info, self.label):
                digest.update(chunk)
            if digest.hexdigest() != entry["sha256"]:
                raise PackageError(f"{self.label} 中的文件 {name} 与清单中的哈希不符"
                                   "（文件被改动），拒绝使用此包")

    def _check_materials(self) -> None:
        sizes = {e["sha256"]: e["size"] for e in self.manifest}
        seen: set[int] = set()
        signed: set[tuple[str, int]] = set()
        for m in self.materials:
            facts = m["facts"]
            where = f"{self.label} 中的材料 #{number(m)}"
            # a material brought by a 报送包 is named by where it was made (its origin), so
            # facts["archive"] may be another archive's: the reviewer picks it by `number`
            if number(m) in seen or (facts["archive"], facts["id"]) in signed:
                raise PackageError(f"{where} 在包中出现了两次，此包已损坏或被改动")
            seen.add(number(m))
            signed.add((facts["archive"], facts["id"]))
            for f in facts["files"]:
                if sizes.get(f["sha256"]) != f["size"]:
                    raise PackageError(f"{where} 的文件 {f['name']} 不在包中或大小不符")
            if not _marks_agree(m.get("marks"), facts.get("marks")):
                raise PackageError(f"{where} 所附的红线标注与要签名的不符（被改动），"
                                   "拒绝使用此包")
            prev = decisions.GENESIS
            for n, d in enumerate(m["decisions"], 1):
                body = d["payload"].encode("utf-8")
                try:
                    data = json.loads(body)
                    public_key = data["reviewer"]["public_key"]
                    ok = (hashlib.sha256(body).hexdigest() == d["hash"]
                          and data["prev"] == prev
                          and data["material"]["id"] == facts["id"]
                          and keys.verify(public_key, body, d["signature"]))
                except (ValueError, KeyError, TypeError):
                    ok = False
                if not ok:
                    raise PackageError(f"{where} 的第 {n} 条既往审核记录无法验证（被改动），"
                                       "拒绝使用此包")
                prev = d["hash"]


def _marks_agree(listed: Any, signed: Any) -> bool:
    """Whether the marks a package shows the reviewer are those its facts make them sign."""
    if not listed and not signed:
        return True
    try:
        return (isinstance(signed, dict) and isinstance(listed, list)
                and signed.get("count") == len(listed)
                and signed.get("sha256") == marks.digest(listed))
    except (KeyError, TypeError, ValueError):
        return False


def open_package(path: Path) -> ReviewPackage:
    """Open a review package for reviewing: read_untrusted(), then every file's hash against
    the manifest and every earlier decision's signature and chain."""
    package = ReviewPackage(read_untrusted(Path(path), PACKAGE_FORMAT))
    try:
        package.check()
    except BaseException:
        package.close()
        raise
    return package


def _actor(entry: dict[str, Any]) -> workflow.Actor:
    grants = tuple(roster.parse_role(r) for r in entry["roles"])
    return workflow.Actor(entry["name"], entry["department"] or None, grants)


@dataclass(frozen=True)
class Choice:
    """One decision a reviewer wants to sign: approve or reject one material, with a comment."""

    material_id: int
    verdict: str
    comment: str = ""


MAX_COMMENTS_FILE = 1024**2
_SEPARATORS = re.compile(r"[\t:：]")


def split_choice(value: int | str) -> tuple[int, str | None]:
    """"7" -> (7, None); "7:字体异常" (or "7：字体异常") -> (7, "字体异常")."""
    if isinstance(value, int):
        return value, None
    text = value.strip()
    found = _SEPARATORS.search(text)
    number, comment = (text[:found.start()], text[found.end():].strip()) if found else (text, None)
    material_id = _material_id(number)
    if material_id is None:
        raise PackageError(f"“{value}” 不是材料编号；应写成 7 或 7:意见（编号:意见）")
    if comment == "":
        raise PackageError(f"“{value}” 的冒号后没有意见；不写意见就只写编号 {material_id}")
    return material_id, comment


def _material_id(text: str) -> int | None:
    text = text.strip().lstrip("#")
    try:
        number = int(text)
    except ValueError:
        return None
    return number if number > 0 and text.isdigit() else None


def read_comments(path: Path) -> dict[int, str]:
    """A reviewer's comments file: one `ID<Tab>意见` or `ID:意见` per line, UTF-8 or GB18030;
    blank lines and lines starting with # are skipped. Refused naming the line that is wrong."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_COMMENTS_FILE:
            raise PackageError(f"意见文件 {path} 有 {size} 字节，不像意见文件"
                               f"（上限 {MAX_COMMENTS_FILE >> 20} MB）")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PackageError(f"找不到意见文件 {path}") from None
    except IsADirectoryError:
        raise PackageError(f"{path} 是文件夹，不是意见文件") from None
    except OSError as exc:
        raise PackageError(f"无法读取意见文件 {path}: {exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise PackageError(f"意见文件 {path} 不是文本（应为 UTF-8 或 GB18030 编码）")
    found: dict[int, str] = {}
    where: dict[int, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        sep = _SEPARATORS.search(line)
        material_id = _material_id(line[:sep.start()]) if sep else None
        if sep is None or material_id is None:
            shown = line if len(line) <= 30 else line[:30] + "…"
            raise PackageError(f"意见文件 {path.name} 第 {number} 行“{shown}”格式不对："
                               "每行应为 材料编号、Tab 或冒号、意见，如 7:字体异常")
        comment = line[sep.end():].strip()
        if not comment:
            raise PackageError(f"意见文件 {path.name} 第 {number} 行（材料 #{material_id}）"
                               "没有写意见")
        if material_id in found:
            raise PackageError(f"意见文件 {path.name} 第 {number} 行：材料 #{material_id} "
                               f"在第 {where[material_id]} 行已有意见；每份材料只写一行")
        found[material_id] = comment
        where[material_id] = number
    return found


def choices(approve: Sequence[int | str], reject: Sequence[int | str], comment: str = "",
            comments: dict[int, str] | None = None) -> list[Choice]:
    """The command line's form: some materials approved, some rejected, each with its own
    comment ("7:字体异常", or a line of the comments file) or the run's `comment`.

    The run's comment never lands on a decision it was not meant for: if any rejection has no
    comment of its own, `comment` is the reason of those rejections and the approvals without
    their own comment carry none; otherwise (no rejection lacks a comment) it is the comment of
    the approvals without their own."""
    comments = comments or {}
    own: dict[int, str] = {}
    picked: dict[int, str] = {}
    for verdict, values in ((workflow.APPROVE, approve), (workflow.REJECT, reject)):
        for value in values:
            material_id, text = split_choice(value)
            if picked.get(material_id, verdict) != verdict:
                raise PackageError(f"材料 #{material_id} 既要通过又要退回；请只选一种")
            if text is not None:
                if material_id in comments:
                    raise PackageError(f"材料 #{material_id} 的意见既写在编号后又写在意见文件中；"
                                       "请只写一处")
                if own.get(material_id, text) != text:
                    raise PackageError(f"材料 #{material_id} 写了两条不同的意见；请只写一条")
                own[material_id] = text
            picked[material_id] = verdict
    for material_id in comments:
        if material_id not in picked:
            raise PackageError(f"意见文件中有材料 #{material_id}，但没有指定通过还是退回它",
                               hint=f"用 --approve {material_id} 或 --reject {material_id} 指定")
    own.update(comments)
    bare_rejections = any(v == workflow.REJECT and m not in own for m, v in picked.items())
    fallback = workflow.REJECT if bare_rejections else workflow.APPROVE
    ordered = sorted(picked.items(), key=lambda mv: mv[1] != workflow.APPROVE)
    return [Choice(m, v, own.get(m, comment if v == fallback else "")) for m, v in ordered]


def number(entry: dict[str, Any]) -> int:
    """The number a reviewer picks a package's material by: its number in the archive that
    wrote the package (`number`), which for a material brought by a 报送包 differs from the
    number its signatures name (`facts.id`, in its origin archive). Packages written before
    `number` existed name materials by `facts.id` alone."""
    value: int = entry.get("number", entry["facts"]["id"])
    return value


def review_package(package: ReviewPackage, name: str, wanted: Sequence[Choice],
                   unlock: Callable[[], Ed25519PrivateKey]) -> dict[str, Any]:
    """The decisions file (a dict, format zicha-decisions/1) of `name` deciding `wanted`.
    Every rule is checked first, with the package's roster and each material's recorded
    history, as decisions.decide() checks them on the archive; only then is the key unlocked
    (`unlock()`) and each decision signed by decisions.sign_decision(). Materials of the package
    not in `wanted` stay undecided."""
    if not wanted:
        raise PackageError("没有要做的决定：请指定要通过或退回的材料",
                           hint="用 --approve ID 或 --reject ID 指定")
    if len({c.material_id for c in wanted}) != len(wanted):
        raise PackageError("同一份材料只能做一个决定")
    entry = package.person(name)
    if entry is None:
        raise PackageError(f"审核包的名册中没有 {name}（包中只列出可做"
                           f"{_stage_label(package.stage)}的人员、提交人和既往审核人）")
    actor = _actor(entry)
    plans = []
    for choice in wanted:
        m = package.material(choice.material_id)
        if m is None:
            inside = "、".join(f"#{number(x)}" for x in package.materials)
            raise PackageError(f"材料 #{choice.material_id} 不在这个审核包里（包中有 {inside}）")
        earlier = [json.loads(d["payload"]) for d in m["decisions"]]
        decided = decisions.stages_decided_by((e["reviewer"]["name"], e["stage"]) for e in earlier)
        try:
            decisions.check_verdict(choice.verdict, choice.comment)
            workflow.check_decision(actor, choice.verdict, m["state"], package.stage,
                                    m["facts"]["department"], m["submitted_by"], decided)
        except ZichaError as exc:
            raise PackageError(f"材料 #{choice.material_id}：{exc}", hint=exc.hint) from None
        prev = m["decisions"][-1]["hash"] if m["decisions"] else decisions.GENESIS
        plans.append((m, choice, prev))
    key = unlock()
    if keys.public_text(key.public_key()) != entry["public_key"]:
        raise PackageError(f"解锁的密钥与审核包名册中 {name} 的公钥不符")
    decided_at = _now()
    signed_rows = []
    for m, choice, prev in plans:
        signed = decisions.sign_decision(key, m["facts"], m["review_round"], package.stage,
                                         choice.verdict, choice.comment, name,
                                         entry["public_key"], prev, decided_at,
                                         audit_head=package.audit_head)
        signed_rows.append({"material": m["facts"]["id"], "verdict": choice.verdict,
                          "payload": signed.payload.decode("utf-8"),
                          "signature": signed.signature, "hash": signed.hash})
    doc = {"format": DECISIONS_FORMAT, "decisions_id": str(uuid.uuid4()),
           "package_id": package.package_id, "package_sha256": package.sha256,
           "archive": package.archive, "stage": package.stage,
           "reviewer": {"name": name, "public_key": entry["public_key"]},
           "created_at": decided_at, "audit_head": package.audit_head,
           "decisions": signed_rows}
    doc["signature"] = keys.sign(key, signed_bytes(doc))
    return doc


def signed_bytes(doc: dict[str, Any]) -> bytes:
    """What the signature of a decisions file covers: the whole file, every field but
    `signature` itself, as canonical JSON (schema/decision-format.md)."""
    return decisions.canonical({k: v for k, v in doc.items() if k != "signature"})


def write_decisions(doc: dict[str, Any], out: Path) -> None:
    """Write a decisions file; never over an existing file (it may hold signed decisions not
    yet delivered, or be the package itself)."""
    out = Path(out)
    if out.exists():
        raise PackageError(f"{out} 已存在；不会覆盖（请换一个文件名）")
    _write_atomically(out, json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"),
                      overwrite=False)


def _write_atomically(out: Path, data: bytes, *, overwrite: bool = True) -> None:
    if out.is_dir():
        raise PackageError(f"{out} 是文件夹；请给出文件名")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise atomic.write_failed(exc, out, needed=len(data)) from None
    atomic.write_bytes(out, data, overwrite=overwrite)


# -- the clerk's side: export and apply -------------------------------------------------------

@dataclass(frozen=True)
class ExportReport:
    package_id: str
    stage: str
    out: str
    materials: list[int]
    files: int
    bytes: int

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def export_package(archive: Archive, stage: str, out: Path, *, actor: str | None = None,
                   progress: Progress | None = None) -> ExportReport:
    """Write the review package of every material awaiting `stage` to `out` (one ZIP).
    `progress` steps once per file copied in; cancelled, nothing is left at `out`, nothing is
    logged, and Cancelled is raised."""
    steps = as_progress(progress)
    if stage not in STAGES:
        raise PackageError(f"未知的审核阶段 {stage}；可用: {', '.join(STAGES)}")
    out = Path(out)
    if out.is_dir():
        raise PackageError(f"{out} 是文件夹；请给出审核包的文件名")
    info = archive.info()
    package_id = str(uuid.uuid4())
    with (atomic.undone_on_failure(archive.root / DB_NAME) as published,
          archive.write(actor) as (session, log)):
        materials = list(session.scalars(select(Material).where(
            Material.state == AWAITING[stage]).order_by(Material.id)))
        if not materials:
            raise PackageError(f"没有等待{_stage_label(stage)}的材料，不生成空的审核包")
        entries, blobs, names = [], {}, set()
        departments = {m.department.name if m.department else None for m in materials}
        for m in materials:
            history = list(session.scalars(select(Decision).where(Decision.material_id == m.id)
                                           .order_by(Decision.id)))
            names.add(m.submitted_by)
            names.update(d.reviewer for d in history)
            for f in m.files:
                blobs[f.sha256] = f.blob.size
            facts = decisions.material_facts(info["archive_id"], m)
            entry: dict[str, Any] = {
                "facts": facts, "number": m.id,
                "review_round": m.review_round, "submitted_by": m.submitted_by,
                "state": str(m.state),
                "decisions": [{"payload": d.payload, "signature": d.signature, "hash": d.hash}
                              for d in history],
                # 红线标注, which the reviewer sees and signs (facts.marks is their digest)
                **({"marks": marks.marks_json(m)} if m.marks else {})}
            gaps = session.get(SubmissionGap, (m.id, m.review_round))
            if gaps is not None:  # submitted despite gaps in its 材料清单: the reviewer sees them
                entry["submit_gaps"] = json.loads(gaps.gaps)
            entries.append(entry)
        reviewers = []
        for p in session.scalars(select(Person).order_by(Person.id)):
            may = any(g.role == stage and (g.department is None
                                           or g.department.name in departments)
                      for g in p.grants)
            if may or p.name in names:
                reviewers.append(roster.person_view(p).to_json())
        total = sum(blobs.values())
        if total > MAX_TOTAL:
            raise PackageError(f"这些材料的文件共 {total >> 20} MB，超过审核包上限 "
                               f"{MAX_TOTAL >> 30} GB；请分批提交审核")
        doc = {"format": PACKAGE_FORMAT, "package_id": package_id,
               "archive": {"id": info["archive_id"], "name": info.get("name", "")},
               "stage": stage, "created_at": _now(), "created_by": log.actor,
               "audit_head": audit.head(session).to_json(),
               "roster": reviewers, "materials": entries,
               "manifest": [{"path": f"files/{sha}", "sha256": sha, "size": size}
                            for sha, size in sorted(blobs.items())]}
        tmp = _write_zip(archive, out, doc, blobs, steps)
        try:
            log("package.export", f"package:{package_id}",
                {"stage": stage, "materials": [m.id for m in materials], "files": len(blobs),
                 "out": str(out)})
            tmp.commit()
            published.append(tmp)  # removed again if the commit of the log fails
        except BaseException:
            tmp.discard()
            raise
    return ExportReport(package_id, stage, str(out), [m.id for m in materials], len(blobs),
                        out.stat().st_size)


def _write_zip(archive: Archive, out: Path, doc: dict[str, Any], blobs: dict[str, int],
               progress: Progress) -> atomic.AtomicFile:
    """package.json (deflated) and the files (stored: they are mostly compressed already, and
    stored members never look like a zip bomb to the reader), in a temporary file next to out,
    complete and on the disk; the caller commits it (renames it to `out`) or discards it."""
    body = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise atomic.write_failed(exc, out) from None
    target = atomic.AtomicFile(out, needed=len(body) + sum(blobs.values()) + 4096)
    try:
        with target.open() as fh, zipfile.ZipFile(fh, "w") as zf:
            zf.writestr(PACKAGE_JSON, body, compress_type=zipfile.ZIP_DEFLATED)
            for n, (sha, size) in enumerate(sorted(blobs.items())):
                progress.check("导出审核包已取消，没有留下不完整的审核包")
                digest, length = hashlib.sha256(), 0
                with (archive.store.path_for(sha).open("rb") as src,
                      zf.open(zipfile.ZipInfo(f"files/{sha}"), "w") as dst):
                    while chunk := _read_stored(src):
                        digest.update(chunk)
                        length += len(chunk)
                        dst.write(chunk)
                if digest.hexdigest() != sha or length != size:
                    raise PackageError(f"档案中的文件 {sha[:12]}… 已损坏（哈希不符）；"
                                       "请先检查档案", hint="用 zicha verify 检查")
                progress.step(n + 1, len(blobs))
        return target
    except FileNotFoundError:
        target.discard()
        raise PackageError("档案中缺少材料的文件；请先检查档案",
                           hint="用 zicha verify 检查") from None
    except _StoredUnreadable as exc:
        target.discard()
        raise PackageError(f"档案中的文件读不出来（{exc.error.strerror or exc.error}）；"
                           "请先检查档案", hint="用 zicha verify 检查") from None
    except OSError as exc:  # writing the package: disk full, I/O error …
        raise target.failed(exc) from None
    except BaseException:
        target.discard()
        raise


class _StoredUnreadable(Exception):
    def __init__(self, error: OSError) -> None:
        self.error = error


def _read_stored(src: BinaryIO) -> bytes:
    try:
        return src.read(CHUNK)
    except OSError as exc:
        raise _StoredUnreadable(exc) from exc


@dataclass(frozen=True)
class ApplyReport:
    decisions_id: str
    package_id: str
    reviewer: str
    applied: list[decisions.AppliedDecision]

    def to_json(self) -> dict[str, Any]:
        return {"decisions_id": self.decisions_id, "package_id": self.package_id,
                "reviewer": self.reviewer, "applied": [a.to_json() for a in self.applied]}


def apply_decisions(archive: Archive, path: Path, *, actor: str | None = None) -> ApplyReport:
    """Verify a decisions file against this archive and apply it, all or none."""
    path = Path(path)
    untrusted = read_untrusted(path, DECISIONS_FORMAT)
    doc = untrusted.doc
    info = archive.info()
    if doc["archive"]["id"] != info["archive_id"]:
        raise PackageError(f"决定文件 {path.name} 属于另一个档案「{doc['archive']['name']}」，"
                           f"不是本档案「{info.get('name', '')}」")
    _check_signed_whole(archive, doc, path.name)
    via = {"package": doc["package_id"], "decisions_file": doc["decisions_id"],
           "reviewer": doc["reviewer"]["name"], "file": path.name,
           "signature_sha256": hashlib.sha256(doc["signature"].encode("ascii")).hexdigest()}
    applied = decisions.apply_signed(
        archive, [(d["payload"], d["signature"], d["hash"]) for d in doc["decisions"]],
        actor=actor, via=via)
    return ApplyReport(doc["decisions_id"], doc["package_id"], doc["reviewer"]["name"], applied)


def _check_signed_whole(archive: Archive, doc: dict[str, Any], filename: str) -> None:
    """The file's own signature, by the roster's key of the reviewer it names, over all of it;
    and every decision in it one that reviewer signed for this file's package, stage and
    archive. Anything else refuses the whole file before a single decision is looked at."""
    label = f"决定文件 {filename}"
    name = doc["reviewer"]["name"]
    with archive.read() as session:
        person = session.scalars(select(Person).where(Person.name == name)).first()
        key = person.public_key if person is not None else None
    if key is None:
        raise PackageError(f"{label} 的审核人 {name} 不在本档案名册中；整份拒绝，未应用任何决定")
    if not keys.verify(key, signed_bytes(doc), doc["signature"]):
        raise PackageError(f"{label} 的整体签名无效：不是名册中 {name} 的密钥所签，或签名后"
                           "被改动（如改了审核人、删去或增加了决定）；整份拒绝，未应用任何决定")
    if doc["reviewer"]["public_key"] != key:
        raise PackageError(f"{label} 所列公钥与名册中 {name} 的公钥不符；整份拒绝")
    seen: set[tuple[str, int]] = set()
    for n, entry in enumerate(doc["decisions"], 1):
        try:
            data = json.loads(entry["payload"])
            signed_as = (data["material"]["archive"], data["material"]["id"])
            same = (data["material"]["id"] == entry["material"]
                    and signed_as not in seen and data["verdict"] == entry["verdict"]
                    and data["stage"] == doc["stage"]
                    and data["reviewer"] == doc["reviewer"]
                    and data.get("audit_head") == doc["audit_head"])
        except (ValueError, KeyError, TypeError):
            same = False
        if not same:
            raise PackageError(f"{label} 的第 {n} 条决定与文件所述的审核人、阶段或材料不一致；"
                               "整份拒绝，未应用任何决定")
        seen.add(signed_as)


def state_label(state: str) -> str:
    return workflow.STATE_LABELS[ReviewState(state)]
