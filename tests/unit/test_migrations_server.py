"""The migration scripts on PostgreSQL (a server archive, issue 17). SQLite's side is covered by
test_migrations_keep_rows and by every archive the suite makes; here the same scripts run on a
real server: every revision, one step at a time, up from an empty database and back down (a
script added later is walked too, its revision read from the scripts, not listed here), and a
reviewed archive migrated down and up again keeps every row."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from desktop.core.archive import db, server
from tests.conftest import build_reviewed_archive


def _engine(url: str) -> Engine:
    return server.make_engine(server.parse_url(url))


def _revisions(engine: Engine) -> list[str]:
    """Every revision of the scripts, oldest first."""
    scripts = ScriptDirectory.from_config(db._alembic_config(engine))
    return [s.revision for s in scripts.walk_revisions()][::-1]


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_every_migration_runs_up_and_down_on_postgresql(pg_database: str) -> None:
    engine = _engine(pg_database)
    try:
        config = db._alembic_config(engine)
        revisions = _revisions(engine)
        assert revisions[0] == "0001" and revisions[-1] == db.HEAD_REVISION
        assert len(revisions) == len(set(revisions)) == int(db.HEAD_REVISION)
        made: dict[str, set[str]] = {}
        for revision in revisions:
            command.upgrade(config, revision)
            assert server.current_revision(engine) == revision
            made[revision] = _tables(engine)
        assert {"material", "audit_entry", "decision", "search_gram"} <= made[db.HEAD_REVISION]
        # down one step at a time, each step up again and down once more: each leaves the
        # tables the step below made, and an upgrade runs on what a downgrade left
        for below, revision in reversed(list(zip(["base", *revisions[:-1]], revisions,
                                                 strict=True))):
            for _round in range(2):
                command.downgrade(config, below)
                assert server.current_revision(engine) == (None if below == "base" else below)
                assert _tables(engine) == made.get(below, set()), revision
                if _round == 0:
                    command.upgrade(config, revision)
                    assert _tables(engine) == made[revision], revision
        command.upgrade(config, "head")
        assert server.current_revision(engine) == db.HEAD_REVISION
        assert _tables(engine) == made[db.HEAD_REVISION]
    finally:
        engine.dispose()


def _rows(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table but the search index (a global id is made anew by an
    upgrade after a downgrade took it away, so uid columns are left out; so is a blob's SM3,
    which the downgrade drops and the exports compute again)."""
    found = {}
    look = inspect(engine)
    with engine.connect() as conn:
        for table in sorted(_tables(engine)):
            if table.startswith("search_"):
                continue
            columns = [c["name"] for c in look.get_columns(table)
                       if c["name"] != "uid" and (table, c["name"]) != ("blob", "sm3")]
            listed = ", ".join(f'"{c}"' for c in columns)
            found[table] = sorted(conn.execute(text(f'SELECT {listed} FROM "{table}"')).all(),
                                  key=repr)
    return found


def test_down_to_0005_and_up_again_keeps_every_row_on_postgresql(
        tmp_path: Path, pg_database: str) -> None:
    build_reviewed_archive(tmp_path / "档案", tmp_path / "home", tmp_path / "files",
                           server_url=pg_database)
    engine = _engine(pg_database)
    try:
        before = _rows(engine)
        assert before["filing"] and before["material_file"] and before["decision"]
        config = db._alembic_config(engine)
        with mock.patch.dict(os.environ, {"ZICHA_HOME": str(tmp_path / "home")}):
            command.downgrade(config, "0005")
            down = _rows(engine)
            for table in ("material", "filing", "material_file", "decision", "blob", "person"):
                assert len(down[table]) == len(before[table]), table
            command.upgrade(config, "head")
        after = _rows(engine)
        for table in ("material", "filing", "material_file", "decision", "blob", "person",
                      "audit_entry"):
            assert after[table] == before[table], table
        _sequences_ahead(engine)
    finally:
        engine.dispose()


def _sequences_ahead(engine: Engine) -> None:
    """Every serial key's sequence hands out an id above the highest one there: a migration
    (or code) that wrote ids itself moved the sequence on, so the next insert cannot collide.
    audit_entry.seq is given by the audit log itself (one above the last entry)."""
    look = inspect(engine)
    behind = []
    with engine.begin() as conn:
        for table in sorted(_tables(engine) - {"audit_entry"}):
            for column in look.get_pk_constraint(table)["constrained_columns"]:
                sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                        {"t": table, "c": column}).scalar()
                if sequence is None:
                    continue
                top = conn.execute(text(f'SELECT max("{column}") FROM "{table}"')).scalar()
                following = conn.execute(text("SELECT nextval(:s)"), {"s": sequence}).scalar()
                if top is not None and following <= top:
                    behind.append(f"{table}.{column}: next {following}, highest {top}")
    assert behind == []
