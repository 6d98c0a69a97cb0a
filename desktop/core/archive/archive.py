"""An archive: one folder with the database, the file store and a writer lock."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.archive import audit, db, server
from desktop.core.archive.kinds import NodeKind
from desktop.core.archive.models import (
    ArchiveInfo,
    AuditEntry,
    IndicatorNode,
    IndicatorSystemRecord,
)
from desktop.core.archive.store import BlobStore
from desktop.core.common import atomic
from desktop.core.common.errors import ArchiveLocked, NotAnArchive, ZichaError
from desktop.core.indicators.system import DEFAULT_SYSTEM_ID, IndicatorSystem, load_system

if TYPE_CHECKING:
    import filelock

DB_NAME = "zicha.db"
LOCK_NAME = "zicha.lock"
OWNER_NAME = "zicha.lock.owner"
HEAD_NAME = "audit-head.json"  # the audit log's newest entry, kept outside the database
HEAD_FORMAT = "zicha-audit-head/1"
FORMAT = "zicha-archive/1"
SQLITE_MAGIC = b"SQLite format 3\x00"


def preload() -> None:
    """Load now what opening the first archive loads on first use (SQLite's dialect, the
    writer's lock, the ORM's mappers: a few hundred milliseconds whatever the archive's size),
    so that a window can do it while it is built rather than while it opens an archive."""
    import filelock  # noqa: F401
    import sqlalchemy.dialects.sqlite  # noqa: F401
    from sqlalchemy.orm import configure_mappers

    configure_mappers()


def default_archive_dir() -> Path:
    env = os.environ.get("ZICHA_ARCHIVE")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("zicha", appauthor=False)) / "archive"


def demo_archive_dir() -> Path:
    """Where the window builds the sample archive (next to the default archive)."""
    return Path(platformdirs.user_data_dir("zicha", appauthor=False)) / "demo-archive"


def default_actor() -> str:
    try:
        return os.environ.get("ZICHA_USER") or getpass.getuser()
    except OSError:  # no login name (some service accounts)
        return "unknown"


def is_archive(path: Path) -> bool:
    return (path / DB_NAME).is_file() or server.is_server_archive(path)


class _Held:
    """The folder lock this process holds, shared by every writable Archive on that folder."""

    def __init__(self, file_lock: filelock.BaseFileLock) -> None:
        self.file_lock = file_lock
        self.write_lane = threading.RLock()
        self.count = 0


_held: dict[tuple[int, str], _Held] = {}
_held_guard = threading.Lock()


def _lock_key(root: Path) -> tuple[int, str]:
    # the pid too: a forked child inherits the table but not the lock
    return os.getpid(), os.path.normcase(os.path.realpath(root))


class Archive:
    """Open with Archive.open() or Archive.create(); use as a context manager.

    Reads may happen on any thread with `read()`. Writes go through `write()`, which
    serialises them in this process (one write lane) and, for a writable archive, holds the
    folder's lock so another process cannot write at the same time.
    """

    def __init__(self, root: Path, *, writable: bool) -> None:
        self.root = root
        self.writable = writable
        self.store = BlobStore(root / "files", root / "tmp")
        self._lock: _Held | None = None
        self._archive_id: str | None = None
        self._head_seen: tuple[object, object] | None = None
        self._write_lane = threading.RLock()
        # team mode: the database is on a PostgreSQL server, many writers, no folder lock
        self.server = server.read_config(root)
        if writable and self.server is None:
            self._acquire_lock()
            assert self._lock is not None
            self._write_lane = self._lock.write_lane  # one lane per folder in this process
        try:
            if self.server is None:
                self.engine = db.make_engine(root / DB_NAME)
                self._sessions = sessionmaker(self.engine, expire_on_commit=False)
                self._read_sessions = self._sessions
            else:
                self.engine = server.make_engine(self.server, root)
                self._sessions = sessionmaker(self.engine, expire_on_commit=False)
                self._read_sessions = sessionmaker(server.read_sessions_engine(self.engine),
                                                   expire_on_commit=False)
        except Exception:
            self._release_lock()
            raise

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def create(cls, root: Path, *, system_id: str = DEFAULT_SYSTEM_ID,
               actor: str | None = None, name: str = "", server_url: str | None = None
               ) -> Archive:
        """A new archive in `root`; with `server_url` (team mode) its database is that
        PostgreSQL database (empty, made by the server's admin) and `root` keeps the files."""
        root = Path(root)
        config = server.parse_url(server_url) if server_url is not None else None
        if is_archive(root):
            raise ZichaError(f"{root} 已经是一个档案，无需再创建；可直接打开它")
        if root.exists() and not root.is_dir():
            raise ZichaError(f"{root} 是一个文件，不是文件夹；请换一个文件夹")
        if root.is_dir() and any(root.iterdir()):
            raise ZichaError(f"文件夹 {root} 不是空的；请为档案选择一个新的或空的文件夹")
        system = load_system(system_id)
        if config is not None:
            server.prepare(config)
        made_root = not root.exists()
        try:
            root.mkdir(parents=True, exist_ok=True)
            (root / "files").mkdir(exist_ok=True)
            (root / "tmp").mkdir(exist_ok=True)
            if config is not None:
                server.write_config(root, config)
        except OSError as exc:
            _remove_unfinished(root, made_root)
            raise ZichaError(f"无法创建档案文件夹 {root}: {exc.strerror}") from exc
        try:
            archive = cls(root, writable=True)
        except BaseException:
            _remove_unfinished(root, made_root)
            raise
        try:
            db.upgrade(archive.engine)
            with archive.write(actor) as (session, log):
                info = {
                    "format": FORMAT,
                    "archive_id": str(uuid.uuid4()),
                    "name": name or root.name,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "system_id": system.id,
                    "system_label": system.label,
                }
                session.add_all(ArchiveInfo(key=k, value=v) for k, v in info.items())
                add_system(session, system, prefix="", position=0, source="shipped",
                           weight=system.weight)
                log("archive.create", str(root), {"system": system.id, "name": info["name"]})
            if config is not None:  # the folder names the archive its database holds
                archive.server = replace(config, archive_id=info["archive_id"])
                server.write_config(root, archive.server)
        except BaseException as exc:
            archive.close()
            _remove_unfinished(root, made_root)  # else a half-made folder passes as an archive
            failure = atomic.database_failure(exc, root / DB_NAME)
            if failure is not None:
                free = atomic.free_space(root.parent)
                left = f"（剩余 {atomic.mb_text(free)}）" if free is not None else ""
                what = "磁盘已满" if failure.disk_full else "磁盘读写出错"
                raise ZichaError(f"无法创建档案 {root}：{what}{left}；没有留下未建成的档案，"
                                 "请腾出空间（或检查磁盘）后重试") from None
            raise
        return archive

    @classmethod
    def open(cls, root: Path, *, writable: bool = True) -> Archive:
        root = Path(root)
        if not root.exists():
            raise NotAnArchive(f"档案文件夹 {root} 不存在",
                               hint=f"可用 zicha init --archive {root} 创建")
        if not is_archive(root):
            raise NotAnArchive(f"{root} 不是 Zicha 档案（其中没有 {DB_NAME}）")
        if not server.is_server_archive(root):
            _check_database_file(root / DB_NAME)
        archive = cls(root, writable=writable)
        try:
            try:
                if archive.server is not None:
                    server.check_identity(archive.engine, archive.server, root)
                archive._check_schema()
            except _SchemaBehind as behind:
                # a newer Zicha reading an archive an older one wrote: upgrade it once (as a
                # writer, so another program using it is told), then read it as asked
                archive.close()
                _upgrade_for_reading(root, behind)
                archive = cls(root, writable=False)
                archive._check_schema()
            if writable:
                if archive.server is None:  # on a shared folder, tmp/ holds others' copies
                    archive.store.clean_tmp()
                if not (root / HEAD_NAME).exists():  # an archive made before the head record
                    archive.record_head()
        except BaseException:
            archive.close()
            raise
        return archive

    @classmethod
    def open_or_create(cls, root: Path) -> Archive:
        return cls.open(root) if is_archive(root) else cls.create(root)

    def _check_schema(self) -> None:
        try:
            current = (db.current_revision(self.engine) if self.server is None
                       else server.current_revision(self.engine))
        except ZichaError:
            raise
        except Exception as exc:  # a database file that SQLite cannot read at all
            path = self.root / DB_NAME
            if atomic.database_failure(exc, path) is not None:  # the disk, not the database
                free = atomic.free_space(self.root)
                left = f"（剩余 {atomic.mb_text(free)}）" if free is not None else ""
                raise ZichaError(
                    f"无法打开档案数据库 {path}：磁盘已满或读写出错{left}，SQLite 需要在它旁边"
                    "建立工作文件（zicha.db-wal、zicha.db-shm）；这不表示档案已损坏，"
                    "请腾出空间（或检查磁盘）后重试") from None
            raise NotAnArchive(f"{path} 无法作为档案数据库打开: {exc}") from exc
        head = db.head_revision(self.engine)
        if current == head:
            return
        if current is None:
            raise NotAnArchive(f"{self.root / DB_NAME} 不是 Zicha 档案数据库")
        if current > head:  # revisions are zero-padded numbers
            raise ZichaError(f"档案 {self.root} 由更新版本的 Zicha 建立（数据库结构版本 {current}，"
                             f"本版本只认识到 {head}）；请先升级 Zicha，未做任何改动")
        if not self.writable:
            raise _SchemaBehind(current, head)
        db.upgrade(self.engine)

    def _acquire_lock(self) -> None:
        """Hold the folder's lock against other processes. Opening the same folder again in
        this process (the window reopening the archive it shows, the demo opened twice) shares
        the lock and the write lane instead of being refused as if another program had it."""
        key = _lock_key(self.root)
        with _held_guard:
            held = _held.get(key)
            if held is None:
                held = _Held(self._take_file_lock())
                _held[key] = held
                owner = f"{default_actor()}@{socket.gethostname()} pid {os.getpid()}"
                with suppress(OSError):  # only a hint for the "locked by" message
                    atomic.write_bytes(self.root / OWNER_NAME, owner.encode("utf-8"),
                                       durable=False)
            held.count += 1
        self._lock = held

    def _take_file_lock(self) -> filelock.BaseFileLock:
        import filelock  # only writers lock; reading commands start ~20-60 ms faster without it

        lock = filelock.FileLock(str(self.root / LOCK_NAME), timeout=0, thread_local=False)
        try:
            lock.acquire()
        except filelock.Timeout:
            owner = ""
            with suppress(OSError):
                owner = (self.root / OWNER_NAME).read_text(encoding="utf-8").strip()
            who = f"（{owner}）" if owner else ""
            raise ArchiveLocked(
                f"档案 {self.root} 正被另一个程序使用{who}；请先关闭它再试"
            ) from None
        except OSError as exc:
            raise ZichaError(f"无法锁定档案 {self.root}: {exc.strerror or exc}") from exc
        return lock

    def _release_lock(self) -> None:
        held, self._lock = self._lock, None
        if held is None:
            return
        with _held_guard:
            held.count -= 1
            if held.count == 0:
                _held.pop(_lock_key(self.root), None)
                held.file_lock.release()

    def close(self) -> None:
        if getattr(self, "_head_written", False):
            with suppress(OSError):
                atomic.fsync_file(self.root / HEAD_NAME)
                atomic.fsync_dir(self.root)
            self._head_written = False
        if getattr(self, "engine", None) is not None:
            self.engine.dispose()
        self._release_lock()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions ----------------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read_sessions() as session:
            yield session

    @contextmanager
    def write(self, actor: str | None = None) -> Iterator[tuple[Session, AuditLogger]]:
        """One transaction; `log(action, target, detail)` appends to the audit log inside it."""
        if not self.writable:
            raise ZichaError(f"档案 {self.root} 以只读方式打开，不能修改")
        who = actor or default_actor()
        with self._write_lane, self._server_lane() as bind:
            with self._sessions(**bind) as session, session.begin():
                if self.server is not None:
                    server.begin_write(session)
                logger = AuditLogger(session, who)
                self._check_head(session, logger)
                yield session, logger
            if logger.last is not None:  # committed; on a server still in the lane, so the
                # head record follows the commits in their order
                self.record_head(audit.Head(logger.last.seq, logger.last.hash))

    @contextmanager
    def _server_lane(self) -> Iterator[dict[str, Connection]]:
        """A server archive's write lane, held from before the transaction until its head
        record is written: the session's bind. Nothing for a SQLite archive (its folder lock)."""
        if self.server is None:
            yield {}
            return
        with server.write_lane(self.engine) as conn:
            yield {"bind": conn}

    def _check_head(self, session: Session, log: AuditLogger) -> None:
        """Before the head record is overwritten: if it names an entry the database no longer
        has (rows deleted or the chain recomputed while no one was looking), say so in the log
        itself, so the next head record cannot hide it."""
        try:
            recorded = self.recorded_head()
        except (OSError, ValueError):  # e.g. cut short by a power failure: rewritten below
            return
        if recorded is None:
            return
        head = (recorded.get("seq"), recorded.get("hash"))
        if head == self._head_seen:
            return
        seq, digest = head
        entry = session.get(AuditEntry, seq) if isinstance(seq, int) else None
        if entry is None or entry.hash != digest:  # kept unseen until this entry commits
            last = audit.head(session).seq
            log(audit.TAMPER_FOUND, "audit", {"recorded_head": {"seq": seq, "hash": digest},
                                              "last_in_database": last})
        else:
            self._head_seen = head

    def record_head(self, head: audit.Head | None = None) -> None:
        """Write the audit log's head to HEAD_NAME beside the database, after each commit that
        appended to it: deleting or recomputing entries in the database then no longer
        matches this record (verify says so). A crash or a full disk between the commit and
        this write leaves the record one step behind, which verify accepts: what is
        committed stays committed."""
        if head is None or self._archive_id is None:
            with self.read() as session:
                head = head or audit.head(session)
                self._archive_id = session.scalar(
                    select(ArchiveInfo.value).where(ArchiveInfo.key == "archive_id"))
        body = {"format": HEAD_FORMAT, "archive_id": self._archive_id, **head.to_json(),
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        # renamed into place but not flushed (fsync costs ~6-14 ms, per commit of an import):
        # a killed process loses nothing, a power cut at worst leaves an older record, and
        # close() flushes it
        with suppress(OSError):
            atomic.write_bytes(self.root / HEAD_NAME,
                               json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"),
                               durable=False)
            self._head_written = True
            self._head_seen = (head.seq, head.hash)

    def recorded_head(self) -> dict[str, object] | None:
        """HEAD_NAME's content, None when there is none; ValueError when it is unreadable."""
        path = self.root / HEAD_NAME
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        data = json.loads(raw.decode("utf-8"))
        if (not isinstance(data, dict) or data.get("format") != HEAD_FORMAT
                or not isinstance(data.get("seq"), int) or not isinstance(data.get("hash"), str)):
            raise ValueError(f"{HEAD_NAME} 不是 {HEAD_FORMAT} 格式")
        return data

    # -- facts -------------------------------------------------------------------------------

    def info(self) -> dict[str, str]:
        with self.read() as session:
            return {row.key: row.value for row in session.scalars(select(ArchiveInfo))}

    def system(self) -> IndicatorSystem:
        return load_system(self.info().get("system_id", DEFAULT_SYSTEM_ID))


class AuditLogger:
    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.actor = actor
        self.last: AuditEntry | None = None

    def __call__(self, action: str, target: str, detail: dict) -> None:
        self.last = audit.append(self.session, self.actor, action, target, detail,
                                 after=self.last)


def _remove_unfinished(root: Path, made_root: bool) -> None:
    """Undo a create() that failed: what it made in `root` (an empty folder before), and `root`
    itself if it made that."""
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal", HEAD_NAME,
                 LOCK_NAME, OWNER_NAME, server.SERVER_NAME):
        with suppress(OSError):
            (root / name).unlink()
    for name in ("tmp", "files"):
        with suppress(OSError):
            (root / name).rmdir()
    if made_root:
        with suppress(OSError):
            root.rmdir()


class _SchemaBehind(Exception):
    def __init__(self, current: str, head: str) -> None:
        super().__init__(current, head)
        self.current, self.head = current, head


def _upgrade_for_reading(root: Path, behind: _SchemaBehind) -> None:
    try:
        Archive.open(root, writable=True).close()
    except ArchiveLocked as exc:
        raise ArchiveLocked(f"档案 {root} 需要先升级数据库结构（{behind.current} → "
                            f"{behind.head}）才能读取：{exc}") from None
    except server.NoPrivilege as exc:  # a desktop's database role may not change the schema
        raise ZichaError(
            f"档案 {root} 需要先升级数据库结构（{behind.current} → {behind.head}）才能读取，"
            f"但{exc.who}无权修改数据库结构，未做任何改动；请管理员以档案数据库的所有者身份"
            "用本版本 Zicha 打开这个档案一次", hint=server.HINT_GRANTS) from None
    except ZichaError:
        raise
    except Exception as exc:  # e.g. a read-only folder or medium
        raise ZichaError(f"档案 {root} 需要升级到本版本的数据库结构（{behind.current} → "
                         f"{behind.head}），但无法写入它（{' '.join(str(exc).split())[:200]}）；"
                         "请在可以写入这个文件夹的电脑上用本版本 Zicha 打开一次") from None


def _check_database_file(path: Path) -> None:
    """Refuse, without touching it, a zicha.db that is no SQLite database at all: opening one
    would make SQLite write a fresh empty database over an empty file."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise NotAnArchive(f"无法读取档案数据库 {path}: {exc.strerror or exc}") from None
    if not magic:
        raise NotAnArchive(f"档案数据库 {path} 是空文件（0 字节）：数据库内容已丢失；"
                           "请从备份恢复这个档案文件夹，未做任何改动")
    if magic != SQLITE_MAGIC:
        raise NotAnArchive(f"{path} 不是 SQLite 数据库文件（文件头不对），不是 Zicha 档案；"
                           "未做任何改动")


def add_system(session: Session, system: IndicatorSystem, *, prefix: str, position: int,
               source: str, weight: int | None) -> IndicatorSystemRecord:
    """The system's record and its 测评项目 and 测评内容, their codes under `prefix`."""
    record = IndicatorSystemRecord(id=system.id, prefix=prefix, name=system.name,
                                   edition=system.edition, level=system.level, weight=weight,
                                   position=position, source=source)
    session.add(record)
    session.flush()
    for pos, cat in enumerate(system.categories):
        session.add(IndicatorNode(code=prefix + cat.code, system_id=system.id, parent_code=None,
                                  kind=NodeKind.CATEGORY, name=cat.name, criterion="",
                                  position=pos, source="system"))
    session.flush()
    for pos, item in enumerate(system.items):
        session.add(IndicatorNode(code=prefix + item.code, system_id=system.id,
                                  parent_code=prefix + item.category_code, kind=NodeKind.ITEM,
                                  name=item.name, criterion=item.criterion, position=pos,
                                  source="system"))
    session.flush()
    return record
