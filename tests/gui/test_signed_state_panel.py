"""The review panel says plainly when a material no longer is what its approvals signed
(issue 12, item 1): the changed field, and that it will not be exported as approved."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

from desktop.core.archive.archive import Archive
from desktop.core.materials.service import get_material
from desktop.ui.review_panel import ReviewPanel
from tests.conftest import build_reviewed_archive


def test_the_panel_names_a_change_made_after_final_approval(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "档案"
    ids = build_reviewed_archive(root, tmp_path / "home", tmp_path / "files")
    plan = ids["文明交通劝导行动方案"]
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(tmp_path / "home")}), \
            Archive.open(root) as archive:
        panel = ReviewPanel()
        qtbot.addWidget(panel)
        panel.set_archive(archive)
        panel.show_material(get_material(archive, plan))
        qtbot.waitUntil(lambda: not panel.loading, timeout=10_000)  # read on a worker
        assert panel.void_note.isHidden()

        with archive.engine.begin() as conn:  # behind the core's back
            conn.exec_driver_sql("UPDATE material SET title = '偷改的标题' WHERE id = ?", (plan,))
        panel.show_material(get_material(archive, plan))
        qtbot.waitUntil(lambda: not panel.loading, timeout=10_000)  # read on a worker
        assert not panel.void_note.isHidden()
        text = panel.void_note.text()
        assert "材料名称" in text and "不会作为审核通过的材料导出" in text
        last = panel.history_list.item(panel.history_list.count() - 1).text()
        assert last.startswith("✘") and "材料名称" in last

        panel.show_material(get_material(archive, ids["志愿服务活动通知"]))
        qtbot.waitUntil(lambda: not panel.loading, timeout=10_000)
        assert panel.void_note.isHidden()
