"""Importing files and folders as materials. A batch goes on past bad files and reports
one row per input file: stored, duplicate, or refused with the reason."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from desktop.core import search
from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.archive.items import resolve_targets
from desktop.core.archive.kinds import MATERIAL_TYPES
from desktop.core.archive.models import Blob, Filing, Material, MaterialFile, TextState
from desktop.core.archive.store import sha256_of
from desktop.core.common import formats
from desktop.core.common.atomic import WriteFailed, database_failure
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Progress, as_progress
from desktop.core.materials import docmeta, safety
from desktop.core.materials.detect import Detected, Refused, archive_kind, detect
from desktop.core.materials.unpack import UnpackRefused, unpack
from desktop.core.review import workflow
from desktop.core.review.roster import department_named

STORED, DUPLICATE, REFUSED = "stored", "duplicate", "refused"


@dataclass
class ImportRow:
    path: str
    status: str
    id: int | None = None
    title: str = ""
    sha256: str | None = None
    items: list[str] = field(default_factory=list)
    reason: str = ""
    kind: str = ""  # what the content is (formats.py), once it was read

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ImportOptions:
    codes: Sequence[str]
    department: str | None = None
    title: str | None = None
    material_type: str | None = None
    actor: str | None = None
    # read title, date, 文号 and type from the document itself (docmeta); options given
    # explicitly always win over what the document says
    document_metadata: bool = True
    # an archive of files (ZIP, 7z, RAR) is unpacked and its files imported one by one,
    # instead of being filed as one archive
    unpack: bool = False


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files to import, folders walked recursively in name order. Missing paths are an error
    up front, so nothing is imported from a mistyped command."""
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise ZichaError(f"找不到 {missing[0]}；请检查路径")
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            _walk(path, files)
        else:
            files.append(path)
    return files


def _walk(top: Path, files: list[Path]) -> None:
    """Append the files under `top`, depth first in name order, without recursion (a folder
    nested thousands deep is walked like any other). Links are not followed (they can loop);
    a link, a folder that cannot be listed, or a folder seen before (a bind mount of its own
    parent) is appended itself, so that import_file reports it instead of passing over it."""
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            files.append(folder)
            continue
        if (st.st_dev, st.st_ino) in seen:
            files.append(folder)
            continue
        seen.add((st.st_dev, st.st_ino))
        subfolders: list[Path] = []
        for entry in entries:
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            (subfolders if is_folder else files).append(Path(entry.path))
        stack.extend(reversed(subfolders))


def not_a_file(path: Path) -> str | None:
    """Why `path` is skipped without being opened (a link loop, a broken link, a pipe, a
    socket, a device, a folder that cannot be listed), or None for a regular file."""
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            try:
                st = os.stat(path)
            except OSError as exc:
                target = ""
                with contextlib.suppress(OSError):
                    target = f"（→ {os.readlink(path)}）"
                if exc.errno == errno.ELOOP:
                    return f"链接循环{target}：链接最终又指向自己，已跳过"
                if exc.errno == errno.ENOENT:
                    return f"链接指向的文件不存在{target}，无法读取，已跳过"
                return f"链接无法打开{target}（{exc.strerror or exc}），已跳过"
    except OSError as exc:
        return f"无法读取（{exc.strerror or exc}）"
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        if path.is_symlink():
            return "这是指向文件夹的链接，没有展开；请直接导入它指向的文件夹"
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            why = "没有读取权限" if isinstance(exc, PermissionError) else (exc.strerror or exc)
            return f"文件夹无法打开（{why}），其中的文件没有导入；请检查权限"
        return "这个文件夹在本次导入中已经出现过（挂载或链接造成的循环），没有再次展开"
    kinds = ((stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISSOCK, "套接字（socket）"),
             (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"))
    for test, what in kinds:
        if test(mode):
            return f"不是普通文件：这是{what}，没有打开，已跳过"
    if not stat.S_ISREG(mode):
        return "不是普通文件，已跳过"
    return None


def shown_path(path: Path) -> str:
    """`path` as text that can be printed and written to JSON: a name that is not valid in the
    file system's encoding (e.g. a GBK name on a UTF-8 system) shows its bytes escaped."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return text


def check_options(archive: Archive, files: Sequence[Path], options: ImportOptions) -> list[str]:
    if options.title is not None and len(files) != 1:
        raise ZichaError("指定材料名称只能用于导入单个文件；多个文件时各自取名",
                         hint="--title 只用于单个文件")
    if options.material_type is not None and options.material_type not in MATERIAL_TYPES:
        raise ZichaError(f"材料类型 {options.material_type} 不在 {'、'.join(MATERIAL_TYPES)} 之中")
    with archive.read() as session:
        return resolve_targets(session, list(options.codes))


class ImportStopped(ZichaError):
    """Writing to the archive failed (disk full, I/O error): the batch stopped. Every row
    reported before is true: what it says was stored is committed. `left`: how many files
    were not imported (the last `left` rows reported, the failed file's first)."""

    left: int = 0


def stopped(failure: WriteFailed, stored: int, left: int) -> ImportStopped:
    """The batch's one line when the archive could not be written: the failure, what was
    stored before it (committed), and how many files were not imported."""
    error = ImportStopped(f"{failure}（导入已停止：此前 {stored} 个文件已保存，"
                          f"其余 {left} 个未导入）")
    error.left = left
    return error


def import_paths(archive: Archive, paths: Sequence[Path], options: ImportOptions,
                 progress: Progress | None = None) -> Iterator[ImportRow]:
    """Yield one row per input file as it is done (with `options.unpack`, one per file of an
    archive instead of the archive's); `progress` steps (n, files, name) after each.
    Cancelled (or the driver stops iterating), the batch stops before the next file with
    Cancelled: every file already reported is committed, the one in progress is not.

    When the archive cannot be written (disk full, I/O error) the batch stops: the file that
    failed and every file after it get a refused row saying so, then ImportStopped is raised
    with one line naming the failure and what was stored before it."""
    progress = as_progress(progress)
    files = expand(paths)
    codes = check_options(archive, files, options)
    stored = 0
    for n, path in enumerate(files):
        progress.check("导入已取消")
        try:
            if options.unpack and (kind := archive_kind(path)) is not None:
                for row in _import_unpacked(archive, path, kind, codes, options, progress):
                    stored += row.status == STORED
                    yield row
            else:
                row = import_file(archive, path, codes, options)
                stored += row.status == STORED
                yield row
        except WriteFailed as exc:
            yield ImportRow(path=shown_path(path), status=REFUSED, items=list(codes),
                            reason=str(exc))
            for rest in files[n + 1:]:
                yield ImportRow(path=shown_path(rest), status=REFUSED, items=list(codes),
                                reason="未导入：写入档案失败，导入已停止")
            raise stopped(exc, stored, len(files) - n) from None
        progress.step(n + 1, len(files), path.name)


def _import_unpacked(archive: Archive, path: Path, kind: str, codes: list[str],
                     options: ImportOptions, progress: Progress) -> Iterator[ImportRow]:
    """The files of the archive `path`, unpacked into a temporary folder and imported one by
    one, each row named `包.zip › 文件夹/文件.pdf`; a member unpack refuses gets a refused
    row, an archive refused whole (a bomb, encrypted, damaged) one row of its own."""
    shown = shown_path(path)
    with tempfile.TemporaryDirectory(prefix="zicha-unpack-") as work:
        try:
            result = unpack(path, kind, Path(work) / "files")
        except UnpackRefused as exc:
            yield ImportRow(path=shown, status=REFUSED, items=list(codes),
                            reason=f"压缩包未解压：{exc}")
            return
        for skipped in result.refused:
            yield ImportRow(path=f"{shown} › {skipped.name}", status=REFUSED, items=list(codes),
                            reason=skipped.reason)
        for member in result.files:
            progress.check("导入已取消")
            row = import_file(archive, member.path, codes, options,
                              origin=f"{path.name} › {member.name}")
            row.path = f"{shown} › {member.name}"
            yield row


def import_file(archive: Archive, path: Path, codes: list[str],
                options: ImportOptions, *, origin: str | None = None) -> ImportRow:
    """Import one file; a file that cannot be imported gets a refused row with the reason.
    Raises atomic.WriteFailed when the archive itself cannot be written (disk full, I/O
    error): nothing of this file is kept, and every file imported before stays."""
    row = ImportRow(path=shown_path(path), status=REFUSED, items=list(codes))
    if (why := not_a_file(path)) is not None:
        row.reason = why
        return row
    if row.path != str(path):
        row.reason = _undecodable_name(path)
        return row
    if Path(os.path.realpath(archive.root)) in Path(os.path.realpath(path)).parents:
        row.reason = "这个文件在档案文件夹内部，不能再导入"
        return row
    try:
        detected = detect(path)
        row.kind = detected.kind
        sha = sha256_of(path)
    except Refused as exc:
        row.reason = str(exc)
        return row
    except OSError as exc:
        row.reason = f"无法读取（{exc.strerror or exc}）"
        return row
    try:
        if (existing := _material_with(archive, sha)) is not None:
            return _file_duplicate(archive, row, existing, sha, codes, options)
        new_blob = not archive.store.has(sha)
        try:
            sha, size = archive.store.put(path)
        except WriteFailed:
            raise
        except OSError as exc:  # reading the source failed while copying it
            row.reason = f"无法读取（{exc.strerror or exc}）"
            return row
        try:
            return _record(archive, row, path, detected, sha, size, codes, options, origin)
        except BaseException as exc:
            if new_blob and _surely_not_committed(exc, archive):
                archive.store.discard(sha)  # no material refers to the copy
            raise
    except DBAPIError as exc:
        failure = database_failure(exc, archive.root / DB_NAME)
        if failure is None:
            raise
        raise failure from None


def _surely_not_committed(exc: BaseException, archive: Archive) -> bool:
    """After an I/O error in the commit itself SQLite may still find the transaction in its
    log when it next opens the database, so the copy is kept then (an unreferenced file is
    only a note for verify, a missing one would be damage). A full disk or an error before
    the commit means nothing was written."""
    if not isinstance(exc, DBAPIError):
        return True
    failure = database_failure(exc, archive.root / DB_NAME)
    return failure is not None and failure.disk_full


def _undecodable_name(path: Path) -> str:
    raw = os.fsencode(path.name)
    guess = ""
    with contextlib.suppress(UnicodeDecodeError):
        guess = f"（按 GBK 编码读作“{raw.decode('gb18030')}”）"
    return (f"文件名不是本机使用的 UTF-8 编码{guess}，无法正确保存文件名；"
            "请把文件改名后再导入")


def _material_with(archive: Archive, sha: str) -> int | None:
    with archive.read() as session:
        return session.scalars(
            select(MaterialFile.material_id).where(MaterialFile.sha256 == sha).limit(1)
        ).first()


def _file_duplicate(archive: Archive, row: ImportRow, material_id: int, sha: str,
                    codes: list[str], options: ImportOptions) -> ImportRow:
    with archive.write(options.actor) as (session, log):
        material = session.get(Material, material_id)
        assert material is not None
        added = [c for c in codes if c not in material.codes]
        # filings are part of what reviewers sign: a material in review keeps its own
        locked = bool(added) and material.state not in workflow.EDITABLE_STATES
        if added and not locked:
            material.filings.extend(Filing(node_code=c) for c in added)
            log("material.file_under", f"material:{material_id}",
                {"added": added, "via": "duplicate import", "path": row.path})
        row.items = material.codes
        row.id, row.title = material.id, material.title
        state = workflow.STATE_LABELS[workflow.ReviewState(material.state)]
    row.status, row.sha256 = DUPLICATE, sha
    row.reason = f"内容与已有材料 #{material_id}《{row.title}》相同，未重复保存"
    if locked:
        row.reason += (f"；它的状态是「{state}」，审核中或已通过的材料不改归档，没有归入 "
                       f"{'、'.join(added)}（退回后可再归入）")
    elif added:
        row.reason += f"；已将其同时归入 {'、'.join(added)}"
    return row


def _record(archive: Archive, row: ImportRow, path: Path, detected: Detected, sha: str,
            size: int, codes: list[str], options: ImportOptions,
            origin: str | None = None) -> ImportRow:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    meta = (docmeta.read(path, detected.kind) if options.document_metadata
            else docmeta.DocMeta())
    title = (options.title or meta.title or path.stem).strip() or path.name
    material_type = options.material_type or meta.material_type or (
        "图片" if detected.kind in formats.IMAGE_KINDS
        else "视频" if detected.kind in formats.VIDEO_KINDS else "其他")
    active = safety.scan(path)  # stored all the same, but the clerk learns of it now
    with archive.write(options.actor) as (session, log):
        if session.get(Blob, sha) is None:
            session.add(Blob(sha256=sha, size=size, kind=detected.kind, mime=detected.mime,
                             page_count=detected.page_count, stored_at=now))
            session.add(TextState(sha256=sha))  # its text is extracted in the background
        material = Material(
            title=title, material_type=material_type, created_at=now, updated_at=now,
            created_by=log.actor, material_date=meta.date, doc_number=meta.doc_number,
            caption_time=meta.caption_time, description=meta.note,
            department=department_named(session, options.department)
            if options.department else None,
        )
        material.files = [MaterialFile(sha256=sha, filename=path.name, position=0)]
        material.filings = [Filing(node_code=c) for c in codes]
        session.add(material)
        session.flush()
        entry: dict[str, Any] = {
            "title": title, "items": codes, "department": options.department or "",
            "files": [{"name": path.name, "sha256": sha, "size": size, "kind": detected.kind}],
        }
        if meta != docmeta.DocMeta():  # what was taken from the document, for the trail
            entry["from_document"] = {
                k: v for k, v in (("title", meta.title), ("source", meta.source),
                                  ("material_date", meta.date.isoformat() if meta.date else ""),
                                  ("doc_number", meta.doc_number),
                                  ("material_type", meta.material_type),
                                  ("caption_time", meta.caption_time),
                                  ("note", meta.note)) if v}
        if active:
            entry["active_content"] = active
        if origin:
            entry["unpacked_from"] = origin
        log("material.import", f"material:{material.id}", entry)
        search.refresh(archive, session, [material.id])
        row.id = material.id
    warning = (f"注意：含活动内容（{'；'.join(active)}），导出时不能通过四性检测（安全性）；"
               "请换用不含脚本、附件和宏的版本") if active else ""
    packed = ("压缩包已原样保存为一份材料；要把其中的文件逐个归档，请用“解压导入”"
              if detected.kind in formats.ARCHIVE_KINDS else "")
    row.status, row.sha256, row.title, row.kind = STORED, sha, title, detected.kind
    row.reason = "；".join(r for r in (detected.note, warning, packed) if r)
    return row
