"""The offline round trip through the windows: the clerk exports a review package, a reviewer
opens it read-only, rejects one material with a comment and approves another, signs and saves
the decisions file, and the clerk applies it."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.core.materials.service import list_materials, update_material
from desktop.core.review import decisions, keys, roster
from desktop.demo.samples import make_pdf
from desktop.ui.dialogs import ApplyReportDialog
from desktop.ui.models import MaterialTableModel
from tests.gui.helpers import select_row, wait_table


def _submitted_pair(window, qtbot, tmp_path) -> dict[str, int]:  # type: ignore[no-untyped-def]
    archive = window.archive
    for name, role in (("张三", "clerk"), ("李初审", "first@市文明办")):
        roster.add_person(archive, name, "市文明办", [role], keys.new_key(name, "secret123"))
    files = [make_pdf(tmp_path / f"{t}.pdf", t, [f"{t}正文"])
             for t in ("志愿服务方案", "宣传栏照片说明")]
    with qtbot.waitSignal(window.import_finished, timeout=20_000):
        window.import_paths("01.01", files)
    ids = {v.title: v.id for v in list_materials(archive)}
    for material_id in ids.values():
        update_material(archive, material_id, {"department": "市文明办"})
    update_material(archive, ids["宣传栏照片说明"],
                    {"bonus": {"level": "省级", "issuer": "省文明办"}})
    decisions.submit(archive, list(ids.values()), "张三")
    return ids


def states_now(window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {v.title: v.state for v in list_materials(window.archive)}


def test_review_package_round_trip_in_the_windows(main_window, qtbot, tmp_path,
                                                  monkeypatch) -> None:
    ids = _submitted_pair(main_window, qtbot, tmp_path)
    package = tmp_path / "U盘" / "初审包.zicha-review.zip"
    package.parent.mkdir()
    monkeypatch.setattr(main_window, "ask_stage", lambda _counts: "first")
    monkeypatch.setattr(main_window, "ask_package_path", lambda _suggested: package)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    main_window.export_review_package()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert package.is_file() and "已导出 2 份待初审材料" in shown[0]

    # the reviewer, read-only: the package, not an archive
    with qtbot.waitSignal(main_window.package_opened, timeout=20_000) as opened:
        main_window.open_review_package(package)
    window = opened.args[0]
    assert window.reviewer_box.currentData() is None or window.reviewer_box.count() == 1
    window.reviewer_box.setCurrentIndex(window.reviewer_box.findData("李初审"))
    assert window.material_list.count() == 2 and not window.sign_button.isEnabled()
    assert "只读" in window.windowTitle()
    window.material_list.setCurrentRow(0)
    qtbot.waitUntil(lambda: window.preview.page_count == 1, timeout=10_000)  # the file is shown
    assert window.material_list.item(0).data(Qt.ItemDataRole.UserRole) == ids["志愿服务方案"]
    assert "创新特色" not in window.facts.text()
    window.material_list.setCurrentRow(1)  # the reviewer sees the 创新特色 mark they sign
    assert "创新特色（加分）：省级，省文明办" in window.facts.text()
    window.material_list.setCurrentRow(0)

    qtbot.mouseClick(window.reject_button, Qt.MouseButton.LeftButton)
    assert "必须写明原因" in window.message.text()
    window.comment.setPlainText("缺少活动照片")
    qtbot.mouseClick(window.reject_button, Qt.MouseButton.LeftButton)
    assert window.material_list.currentRow() == 1  # on to the next one
    qtbot.mouseClick(window.approve_button, Qt.MouseButton.LeftButton)
    assert window.material_list.item(0).text().startswith("✘")
    assert window.material_list.item(1).text().startswith("✔")
    assert "2/2" in window.summary.text()

    decisions = tmp_path / "U盘" / "初审决定.zicha-decisions.json"
    monkeypatch.setattr(window, "ask_save_path", lambda _suggested: decisions)
    monkeypatch.setattr(window, "ask_passphrase", lambda _name: "wrong")
    qtbot.mouseClick(window.sign_button, Qt.MouseButton.LeftButton)
    assert "口令" in window.message.text() and not decisions.exists()
    monkeypatch.setattr(window, "ask_passphrase", lambda _name: "secret123")
    with qtbot.waitSignal(window.saved, timeout=10_000):
        qtbot.mouseClick(window.sign_button, Qt.MouseButton.LeftButton)
    doc = json.loads(decisions.read_text(encoding="utf-8"))
    assert {d["verdict"] for d in doc["decisions"]} == {"approve", "reject"}
    window.close()

    # the clerk applies it: one returned with the comment, one waiting for 复审
    with qtbot.waitSignal(main_window.decisions_applied, timeout=20_000) as applied:
        main_window.apply_decisions_file(decisions)
    assert len(applied.args[0].applied) == 2
    report = main_window.findChild(ApplyReportDialog)
    assert report is not None and report.table.rowCount() == 2
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("01.01"))
    wait_table(qtbot, main_window)
    proxy = main_window.proxy
    states = {proxy.index(r, 1).data(): proxy.index(r, MaterialTableModel.STATE).data()
              for r in range(proxy.rowCount())}
    assert states == {"志愿服务方案": "已退回", "宣传栏照片说明": "待复审"}
    states = states_now(main_window)
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 1).data() == "志愿服务方案")
    select_row(qtbot, main_window, row)
    history = main_window.review_panel.history_list
    assert history.count() == 1
    assert history.item(0).text().startswith("✔") and "缺少活动照片" in history.item(0).text()

    # the same file again is refused with a message, nothing changes
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    main_window.apply_decisions_file(decisions)
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert "已应用过" in warnings[0]
    assert states_now(main_window) == states


def test_a_damaged_package_is_refused_with_a_message(main_window, qtbot, tmp_path,
                                                     monkeypatch) -> None:
    bad = tmp_path / "初审包.zicha-review.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    main_window.open_review_package(bad)
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert "初审包.zicha-review.zip" in warnings[0]
