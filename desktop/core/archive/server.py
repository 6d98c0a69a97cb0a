"""An archive whose database is on a PostgreSQL server (team mode, docs/team-mode.md).

The archive folder (typically a shared folder) keeps the content-addressed file store and
SERVER_NAME, a small file naming the server: the libpq connection URL *without a password*
and the database. Every command still takes the folder. Passwords, TLS settings and the rest
come from libpq's own places (the URL's parameters, PG* environment variables, a connection
service file, the password file ~/.pgpass or PGPASSWORD); Zicha never writes a password.

There is no folder lock in server mode: many desktops write at once. Each write is one
transaction on a connection that holds the archive's advisory lock from before the transaction
until the audit head record is written after its commit (write_lane), so writers, the audit
log's hash chain and the head record all follow one order on the server; reads see one
snapshot (REPEATABLE READ), as a SQLite read transaction does. psycopg is imported only for a
server archive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import Session

from desktop.core.common import atomic
from desktop.core.common.errors import NotAnArchive, ZichaError

if TYPE_CHECKING:
    import psycopg

SERVER_NAME = "zicha-server.json"
SERVER_FORMAT = "zicha-server/1"
SCHEMES = ("postgresql://", "postgres://")
# pg_advisory_xact_lock key of the archive's write lane (advisory locks are per database)
WRITE_LOCK_KEY = 0x7A696368  # "zich"
CONNECT_TIMEOUT = 15  # seconds, unless the URL or PGCONNECT_TIMEOUT says otherwise
PASSWORD_PLACES = ("libpq 只从这些地方读取密码：密码文件（~/.pgpass，Windows 上为 "
                   "%APPDATA%\\postgresql\\pgpass.conf，或 PGPASSFILE 指定的文件）、"
                   "连接服务文件 pg_service.conf（PGSERVICEFILE）、环境变量 PGPASSWORD；"
                   "Zicha 不保存密码")


HINT_GRANTS = "授权语句见 docs/team-mode.md「Setting up the server for a city」"


class ServerUnavailable(ZichaError):
    """The archive's database server cannot be reached or refuses us."""


@dataclass(frozen=True)
class ServerConfig:
    url: str  # libpq URL, no password
    database: str  # as the URL names it ("" when a service file or PGDATABASE names it)
    archive_id: str = ""  # the archive in that database (checked on open)

    def to_json(self) -> dict[str, Any]:
        return {"format": SERVER_FORMAT, "url": self.url, "database": self.database,
                "archive_id": self.archive_id}


def parse_url(url: str) -> ServerConfig:
    """Check a connection URL given by a person: PostgreSQL, parsable by libpq, no password."""
    from psycopg import conninfo

    url = url.strip()
    if not url.startswith(SCHEMES):
        raise ZichaError(f"数据库服务器地址 {_shown(url)} 不是 PostgreSQL 连接地址",
                         hint="形如 postgresql://用户@服务器:5432/数据库?sslmode=require")
    try:
        params = conninfo.conninfo_to_dict(url)
    except Exception as exc:  # psycopg.ProgrammingError: libpq could not parse it
        raise ZichaError(f"数据库服务器地址 {_shown(url)} 无法解析（{_reason(exc)}）",
                         hint="形如 postgresql://用户@服务器:5432/数据库?sslmode=require") \
            from None
    if params.get("password") is not None or _has_password(url):
        raise ZichaError("数据库服务器地址中含有密码：Zicha 不把密码写进档案文件夹，"
                         "也不接受在地址中给出密码；请去掉地址中的密码，把它写在"
                         "密码文件 ~/.pgpass（或连接服务文件）中，或设置环境变量 PGPASSWORD",
                         hint=PASSWORD_PLACES)
    return ServerConfig(url=url, database=str(params.get("dbname") or ""))


def _has_password(url: str) -> bool:
    """user:password@ in the authority part of the URL."""
    authority = url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0]
    return "@" in authority and ":" in authority.rsplit("@", 1)[0]


def _shown(url: str) -> str:
    """A URL safe to show: any user:password@ reduced to user@."""
    return re.sub(r"(://[^/?@:]*):[^/?@]*@", r"\1@", url)


def is_server_archive(root: Path) -> bool:
    return (root / SERVER_NAME).is_file()


def read_config(root: Path) -> ServerConfig | None:
    """The folder's server file, None if it has none (a SQLite archive)."""
    path = root / SERVER_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise NotAnArchive(f"无法读取档案的服务器设置 {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != SERVER_FORMAT:
            raise ValueError(f"不是 {SERVER_FORMAT} 格式")
        config = ServerConfig(url=str(data["url"]), database=str(data.get("database", "")),
                              archive_id=str(data.get("archive_id", "")))
    except (ValueError, KeyError, UnicodeDecodeError) as exc:
        raise NotAnArchive(f"档案的服务器设置 {path} 已损坏（{exc}）；"
                           "请从备份恢复它，或请管理员重新写入服务器地址") from None
    if _has_password(config.url):
        raise NotAnArchive(f"档案的服务器设置 {path} 中含有密码；请删去地址中的密码，"
                           "改用密码文件或环境变量", hint=PASSWORD_PLACES)
    return config


def write_config(root: Path, config: ServerConfig) -> None:
    body = json.dumps(config.to_json(), ensure_ascii=False, indent=1) + "\n"
    atomic.write_bytes(root / SERVER_NAME, body.encode("utf-8"))


# -- connecting ---------------------------------------------------------------------------------

def make_engine(config: ServerConfig, root: Path | None = None) -> Engine:
    """An engine over the server: each new connection comes from libpq with the folder's URL;
    a failure to connect becomes ServerUnavailable naming the server and what to do."""

    def connect() -> psycopg.Connection:
        import psycopg

        try:
            return psycopg.connect(config.url, application_name="zicha",
                                   **_default_timeout(config.url))
        except psycopg.OperationalError as exc:
            raise unavailable(config, exc, root) from None

    engine = create_engine("postgresql+psycopg://", creator=connect, pool_pre_ping=True)

    @event.listens_for(engine, "handle_error")
    def _explain(context: ExceptionContext) -> None:
        """A statement the server refused for want of a privilege, or a connection lost in the
        middle of a transaction (server restarted, network gone): said in words, naming the
        server; the transaction was not committed. A lost connection found by the check before
        a pooled connection is handed out is reconnected silently (pool_pre_ping)."""
        if context.is_pre_ping:
            return
        import psycopg

        orig = context.original_exception
        if isinstance(orig, psycopg.errors.InsufficientPrivilege):
            raise NoPrivilege(config, orig, _user_of(context), root) from None
        if context.is_disconnect:
            where = f"档案 {root} 的数据库服务器" if root else "数据库服务器"
            raise ServerUnavailable(
                f"与{where} {_shown(config.url)} 的连接中断（{_reason(orig)}）；正在写入的"
                "这一步没有提交（此前已完成的都已保存）；请确认服务器已启动、网络可达后重做"
                ) from None

    return engine


class NoPrivilege(ZichaError):
    """The database role may not read or change what an operation needs."""

    def __init__(self, config: ServerConfig, exc: Exception, user: str, root: Path | None
                 ) -> None:
        where = f"档案 {root} 的数据库" if root else "数据库"
        who = f"数据库用户 {user} " if user else "这个数据库用户"
        self.who = who
        super().__init__(
            f"{where}（服务器 {_shown(config.url)}，数据库 {config.database or '由连接设置决定'}）"
            f"不允许{who}进行这项操作（权限不足：{_reason(exc)}）；这次操作没有提交。"
            "请管理员为这个用户授予档案各表的读写权限",
            hint=HINT_GRANTS)


def _user_of(context: ExceptionContext) -> str:
    try:
        assert context.connection is not None
        raw = context.connection.connection.driver_connection
        assert raw is not None
        return str(raw.info.user)
    except Exception:  # the connection is already gone: say "this user"
        return ""


def _default_timeout(url: str) -> dict[str, Any]:
    import os

    if "connect_timeout" in url or os.environ.get("PGCONNECT_TIMEOUT"):
        return {}
    return {"connect_timeout": CONNECT_TIMEOUT}


def unavailable(config: ServerConfig, exc: Exception, root: Path | None = None
                ) -> ServerUnavailable:
    """The one message for a connection that failed, by what libpq said."""
    reason = _reason(exc)
    low = reason.lower()
    where = f"档案 {root} 的数据库服务器" if root else "数据库服务器"
    server = _shown(config.url)
    if "no password supplied" in low or "password authentication failed" in low:
        what = ("要求密码，但没有找到密码" if "no password" in low else "拒绝了密码（密码不对）")
        return ServerUnavailable(f"{where} {server} {what}；请在密码文件或环境变量中写入"
                                 "这个用户的正确密码", hint=PASSWORD_PLACES)
    if "does not exist" in low and "database" in low:
        return ServerUnavailable(
            f"{where} {server} 上没有数据库 {config.database or '（未指定）'}；"
            "请管理员先建立它（CREATE DATABASE … OWNER …），或检查地址中的数据库名")
    if "no pg_hba.conf entry" in low or "not permitted" in low:
        return ServerUnavailable(f"{where} {server} 不允许这台电脑或这个用户连接（{reason}）；"
                                 "请管理员在 pg_hba.conf 中放行")
    if "ssl" in low or "certificate" in low:
        return ServerUnavailable(f"{where} {server} 的加密连接（TLS）没有建立（{reason}）；"
                                 "请检查地址或环境中的 sslmode 与证书设置，或联系管理员")
    return ServerUnavailable(f"无法连接{where} {server}（{reason}）；请确认服务器已启动、"
                             "网络可达，或联系管理员")


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def read_sessions_engine(engine: Engine) -> Engine:
    """Reads see one snapshot of the database, as a SQLite read transaction does."""
    return engine.execution_options(isolation_level="REPEATABLE READ")


@contextmanager
def write_lane(engine: Engine) -> Iterator[Connection]:
    """The archive's write lane across desktops: a connection holding the session-level
    advisory lock WRITE_LOCK_KEY, for one write transaction and what follows its commit (the
    audit head record). Released when it ends; if the release cannot be sent (the connection is
    gone), the connection is discarded, and the server releases the lock with it."""
    conn = engine.connect()
    try:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": WRITE_LOCK_KEY})
        conn.commit()  # the lock outlives transactions; the session begins its own
        try:
            yield conn
        finally:
            try:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": WRITE_LOCK_KEY})
                conn.commit()
            except Exception:
                conn.invalidate()
    finally:
        conn.close()


def begin_write(session: Session) -> None:
    """First statement of a write transaction: the archive's write lane for this transaction
    (already held through write_lane, when the session came from there; a no-op then), so
    writers on every desktop follow one another."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


def current_revision(engine: Engine) -> str | None:
    """The database's stored revision; None for a database Zicha never set up."""
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT to_regclass('alembic_version') IS NOT NULL")).scalar()
        if not exists:
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def stored_archive_id(engine: Engine) -> str | None:
    """The archive_id in the database, None if it holds no (finished) archive."""
    with engine.connect() as conn:
        if not conn.execute(text("SELECT to_regclass('archive_info') IS NOT NULL")).scalar():
            return None
        return conn.execute(text(
            "SELECT value FROM archive_info WHERE key = 'archive_id'")).scalar()


def check_empty(engine: Engine, config: ServerConfig) -> None:
    """Before creating an archive in a database: it must hold no archive and no other tables
    (a create that failed after its schema was made may be tried again)."""
    existing = stored_archive_id(engine)
    if existing:
        raise ZichaError(f"数据库服务器 {_shown(config.url)} 的数据库 {config.database} 中"
                         f"已经有一个 Zicha 档案（{existing}）；一个数据库只放一个档案，"
                         "请换一个空数据库，或直接使用已有档案的文件夹")
    with engine.connect() as conn:
        others = conn.execute(text(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name")).scalars().all()
    if others and "alembic_version" not in others:
        raise ZichaError(f"数据库服务器 {_shown(config.url)} 的数据库 {config.database} 不是空的"
                         f"（已有表 {'、'.join(others[:5])}）；请为档案建立一个新的空数据库")


def check_identity(engine: Engine, config: ServerConfig, root: Path) -> None:
    """The database holds the archive this folder was made for (not another archive's)."""
    stored = stored_archive_id(engine)
    if stored is None:
        raise NotAnArchive(f"档案 {root} 的数据库服务器 {_shown(config.url)} 上的数据库 "
                           f"{config.database} 中没有 Zicha 档案")
    if config.archive_id and stored != config.archive_id:
        raise NotAnArchive(f"档案 {root} 的服务器设置指向的数据库 {config.database}"
                           f"（{_shown(config.url)}）装的是另一个档案（{stored}，"
                           f"本文件夹属于 {config.archive_id}）；请检查 {SERVER_NAME} 中的地址")


def connection_facts(engine: Engine) -> dict[str, Any]:
    """Where libpq actually connected (after the URL, PG* variables and a service file had their
    say): host, port, database, user, whether the link is encrypted (TLS) and the server's
    version. Never a password."""
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        info = raw.info  # psycopg.ConnectionInfo
        host = info.host
        version = info.server_version  # e.g. 150018
        return {"host": host, "port": info.port, "database": info.dbname, "user": info.user,
                "tls": bool(info.pgconn.ssl_in_use),
                "server_version": f"{version // 10000}.{version % 10000}"}


def address(facts: dict[str, Any]) -> str:
    """postgresql://user@host:port/database from connection_facts (a socket folder as host is
    shown as it is)."""
    host = str(facts.get("host") or "")
    if ":" in host and not host.startswith("/"):
        host = f"[{host}]"  # an IPv6 address
    user = f"{facts['user']}@" if facts.get("user") else ""
    return f"postgresql://{user}{host}:{facts.get('port')}/{facts.get('database')}"


def describe(config: ServerConfig) -> str:
    """Where the database is, for `zicha info` and messages."""
    return f"{_shown(config.url)}（数据库 {config.database or '由连接设置决定'}）"


def prepare(config: ServerConfig) -> None:
    """Before an archive is created in the database: the server answers and it is empty."""
    engine = make_engine(config)
    try:
        check_empty(engine, config)
    finally:
        engine.dispose()
