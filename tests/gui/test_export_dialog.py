"""The export dialog: rules, a preview of what goes where and what is missing, the export on
a worker, and the 四性检测 report; and checking an export from the File menu."""

from __future__ import annotations

import zipfile

from PySide6.QtCore import Qt

from desktop.ui.dialogs import VerifyReportDialog


def tree_rows(dialog) -> dict[str, tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    rows = {}
    for n in range(dialog.tree.topLevelItemCount()):
        node = dialog.tree.topLevelItem(n)
        rows[node.text(0).split()[0]] = (node.text(2), [node.child(i).text(0)
                                                       for i in range(node.childCount())])
    return rows


def test_preview_then_export_with_the_report(reviewed_window, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(reviewed_window.export_dialog_shown) as shown:
        reviewed_window.export_action.trigger()
    dialog = shown.args[0]
    qtbot.waitUntil(lambda: not dialog.planning, timeout=10_000)
    rows = tree_rows(dialog)
    assert rows["01.01"][1] == ["001 文明交通劝导行动方案", "002 志愿服务活动通知"]
    assert rows["08.02"][0].endswith("另有 1 份未终审")
    assert rows["02"][0].startswith("缺材料")  # a 测评项目 without 测评内容 is its own item
    assert "将导出 5 份材料" in dialog.summary.text()

    dialog.draft.setChecked(True)  # a draft takes the material still in review
    qtbot.waitUntil(lambda: not dialog.planning and "6 份材料" in dialog.summary.text(),
                    timeout=10_000)
    assert "草稿导出" in dialog.summary.text()
    dialog.draft.setChecked(False)
    dialog.template.setText("{材料名称}")  # without 序号: refused with the reason
    qtbot.waitUntil(lambda: "{序号}" in dialog.summary.text(), timeout=10_000)
    assert not dialog.export_button.isEnabled()
    dialog.template.setText("{序号}_{材料名称}")
    dialog.use_date.setChecked(True)
    dialog.date.setDate(dialog.date.date().fromString("2026-08-01", "yyyy-MM-dd"))
    qtbot.waitUntil(lambda: not dialog.planning and "5 份有提示" in dialog.summary.text(),
                    timeout=10_000)

    out = tmp_path / "导出" / "申报材料.zip"
    out.parent.mkdir()
    monkeypatch.setattr(dialog, "ask_target", lambda _suggested, as_zip: out)
    with qtbot.waitSignal(dialog.finished_export, timeout=60_000) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    report = done.args[0]
    assert report.ok and out.is_file()
    assert "四性检测通过" in dialog.status.text()
    shown_report = dialog.findChild(VerifyReportDialog)
    assert shown_report is not None and shown_report.table.rowCount() == len(report.checks)
    with zipfile.ZipFile(out) as zf:
        assert any(n.endswith("01.01 深入学习贯彻习近平新时代中国特色社会主义思想/"
                              "001_文明交通劝导行动方案.pdf") for n in zf.namelist())

    # the rules used are kept for the next export
    from desktop.core.export.plan import archive_rules

    assert archive_rules(reviewed_window.archive).evaluation_date.isoformat() == "2026-08-01"
    dialog.close()

    # the report can be saved as DOCX
    monkeypatch.setattr(shown_report, "ask_docx_path", lambda: tmp_path / "报告.docx")
    shown_report.save_docx()
    assert (tmp_path / "报告.docx").is_file()

    # and the export checked again from the File menu finds it damaged after a change
    with zipfile.ZipFile(out, "a") as zf:
        zf.writestr("申报材料/data/多出的文件.txt", "x")
    with qtbot.waitSignal(reviewed_window.export_verified, timeout=30_000) as verified:
        reviewed_window.verify_export_file(out)
    again = verified.args[0]
    assert not again.ok
    problems = [p for c in again.checks for p in c.problems]
    assert any("多出的文件.txt" in p for p in problems)


def test_a_changed_signed_material_blocks_the_export(reviewed_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with reviewed_window.archive.engine.begin() as conn:  # behind the core's back
        conn.exec_driver_sql("UPDATE material SET title = '偷改的标题' "
                             "WHERE title = '文明交通劝导行动方案'")
    with qtbot.waitSignal(reviewed_window.export_dialog_shown) as shown:
        reviewed_window.export_action.trigger()
    dialog = shown.args[0]
    qtbot.waitUntil(lambda: not dialog.planning, timeout=10_000)
    void = dialog.tree.topLevelItem(0)
    assert void.text(0) == "签名后被改动的材料"
    assert void.child(0).text(0).endswith("偷改的标题") and "材料名称" in void.child(0).text(2)
    assert "不能导出" in dialog.summary.text()
    assert not dialog.export_button.isEnabled()
