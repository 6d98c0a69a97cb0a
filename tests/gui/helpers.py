"""Small waits shared by the window tests."""

from __future__ import annotations

import threading


def wait_table(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The material table loads on a worker; wait until it shows the current node."""
    qtbot.waitUntil(lambda: not window.table_loading, timeout=10_000)


def wait_ops(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Writes run on the window's write lane; wait until they and the reloads they cause end."""
    qtbot.waitUntil(lambda: not window.ops.busy, timeout=30_000)
    # the rows changed are read again, and the material shown with them
    qtbot.waitUntil(lambda: not window.table_loading and not window.detail_loading,
                    timeout=10_000)


def wait_detail(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The material selected (and the person chosen) is read on workers; wait until the editor
    and the review tab show it."""
    qtbot.waitUntil(lambda: not window.detail_loading, timeout=10_000)


def select_row(qtbot, window, row: int) -> None:  # type: ignore[no-untyped-def]
    """Select a row of the material table, as a click does, and wait until it is shown."""
    window.table.selectRow(row)
    wait_detail(qtbot, window)


def open_and_wait(qtbot, window, root, **options) -> None:  # type: ignore[no-untyped-def]
    """Open an archive in the window (on a worker) and wait until it is shown."""
    assert window.open_archive(root, **options)
    qtbot.waitUntil(lambda: not window.opening, timeout=30_000)
    assert window.archive is not None


class Statements:
    """Each SQL statement any engine runs, with whether the GUI thread ran it."""

    def __init__(self) -> None:
        self.gui = threading.get_ident()
        self.on_gui: list[str] = []
        self.elsewhere = 0

    def __call__(self, _conn, _cursor, statement: str, *_args: object) -> None:  # type: ignore[no-untyped-def]
        if threading.get_ident() == self.gui:
            self.on_gui.append(" ".join(statement.split())[:120])
        else:
            self.elsewhere += 1

    def take(self) -> tuple[list[str], int]:
        seen = (self.on_gui, self.elsewhere)
        self.on_gui, self.elsewhere = [], 0
        return seen
