"""SQLite engine for an archive: WAL, foreign keys on, explicit transactions, Alembic upgrades.

Alembic is imported only to upgrade: an ordinary command compares the archive's stored
revision with HEAD_REVISION (importing Alembic and reading its scripts cost ~0.3 s per call).
"""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

# the newest script in schema/migrations/versions; a test keeps the two equal
HEAD_REVISION = "0020"


def make_engine(db_path: Path, *, readonly: bool = False) -> Engine:
    if readonly:
        url = f"sqlite:///file:{db_path.as_posix()}?mode=ro&uri=true"
    else:
        url = f"sqlite:///{db_path.as_posix()}"
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's begin event issue BEGIN; pysqlite's own handling defers it.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if not readonly:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN")

    return engine


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("desktop.schema") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine | None = None) -> str:
    """The revision this version of Zicha writes (no Alembic needed)."""
    return HEAD_REVISION


def scripts_head_revision(engine: Engine) -> str | None:
    """The newest revision among the migration scripts, as Alembic reads them."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The archive's stored revision, None for a database Alembic never touched."""
    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).fetchall()
        except OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
    return rows[0][0] if len(rows) == 1 else None


def upgrade(engine: Engine) -> None:
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")
