"""common/heap.collector_paused: the cycle collector off while any pause runs, on any thread,
and as it was once the last ends; an export's plan and the checklists run paused."""

from __future__ import annotations

import gc
import threading

from desktop.core.common.heap import collector_paused


def test_pauses_on_two_threads_end_with_the_collector_as_it_was() -> None:
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with collector_paused():
        thread.start()
        assert inside.wait(5)
        assert not gc.isenabled()
    assert not gc.isenabled(), "the other thread's pause still runs"
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_plan_and_the_checklists_run_with_the_collector_paused(
        core_archive, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.export import plan as export_plan
    from desktop.core.ledger import checklist

    seen = []
    real = export_plan._make_plan

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(export_plan, "_make_plan", spy)
    export_plan.make_plan(core_archive, export_plan.archive_rules(core_archive), all_stages=True,
                          soffice=None)
    real_evaluate = checklist._evaluate

    def spy_evaluate(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real_evaluate(*args, **kwargs)

    monkeypatch.setattr(checklist, "_evaluate", spy_evaluate)
    checklist.checklists(core_archive)
    assert seen == [False, False] and gc.isenabled()
