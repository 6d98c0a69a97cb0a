"""The window's worker threads: they run at the process's priority (a niced worker holding the
interpreter lock would keep the GUI thread waiting whenever other programs keep the cores
busy; see desktop/ui/workers.py)."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from desktop.ui.workers import Job, start


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority: Linux")
@pytest.mark.parametrize("pool", [{}, {"long": True}, {"lane": "test-lane"}])
def test_a_worker_runs_at_the_process_priority(qtbot, pool: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    job = Job(lambda _job: (threading.get_native_id(),
                            os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
    with qtbot.waitSignal(job.signals.finished, timeout=10_000) as finished:
        start(job, **pool)  # type: ignore[arg-type]
    native_id, priority = finished.args[0]
    assert native_id != threading.get_native_id()  # it ran on a pool thread
    assert priority == os.getpriority(os.PRIO_PROCESS, 0)


def test_a_job_that_reports_after_the_application_let_go_of_it_goes_on(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The window quit while a job runs (its signal object deleted): the job's progress and
    rows reach nobody, and the job is not ended by a RuntimeError for it."""
    from shiboken6 import delete

    go, reached = threading.Event(), threading.Event()

    def work(job: Job) -> None:
        go.wait(10)
        job.report(1, 2, "第一步")
        job.emit_item("行")
        reached.set()

    job = Job(work)
    start(job)
    delete(job.signals)
    go.set()
    assert job.done.wait(10)
    assert reached.is_set()
