"""One table of labels per state machine, in the core; the window shows those, translated."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from desktop.core.ledger import problems, views
from desktop.core.review import workflow
from desktop.ui import models
from desktop.ui.app import install_translations


def test_the_window_marks_exactly_the_core_labels_for_translation() -> None:
    assert tuple(workflow.STATE_LABELS.values()) == models.STATE_TEXTS
    assert {str(s): label for s, label in workflow.STATE_LABELS.items()} == models.STATE_LABELS
    assert tuple(views.STATUS_LABELS.values()) == models.TASK_STATUS_TEXTS
    assert models.TASK_STATUS_LABELS == views.STATUS_LABELS
    assert list(models.STATE_LABELS) == ["draft", "submitted", "first_approved",
                                         "second_approved", "final_approved", "returned"]


def test_labels_in_chinese_and_in_english(qapp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert models.state_label("first_approved") == "待复审"
    assert models.task_status_label("closed") == "已销号"
    assert models.state_label("unknown") == "unknown"
    app = QCoreApplication.instance()
    assert app is qapp
    monkeypatch.setenv("ZICHA_LANG", "en_GB")
    try:
        assert install_translations(app)
        assert models.state_label("draft") == "Draft"
        assert models.task_status_label("closed") == "Closed"
    finally:  # later tests expect the Chinese source strings
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)


def test_the_ledger_window_shows_the_problem_machine_labels() -> None:
    from desktop.ui import ledger_window

    assert not hasattr(ledger_window, "PROBLEM_STATES")
    assert ledger_window.problems.STATE_LABELS is problems.STATE_LABELS
