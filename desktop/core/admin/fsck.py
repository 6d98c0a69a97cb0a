"""Checking an archive (fsck): database integrity, every file's hash, references, audit chain."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select, text

from desktop.core.archive import audit, db, server
from desktop.core.archive.archive import HEAD_NAME, Archive
from desktop.core.archive.items import CATEGORY_CODE, ITEM_CODE
from desktop.core.archive.kinds import NodeKind
from desktop.core.archive.models import (
    AuditEntry,
    Base,
    Blob,
    IndicatorNode,
    IndicatorSystemRecord,
    Material,
    MaterialFile,
)
from desktop.core.archive.store import digests_of, sha256_of
from desktop.core.common.progress import Progress, as_progress
from desktop.core.review import archival


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


def verify_archive(archive: Archive, progress: Progress | None = None) -> ArchiveReport:
    """Every check of the archive; `progress` steps once per stored file (what = "")."""
    steps = as_progress(progress)
    return ArchiveReport(str(archive.root), [
        _database(archive), _systems(archive), _files(archive, steps), _audit(archive),
        _index(archive), _signed_state(archive), _register(archive),
    ])


def _register(archive: Archive) -> Check:
    """The 档号 register (review/archival.py): each 全宗号-年度-保管期限 sequence has every 件号
    from 0001 to its highest exactly once (withdrawn lines included), and no material has two
    numbers in force."""
    check = Check("档号登记")
    with archive.read() as session:
        lines = archival.register_in(session)
    check.count = len(lines)
    for problem in archival.gaps([line.to_json() for line in lines]):
        check.fail(problem)
    in_force: dict[int, list[str]] = {}
    for line in lines:
        if not line.withdrawn and line.material_id is not None:
            in_force.setdefault(line.material_id, []).append(line.code.text)
    for material_id, codes in sorted(in_force.items()):
        if len(codes) > 1:
            check.fail(f"材料 #{material_id} 有 {len(codes)} 个在用的档号：{'、'.join(codes)}")
    return check


def _database(archive: Archive) -> Check:
    check = Check("数据库完整性")
    if archive.server is not None:
        _server_database(archive, check)
        return check
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


def _server_database(archive: Archive, check: Check) -> None:
    """A server archive: PostgreSQL checks every reference on each write, so what can go wrong
    is a constraint or index that no longer holds (added NOT VALID, its triggers disabled, an
    index build that failed) and a schema behind this version. Page-level checks of the
    server's files are the server admin's (pg_amcheck, data checksums)."""
    with archive.engine.connect() as conn:
        tables = set(conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
        for table in sorted(set(Base.metadata.tables) - tables):
            check.fail(f"数据库中缺少表 {table}")
        for name, table in conn.execute(text(
                "SELECT c.conname, c.conrelid::regclass::text FROM pg_constraint AS c "
                "JOIN pg_namespace AS n ON n.oid = c.connamespace "
                "WHERE n.nspname = current_schema() AND NOT c.convalidated")):
            check.fail(f"表 {table} 的约束 {name} 未经验证（NOT VALID），其中的行可能不符合它")
        for table, count in conn.execute(text(
                "SELECT t.tgrelid::regclass::text, count(*) FROM pg_trigger AS t "
                "JOIN pg_class AS r ON r.oid = t.tgrelid JOIN pg_namespace AS n "
                "ON n.oid = r.relnamespace WHERE n.nspname = current_schema() "
                "AND t.tgisinternal AND t.tgenabled = 'D' GROUP BY 1")):
            check.fail(f"表 {table} 有 {count} 个外键检查被停用：引用可能已断开")
        for index in conn.execute(text(
                "SELECT i.indexrelid::regclass::text FROM pg_index AS i JOIN pg_class AS r "
                "ON r.oid = i.indrelid JOIN pg_namespace AS n ON n.oid = r.relnamespace "
                "WHERE n.nspname = current_schema() AND NOT i.indisvalid")).scalars():
            check.fail(f"索引 {index} 无效（建立时中断）；需要重建（REINDEX）")
        for table, _column, following, top in _sequences_behind(conn, tables):
            check.fail(f"表 {table} 的编号序列落后：下一个编号 {following} 不大于已有的最大编号 "
                       f"{top}，新增记录会冲突；需要管理员把序列调到最大编号之后（setval）")
        check.count = len(tables)
    current, head = server.current_revision(archive.engine), db.head_revision(archive.engine)
    if current != head:
        check.fail(f"数据库结构版本 {current} 不是最新的 {head}")
    check.notes.append("数据库在 PostgreSQL 服务器上：已检查表、约束、外键检查与索引；"
                       "服务器数据文件的页面级校验由服务器管理员进行（pg_amcheck）")


def _sequences_behind(conn: Connection, tables: set[str]) -> list[tuple[str, str, int, int]]:
    """Serial keys whose sequence would hand out an id already taken (rows written with their
    ids by hand or restored without their sequences): (table, column, next id, highest id).
    Read without advancing the sequence (its last_value and is_called)."""
    behind = []
    for table, column, sequence in conn.execute(text(
            "SELECT c.relname, a.attname, pg_get_serial_sequence(c.relname, a.attname) "
            "FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
            "JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' "
            "AND pg_get_serial_sequence(c.relname, a.attname) IS NOT NULL")):
        if table not in tables or table == "audit_entry":  # its seq is the log's own count
            continue
        last, called = conn.execute(text(
            f"SELECT last_value, is_called FROM {sequence}")).one()
        following = last + 1 if called else last
        top = conn.execute(text(f'SELECT max("{column}") FROM "{table}"')).scalar()
        if top is not None and following <= top:
            behind.append((table, column, following, top))
    return behind


def _systems(archive: Archive) -> Check:
    """One city system (no prefix); every 测评项目 and 测评内容 carries its system's prefix and
    sits under a 测评项目 of the same system."""
    check = Check("测评体系")
    with archive.read() as session:
        records = {r.id: r for r in session.scalars(select(IndicatorSystemRecord))}
        main = [r for r in records.values() if r.prefix == ""]
        if len(main) != 1:
            check.fail(f"应有且只有一个主测评体系（无编号前缀），现有 {len(main)} 个")
        found = session.scalars(select(IndicatorNode)).all()
        system_of = {n.code: n.system_id for n in found}
        for node in found:
            check.count += 1
            record = records.get(node.system_id)
            if record is None:
                check.fail(f"{node.code} {node.name} 所属的测评体系 {node.system_id} 不存在")
                continue
            pattern = CATEGORY_CODE if node.kind == NodeKind.CATEGORY else ITEM_CODE
            if not node.code.startswith(record.prefix) or not pattern.match(node.code) or (
                    record.prefix == "" and node.code[:1].isalpha()):
                check.fail(f"{node.code} {node.name} 的编号与测评体系“{record.name}”"
                           f"（编号前缀 {record.prefix or '无'}）不符")
            if node.parent_code and system_of.get(node.parent_code) != node.system_id:
                check.fail(f"{node.code} {node.name} 与其测评项目 {node.parent_code} "
                           "不属于同一个测评体系")
        if len(check.problems) > 20:
            check.problems[20:] = [f"……另有 {len(check.problems) - 20} 处"]
    return check


def _files(archive: Archive, progress: Progress) -> Check:
    check = Check("文件哈希与引用")
    with archive.read() as session:
        blobs = {b.sha256: (b.size, b.sm3) for b in session.scalars(select(Blob))}
        referenced = set(session.scalars(select(MaterialFile.sha256).distinct()))
    for sha in sorted(referenced - blobs.keys()):
        check.fail(f"材料引用的文件 {sha[:12]}… 没有登记")
    total = len(blobs)
    for n, (sha, (size, sm3)) in enumerate(sorted(blobs.items()), 1):
        path = archive.store.path_for(sha)
        shown = path.relative_to(archive.root)
        if not path.is_file():
            check.fail(f"文件 {shown} 丢失")
        elif path.stat().st_size != size:
            check.fail(f"文件 {shown} 内容已被改动（大小不符）")
        else:
            # the SM3 recorded when it was stored is what exports write of it (migration 0020)
            found, national = digests_of(path) if sm3 else (sha256_of(path), None)
            if found != sha:
                check.fail(f"文件 {shown} 内容已被改动（哈希不符）")
            elif sm3 and national is not None and national != sm3:
                check.fail(f"文件 {shown} 的 SM3 摘要与数据库中登记的不符（登记被改动）；"
                           "导出会写出错误的 SM3 清单，请从备份恢复数据库")
        progress.step(n, total)
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
    from desktop.core.review import decisions

    check = Check("审计日志哈希链")
    try:  # read before the database: a commit after it can only put the database ahead
        head: dict[str, object] | None | Exception = archive.recorded_head()
    except (OSError, ValueError) as exc:
        head = exc
    with archive.read() as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        anchored = decisions.anchors(session)
    report = audit.verify_chain(entries)
    check.count = report.entries
    for problem in report.problems[:50]:
        check.fail(problem)
    hashes = {e.seq: e.hash for e in entries}
    last = entries[-1].seq if entries else 0
    for problem in _head_problems(archive, head, hashes, last):
        check.fail(problem)
    broken = [(where, seq) for where, seq, digest in anchored
              if seq and hashes.get(seq) != digest]
    for where, seq in broken[:20]:
        if seq not in hashes:
            check.fail(f"{where}签名时审计日志已有第 {seq} 条，现在这一条不在了：审计日志被删改")
        else:
            check.fail(f"{where}签名时的审计日志第 {seq} 条与现在的不同：审计日志被重写")
    for e in entries:
        if e.action == audit.TAMPER_FOUND:
            try:
                seen = json.loads(e.detail)["recorded_head"]["seq"]
            except (ValueError, KeyError, TypeError):
                seen = "?"
            check.fail(f"审计日志第 {e.seq} 条：写入时发现链头记录的第 {seen} 条已不在数据库中"
                       f"或已改变（{e.at[:19]}），此前的审计日志被删改过")
    if anchored:
        check.notes.append(f"已对照 {len(anchored)} 个审核签名中记录的审计日志位置")
    return check


def _head_problems(archive: Archive, head: dict[str, object] | None | Exception,
                   hashes: dict[int, str], last: int) -> list[str]:
    """The chain against the head recorded outside the database after each commit."""
    name = HEAD_NAME
    if isinstance(head, Exception):
        return [f"审计日志链头记录 {name} 无法读取（{head}）"]
    if head is None:
        if not hashes:
            return []
        return [f"审计日志链头记录 {name} 不存在：无法确认审计日志末尾完整（由旧版本建立、"
                "此后未写入过的档案没有它，以可写方式打开一次即建立）"]
    seq, digest = int(str(head["seq"])), str(head["hash"])
    if head.get("archive_id") != archive.info().get("archive_id"):
        return [f"审计日志链头记录 {name} 属于另一个档案"]
    if seq > last:
        return [f"审计日志被截断：链头记录到第 {seq} 条，数据库中只到第 {last} 条"]
    if hashes.get(seq) != digest:
        return [f"审计日志第 {seq} 条与链头记录不符：该条及之前的记录被改写或重新计算"]
    return []  # the database may be ahead: a crash between a commit and the head record


def _index(archive: Archive) -> Check:
    from desktop.core import search
    from desktop.core.materials import texts

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


def _signed_state(archive: Archive) -> Check:
    """Every material past 初审 is, as it is now, what its last decision signed (metadata,
    filings, files), and its state is backed by the signed decisions of its current round."""
    from desktop.core.review import decisions

    check = Check("审核签名与材料现状")
    found = decisions.signed_state_problems(archive)
    with archive.read() as session:
        check.count = session.scalar(select(func.count()).select_from(Material).where(
            Material.state.in_(list(decisions.APPROVED_STAGES)))) or 0
    for mismatch in found[:50]:
        check.fail(str(mismatch))
    if len(found) > 50:
        check.fail(f"另有 {len(found) - 50} 份材料同样与签名不符")
    return check
