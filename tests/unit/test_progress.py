"""The one long-work protocol (desktop/core/common/progress.py) and long core operations driven
by it: reporting, a cancel from another thread, committed work kept."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop.core.admin.fsck import verify_archive
from desktop.core.archive.archive import Archive
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Cancelled, Progress, as_progress
from desktop.core.materials.importer import STORED, ImportOptions, import_paths
from desktop.core.materials.service import list_materials
from desktop.core.search import rebuild
from tests.conftest import FileBuilder


def test_steps_reach_the_report_and_cancel_raises_at_the_safe_point() -> None:
    seen: list[tuple[int, int, str]] = []
    progress = Progress(lambda d, t, w: seen.append((d, t, w)))
    progress.step(1, 3, "a")
    progress.step(2, 3)
    progress.check()  # not cancelled: nothing happens
    assert seen == [(1, 3, "a"), (2, 3, "")]
    assert not progress.cancelled
    progress.cancel()
    assert progress.cancelled
    with pytest.raises(Cancelled, match="导出已取消"):
        progress.check("导出已取消")
    assert issubclass(Cancelled, ZichaError)  # one clear line, shown as any user error


def test_cancel_from_another_thread_and_listeners() -> None:
    progress = Progress()
    called: list[str] = []
    progress.on_cancel(lambda: called.append("first"))
    forget = progress.on_cancel(lambda: called.append("forgotten"))
    forget()
    worker = threading.Thread(target=progress.cancel)
    worker.start()
    worker.join()
    progress.cancel()  # twice: listeners run once
    assert called == ["first"]
    progress.on_cancel(lambda: called.append("late"))  # registered after: called at once
    assert called == ["first", "late"]


def test_a_polled_cancelled_callable() -> None:
    asked = threading.Event()
    progress = Progress(cancelled=asked.is_set)
    assert progress.polls and not progress.cancelled
    asked.set()
    assert progress.cancelled
    assert not Progress().polls


def test_no_progress_given_is_one_that_reports_nowhere() -> None:
    given = Progress()
    assert as_progress(given) is given
    quiet = as_progress(None)
    quiet.step(1, 1)  # nothing to report to: fine
    assert not quiet.cancelled


def _files(file_builder: FileBuilder, n: int) -> Path:
    for i in range(n):
        file_builder.docx(f"材料/{i:02d} 工作方案.docx", text=f"第 {i} 份材料")
    return file_builder.base / "材料"


def test_an_import_reports_each_file_and_a_cancel_keeps_what_was_committed(
        core_archive: Archive, file_builder: FileBuilder) -> None:
    folder = _files(file_builder, 5)
    steps: list[tuple[int, int, str]] = []
    progress = Progress(lambda d, t, w: steps.append((d, t, w)))
    rows = []
    with pytest.raises(Cancelled, match="导入已取消"):
        for row in import_paths(core_archive, [folder], ImportOptions(codes=["05"]), progress):
            rows.append(row)
            if len(rows) == 2:
                progress.cancel()  # the driver's 取消: the next file is not started
    # files are committed in batches (1, 2, 4 … files): a cancel during a batch's rows still
    # reports the rest of that batch (it is committed), then no file more is started
    n = len(rows)
    assert 2 <= n < 5
    assert [r.status for r in rows] == [STORED] * n
    assert steps == [(k + 1, 5, f"{k:02d} 工作方案.docx") for k in range(n)]
    assert len(list_materials(core_archive)) == n  # exactly the ones reported are committed

    again = list(import_paths(core_archive, [folder], ImportOptions(codes=["05"])))
    assert [r.status for r in again].count(STORED) == 5 - n  # the rest come in next time


def test_verify_and_reindex_step_through_the_same_object(
        core_archive: Archive, file_builder: FileBuilder) -> None:
    folder = _files(file_builder, 3)
    list(import_paths(core_archive, [folder], ImportOptions(codes=["05"])))
    steps: list[tuple[int, int, str]] = []
    progress = Progress(lambda d, t, w: steps.append((d, t, w)))
    assert verify_archive(core_archive, progress).ok
    assert steps[-1] == (3, 3, "")
    steps.clear()
    assert rebuild(core_archive, progress) == 3
    assert steps and steps[-1][:2] == (3, 3)


def test_a_review_package_export_steps_per_file_and_a_cancel_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import select

    from desktop.core.archive.models import AuditEntry
    from desktop.core.review.package import export_package
    from tests.conftest import build_reviewed_archive

    root = tmp_path / "档案"
    build_reviewed_archive(root, tmp_path / "home", tmp_path / "files")
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    out = tmp_path / "初审包.zicha-review.zip"
    with Archive.open(root) as archive:
        cancelled = Progress()
        cancelled.cancel()
        with pytest.raises(Cancelled, match="没有留下不完整的审核包"):
            export_package(archive, "first", out, progress=cancelled)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "home", "档案"]
        with archive.read() as session:
            actions = list(session.scalars(select(AuditEntry.action)))
        assert "package.export" not in actions

        steps: list[tuple[int, int, str]] = []
        report = export_package(archive, "first", out,
                                progress=Progress(lambda d, t, w: steps.append((d, t, w))))
        assert out.is_file() and steps == [(1, 1, "")] and report.files == 1


def test_follow_drives_a_generator_of_steps_and_closes_it() -> None:
    from desktop.core.common.progress import follow

    closed: list[bool] = []

    def work():  # type: ignore[no-untyped-def]
        try:
            for n in range(1, 4):
                yield n, 3, f"第 {n} 步"
        finally:
            closed.append(True)

    seen: list[tuple[int, int, str]] = []
    progress = Progress(lambda d, t, w: seen.append((d, t, w)))
    follow(work(), progress)
    assert seen == [(1, 3, "第 1 步"), (2, 3, "第 2 步"), (3, 3, "第 3 步")] and closed == [True]

    seen.clear()
    progress = Progress(lambda d, t, w: (seen.append((d, t, w)), progress.cancel()))
    with pytest.raises(Cancelled, match="示例档案已取消"):
        follow(work(), progress, "示例档案已取消")
    assert seen == [(1, 3, "第 1 步")] and closed == [True, True]


def test_the_command_line_draws_one_counter_line_only_on_a_terminal() -> None:
    import io

    from desktop.core.common.progress import CounterLine

    out = io.StringIO()
    line = CounterLine(out, {"text": "提取文字", "ocr": "OCR 识别"}.__getitem__, live=True)
    line.step(0, 2, "text")
    line.step(2, 2, "text")
    line.step(1, 1, "ocr")
    line.finish()
    assert out.getvalue() == "\r提取文字 0/2\r提取文字 2/2\rOCR 识别 1/1\n"
    quiet = io.StringIO()
    off = CounterLine(quiet, "导出", live=False)
    off.step(1, 3, "01.01")
    off.finish()
    assert quiet.getvalue() == ""


def test_an_export_cancelled_through_its_progress_leaves_no_partial_bag(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core.export.bag import ExportCancelled, write_export
    from desktop.core.export.model import ExportRules
    from desktop.core.export.plan import make_plan
    from tests.conftest import build_reviewed_archive

    root = tmp_path / "档案"
    build_reviewed_archive(root, tmp_path / "home", tmp_path / "files")
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    with Archive.open(root) as archive:
        plan = make_plan(archive, ExportRules())
        steps: list[tuple[int, int, str]] = []

        def report(done: int, total: int, what: str) -> None:
            steps.append((done, total, what))
            if done == 2:
                progress.cancel()  # e.g. 取消 in the export dialog

        progress = Progress(report)
        with pytest.raises(Cancelled, match="导出已取消") as raised:
            write_export(archive, plan, tmp_path / "导出.zip", progress=progress)
    assert isinstance(raised.value, ExportCancelled)
    assert [d for d, _t, _w in steps] == [1, 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "home", "档案"]


def test_the_text_pass_steps_per_phase_and_a_cancel_leaves_the_files_waiting(
        core_archive: Archive, file_builder: FileBuilder) -> None:
    from desktop.core.materials import texts

    folder = _files(file_builder, 3)
    list(import_paths(core_archive, [folder], ImportOptions(codes=["05"])))
    assert texts.counts(core_archive)["pending"] == 3

    def cancel_at_once(_done: int, _total: int, _phase: str) -> None:
        progress.cancel()  # the window closes the archive as the pass starts

    progress = Progress(cancel_at_once)
    stats = texts.process(core_archive, ocr=False, progress=progress)
    assert stats.cancelled and stats.done == 0
    assert texts.counts(core_archive)["pending"] == 3  # nothing half recorded

    steps: list[tuple[int, int, str]] = []
    stats = texts.process(core_archive, ocr=False,
                          progress=Progress(lambda d, t, w: steps.append((d, t, w))))
    assert not stats.cancelled and stats.done == 3
    assert steps[0] == (0, 3, "text") and steps[-1] == (3, 3, "text")
    assert texts.counts(core_archive)["pending"] == 0
