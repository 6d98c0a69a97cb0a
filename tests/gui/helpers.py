"""Small waits shared by the window tests."""

from __future__ import annotations


def wait_table(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The material table loads on a worker; wait until it shows the current node."""
    qtbot.waitUntil(lambda: not window.table_loading, timeout=10_000)


def wait_ops(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Writes run on the window's write lane; wait until they and the reloads they cause end."""
    qtbot.waitUntil(lambda: not window.ops.busy, timeout=30_000)
    wait_table(qtbot, window)
