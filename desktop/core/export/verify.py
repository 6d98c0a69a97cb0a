"""四性检测 (DA/T 70-2018: 真实性、完整性、可用性、安全性) of a written export, ZIP or folder.

Runs on the export alone, with no archive: what it trusts is the Ed25519 signatures inside
zicha/manifest.json and the hashes it recomputes. The ZIP is read in place, never unpacked;
each payload file is streamed once through a temporary copy that the format checks open."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import mmap
import os
import queue
import re
import stat
import tempfile
import threading
import zipfile
import zlib
from abc import ABC, abstractmethod
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import pymupdf

from desktop.core.common import digests
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Progress, as_progress
from desktop.core.common.zipsafety import inflates_like_a_bomb, unsafe_name
from desktop.core.export import stamp, usable
from desktop.core.export.layout import MAX_RELATIVE_PATH, fill_template, safe_name, seq_width
from desktop.core.export.model import (
    AUDIT_JSONL,
    EXPORT_FORMAT,
    MANIFEST_JSON,
    MANIFEST_SM3,
    TAGMANIFEST_SM3,
    Check,
    ExportRules,
    VerifyReport,
)
from desktop.core.materials import safety
from desktop.core.materials.detect import Refused, detect
from desktop.core.materials.detect import check as detect_check
from desktop.core.materials.detect import open_pdf as detect_pdf
from desktop.core.materials.render import release_decoded_images
from desktop.core.review import archival_code as archival
from desktop.core.review import keys

# the archive's own modules (SQLAlchemy) that a few checks use are imported inside them: an
# export is checked without the archive's database layer
CHUNK = 1 << 20
STAGE_ORDER = ("first", "second", "final")
GENESIS = ""  # review.decisions.GENESIS, the `prev` of a chain's first decision (a test keeps
# them equal; importing review.decisions would bring SQLAlchemy along)
SEQ = re.compile(r"^(\d+)(?:-(\d+))?_")
SM3_BACKLOG = 64 << 20  # bytes of copies at most waiting for their SM3


class BagError(ZichaError):
    """The path is not an export at all (no check can run)."""


class _Bag(ABC):
    """Read access to a bag's files by their path relative to the bag root."""

    label: str
    names: list[str]
    unsafe: list[str]  # names that escape the bag or are links
    bombs: list[str]  # members that inflate like a zip bomb

    @abstractmethod
    def size(self, name: str) -> int: ...

    @abstractmethod
    def open(self, name: str) -> IO[bytes]: ...

    @abstractmethod
    def fetch(self, name: str, work: _Scratch) -> tuple[Path, str | None, Callable[[], None]]:
        """The file as a path the format checks can open, its SHA-256 when getting the path
        has read it anyway (None: not read yet), and what to call when the path is no longer
        needed."""

    @abstractmethod
    def same(self, name: str, found: FileCheck) -> bool:
        """Whether the file `name` is where and as large as it was when StreamCheck read it."""

    def close(self) -> None:  # noqa: B027 - a folder has nothing to close
        return None


class _ZipBag(_Bag):
    def __init__(self, path: Path) -> None:
        self.label = path.name
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise BagError(f"{path} 不是可读的 ZIP 导出包（{exc}）") from None
        infos = [i for i in self.zip.infolist() if not i.is_dir()]
        self.unsafe = [i.filename for i in infos if unsafe_name(i.filename)
                       or stat.S_ISLNK(i.external_attr >> 16)]
        roots = {i.filename.split("/", 1)[0] for i in infos if "/" in i.filename}
        root = next((r for r in roots if f"{r}/bagit.txt" in self.zip.NameToInfo), None)
        if root is None:
            raise BagError(f"{path.name} 不是 BagIt 导出包：ZIP 中没有 <包名>/bagit.txt")
        self.root = root
        self.infos = {i.filename[len(root) + 1:]: i for i in infos
                      if i.filename.startswith(root + "/")}
        self.names = sorted(self.infos)
        self.unsafe += [i.filename for i in infos if not i.filename.startswith(root + "/")]
        self.bombs = [n for n, i in self.infos.items() if inflates_like_a_bomb(i)]

    def size(self, name: str) -> int:
        return self.infos[name].file_size

    def open(self, name: str) -> IO[bytes]:
        return self.zip.open(self.infos[name])

    def fetch(self, name: str, work: _Scratch) -> tuple[Path, str | None, Callable[[], None]]:
        """A temporary copy, hashed on the way (the ZIP is read once; zipfile checks the
        member's CRC-32 as it reads); in memory when it fits there."""
        target = work.new_path(self.size(name), PurePosixPath(name).suffix.lower())
        try:
            try:
                sha = self._copy(name, target)
            except OSError:
                if target.parent == work.disk:
                    raise
                target.unlink(missing_ok=True)  # the memory folder is full: on the disk then
                target = work.new_path(None, target.suffix)
                sha = self._copy(name, target)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target, sha, lambda: target.unlink(missing_ok=True)

    def _copy(self, name: str, target: Path) -> str:
        digest = hashlib.sha256()
        with self.open(name) as src, open(target, "wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
        return digest.hexdigest()

    def same(self, name: str, found: FileCheck) -> bool:
        info = self.infos[name]
        return (found.offset, found.compressed, found.size, found.crc) == (
            info.header_offset, info.compress_size, info.file_size, info.CRC)

    def close(self) -> None:
        self.zip.close()


class _FolderBag(_Bag):
    def __init__(self, path: Path) -> None:
        self.label = path.name
        if not (path / "bagit.txt").is_file():
            raise BagError(f"{path} 不是 BagIt 导出包：文件夹中没有 bagit.txt")
        self.root = path
        self.names, self.unsafe, self.bombs = [], [], []
        for item in sorted(path.rglob("*")):
            rel = item.relative_to(path).as_posix()
            if item.is_symlink():
                self.unsafe.append(rel)
            elif item.is_file():
                self.names.append(rel)

    def size(self, name: str) -> int:
        return (self.root / name).stat().st_size

    def open(self, name: str) -> IO[bytes]:
        return open(self.root / name, "rb")

    def fetch(self, name: str, work: _Scratch) -> tuple[Path, str | None, Callable[[], None]]:
        return self.root / name, None, lambda: None  # the file itself: nothing to copy

    def same(self, name: str, found: FileCheck) -> bool:
        return found.offset is None and self.size(name) == found.size


class _Scratch:
    """Where a ZIP's members are copied for the format checks: a folder in memory (Linux's
    /dev/shm) for a file up to IN_MEMORY bytes, so the copies cost no disk writes; the
    system's temporary folder for larger ones, and where there is no such folder."""

    IN_MEMORY = 64 << 20

    def __init__(self, stack: ExitStack) -> None:
        self.disk = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="zicha-verify-")))
        self.memory: Path | None = None
        self.made = 0
        shm = Path("/dev/shm")
        if shm.is_dir() and os.access(shm, os.W_OK):
            try:
                self.memory = Path(stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="zicha-verify-", dir=shm)))
            except OSError:
                self.memory = None

    def new_path(self, size: int | None, suffix: str) -> Path:
        """A new file name for a copy of `size` bytes (None: on the disk)."""
        self.made += 1
        folder = self.memory if self.memory is not None and size is not None and \
            size <= self.IN_MEMORY else self.disk
        return folder / f"{self.made}{suffix}"


_ALONE = ("code", "encrypted", "opens")  # the checks a file answers by itself


@dataclass
class FileCheck:
    """One payload file as the export's streaming check read it back (StreamCheck): the
    SHA-256 of the bytes read, and for a ZIP member its CRC-32, sizes and place; `kind` by
    import's detection; `found`, what the checks of the file alone (4-2, 4-1, 3-4) found, by
    check: (how many things counted, problems)."""

    sha256: str
    size: int
    kind: str
    found: dict[str, tuple[int, list[str]]]
    crc: int | None = None
    compressed: int | None = None
    offset: int | None = None


#: what StreamCheck found, by the file's path in the bag ("data/…")
Checked = dict[str, FileCheck]


class StreamCheck:
    """The per-file part of 四性检测 run while the export is still writing: each payload file
    is read back from the disk as soon as it is written (a ZIP member from its place in the
    ZIP, inflated when deflated, its CRC-32 computed), its SHA-256 computed from the bytes
    read, and the checks of the file alone run on them, on a thread of its own: the copying
    waits on the disk and in hashlib without the GIL, which leaves the thread the time.
    verify_export(checked=…) then adds what it found to the report in the file's place instead
    of reading the file a second time, where it is still the file read (see there).

    Only a file that passed is kept: one with any problem, or that could not be checked, is
    checked again by verify_export as any other (MuPDF's warnings, which the open check reads,
    are one buffer for the process, and the export's own drawing may add to it)."""

    def __init__(self, full: bool = False) -> None:
        self.full = full
        self.results: Checked = {}
        #: the SHA-256 of every file read back, whatever its checks found (`read_back()`)
        self.hashed: dict[str, str] = {}
        self.jobs: queue.Queue[tuple[str, Path, zipfile.ZipInfo | None,
                                     tuple[Path, str] | None] | None] = queue.Queue()
        self.cancelled = False
        self.stack = ExitStack()
        self.work = _Scratch(self.stack)
        pymupdf.TOOLS.mupdf_display_errors(False)  # as verify_export: findings, not noise
        pymupdf.TOOLS.mupdf_display_warnings(False)
        self.thread = threading.Thread(target=self._run, name="zicha-export-check", daemon=True)
        self.thread.start()

    def file(self, name: str, path: Path) -> None:
        """`path` (the bag's file `name`) is complete: check it."""
        self.jobs.put((name, path, None, None))

    def member(self, name: str, zip_path: Path, info: zipfile.ZipInfo,
               same: tuple[Path, str] | None = None) -> None:
        """The member `info` of the ZIP at `zip_path` is complete and flushed: check it.
        `same`: a file and its SHA-256 the member's bytes should be; when they are, the checks
        of the file alone run on that file (the same bytes) instead of a copy of the member."""
        self.jobs.put((name, zip_path, info, same))

    def read_back(self) -> dict[str, str]:
        """Wait for the files queued so far; the SHA-256 of each one read back by path (a file
        that could not be read back is missing)."""
        with self.jobs.all_tasks_done:  # (a check thread that died leaves the rest missing)
            while self.jobs.unfinished_tasks and self.thread.is_alive():
                self.jobs.all_tasks_done.wait(0.1)
        return self.hashed

    def close(self) -> Checked:
        """Wait for the checks still queued; what they found."""
        if self.thread.is_alive():
            self.jobs.put(None)
            self.thread.join()
        self.stack.close()
        return self.results

    def cancel(self) -> None:
        """Stop: the queued checks are dropped (the bag is being removed)."""
        self.cancelled = True
        self.close()

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            try:
                if self.cancelled:
                    continue
                try:
                    found = self._check(*job)
                except Exception:  # noqa: BLE001 - verify_export checks the file itself then
                    found = None
                finally:
                    release_decoded_images()
                if found is not None and not any(problems for _, problems in
                                                 found.found.values()):
                    self.results[job[0]] = found
            finally:
                self.jobs.task_done()
        self.jobs.task_done()

    def _check(self, name: str, path: Path, info: zipfile.ZipInfo | None,
               same: tuple[Path, str] | None) -> FileCheck:
        if info is None:
            sha = self.hashed[name] = _sha256_of(path)
            return self._alone(name, path, FileCheck(sha, path.stat().st_size, "", {}))
        suffix = PurePosixPath(name).suffix.lower()
        if same is not None and (named := self._named(same[0], suffix)) is not None:
            try:
                sha, crc = _read_member(path, info, None)
                self.hashed[name] = sha
                found = FileCheck(sha, info.file_size, "", {}, crc, info.compress_size,
                                  info.header_offset)
                if sha == same[1]:
                    return self._alone(name, named, found)
                found.found["opens"] = (0, ["not the bytes expected"])  # not kept
                return found
            finally:
                named.unlink(missing_ok=True)
        copy = self.work.new_path(info.file_size, suffix)
        try:
            sha, crc = _read_member(path, info, copy)
            self.hashed[name] = sha
            return self._alone(name, copy, FileCheck(sha, info.file_size, "", {}, crc,
                                                     info.compress_size, info.header_offset))
        finally:
            copy.unlink(missing_ok=True)

    def _named(self, file: Path, suffix: str) -> Path | None:
        """A link to `file` under a name with `suffix` (detection goes by it), or None where
        links cannot be made."""
        link = self.work.new_path(None, suffix)
        try:
            os.symlink(file, link)
        except (OSError, NotImplementedError):
            return None
        return link

    def _alone(self, name: str, copy: Path, found: FileCheck) -> FileCheck:
        checks = {key: Check("", "", "") for key in _ALONE}
        kind = _check_alone(name, copy, checks, self.full)
        found.kind = kind or ""
        found.found = {key: (check.count, check.problems) for key, check in checks.items()}
        if kind is None:  # it did not pass: verify_export checks it again
            found.found["opens"] = (0, ["stopped"])
        return found


def _read_member(zip_path: Path, info: zipfile.ZipInfo, copy: Path | None) -> tuple[str, int]:
    """Copy the member `info` straight from its place in the ZIP to `copy` (inflated when
    deflated; without one, only read); the SHA-256 and CRC-32 of its bytes. Raises ValueError
    when its local header, size or CRC-32 is not what the central directory entry `info`
    says."""
    digest, crc, size = hashlib.sha256(), 0, 0
    inflate = zlib.decompressobj(-zlib.MAX_WBITS) \
        if info.compress_type == zipfile.ZIP_DEFLATED else None
    if inflate is None and info.compress_type != zipfile.ZIP_STORED:
        raise ValueError(f"compression {info.compress_type}")
    with open(zip_path, "rb") as src, \
            (open(copy, "wb") if copy is not None else nullcontext()) as dst:
        src.seek(info.header_offset)
        header = src.read(30)
        encoded = info.filename.encode("ascii" if info.filename.isascii() else "utf-8")
        if header[:4] != b"PK\x03\x04" or src.read(int.from_bytes(header[26:28], "little")) \
                != encoded:
            raise ValueError("local header")
        src.seek(int.from_bytes(header[28:30], "little"), os.SEEK_CUR)
        left = info.compress_size
        while left > 0:
            raw = src.read(min(CHUNK, left))
            if not raw:
                raise ValueError("cut short")
            left -= len(raw)
            chunk = inflate.decompress(raw) if inflate is not None else raw
            if inflate is not None and not left:
                chunk += inflate.flush()
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            if dst is not None:
                dst.write(chunk)
    if size != info.file_size or crc != info.CRC:
        raise ValueError("size or CRC-32")
    return digest.hexdigest(), crc


def member_sha256(zip_path: Path, info: zipfile.ZipInfo) -> str:
    """The SHA-256 of the member `info` read from its place in the ZIP; ValueError as
    _read_member."""
    return _read_member(zip_path, info, None)[0]


def open_bag(path: Path) -> _Bag:
    path = Path(path)
    if path.is_dir():
        return _FolderBag(path)
    if path.is_file():
        return _ZipBag(path)
    raise BagError(f"{path} 不存在")


def is_export(path: Path) -> bool:
    path = Path(path)
    return (path.is_dir() and (path / "bagit.txt").is_file()) or (
        path.is_file() and path.suffix.lower() == ".zip")


def _read_text(bag: _Bag, name: str) -> str:
    with bag.open(name) as f:
        return f.read().decode("utf-8")


def _parse_manifest(text: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip():
            sha, _, path = line.partition(" ")
            path = path.strip().replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
            entries[path] = sha.lower()
    return entries


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sm3_of(path: Path, *, mapped: bool = False) -> str:
    """The file's SM3. `mapped`: the file is our own temporary copy, which nobody else shortens
    while it is read: it is hashed mapped into memory in one call, which lets go of the GIL
    once for the whole file instead of twice a MiB (a file of the bag itself is read in
    pieces: one cut short meanwhile would end the process if it were mapped)."""
    national = digests.sm3()
    with open(path, "rb") as f:
        if mapped and os.fstat(f.fileno()).st_size:
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as view:
                national.update(view)
        else:
            while chunk := f.read(CHUNK):
                national.update(chunk)
    return str(national.hexdigest())


#: a payload file's digests as the export wrote them: path ("data/…") -> (SHA-256, SM3)
Known = dict[str, tuple[str, str]]


def verify_export(path: Path, progress: Progress | None = None, *,
                  full: bool = False, known: Known | None = None,
                  checked: Checked | None = None) -> VerifyReport:
    """Run every check; a check never stops the others. Raises BagError only when `path` is
    not an export at all. 可用性 reads each PDF without drawing it (export/usable.py); `full`
    reads and draws every page.

    Every payload file is read and its SHA-256 computed here. `known` are the digests the
    export computed of the bytes it wrote (write_export's ExportResult.digests): a file whose
    SHA-256 read back is the one the export computed is the file whose SM3 it computed in the
    same pass, so its SM3 is taken from there instead of computed again. Without `known`, the
    SM3 of each file is computed on a second thread while the file's other checks run.

    `checked` is what the export's StreamCheck found of the files it read back as it wrote them
    (write_export's ExportResult.checked, with `known`): a file it passed is not read again
    when it is still the file read (its SHA-256 read back is the one the export computed while
    writing; in a ZIP the central directory gives it the place, sizes and CRC-32 read, in a
    folder the size), and what it found is added in its place; every other check runs as
    without it. A file whose checks need its bytes besides (a stamped PDF, a marked copy) is
    read again."""
    path = Path(path)
    bag = open_bag(path)
    # a damaged PDF is a finding of the report, not noise on the terminal (MuPDF prints to
    # stdout, which would also break --json)
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    try:
        return _verify(bag, path, as_progress(progress), full, known or {}, checked or {})
    finally:
        bag.close()


def _verify(bag: _Bag, path: Path, progress: Progress, full: bool, known: Known,
            checked: Checked) -> VerifyReport:
    c = {key: Check(prop, code, name) for key, prop, code, name in (
        ("sign", "真实性", "1-1", "固化信息有效性：审核签名与审核链"),
        ("content", "真实性", "1-10", "内容数据真实性：导出文件即签名时的文件"),
        ("state", "真实性", "1-5", "元数据真实性：清单、目录与文件名所示即签名时的材料信息"),
        ("number", "真实性", "1-7", "档号规范性：档号合乎全宗号-年度-保管期限-件号并已登记"),
        ("package", "真实性", "1-14", "信息包一致性：标签清单与元数据"),
        ("totals", "完整性", "2-1", "总件数、总字节数相符（Payload-Oxum）"),
        ("manifest", "完整性", "2-7", "内容完整性：清单与载荷逐一相符，无缺无多"),
        ("seq", "完整性", "2-6", "连续性：各测评内容的序号从 1 起无空号"),
        ("pieces", "完整性", "2-6b", "连续性：档号登记中各件号序列无空号（已撤销的计入）"),
        ("items", "完整性", "2-9", "归档范围：有任务的测评内容均有材料"),
        ("stamp", "完整性", "2-12", "归档章：要求加盖时，每份有档号材料的 PDF 首页有归档章"),
        ("meta", "可用性", "3-1", "元数据可读性"),
        ("format", "可用性", "3-3", "内容数据格式与大小符合导出规则"),
        ("opens", "可用性", "3-4", "内容可用：PDF 能打开且页面与图像完整，图片完整，文档能读取"
         + ("（完整模式：逐页绘制，图片逐一解码）" if full else "")),
        ("encrypted", "安全性", "4-1", "无加密文件"),
        ("code", "安全性", "4-2", "无宏与可执行文件"),
        ("paths", "安全性", "4-3", "无越出导出包的路径或链接"),
    )}
    report = VerifyReport(str(path), dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                          "", False, 0, 0, list(c.values()))
    for name in bag.unsafe:
        c["paths"].problems.append(f"{name}：路径越出导出包（绝对路径、../ 或链接），不应存在")
    for name in bag.bombs:
        c["paths"].problems.append(f"{name}：压缩比异常（疑似压缩炸弹）")
    c["paths"].count = len(bag.names) + len(bag.unsafe)

    names = set(bag.names)
    doc = _read_metadata(bag, names, c)
    if doc is not None:
        report.bureau, report.draft = doc.get("bureau", ""), bool(doc.get("draft"))
    payload = _parse_manifest(_read_text(bag, "manifest-sha256.txt")) \
        if "manifest-sha256.txt" in names else {}
    if "manifest-sha256.txt" not in names:
        c["manifest"].problems.append("缺少 manifest-sha256.txt")
    national = _parse_manifest(_read_text(bag, MANIFEST_SM3)) if MANIFEST_SM3 in names else None
    if national is None:
        c["manifest"].notes.append(f"没有 {MANIFEST_SM3}（较早版本的导出只有 SHA-256 清单）")
    _check_tags(bag, names, c)
    _check_outside_data(bag, names, c)

    on_disk = sorted(n for n in names if n.startswith("data/"))
    report.files = len(on_disk)
    report.bytes = sum(bag.size(n) for n in on_disk)
    for name in sorted(set(payload) - names):
        c["manifest"].problems.append(f"{name}：清单中有，导出包中缺失")
    for name in sorted(set(on_disk) - set(payload)):
        c["manifest"].problems.append(f"{name}：导出包中有，清单中没有（多出的文件）")
    _check_oxum(bag, names, on_disk, report, c)

    files = {f["path"]: f for f in doc.get("files", [])} if doc else {}
    listed_marks = _listed_marks(doc)
    rules = ExportRules.from_json(doc.get("rules", {})) if doc else ExportRules()
    signed_files = _check_signatures(doc, report.draft, c) if doc else {}
    # hashlib lets go of the GIL: the SM3 of each file is computed on a second thread while
    # the main thread copies, hashes (SHA-256) and checks the next files. A file's SM3 is
    # compared with the manifests at the end; its copy stays until its SM3 is done.
    pending: list[tuple[str, str, Future[str] | None, str]] = []
    reading: deque[tuple[Future[str], int]] = deque()  # SM3 jobs not known done, their sizes

    def sm3_then(copy: Path, release: Callable[[], None], mapped: bool) -> str:
        try:
            return _sm3_of(copy, mapped=mapped)
        finally:
            release()

    def check_one(name: str, copy: Path, sha: str | None, release: Callable[[], None],
                  hasher: ThreadPoolExecutor) -> None:
        mapped = sha is not None  # a temporary copy (of a ZIP's member), hashed as it was made
        sha = sha or _sha256_of(copy)
        written = known.get(name)
        entry = files.get(name)
        try:
            _check_file(name, copy, entry, rules, c, full)
            if entry is not None and entry.get("role") in ("material", "marked"):
                _check_content(name, sha, entry, signed_files, report.draft, c, copy)
            if entry is not None and entry.get("role") == "material":
                _check_stamp(name, copy, entry, doc, c)
            if entry is not None and entry.get("role") == "marked":
                _check_marked_copy(name, copy, entry, listed_marks, files, c)
        except BaseException:
            release()
            raise
        if written is not None and written[0] == sha:
            release()
            pending.append((name, sha, None, written[1]))
            return
        size = copy.stat().st_size  # before the second thread may remove the copy
        job = hasher.submit(sm3_then, copy, release, mapped)
        pending.append((name, sha, job, ""))
        reading.append((job, size))
        while reading and (reading[0][0].done() or
                           sum(size for _, size in reading) > SM3_BACKLOG):
            reading.popleft()[0].exception()  # waits: at most SM3_BACKLOG bytes of copies wait

    with ExitStack() as stack:
        work = _Scratch(stack)
        # shut down (its jobs done) before the scratch folders go
        hasher = stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="zicha-verify-sm3"))
        for n, name in enumerate(on_disk, 1):
            progress.step(n, len(on_disk))
            found = checked.get(name)
            written = known.get(name)
            if found is not None and written is not None and found.sha256 == written[0] \
                    and not _needs_bytes(files.get(name), doc) and bag.same(name, found):
                _add_found(name, found, files.get(name), rules, c)
                entry = files.get(name)
                if entry is not None and entry.get("role") in ("material", "marked"):
                    _check_content(name, found.sha256, entry, signed_files, report.draft, c)
                pending.append((name, found.sha256, None, written[1]))
                continue
            try:
                copy, sha, release = bag.fetch(name, work)
                check_one(name, copy, sha, release, hasher)
            except (zipfile.BadZipFile, zlib.error) as exc:  # its CRC-32 or data do not match
                c["manifest"].count += 1
                c["manifest"].problems.append(f"{name}：无法读取（{exc}），文件已损坏")
        for name, sha, job, sm3 in pending:
            _check_digests(name, sha, job.result() if job is not None else sm3, payload,
                           national, files, doc, c)
    _check_seq(doc, on_disk, c)
    _check_numbers(doc, c)
    _check_items(doc, c)
    _check_signed_state(bag, doc, names, c)
    _check_marked_present(doc, c)
    return report


def _needs_bytes(entry: dict[str, Any] | None, doc: dict[str, Any] | None) -> bool:
    """Whether the checks of the file with this manifest entry read it besides the checks of
    the file alone: a marked copy, a stamped copy, a PDF that must carry the 归档章."""
    if entry is None:
        return False
    block = doc.get("archival") if isinstance(doc, dict) else None
    return entry.get("role") == "marked" or bool(entry.get("stamped")) or (
        entry.get("role") == "material" and bool(entry.get("archival_number"))
        and isinstance(block, dict) and bool(block.get("stamp")))


def _add_found(name: str, found: FileCheck, entry: dict[str, Any] | None, rules: ExportRules,
               c: dict[str, Check]) -> None:
    """What StreamCheck found of the file alone, in the report as _check_file would put it."""
    for key, (count, problems) in found.found.items():
        c[key].count += count
        c[key].problems.extend(problems)
    _check_format(name, found.kind, found.size, entry, rules, c)


def _check_digests(name: str, sha: str, sm3: str, payload: dict[str, str],
                   national: dict[str, str] | None, files: dict[str, dict[str, Any]],
                   doc: dict[str, Any] | None, c: dict[str, Check]) -> None:
    """The file's SHA-256 and SM3 against the BagIt manifests and manifest.json."""
    c["manifest"].count += 1
    if name in payload and payload[name] != sha:
        c["manifest"].problems.append(f"{name}：内容与清单中的哈希不符（文件被改动）")
    if national is not None and national.get(name) != sm3:
        c["manifest"].problems.append(
            f"{name}：{MANIFEST_SM3} 中没有这个文件" if name not in national
            else f"{name}：内容与 SM3 清单不符（文件被改动）")
    entry = files.get(name)
    if doc is not None and entry is None:
        c["package"].problems.append(f"{name}：manifest.json 中没有这个文件")
    elif entry is not None and entry.get("sha256") != payload.get(name):
        c["package"].problems.append(f"{name}：manifest.json 与 manifest-sha256.txt "
                                     "的哈希不一致")
    elif entry is not None and "sm3" in entry and entry["sm3"] != sm3:
        c["package"].problems.append(f"{name}：manifest.json 中的 SM3 与文件不符")


# -- 红线标注: the marked copies ----------------------------------------------------------------

def _listed_marks(doc: dict[str, Any] | None) -> dict[tuple[Any, Any], list[dict[str, Any]]]:
    """The manifest's marks by (material, archived file)."""
    found: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    for m in (doc or {}).get("materials") or []:
        if isinstance(m, dict) and isinstance(m.get("marks"), list):
            for mark in m["marks"]:
                if isinstance(mark, dict):
                    found[(m.get("id"), mark.get("file_sha256"))].append(mark)
    return found


def _check_marked_copy(name: str, copy: Path, entry: dict[str, Any],
                       listed: dict[tuple[Any, Any], list[dict[str, Any]]],
                       files: dict[str, dict[str, Any]], c: dict[str, Check]) -> None:
    """A marked copy copies a clean file of the same material and archived file, and shows a
    straight line under each marked text line (marks.underline) on its page."""
    from desktop.core.archive import marks

    check = c["package"]
    check.count += 1
    clean = files.get(str(entry.get("copy_of")))
    if clean is None or clean.get("role") != "material" or \
            (clean.get("material"), clean.get("source_sha256")) != \
            (entry.get("material"), entry.get("source_sha256")):
        check.problems.append(f"{name}：标注副本没有对应的原件（copy_of 与 manifest.json 不符）")
        return
    wanted = listed.get((entry.get("material"), entry.get("source_sha256")), [])
    if not wanted:
        check.problems.append(f"{name}：manifest.json 中没有这个标注副本的红线标注")
        return
    try:
        with pymupdf.open(copy, filetype="pdf") as pdf:
            missing = 0
            for mark in wanted:
                index = int(mark["page"]) - 1
                if not 0 <= index < pdf.page_count:
                    missing += len(mark["rects"])
                    continue
                page = pdf[index]
                turn, back = tuple(page.rotation_matrix), tuple(page.derotation_matrix)
                lines = [(i[1], i[2]) for d in page.get_drawings()
                         for i in d.get("items", []) if i[0] == "l"]
                for rect in mark["rects"]:
                    (ax, ay), (bx, by) = marks.underline_on(rect, turn, back)
                    if not any(abs(p.x - ax) + abs(p.y - ay) < 1.0
                               and abs(q.x - bx) + abs(q.y - by) < 1.0
                               for p, q in (*lines, *((q, p) for p, q in lines))):
                        missing += 1
    except (RuntimeError, ValueError, KeyError, TypeError) as exc:
        check.problems.append(f"{name}：无法检查标注副本（{exc}）")
        return
    finally:
        release_decoded_images()
    if missing:
        check.problems.append(f"{name}：有 {missing} 处红线标注没有画在标注副本中")


def _check_marked_present(doc: dict[str, Any] | None, c: dict[str, Check]) -> None:
    """Every exported PDF of a material with marks on its archived file has its marked copy."""
    if doc is None:
        return
    listed = _listed_marks(doc)
    copies = {f.get("copy_of") for f in doc["files"]
              if isinstance(f, dict) and f.get("role") == "marked"}
    for f in doc["files"]:
        if not isinstance(f, dict) or f.get("role") != "material":
            continue
        if listed.get((f.get("material"), f.get("source_sha256"))) and \
                str(f.get("path", "")).lower().endswith(".pdf") and f.get("path") not in copies:
            c["package"].problems.append(f"{f.get('path')}：材料有红线标注，但导出包中没有它的"
                                         "标注副本（-标注.pdf）")


def _read_metadata(bag: _Bag, names: set[str], c: dict[str, Check]) -> dict[str, Any] | None:
    meta = c["meta"]
    for required in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt",
                     MANIFEST_JSON, AUDIT_JSONL):
        meta.count += 1
        if required not in names:
            meta.problems.append(f"缺少 {required}")
    if MANIFEST_JSON not in names:
        return None
    try:
        doc = json.loads(_read_text(bag, MANIFEST_JSON))
    except (ValueError, UnicodeDecodeError) as exc:
        meta.problems.append(f"{MANIFEST_JSON} 无法解析（{exc}）")
        return None
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        meta.problems.append(f"{MANIFEST_JSON} 不是 {EXPORT_FORMAT} 格式")
        return None
    for key in ("files", "materials", "items", "roster"):
        if not isinstance(doc.get(key), list):
            meta.problems.append(f"{MANIFEST_JSON} 缺少 {key}")
            return None
    if AUDIT_JSONL in names:
        try:
            for line in _read_text(bag, AUDIT_JSONL).splitlines():
                json.loads(line)
        except ValueError:
            meta.problems.append(f"{AUDIT_JSONL} 无法解析")
    _check_systems(doc, meta)
    return doc


def _check_systems(doc: dict[str, Any], meta: Check) -> None:
    """The indicator systems the manifest lists (absent in exports made before there were
    several: those are the city system's alone) and the system each item names."""
    if "systems" not in doc:
        return
    listed = doc["systems"]
    if not isinstance(listed, list) or not all(
            isinstance(s, dict) and isinstance(s.get("id"), str) for s in listed):
        meta.problems.append(f"{MANIFEST_JSON} 的 systems 不是测评体系的列表")
        return
    known = {s["id"] for s in listed}
    for item in doc["items"]:
        system = item.get("system") if isinstance(item, dict) else None
        if system is not None and system not in known:
            meta.problems.append(f"{MANIFEST_JSON}：测评内容 {item.get('code')} 所属的测评体系 "
                                 f"{system} 不在 systems 中")


def _check_tags(bag: _Bag, names: set[str], c: dict[str, Check]) -> None:
    check = c["package"]
    if "tagmanifest-sha256.txt" not in names:
        check.problems.append("缺少 tagmanifest-sha256.txt")
        return
    manifests: list[tuple[str, Callable[[], Any]]] = [("tagmanifest-sha256.txt", hashlib.sha256)]
    if TAGMANIFEST_SM3 in names:
        manifests.append((TAGMANIFEST_SM3, digests.sm3))
    for manifest, algorithm in manifests:
        for name, expected in _parse_manifest(_read_text(bag, manifest)).items():
            check.count += 1
            if name not in names:
                check.problems.append(f"{name}：标签清单 {manifest} 中有，导出包中缺失")
                continue
            digest = algorithm()
            with bag.open(name) as f:
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
            if digest.hexdigest() != expected:
                check.problems.append(f"{name}：与标签清单 {manifest} 中的摘要不符（被改动）")


def _check_oxum(bag: _Bag, names: set[str], on_disk: list[str], report: VerifyReport,
                c: dict[str, Check]) -> None:
    check = c["totals"]
    check.count = len(on_disk)
    if "bag-info.txt" not in names:
        return
    info = dict(line.split(":", 1) for line in _read_text(bag, "bag-info.txt").splitlines()
                if ":" in line)
    oxum = info.get("Payload-Oxum", "").strip()
    if oxum != f"{report.bytes}.{report.files}":
        check.problems.append(f"bag-info.txt 的 Payload-Oxum 为 {oxum or '（无）'}，实际为 "
                              f"{report.bytes}.{report.files}")


def _check_signatures(doc: dict[str, Any], draft: bool, c: dict[str, Check]
                      ) -> dict[int, set[str]]:
    """Verify every material's decision chain; returns the file hashes each chain signed."""
    check = c["sign"]
    roster = {p["name"]: p.get("public_key") for p in doc["roster"]}
    signed: dict[int, set[str]] = {}
    for m in doc["materials"]:
        where = f"材料 #{m.get('id')}《{m.get('title', '')}》"
        # the archive and number its signatures name it by: where it was made (signed_as,
        # for a material brought from a department's archive), else this export's archive
        named = m.get("signed_as") if isinstance(m.get("signed_as"), dict) else {
            "archive": doc.get("archive_id"), "id": m.get("id")}
        check.count += 1
        prev: str = GENESIS
        last: dict[str, Any] | None = None
        rounds: dict[int, list[dict[str, Any]]] = defaultdict(list)
        ok = True
        for n, d in enumerate(m.get("decisions", []), 1):
            body = str(d.get("payload", "")).encode("utf-8")
            try:
                data = json.loads(body)
                key = data["reviewer"]["public_key"]
                good = (hashlib.sha256(body).hexdigest() == d.get("hash")
                        and data["prev"] == prev and data["material"]["id"] == named.get("id")
                        and data["material"]["archive"] == named.get("archive")
                        and keys.verify(key, body, d.get("signature", "")))
            except (ValueError, KeyError, TypeError):
                good, data, key = False, {}, None
            if not good:
                check.problems.append(f"{where} 的第 {n} 条审核签名无法验证（伪造或被改动）")
                ok = False
                break
            if roster.get(data["reviewer"]["name"]) != key:
                check.problems.append(f"{where} 的第 {n} 条审核：审核人 {data['reviewer']['name']}"
                                      " 的公钥与导出包名册不符")
                ok = False
            prev, last = d["hash"], data
            rounds[data["round"]].append(data)
        if not ok:
            continue
        if last is not None:
            signed[m["id"]] = {f["sha256"] for f in last["material"]["files"]}
        if draft:
            continue
        latest = rounds[max(rounds)] if rounds else []
        approvals = [(d["stage"], d["reviewer"]["name"]) for d in latest
                     if d["verdict"] == "approve"]
        if [s for s, _ in approvals] != list(STAGE_ORDER) or any(
                d["verdict"] != "approve" for d in latest):
            check.problems.append(f"{where} 的审核链不完整：最后一轮应依次有初审、复审、终审通过")
        elif len({who for _, who in approvals}) != 3:
            check.problems.append(f"{where} 的三级审核不是由三个不同的人完成的")
    return signed


def _check_content(name: str, sha: str, entry: dict[str, Any], signed: dict[int, set[str]],
                   draft: bool, c: dict[str, Check], copy: Path | None = None) -> None:
    check = c["content"]
    check.count += 1
    source = entry.get("source_sha256")
    if entry.get("material") not in signed:
        if draft:  # a draft export may carry material nobody has signed yet
            check.notes.append(f"{name}：草稿导出，材料尚无审核签名")
        else:
            check.problems.append(f"{name}：所属材料没有可验证的审核签名")
    elif source not in signed[entry["material"]]:
        check.problems.append(f"{name}：原件不是审核人签名时的文件")
    elif entry.get("action") == "copy" and entry.get("stamped"):
        _check_stamped_copy(name, entry, copy, check)
    elif entry.get("action") == "copy" and sha != source:
        check.problems.append(f"{name}：内容与签名时的原件不同")


def _check_stamped_copy(name: str, entry: dict[str, Any], copy: Path | None,
                        check: Check) -> None:
    """A copied PDF with the 归档章: its first `source_size` bytes are the signed file, the
    stamp an update after them (export/stamp.py)."""
    size = entry.get("source_size")
    if not isinstance(size, int) or copy is None:
        check.notes.append(f"{name}：加盖归档章时整体重写，无法逐字节核对原件部分")
        return
    digest = hashlib.sha256()
    left = size
    with open(copy, "rb") as fh:
        while left > 0 and (chunk := fh.read(min(CHUNK, left))):
            digest.update(chunk)
            left -= len(chunk)
    if left or digest.hexdigest() != entry.get("source_sha256"):
        check.problems.append(f"{name}：加盖归档章的副本中，原件部分与签名时的文件不同")


def _material_entries(doc: dict[str, Any]) -> dict[Any, dict[str, Any]]:
    return {m.get("id"): m for m in doc.get("materials") or [] if isinstance(m, dict)}


def _check_stamp(name: str, copy: Path, entry: dict[str, Any], doc: dict[str, Any] | None,
                 c: dict[str, Check]) -> None:
    """When the export asked for the 归档章, every PDF of a numbered material carries it on its
    first page, with that material's 全宗号, 年度 and 件号."""
    block = doc.get("archival") if isinstance(doc, dict) else None
    if not isinstance(block, dict) or not block.get("stamp"):
        return
    number = entry.get("archival_number")
    if not number:
        return
    check = c["stamp"]
    is_pdf = PurePosixPath(name).suffix.lower() == ".pdf"
    if not is_pdf:
        return
    check.count += 1

    code = archival.parse_code(str(number))
    if code is None:
        check.problems.append(f"{name}：档号“{number}”不合规，无法核对归档章")
        return
    if not entry.get("stamped"):
        check.problems.append(f"{name}：导出要求加盖归档章，但这个 PDF 没有加盖")
        return
    m = _material_entries(doc or {}).get(entry.get("material")) or {}
    fields = stamp.StampFields(code.fonds, f"{code.year:04d}", f"{code.piece:04d}",
                               str(m.get("department") or ""), code.retention_name, "")
    if (why := stamp.find_stamp(copy, fields)) is not None:
        check.problems.append(f"{name}：{why}")


def _check_numbers(doc: dict[str, Any] | None, c: dict[str, Check]) -> None:
    """The 档号 of each exported material is well formed and in force in the register extract
    the bag carries, given to that material; each sequence of the extract has no gaps."""
    if doc is None:
        return
    block = doc.get("archival")
    pieces, number = c["pieces"], c["number"]
    if block is None:
        pieces.notes.append("导出包中没有档号登记（较早版本的导出，或档案尚未编档号）")
        return
    register = block.get("register") if isinstance(block, dict) else None
    if not isinstance(register, list):
        pieces.problems.append(f"{MANIFEST_JSON} 的 archival/register 不是档号登记的列表")
        return
    lines = [line for line in register if isinstance(line, dict)]
    pieces.count = len({(line.get("fonds"), line.get("year"), line.get("retention"))
                        for line in lines})
    pieces.problems.extend(archival.gaps(lines))
    by_code = {str(line.get("code")): line for line in lines}
    for m in doc.get("materials") or []:
        if not isinstance(m, dict) or not m.get("archival_number"):
            continue
        number.count += 1
        text = str(m["archival_number"])
        where = f"材料 #{m.get('id')}《{m.get('title', '')}》的档号 {text}"
        code = archival.parse_code(text)
        line = by_code.get(text)
        if code is None:
            number.problems.append(f"{where} 不合乎 全宗号-年度-保管期限-件号")
        elif line is None:
            number.problems.append(f"{where} 不在导出包的档号登记中")
        elif line.get("withdrawn"):
            number.problems.append(f"{where} 在档号登记中已撤销，不应再使用")
        elif line.get("material") != m.get("id"):
            number.problems.append(f"{where} 在档号登记中属于另一份材料（#{line.get('material')}）")
        elif (line.get("fonds"), line.get("year"), line.get("retention"), line.get("piece")) != (
                code.fonds, code.year, code.retention, code.piece):
            number.problems.append(f"{where} 与档号登记中的各项不一致")


def _check_file(name: str, copy: Path, entry: dict[str, Any] | None, rules: ExportRules,
                c: dict[str, Check], full: bool = False) -> None:
    size = copy.stat().st_size
    kind = _check_alone(name, copy, c, full)
    if kind is not None:
        _check_format(name, kind, size, entry, rules, c)


def _check_alone(name: str, copy: Path, c: dict[str, Check], full: bool) -> str | None:
    """What the file shows by itself (4-2, 4-1, 3-4), into c["code"], c["encrypted"] and
    c["opens"]; its kind when it opens, else None."""
    suffix = PurePosixPath(name).suffix.lower()
    with open(copy, "rb") as f:
        head = f.read(16)
    c["code"].count += 1
    if suffix in safety.EXECUTABLE_EXT or safety.executable(head):
        c["code"].problems.append(f"{name}：可执行文件或脚本，不应出现在导出包中")
        return None
    # a PDF is opened once for 4-2, 4-1 and 3-4; a small ZIP (DOCX, XLSX) read once into
    # memory and opened there for 4-2 and 3-4
    pdf = _open_pdf(copy) if head[:4] == b"%PDF" else None
    package = _open_package(copy) if head[:4] == b"PK\x03\x04" else None
    try:
        c["code"].problems.extend(f"{name}：{what}"
                                  for what in safety.scan(copy, pdf=pdf, package=package))
        if head[:4] == b"%PDF":
            c["encrypted"].count += 1
            if pdf is not None and (pdf.needs_pass or pdf.is_encrypted):
                c["encrypted"].problems.append(f"{name}：PDF 已加密")
                return None
        c["opens"].count += 1
        try:
            kind = _opens(copy, pdf)
            usable.check(copy, kind, full, pdf if kind == "pdf" else None,
                         package if kind in ("docx", "xlsx") else None)
        except Refused as exc:
            c["opens"].problems.append(f"{name}：无法打开（{exc}）")
            return None
        except usable.Unusable as exc:
            c["opens"].problems.append(f"{name}：无法打开（{exc.reason}）")
            return None
        except Exception as exc:  # noqa: BLE001 - any failure to read is the finding
            c["opens"].problems.append(f"{name}：无法打开（{type(exc).__name__}: {exc}）")
            return None
    finally:
        if pdf is not None:
            pdf.close()
        if package is not None:
            package.close()
    return kind


def _check_format(name: str, kind: str, size: int, entry: dict[str, Any] | None,
                  rules: ExportRules, c: dict[str, Check]) -> None:
    """3-3: the file's kind is one the export's rules allow, its size within their limit."""
    role = entry.get("role") if entry else None
    if role in ("material", "marked", "merged"):
        c["format"].count += 1
        if kind not in rules.allowed_formats:
            c["format"].problems.append(f"{name}：格式 {kind} 不在导出规则允许的格式中")
        if role in ("material", "marked") and size > rules.max_file_bytes:
            c["format"].problems.append(f"{name}：{size / 1048576:.1f} MB，超过每个文件 "
                                        f"{rules.max_file_mb:g} MB 的上限")


def _opens(copy: Path, pdf: pymupdf.Document | None) -> str:
    """The file's kind by import's detection (materials/detect.py), Refused as there when it
    would not open. Its deep part is done here only where usable.check does not do it
    anyway: a PDF already open is not opened again, and a DOCX or XLSX, whose members
    usable.check inflates to their CRC, is not inflated twice."""
    kind = detect(copy, deep=False).kind
    if kind == "pdf":
        if pdf is None or pdf.page_count == 0:
            detect_pdf(copy).close()  # raises Refused with the reason
    elif kind not in ("docx", "xlsx"):
        detect_check(copy, kind)
    return kind


def _check_outside_data(bag: _Bag, names: set[str], c: dict[str, Check]) -> None:
    """The tag files and anything else beside data/ hold no program either."""
    for name in sorted(n for n in names if not n.startswith("data/")):
        c["code"].count += 1
        with bag.open(name) as f:
            head = f.read(16)
        if PurePosixPath(name).suffix.lower() in safety.EXECUTABLE_EXT or safety.executable(head):
            c["code"].problems.append(f"{name}：可执行文件或脚本，不应出现在导出包中")


IN_MEMORY_PACKAGE = 32 << 20  # a ZIP up to this size is read into memory for its checks


def _open_package(path: Path) -> zipfile.ZipFile | None:
    """The ZIP at `path` read into memory and opened there when it is small enough, else
    None (the checks then open it from the file, as they do when it does not open here)."""
    try:
        if path.stat().st_size > IN_MEMORY_PACKAGE:
            return None
        return zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _open_pdf(path: Path) -> pymupdf.Document | None:
    """The PDF opened, or None when it does not open at all (the open check's finding)."""
    try:
        return pymupdf.open(path, filetype="pdf")
    except Exception:  # noqa: BLE001 - MuPDF raises several kinds for a damaged file
        return None


APPROVED_STATES = ("first_approved", "second_approved", "final_approved")
_LABELS = {"title": "材料名称", "doc_number": "文号", "material_date": "日期",
           "department": "责任单位", "material_type": "材料类型", "items": "测评内容",
           "files": "文件", "bonus": "创新特色（加分）", "marks": "红线标注"}
_CATALOGUE_XLSX = "data/材料目录.xlsx"
_CATALOGUE_COLUMNS = {"title": 2, "doc_number": 3, "material_date": 4, "department": 6}


def _check_signed_state(bag: _Bag, doc: dict[str, Any] | None, names: set[str],
                        c: dict[str, Check]) -> None:
    """Every material the export presents as approved (all of a final export; in a draft those
    whose state is past 初审) must be, as exported, what its last decision signed: the
    metadata in manifest.json, the 测评内容 it is filed under, its files (names and source
    hashes), the names its files were given and its rows in 材料目录.xlsx."""
    if doc is None:
        return
    check = c["state"]
    draft = bool(doc.get("draft"))
    # keyed by the manifest's `material` values, which are whatever the file says
    files: dict[Any, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for f in doc["files"]:
        if isinstance(f, dict) and f.get("role") == "material":
            files[f.get("material")][PurePosixPath(str(f.get("path"))).parent.as_posix()] \
                .append(f)
    counts = {str(i.get("code")): len(i.get("materials") or []) for i in doc["items"]
              if isinstance(i, dict)}
    folders = {str(i.get("code")): str(i.get("folder", "")) for i in doc["items"]
               if isinstance(i, dict)}
    catalogue = _catalogue_rows(bag, names)
    rules: dict[str, Any] = doc["rules"] if isinstance(doc.get("rules"), dict) else {}
    template = str(rules.get("name_template") or "{序号}_{材料名称}")
    for m in doc["materials"]:
        if not isinstance(m, dict) or (draft and m.get("state") not in APPROVED_STATES):
            continue
        check.count += 1
        signed = _last_signed(m)
        where = f"材料 #{m.get('id')}"
        if signed is None:
            check.problems.append(f"{where}《{m.get('title', '')}》作为审核通过的材料导出，"
                                  "却没有可读的审核签名")
            continue
        where += f"《{signed.get('title')}》"
        placed = [i for i in m.get("items") or [] if isinstance(i, dict)]
        exported = {"title": m.get("title"), "doc_number": m.get("doc_number"),
                    "material_date": m.get("material_date"),
                    "department": m.get("department") or None,
                    "material_type": m.get("material_type"),
                    "items": sorted({str(i.get("code")) for i in placed}),
                    # absent from exports and signatures made before the mark existed
                    "bonus": m.get("bonus"),
                    # 红线标注: the digest of the marks listed, as the signature carries it
                    "marks": _marks_facts(m.get("marks"))}
        wrong = [_LABELS[k] for k, v in exported.items()
                 if (sorted(signed.get(k) or []) if k == "items" else signed.get(k)) != v]
        sources = [(f["name"], f["sha256"]) for f in signed.get("files") or []]
        for folder, written in sorted(files.get(m.get("id"), {}).items()):
            if [(f.get("source_name"), f.get("source_sha256")) for f in written] != sources:
                wrong.append(f"{_LABELS['files']}（{folder}）")
        if wrong:
            check.problems.append(f"{where}：导出的{'、'.join(dict.fromkeys(wrong))}"
                                  "与审核签名时不同（签名后被改动），不能作为审核通过的材料")
        for i in placed:
            code = str(i.get("code"))
            folder = folders.get(code, "")
            written = files.get(m.get("id"), {}).get(folder, [])
            for n, f in enumerate(written, 1):
                name = PurePosixPath(str(f.get("path"))).name
                if not _named_as_signed(name, template, signed, i.get("seq"),
                                        seq_width(counts.get(code, 1)),
                                        n if len(written) > 1 else None, folder):
                    check.problems.append(f"{f.get('path')}：文件名与签名时的材料信息不符"
                                          f"（签名时的材料名称为《{signed.get('title')}》）")
            row = catalogue.get(f"{code}-{int(i.get('seq') or 0):03d}")
            if catalogue and row is None:
                check.problems.append(f"{_CATALOGUE_XLSX}：没有 {where} 在 {code} 下的一行")
            elif row is not None:
                differs = [_LABELS[k] for k, col in _CATALOGUE_COLUMNS.items()
                           if row[col] != (signed.get(k) or "")]
                if differs:
                    check.problems.append(f"{_CATALOGUE_XLSX}：{where} 在 {code} 下的"
                                          f"{'、'.join(differs)}与审核签名时不同")


def _marks_facts(listed: Any) -> dict[str, Any] | None:
    """A manifest material's `marks` as a signed decision carries them ({count, sha256}),
    None without marks; an unreadable list gives a digest no signature has."""
    from desktop.core.archive import marks

    if not listed:
        return None
    try:
        return {"count": len(listed), "sha256": marks.digest(listed)}
    except (KeyError, TypeError, ValueError):
        return {"count": -1, "sha256": ""}


def _last_signed(m: dict[str, Any]) -> dict[str, Any] | None:
    """The `material` object the material's last decision signed (its signature is 1-1's)."""
    decisions = m.get("decisions") or []
    if not decisions or not isinstance(decisions[-1], dict):
        return None
    try:
        data = json.loads(str(decisions[-1].get("payload", "")))
        signed = data["material"]
    except (ValueError, KeyError, TypeError):
        return None
    return signed if isinstance(signed, dict) else None


def _named_as_signed(name: str, template: str, signed: dict[str, Any], seq: Any, width: int,
                     part: int | None, folder: str) -> bool:
    """Whether `name` is what the naming template makes of the signed metadata (as
    plan._planned names files), allowing the （2） a clash adds and a DOCX kept as DOCX."""
    if not isinstance(seq, int):
        return False
    number = f"{seq:0{width}d}" + (f"-{part}" if part else "")
    text = fill_template(template, {
        "序号": number, "材料名称": str(signed.get("title") or ""),
        "文号": str(signed.get("doc_number") or ""),
        "日期": str(signed.get("material_date") or ""),
        "责任单位": str(signed.get("department") or "")})
    room = max(20, MAX_RELATIVE_PATH - len(folder.removeprefix("data/")) - 1)
    suffix = PurePosixPath(name).suffix
    for planned_suffix in dict.fromkeys((suffix, ".pdf")):
        expected = safe_name(text, max_chars=min(80, room), suffix=planned_suffix)
        stem = expected[:len(expected) - len(planned_suffix)] if planned_suffix else expected
        if re.fullmatch(re.escape(stem) + r"(（\d+）)?" + re.escape(suffix), name):
            return True
    return False


def _catalogue_rows(bag: _Bag, names: set[str]) -> dict[str, list[str]]:
    """材料目录.xlsx's rows by 序号 ("01.02-001"), each cell as text; {} without one."""
    if _CATALOGUE_XLSX not in names:
        return {}
    rows: dict[str, list[str]] = {}
    try:
        with bag.open(_CATALOGUE_XLSX) as fh:
            for values in sheet_rows(fh, "材料目录"):
                cells = values[:]
                if cells and cells[0] and cells[0] != "—":
                    rows[cells[0]] = cells + [""] * (8 - len(cells))
    except Exception:  # noqa: BLE001 - an unreadable catalogue is the open check's finding
        return {}
    return rows


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]{1,3})\d*$")
_MAX_PART = 64 << 20  # a part of the catalogue larger than this is not read


def sheet_rows(fh: IO[bytes], sheet: str) -> Iterator[list[str]]:
    """The rows from the second on of the worksheet `sheet` of the XLSX in `fh`, each cell as
    the text openpyxl's values give (shared and inline strings, numbers as int or float,
    booleans; a missing cell as ""), read with zipfile and ElementTree (openpyxl and the numpy
    it imports cost more than the whole read). Raises on a workbook that does not parse."""
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(fh) as z:
        def part(name: str) -> ET.Element:
            info = z.getinfo(name)
            if info.file_size > _MAX_PART:
                raise ValueError(f"{name} is too large")
            return ET.fromstring(z.read(info))

        book = part("xl/workbook.xml")
        rid = next((s.get(f"{_REL}id") for s in book.iter(f"{_MAIN}sheet")
                    if s.get("name") == sheet), None)
        if rid is None:
            return
        target = next((r.get("Target", "") for r in part("xl/_rels/workbook.xml.rels")
                       .iter(f"{_PKG_REL}Relationship") if r.get("Id") == rid), "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        shared: list[str] = []
        if "xl/sharedStrings.xml" in z.NameToInfo:
            shared = [_string(si) for si in part("xl/sharedStrings.xml").iter(f"{_MAIN}si")]
        number = 0
        for row in part(target).iter(f"{_MAIN}row"):
            number = int(row.get("r") or number + 1)
            if number < 2:
                continue  # the header
            cells: list[str] = []
            for c in row.iter(f"{_MAIN}c"):
                ref = _CELL_REF.match(c.get("r", ""))
                column = _column(ref.group(1)) if ref else len(cells)
                cells += [""] * (column - len(cells))
                cells.append(_cell_text(c, shared))
            yield cells


def _string(si: Any) -> str:
    """The text of a shared or inline string: its <t>, or the <t> of each of its rich-text
    runs (<r>); phonetic runs (<rPh>) are not part of it."""
    parts = []
    for child in si:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            t = child.find(f"{_MAIN}t")
            parts.append(t.text or "" if t is not None else "")
    return "".join(parts)


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _cell_text(c: Any, shared: list[str]) -> str:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        inline = c.find(f"{_MAIN}is")
        return _string(inline) if inline is not None else ""
    value = c.find(f"{_MAIN}v")
    text = value.text if value is not None and value.text is not None else None
    if text is None:
        return ""
    if kind == "s":
        return shared[int(text)]
    if kind == "b":
        return str(text == "1")
    if kind == "n":
        return str(float(text)) if any(ch in text for ch in ".eE") else str(int(text))
    return text


def _check_seq(doc: dict[str, Any] | None, on_disk: list[str], c: dict[str, Check]) -> None:
    check = c["seq"]
    folders: dict[str, set[int]] = defaultdict(set)
    material_folders = {PurePosixPath(f["path"]).parent.as_posix() for f in doc["files"]
                        if f.get("role") == "material"} if doc else set()
    for name in on_disk:
        p = PurePosixPath(name)
        folder = p.parent.as_posix()
        if doc is not None and folder not in material_folders:
            continue
        match = SEQ.match(p.name)
        if match and int(match.group(1)) > 0:
            folders[folder].add(int(match.group(1)))
    for folder, numbers in sorted(folders.items()):
        check.count += 1
        expected = set(range(1, max(numbers) + 1))
        if missing := sorted(expected - numbers):
            shown = "、".join(str(n) for n in missing[:10])
            check.problems.append(f"{folder}：序号有空号 {shown}")


def _check_items(doc: dict[str, Any] | None, c: dict[str, Check]) -> None:
    """An item with tasks from the task list must have material; one without tasks is only
    mentioned."""
    if doc is None:
        return
    check = c["items"]
    check.count = len(doc["items"])
    listed = doc.get("systems")
    systems: list[Any] = listed if isinstance(listed, list) else []
    # with more than one system, a problem says whose item it is
    names = {s.get("id"): s.get("name") for s in systems if isinstance(s, dict)} \
        if len(systems) > 1 else {}
    for item in doc["items"]:
        if item.get("tasks") and not item.get("materials"):
            whose = f"（{names[item.get('system')]}）" if item.get("system") in names else ""
            check.problems.append(f"{item['code']} {item['name']}{whose}：有 {item['tasks']} "
                                  "项任务，但没有可导出的材料")
    empty = [i for i in doc["items"] if not i.get("materials") and not i.get("tasks")]
    if empty:
        shown = "、".join(f"{i['code']} {i['name']}" for i in empty[:8])
        more = f" 等 {len(empty)} 项" if len(empty) > 8 else ""
        check.notes.append(f"没有材料（也没有任务）的测评内容：{shown}{more}")
