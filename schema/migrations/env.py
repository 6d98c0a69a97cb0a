"""Alembic environment: the archive's engine is passed in by desktop.core.archive.db.

SQLite: migrations run with foreign keys off: batch mode rebuilds a table by copying it and
dropping the old one, and with foreign keys on, that DROP deletes every row that refers to it
through ON DELETE CASCADE (a material's filings and files). The references are checked once
at the end instead, and a migration that left one broken is rolled back.

PostgreSQL (a server archive, desktop/core/archive/server.py): batch operations become plain
ALTER TABLE statements, foreign keys stay checked, and the whole upgrade is one transaction
(PostgreSQL's DDL is transactional), so a failed migration leaves the database as it was. It
holds the archive's write lane (the advisory lock every write takes) until it commits."""

from alembic import context
from sqlalchemy import text

from desktop.core.archive.models import Base
from desktop.core.archive.server import WRITE_LOCK_KEY

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    if connection.dialect.name != "sqlite":
        with connection.begin():
            # the archive's write lane first: writers on other desktops wait, and a second
            # desktop upgrading at the same moment reads the revision after this one's commit
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": WRITE_LOCK_KEY})
            context.configure(connection=connection, target_metadata=Base.metadata,
                              render_as_batch=True)
            context.run_migrations()
    else:
        raw = connection.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")  # before BEGIN: inside a transaction it is ignored
        try:
            with connection.begin():
                context.configure(connection=connection, target_metadata=Base.metadata,
                                  render_as_batch=True)
                context.run_migrations()
                broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
                if broken:
                    raise RuntimeError(f"迁移后有 {len(broken)} 处引用失效（如 {broken[0]}），"
                                       "已撤销迁移")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
