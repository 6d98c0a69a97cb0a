"""Small waits shared by the window tests."""

from __future__ import annotations


def wait_table(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The material table loads on a worker; wait until it shows the current node."""
    qtbot.waitUntil(lambda: not window.table_loading, timeout=10_000)
