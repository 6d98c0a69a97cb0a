"""Moving an archive between the engines (team mode, docs/team-mode.md): a SQLite archive into a
server archive on PostgreSQL, or back, as a new archive in a new folder; the source is only read.

Every row of every table is copied as it is — ids, global ids, signed decisions, the audit log
with its hashes, the archive's own id — so signatures and the chain verify unchanged in the new
archive; every stored file is copied and its SHA-256 checked against the database on the way.
The source is read in one snapshot and streamed table by table, CHUNK rows at a time (a table
that refers to itself, parents before children, ordered in the database), so memory stays the
same whatever the archive's size. The rows go in in one transaction, which commits only when
each table holds as many rows as the source's; the audit chain is compared entry by entry
through a digest of every (seq, hash) taken on the way in and again in the new archive; the new
archive's search index is then rebuilt, the move is one audit entry there, and the whole new
archive is checked as `verify` does. Whatever fails, the half-made new archive is
taken away again (its folder, and on a server the tables this made), and the source is unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, Table, func, insert, literal, select, text

from desktop.core import search
from desktop.core.admin.fsck import verify_archive
from desktop.core.archive import server
from desktop.core.archive.archive import HEAD_NAME, Archive
from desktop.core.archive.models import AuditEntry, Base, Blob
from desktop.core.common import atomic
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Progress, as_progress

CHUNK = 1000
SKIPPED = ("search_",)  # the search index is rebuilt for the new engine, not copied
SERVER_ONLY = ("search_gram", "search_fold")  # the server engine's tables (no ORM model)


@dataclass
class MigrateReport:
    source: str
    target: str
    engine: str
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied (= the source's)
    files: int = 0
    audit_entries: int = 0  # copied; the new archive then adds its own (the move, the index)
    checks_ok: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "engine": self.engine,
                "rows": self.rows, "files": self.files, "audit_entries": self.audit_entries,
                "verified": self.checks_ok}


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if not t.name.startswith(SKIPPED)]


def _ordered(table: Table) -> Select:
    """All rows of a table in a fixed order: by primary key; for a table that refers to itself
    (the indicator tree), each row after its parent (by depth in the tree, found by the
    database). Rows no root reaches (a cycle, a missing parent) come last: the database then
    refuses them."""
    key = list(table.primary_key.columns)
    own = [(fk.parent, fk.column) for fk in table.foreign_keys if fk.column.table is table]
    if not own:
        return select(table).order_by(*key)
    child, parent = own[0]
    tree = select(parent.label("k"), literal(0).label("depth")).where(
        child.is_(None)).cte("tree", recursive=True)
    below = table.alias("below")
    tree = tree.union_all(select(below.c[parent.name], tree.c.depth + 1).join(
        tree, below.c[child.name] == tree.c.k))
    depth = select(tree.c.k, func.min(tree.c.depth).label("depth")).group_by(
        tree.c.k).subquery("depth")
    return (select(table).outerjoin(depth, depth.c.k == parent)
            .order_by(func.coalesce(depth.c.depth, 1 << 30), *key))


def _chain_digest(digest: Any, rows: Iterable[Any]) -> int:
    """Feed (seq, hash) of audit entries into `digest`; returns how many."""
    n = 0
    for seq, entry_hash in rows:
        digest.update(f"{seq}:{entry_hash}\n".encode())
        n += 1
    return n


def migrate_archive(source: Archive, target_root: Path, server_url: str | None, *,
                    actor: str | None = None, progress: Progress | None = None
                    ) -> MigrateReport:
    """Copy `source` into a new archive in `target_root`: on the PostgreSQL database
    `server_url` (an empty one), or in a SQLite file when it is None."""
    steps = as_progress(progress)
    target_root = Path(target_root)
    if target_root.resolve() == source.root.resolve():
        raise ZichaError(f"迁移的目标文件夹 {target_root} 就是档案本身；请为新档案选择一个新的"
                         "或空的文件夹")
    with source.read() as session:  # one snapshot of the source, read as it is copied
        read = session.connection().execution_options(yield_per=CHUNK)
        source_id = read.execute(select(text("value")).select_from(text("archive_info")).where(
            text("key = 'archive_id'"))).scalar() or ""
        blob_count = read.execute(select(func.count()).select_from(Blob)).scalar_one()
        made_root = not target_root.exists()
        target = Archive.create(target_root, actor=actor, server_url=server_url)
        target_server = target.server
        report = MigrateReport(source=str(source.root), target=str(target_root),
                               engine=target.engine.dialect.name)
        try:
            for n, sha in enumerate(read.execute(
                    select(Blob.sha256).order_by(Blob.sha256)).scalars(), 1):
                _copy_file(source, target, sha)
                steps.step(n, blob_count * 2)
            report.files = blob_count
            chain = hashlib.sha256()
            with target.engine.begin() as conn:
                counts = _replace_rows(conn, read, chain)
                for table in _tables():
                    there = read.execute(select(func.count()).select_from(table)).scalar_one()
                    copied = conn.execute(select(func.count()).select_from(table)).scalar_one()
                    if not there == counts[table.name] == copied:
                        raise ZichaError(f"迁移核对失败：表 {table.name} 有 {there} 行，"
                                         f"复制了 {counts[table.name]} 行，新档案中是 {copied} "
                                         "行；新档案已撤销")
                    report.rows[table.name] = copied
            report.audit_entries = counts[AuditEntry.__tablename__]
        except BaseException as exc:
            target.close()
            left = _undo(target_root, made_root, target_server)
            if left and isinstance(exc, ZichaError):
                raise ZichaError(f"{exc}；{left}", hint=exc.hint) from exc
            raise
    try:
        target.close()
        # the new archive is now the source's (its id, its chain): the folder says so too
        (target_root / HEAD_NAME).unlink(missing_ok=True)
        if target_server is not None:
            server.write_config(target_root, replace(target_server, archive_id=source_id))
        target = Archive.open(target_root)
        with target.write(actor) as (session, log):
            log("archive.migrate", str(target_root), {
                "from": str(source.root), "engine": report.engine, "files": report.files,
                "rows": report.rows})
        search.rebuild(target)
        steps.step(blob_count * 2, blob_count * 2)
        copied_chain = hashlib.sha256()
        with target.read() as session:
            entries = session.connection().execution_options(yield_per=CHUNK).execute(
                select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq).limit(
                    report.audit_entries))
            seen = _chain_digest(copied_chain, entries)
        if seen != report.audit_entries or copied_chain.digest() != chain.digest():
            raise ZichaError("迁移核对失败：新档案的审计日志与原档案的不一致；新档案已撤销")
        checked = verify_archive(target)
        if not checked.ok:
            failed = "；".join(f"{c.name}：{c.problems[0] if c.problems else '未通过'}"
                              for c in checked.checks if not c.ok)
            raise ZichaError(f"迁移后的档案检查未通过（{failed}）；新档案已撤销")
        report.checks_ok = True
        target.close()
        return report
    except BaseException as exc:
        target.close()
        left = _undo(target_root, made_root, target_server)
        if left and isinstance(exc, ZichaError):
            raise ZichaError(f"{exc}；{left}", hint=exc.hint) from exc
        raise


def _copy_file(source: Archive, target: Archive, sha: str) -> None:
    path = source.store.path_for(sha)
    try:
        got, _size = target.store.put(path)
    except FileNotFoundError:
        raise ZichaError(f"档案 {source.root} 缺少文件 {sha}（数据库中有记录）；请先检查档案，"
                         "修复后再迁移") from None
    if got != sha:
        target.store.discard(got)
        raise ZichaError(f"档案 {source.root} 中的文件 {sha} 内容与其哈希不符（现为 {got}）；"
                         "请先检查档案，修复后再迁移")


def _replace_rows(conn: Connection, read: Connection, chain: Any) -> dict[str, int]:
    """The new archive's own first rows out, the source's in (parents before children), streamed
    from `read` CHUNK rows at a time; on PostgreSQL under the write lane, with every id sequence
    moved past the copied ids. The audit entries' (seq, hash) go into `chain` on the way.
    Returns the rows copied per table."""
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": server.WRITE_LOCK_KEY})
    for table in reversed(_tables()):
        conn.execute(table.delete())
    counts: dict[str, int] = {}
    for table in _tables():
        counts[table.name] = 0
        audit = table.name == AuditEntry.__tablename__
        for part in read.execute(_ordered(table)).mappings().partitions(CHUNK):
            rows = [{c.name: row[c.name] for c in table.columns} for row in part]
            conn.execute(insert(table), rows)
            counts[table.name] += len(rows)
            if audit:
                _chain_digest(chain, ((r["seq"], r["hash"]) for r in rows))
    if postgres:
        for table in _tables():
            _move_sequences(conn, table)
    return counts


def _move_sequences(conn: Connection, table: Table) -> None:
    for column in table.primary_key.columns:
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                {"t": table.name, "c": column.name}).scalar()
        if sequence is None:
            continue
        top = conn.execute(select(func.max(column))).scalar()
        if top is not None:
            conn.execute(text("SELECT setval(:s, :v)"), {"s": sequence, "v": top})


def _undo(root: Path, made_root: bool, config: server.ServerConfig | None) -> str:
    """Take a half-made new archive away: its tables on the server, its folder. Returns what
    could not be taken away ("" when all of it was)."""
    left = ""
    if config is not None:
        engine = server.make_engine(config)
        try:
            with engine.begin() as conn:
                for table in SERVER_ONLY:
                    conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
                Base.metadata.drop_all(conn)
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        except Exception:  # the server is gone: the tables stay for the admin to drop
            left = (f"服务器上的数据库 {config.url} 中可能留下了未完成的表；请管理员清空该数据库"
                    "后再迁移")
        finally:
            engine.dispose()
    atomic.remove_tree(root)
    if not made_root:
        root.mkdir(exist_ok=True)  # it was an empty folder before
    return left

