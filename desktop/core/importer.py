"""Importing files and folders as materials. A batch goes on past bad files and reports
one row per input file: stored, duplicate, or refused with the reason."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop.core import docmeta, search
from desktop.core.archive import Archive
from desktop.core.detect import Detected, Refused, detect
from desktop.core.errors import ZichaError
from desktop.core.items import resolve_targets
from desktop.core.materials import department_named
from desktop.core.models import (
    MATERIAL_TYPES,
    Blob,
    Filing,
    Material,
    MaterialFile,
    TextState,
)
from desktop.core.store import sha256_of

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


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files to import, folders walked recursively in name order. Missing paths are an error
    up front, so nothing is imported from a mistyped command."""
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise ZichaError(f"找不到 {missing[0]}；请检查路径")
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        # A folder that cannot be listed, or a link to a folder (not followed: links can loop),
        # is kept in the list so that the report names it instead of passing over it.
        for top, dirs, names in os.walk(path, onerror=lambda e: files.append(Path(e.filename))):
            dirs.sort()
            linked = [d for d in dirs if (Path(top) / d).is_symlink()]
            entries = names + linked
            files.extend(Path(top) / n for n in sorted(entries))
    return files


def check_options(archive: Archive, files: Sequence[Path], options: ImportOptions) -> list[str]:
    if options.title is not None and len(files) != 1:
        raise ZichaError("指定材料名称只能用于导入单个文件；多个文件时各自取名",
                         hint="--title 只用于单个文件")
    if options.material_type is not None and options.material_type not in MATERIAL_TYPES:
        raise ZichaError(f"材料类型 {options.material_type} 不在 {'、'.join(MATERIAL_TYPES)} 之中")
    with archive.read() as session:
        return resolve_targets(session, list(options.codes))


def import_paths(archive: Archive, paths: Sequence[Path],
                 options: ImportOptions) -> Iterator[ImportRow]:
    """Yield one row per input file as it is done. Stop iterating to cancel: every file already
    reported is committed, the one in progress is not."""
    files = expand(paths)
    codes = check_options(archive, files, options)
    for path in files:
        yield import_file(archive, path, codes, options)


def import_file(archive: Archive, path: Path, codes: list[str],
                options: ImportOptions) -> ImportRow:
    row = ImportRow(path=str(path), status=REFUSED, items=list(codes))
    if archive.root.resolve() in path.resolve().parents:
        row.reason = "这个文件在档案文件夹内部，不能再导入"
        return row
    try:
        detected = detect(path)
        sha = sha256_of(path)
    except Refused as exc:
        row.reason = str(exc)
        return row
    except OSError as exc:
        row.reason = f"无法读取（{exc.strerror or exc}）"
        return row
    if (existing := _material_with(archive, sha)) is not None:
        return _file_duplicate(archive, row, existing, sha, codes, options)
    try:
        sha, size = archive.store.put(path)
    except OSError as exc:
        row.reason = f"无法复制到档案（{exc.strerror or exc}）；检查磁盘空间和权限"
        return row
    return _record(archive, row, path, detected, sha, size, codes, options)


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
        if added:
            material.filings.extend(Filing(node_code=c) for c in added)
            log("material.file_under", f"material:{material_id}",
                {"added": added, "via": "duplicate import", "path": row.path})
        row.items = material.codes
        row.id, row.title = material.id, material.title
    row.status, row.sha256 = DUPLICATE, sha
    row.reason = f"内容与已有材料 #{material_id}《{row.title}》相同，未重复保存"
    if added:
        row.reason += f"；已将其同时归入 {'、'.join(added)}"
    return row


def _record(archive: Archive, row: ImportRow, path: Path, detected: Detected, sha: str,
            size: int, codes: list[str], options: ImportOptions) -> ImportRow:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    meta = (docmeta.read(path, detected.kind) if options.document_metadata
            else docmeta.DocMeta())
    title = (options.title or meta.title or path.stem).strip() or path.name
    material_type = options.material_type or meta.material_type or (
        "图片" if detected.kind in docmeta.IMAGE_KINDS else "其他")
    with archive.write(options.actor) as (session, log):
        if session.get(Blob, sha) is None:
            session.add(Blob(sha256=sha, size=size, kind=detected.kind, mime=detected.mime,
                             page_count=detected.page_count, stored_at=now))
            session.add(TextState(sha256=sha))  # its text is extracted in the background
        material = Material(
            title=title, material_type=material_type, created_at=now, updated_at=now,
            created_by=log.actor, material_date=meta.date, doc_number=meta.doc_number,
            department=department_named(session, options.department)
            if options.department else None,
        )
        material.files = [MaterialFile(sha256=sha, filename=path.name, position=0)]
        material.filings = [Filing(node_code=c) for c in codes]
        session.add(material)
        session.flush()
        entry = {
            "title": title, "items": codes, "department": options.department or "",
            "files": [{"name": path.name, "sha256": sha, "size": size, "kind": detected.kind}],
        }
        if meta != docmeta.DocMeta():  # what was taken from the document, for the trail
            entry["from_document"] = {
                k: v for k, v in (("title", meta.title), ("source", meta.source),
                                  ("material_date", meta.date.isoformat() if meta.date else ""),
                                  ("doc_number", meta.doc_number),
                                  ("material_type", meta.material_type)) if v}
        log("material.import", f"material:{material.id}", entry)
        search.refresh(archive, session, [material.id])
        row.id = material.id
    row.status, row.sha256, row.title, row.reason = STORED, sha, title, detected.note
    return row
