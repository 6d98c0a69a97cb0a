"""An ordinary command opens an archive without Alembic: the stored revision is compared with
the one this version writes (issue 13, item 5)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.archive import db
from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.common.errors import ZichaError


def test_the_stored_head_is_the_newest_migration_script(core_archive: Archive) -> None:
    assert db.scripts_head_revision(core_archive.engine) == db.HEAD_REVISION
    assert db.current_revision(core_archive.engine) == db.HEAD_REVISION


def test_listing_an_archive_imports_no_alembic(core_archive: Archive) -> None:
    code = ("import sys; from desktop.cli import main; "
            f"rc = main(['list', '--archive', {str(core_archive.root)!r}]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic')); "
            "sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_an_archive_from_a_newer_zicha_is_refused_untouched(core_archive: Archive) -> None:
    root = core_archive.root
    core_archive.close()
    with sqlite3.connect(root / DB_NAME) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = (root / DB_NAME).read_bytes()
    with pytest.raises(ZichaError, match="更新版本的 Zicha"):
        Archive.open(root)
    assert (root / DB_NAME).read_bytes() == before


def test_an_older_archive_is_upgraded_on_open(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    monkeypatch.setenv("ZICHA_USER", "测试员")
    root = tmp_path / "档案"
    Archive.create(root).close()
    engine = db.make_engine(root / DB_NAME)
    command.downgrade(db._alembic_config(engine), "0004")
    assert db.current_revision(engine) == "0004"
    engine.dispose()
    with Archive.open(root) as archive:
        assert db.current_revision(archive.engine) == db.HEAD_REVISION
