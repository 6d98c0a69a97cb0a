"""人员与密钥: an admin sets up the roster from nothing in the dialog (own key with the
passphrase twice, public key exported to a file and imported again), adds a clerk with a key
from a file, changes roles, retires her; wrong files and cancelled dialogs change nothing; a
person who is not an admin sees why the roster buttons are disabled."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.core.archive.archive import Archive
from desktop.core.common.errors import ZichaError
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.materials.service import update_material
from desktop.core.review import decisions, keys, roster
from desktop.ui.people_dialog import FormDialog, PeopleDialog
from tests.conftest import build_pdf


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Archive]:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    with Archive.create(tmp_path / "档案") as archive:
        yield archive


def open_dialog(qtbot, archive: Archive, person: str | None) -> PeopleDialog:  # type: ignore[no-untyped-def]
    dialog = PeopleDialog(archive, person)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)  # read on a worker
    return dialog


def settle() -> None:
    """The roster is read again on a worker after each change: wait until it is shown."""
    end = time.monotonic() + 10
    while any(isinstance(w, PeopleDialog) and w.loading for w in QApplication.topLevelWidgets()):
        assert time.monotonic() < end, "the roster was not read"
        QTest.qWait(5)


def answer_form(dialog: PeopleDialog, monkeypatch: pytest.MonkeyPatch,
                fill: Callable[[FormDialog], None], *, ok: bool = True) -> list[FormDialog]:
    """The next form the dialog asks is filled by `fill` in its real widgets, then OK (or
    Cancel) is clicked; a form a ZichaError keeps open is left open (and listed)."""
    seen: list[FormDialog] = []

    def ask(form: FormDialog) -> bool:
        seen.append(form)
        form.show()
        fill(form)
        cancel = form.buttons.button(form.buttons.StandardButton.Cancel)
        QTest.mouseClick(form.ok_button if ok else cancel, Qt.MouseButton.LeftButton)
        return form.result() == FormDialog.DialogCode.Accepted

    monkeypatch.setattr(dialog, "ask_form", ask)
    return seen


def click(button) -> None:  # type: ignore[no-untyped-def]
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    settle()


def rows(dialog: PeopleDialog) -> list[tuple[str, ...]]:
    table = dialog.table
    return [tuple(table.item(r, c).text() for c in range(table.columnCount()))
            for r in range(table.rowCount())]


def test_an_admin_sets_up_the_roster_in_the_dialog(qtbot, archive: Archive, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_dialog(qtbot, archive, "陈志强")
    changes: list = []  # desktop.core.common.changes.Changes
    dialog.changed.connect(changes.append)
    assert "还没有管理员" in dialog.rule.text() and dialog.add_button.isEnabled()
    assert not dialog.edit_button.isEnabled()
    assert "先在表中选择一个人员" in dialog.edit_button.toolTip()
    assert not dialog.export_key_button.isEnabled()
    assert "还没有 陈志强 的密钥" in dialog.export_key_button.toolTip()

    # 创建我的密钥: the passphrase twice; a mismatch is refused and the form stays open
    def mismatch(form: FormDialog) -> None:
        assert form.name.text() == "陈志强" and form.name.isReadOnly()
        QTest.keyClicks(form.passphrase, "secret-one")
        QTest.keyClicks(form.again, "secret-two")

    forms = answer_form(dialog, monkeypatch, mismatch)
    click(dialog.create_key_button)
    assert "两次输入的口令不一致" in forms[0].error.text() and forms[0].isVisible()
    assert keys.own_public("陈志强") is None
    forms[0].reject()
    answer_form(dialog, monkeypatch, lambda form: (QTest.keyClicks(form.passphrase, "abc"),
                                                   QTest.keyClicks(form.again, "abc")))
    click(dialog.create_key_button)
    assert keys.own_public("陈志强") is None  # too short

    def good(form: FormDialog) -> None:
        QTest.keyClicks(form.passphrase, "secret-one")
        QTest.keyClicks(form.again, "secret-one")

    answer_form(dialog, monkeypatch, good)
    click(dialog.create_key_button)
    public = keys.own_public("陈志强")
    assert public is not None and public in dialog.key_info.text()
    store = tmp_path / "home" / "keys" / "陈志强.json"
    assert str(store) in dialog.key_info.text() and str(store) in dialog.message.text()
    assert keys.load_private("陈志强", "secret-one")  # the passphrase unlocks it
    assert not dialog.create_key_button.isEnabled()
    assert "不会覆盖" in dialog.create_key_button.toolTip()

    # 导出我的公钥…: cancelled, then to a file
    monkeypatch.setattr(dialog, "ask_save_key_path", lambda suggested: None)
    click(dialog.export_key_button)
    exported = tmp_path / "陈志强-公钥.txt"
    assert not exported.exists()
    monkeypatch.setattr(dialog, "ask_save_key_path",
                        lambda suggested: exported if suggested == "陈志强-公钥.txt" else None)
    click(dialog.export_key_button)
    assert keys.read_public_file(exported) == keys.PublicKeyFile(public, "陈志强")
    assert str(exported) in dialog.message.text()

    # 添加人员…: the admin themself, the key imported from that file (the name comes with it)
    monkeypatch.setattr(dialog, "ask_open_key_path", lambda: exported)

    def me(form: FormDialog) -> None:
        click(form.key_button)
        assert form.name.text() == "陈志强"
        form.department.setEditText("市文明办")
        form.role_boxes["admin"].setChecked(True)

    answer_form(dialog, monkeypatch, me)
    click(dialog.add_button)
    assert rows(dialog) == [("陈志强", "市文明办", "管理员", keys.fingerprint(public), "在岗")]
    assert "你是管理员" in dialog.rule.text()
    assert "与名册中的公钥一致" in dialog.key_info.text()
    assert changes[-1].people

    # a clerk whose key comes from a file; a wrong file first: a clear message, nothing taken
    clerk_key = keys.new_key("张晓燕", "her-passphrase")
    clerk_file = tmp_path / "张晓燕的公钥.txt"
    keys.write_public_file(clerk_file, "张晓燕", clerk_key)
    photo = tmp_path / "照片.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    picked = [photo, None, clerk_file]
    monkeypatch.setattr(dialog, "ask_open_key_path", lambda: picked.pop(0))

    def clerk(form: FormDialog) -> None:
        form.name.insert("张晓燕")  # QTest types no CJK
        click(form.key_button)  # the photo
        assert str(photo) in form.error.text() and "不是公钥文件" in form.error.text()
        assert form.public_key.text() == ""
        click(form.key_button)  # cancelled
        assert form.public_key.text() == ""
        click(form.key_button)
        assert form.public_key.text() == clerk_key and not form.error.isVisible()
        form.department.setEditText("市文明办")
        form.role_boxes["clerk"].setChecked(True)
        form.role_scopes["clerk"].setEditText("市文明办")

    answer_form(dialog, monkeypatch, clerk)
    click(dialog.add_button)
    by_name = {p.name: p for p in roster.people(archive)}
    assert by_name["张晓燕"].roles == ["clerk@市文明办"]
    assert by_name["张晓燕"].public_key == clerk_key
    assert rows(dialog)[1][:3] == ("张晓燕", "市文明办", "经办人（市文明办）")
    assert dialog.selected_person().name == "张晓燕"  # type: ignore[union-attr]

    # a core error (a name already there) keeps the form open, nothing added
    def twice(form: FormDialog) -> None:
        form.name.insert("张晓燕")  # QTest types no CJK
        form.department.setEditText("市文明办")
        form.role_boxes["first"].setChecked(True)
        form.public_key.setText(keys.new_key("另一人", "pass-word"))

    forms = answer_form(dialog, monkeypatch, twice)
    click(dialog.add_button)
    assert "名册中已有 张晓燕" in forms[0].error.text() and forms[0].isVisible()
    forms[0].reject()
    assert len(roster.people(archive)) == 2

    # 修改角色/部门…: 初审 for her own department too, and she moves
    def more_roles(form: FormDialog) -> None:
        assert form.name.isReadOnly() and form.role_boxes["clerk"].isChecked()
        form.department.setEditText("市委宣传部")
        form.role_boxes["first"].setChecked(True)
        form.role_scopes["first"].setEditText("市委宣传部")

    answer_form(dialog, monkeypatch, more_roles)
    click(dialog.edit_button)
    her = next(p for p in roster.people(archive) if p.name == "张晓燕")
    assert (her.department, her.roles) == ("市委宣传部", ["clerk@市文明办", "first@市委宣传部"])
    assert rows(dialog)[1][2] == "经办人（市文明办）、初审（市委宣传部）"

    # 导入公钥… for her: a wrong file changes nothing; a cancelled dialog neither
    before = roster.people(archive)
    monkeypatch.setattr(dialog, "ask_open_key_path", lambda: photo)
    click(dialog.import_button)
    assert str(photo) in dialog.message.text() and roster.people(archive) == before
    monkeypatch.setattr(dialog, "ask_open_key_path", lambda: None)
    click(dialog.import_button)
    assert roster.people(archive) == before
    new_key = keys.new_key("张晓燕新", "her-passphrase")
    new_file = tmp_path / "新公钥.txt"
    new_file.write_text(new_key + "\n", encoding="utf-8")
    monkeypatch.setattr(dialog, "ask_open_key_path", lambda: new_file)
    click(dialog.import_button)
    assert next(p for p in roster.people(archive) if p.name == "张晓燕").public_key == new_key

    # 停用: asked first; a "no" changes nothing
    monkeypatch.setattr(dialog, "ask_confirm", lambda title, text: False)
    click(dialog.retire_button)
    assert not any(p.retired for p in roster.people(archive))
    monkeypatch.setattr(dialog, "ask_confirm", lambda title, text: "张晓燕" in text)
    click(dialog.retire_button)
    assert rows(dialog)[1][4] == "已停用"
    assert dialog.retire_button.text() == "恢复在岗"
    assert not dialog.edit_button.isEnabled() and "已停用" in dialog.edit_button.toolTip()
    dialog.show_retired.setChecked(False)
    settle()
    assert [r[0] for r in rows(dialog)] == ["陈志强"]
    dialog.show_retired.setChecked(True)
    settle()
    assert len(rows(dialog)) == 2

    # the retired clerk can no longer submit (the core refuses, with her name)
    [row] = import_paths(archive, [build_pdf(tmp_path / "方案.pdf", "方案")],
                         ImportOptions(codes=["01"]))
    update_material(archive, row.id, {"department": "市文明办"})
    with pytest.raises(ZichaError, match="张晓燕 已停用"):
        decisions.submit(archive, [row.id], "张晓燕")

    # the last admin cannot retire himself: the core's message, in the dialog
    dialog.select_person("陈志强")
    monkeypatch.setattr(dialog, "ask_confirm", lambda title, text: True)
    click(dialog.retire_button)
    assert "至少要保留一名在岗的管理员" in dialog.message.text()
    assert not next(p for p in roster.people(archive) if p.name == "陈志强").retired
    assert all(c.people for c in changes) and len(changes) == 5


def test_who_is_not_an_admin_sees_why(qtbot, archive: Archive,  # type: ignore[no-untyped-def]
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    roster.add_person(archive, "陈志强", "市文明办", ["admin"], keys.new_key("陈志强", "secret-1"))
    roster.add_person(archive, "张晓燕", "市文明办", ["clerk"], keys.new_key("张晓燕", "secret-1"),
                      actor="陈志强")
    for person in ("张晓燕", None):
        dialog = open_dialog(qtbot, archive, person)
        dialog.select_person("张晓燕")
        for button in (dialog.add_button, dialog.edit_button, dialog.retire_button,
                       dialog.import_button):
            assert not button.isEnabled()
            assert "只有管理员可以修改名册" in button.toolTip()
        assert "只有管理员可以修改名册" in dialog.rule.text()
    # her own key: already on this computer, exported for the admin
    dialog = open_dialog(qtbot, archive, "张晓燕")
    assert "与名册中的公钥一致" in dialog.key_info.text()
    assert not dialog.create_key_button.isEnabled() and dialog.export_key_button.isEnabled()
    # a person not chosen: the key form asks the name
    dialog = open_dialog(qtbot, archive, None)
    assert not dialog.export_key_button.isEnabled()
    seen = answer_form(dialog, monkeypatch, lambda form: None, ok=False)
    click(dialog.create_key_button)
    assert not seen[0].name.isReadOnly() and seen[0].name.text() == ""
