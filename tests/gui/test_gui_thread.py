"""The window's GUI thread never waits for the database (issue 20 item 2), at a few thousand
materials: opening an archive and selecting a material run every statement on workers (an
engine hook records the thread of each), and what arrives late is dropped for what was asked
last."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop.ui.models import ID_ROLE
from tests.bulk_archive import fill
from tests.gui.helpers import Statements, select_row, wait_detail, wait_table

N = 3000
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    shown = MainWindow(settings())
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.close_archive()


def test_open_and_select_run_no_statement_on_the_gui_thread(window, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                            statements: Statements) -> None:
    root = fill(tmp_path / "档案", N)
    statements.take()
    assert window.open_archive(root)
    assert window.archive is None and window.opening  # opened on a worker
    wait_table(qtbot, window)
    on_gui, elsewhere = statements.take()
    assert window.archive is not None and window.table_model.rowCount() == N
    assert on_gui == [] and elsewhere > 0  # opened, counted and listed by workers

    shown: list[int] = []
    window.preview.rendered.connect(shown.append)
    for row in (3, 40):
        shown.clear()
        select_row(qtbot, window, row)
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
        on_gui, elsewhere = statements.take()
        wanted = window.proxy.index(row, 0).data(ID_ROLE)
        assert window.editor.material_id == wanted
        assert window.editor.info.text().startswith(f"材料 #{wanted} ")
        assert window.review_panel.stage_note.text() != "未选择材料"
        assert on_gui == [] and elsewhere > 0  # the material and its review history: workers


def test_the_material_asked_for_last_is_the_one_shown(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = fill(tmp_path / "档案", N)
    assert window.open_archive(root)
    wait_table(qtbot, window)
    for row in (1, 2, 3, 4):  # clicked in quick succession: the reads overlap
        window.table.selectRow(row)
    wait_detail(qtbot, window)
    last = window.proxy.index(4, 0).data(ID_ROLE)
    assert window.editor.material_id == last
    assert window.editor.info.text().startswith(f"材料 #{last} ")
    window.table.selectRow(1)
    window.table.selectRow(4)  # back before the read of row 1 came: row 4 stays shown
    wait_detail(qtbot, window)
    assert window.editor.material_id == last


def test_the_archive_opened_last_is_the_one_shown(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = fill(tmp_path / "甲", 50), fill(tmp_path / "乙", 60)
    assert window.open_archive(first) and window.open_archive(second)
    wait_table(qtbot, window)
    assert window.archive is not None and window.archive.root == second
    assert window.table_model.rowCount() == 60
    # the archive opened first and superseded was closed again: another program may open it
    qtbot.waitUntil(lambda: _writable_elsewhere(first), timeout=10_000)


def _writable_elsewhere(root: Path) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom pathlib import Path\n"
         "from desktop.core.archive.archive import Archive\n"
         "Archive.open(Path(sys.argv[1])).close()", str(root)],
        cwd=REPO, capture_output=True, text=True)
    return done.returncode == 0
