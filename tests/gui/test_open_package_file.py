"""A package file handed to the window at start (`zicha-gui FILE`: what the desktop entry's
`%f` runs on a double-click in the file manager): a review package opens for review, a 报送包
is applied in the transfer inbox of the archive the window opened, and a file that is neither
is refused by the open action, naming the file. Real archives, packages and signatures."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.core.materials.service import count_materials, list_materials
from desktop.core.review import decisions, keys, roster
from desktop.core.review.package import export_package
from desktop.demo.samples import make_pdf
from desktop.ui.app import open_package, package_kind
from tests.gui.helpers import open_and_wait, wait_ops
from tests.gui.transfer_bureau import Bureau, build_bureau, department_sends


def _review_package(window, qtbot, tmp_path: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    archive = window.archive
    roster.add_person(archive, "张三", "市文明办", ["clerk"], keys.new_key("张三", "secret123"))
    pdf = make_pdf(tmp_path / "志愿服务方案.pdf", "志愿服务方案", ["志愿服务方案正文"])
    with qtbot.waitSignal(window.import_finished, timeout=20_000):
        window.import_paths("01.01", [pdf])
    decisions.submit(archive, [v.id for v in list_materials(archive)], "张三")
    out = tmp_path / "U盘" / name
    export_package(archive, "first", out, actor="张三")
    return out


def test_a_review_package_opens_for_review(main_window, qtbot, tmp_path: Path) -> None:
    # renamed on the USB stick: still known by its manifest, not by its name
    package = _review_package(main_window, qtbot, tmp_path, "给李初审.zip")
    assert package_kind(package) == "review"
    with qtbot.waitSignal(main_window.package_opened, timeout=20_000) as opened:
        open_package(main_window, package)
    review = opened.args[0]
    assert "只读" in review.windowTitle() and review.material_list.count() == 1
    review.close()


def test_a_file_that_is_no_package_is_refused_naming_it(main_window, qtbot, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "通知.zicha-review.zip"
    with zipfile.ZipFile(fake, "w") as zf:
        zf.writestr("readme.txt", "不是审核包")
    assert package_kind(fake) == "review"  # by its name; the open action checks the content
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    before = count_materials(main_window.archive)
    open_package(main_window, fake)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert fake.name in shown[0] and "package.json" in shown[0]
    assert count_materials(main_window.archive) == before


@pytest.fixture
def bureau(tmp_path: Path) -> Bureau:
    return build_bureau(tmp_path / "bureau")


@pytest.fixture
def city_window(qtbot, bureau: Bureau, monkeypatch: pytest.MonkeyPatch) -> Iterator:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZICHA_HOME", str(bureau.home))
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    w = MainWindow(settings())
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close_archive()


def test_a_transfer_package_is_applied_in_the_inbox(qtbot, city_window, bureau: Bureau,
                                                    tmp_path: Path) -> None:
    package = department_sends(bureau, tmp_path / "报送包-市公安局-20260101.zip")
    assert package_kind(package) == "transfer"
    open_and_wait(qtbot, city_window, bureau.city)
    before = count_materials(city_window.archive)
    with qtbot.waitSignal(city_window.transfer_inbox_shown, timeout=10_000) as shown:
        open_package(city_window, package)
    inbox = shown.args[0]
    qtbot.waitUntil(lambda: not inbox.applying and bool(inbox.outcome_rows()), timeout=60_000)
    [(heading, groups)] = inbox.outcome_rows()
    assert heading.startswith("✔") and package.name in heading and groups["added"]
    wait_ops(qtbot, city_window)
    assert count_materials(city_window.archive) == before + len(groups["added"])
    inbox.close()
