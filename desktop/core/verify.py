"""Checking an archive (fsck): database integrity, every file's hash, references, audit chain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select, text

from desktop.core import audit, db
from desktop.core.archive import Archive
from desktop.core.models import AuditEntry, Blob, MaterialFile
from desktop.core.store import sha256_of


@dataclass
class Check:
    name: str
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    count: int = 0

    def fail(self, message: str) -> None:
        self.ok = False
        self.problems.append(message)


@dataclass
class ArchiveReport:
    archive: str
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {"kind": "archive", "archive": self.archive, "ok": self.ok,
                "checks": [asdict(c) for c in self.checks]}


Progress = Callable[[int, int], None]


def verify_archive(archive: Archive, progress: Progress | None = None) -> ArchiveReport:
    return ArchiveReport(str(archive.root), [
        _database(archive), _files(archive, progress), _audit(archive), _index(archive),
    ])


def _database(archive: Archive) -> Check:
    check = Check("数据库完整性")
    with archive.engine.connect() as conn:
        result = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
        if result != ["ok"]:
            for line in result[:20]:
                check.fail(f"integrity_check: {line}")
        for row in conn.execute(text("PRAGMA foreign_key_check")).fetchall()[:20]:
            check.fail(f"外键引用断开: 表 {row[0]} 第 {row[1]} 行 → {row[2]}")
    current, head = db.current_revision(archive.engine), db.head_revision(archive.engine)
    if current != head:
        check.fail(f"数据库结构版本 {current} 不是最新的 {head}")
    return check


def _files(archive: Archive, progress: Progress | None) -> Check:
    check = Check("文件哈希与引用")
    with archive.read() as session:
        blobs = {b.sha256: b.size for b in session.scalars(select(Blob))}
        referenced = set(session.scalars(select(MaterialFile.sha256).distinct()))
    for sha in sorted(referenced - blobs.keys()):
        check.fail(f"材料引用的文件 {sha[:12]}… 没有登记")
    total = len(blobs)
    for n, (sha, size) in enumerate(sorted(blobs.items()), 1):
        path = archive.store.path_for(sha)
        if not path.is_file():
            check.fail(f"文件 {path.relative_to(archive.root)} 丢失")
        elif path.stat().st_size != size or sha256_of(path) != sha:
            check.fail(f"文件 {path.relative_to(archive.root)} 内容已被改动（哈希不符）")
        if progress:
            progress(n, total)
    check.count = total
    stray = [sha for sha, _ in archive.store.iter_stored() if sha not in blobs]
    if stray:
        # a copy finished before its database commit (e.g. a crash): harmless, reused on re-import
        check.notes.append(f"{len(stray)} 个文件未被任何材料引用（中断的导入留下的，不影响档案）")
    leftovers = list(archive.store.tmp.glob("*")) if archive.store.tmp.is_dir() else []
    if leftovers:
        check.notes.append(f"{len(leftovers)} 个临时文件，下次写入时自动清除")
    return check


def _audit(archive: Archive) -> Check:
    check = Check("审计日志哈希链")
    with archive.read() as session:
        report = audit.verify_chain(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    check.count = report.entries
    for problem in report.problems[:50]:
        check.fail(problem)
    return check


def _index(archive: Archive) -> Check:
    from desktop.core import search, texts

    check = Check("全文索引")
    found = search.drift(archive)
    for material_id in found.missing[:20]:
        check.fail(f"材料 #{material_id} 不在全文索引中")
    for material_id in found.stale[:20]:
        check.fail(f"全文索引中的材料 #{material_id} 已不存在")
    for problem in found.problems:
        check.fail(problem)
    if found.missing or found.stale:
        check.problems.append("需要重建全文索引")
    states = texts.counts(archive)
    if states["pending"] or states["ocr_pending"]:
        check.notes.append(f"{states['pending']} 个文件等待提取文字，"
                           f"{states['ocr_pending']} 个等待 OCR（可继续提取）")
    if states["failed"]:
        check.notes.append(f"{states['failed']} 个文件无法提取文字（原因见文字提取状态）")
    return check
