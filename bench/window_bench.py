"""How the main window copes with a large archive: open, select, sort, filter, search, import.

    .venv/bin/python bench/window_bench.py --materials 50000 --work /tmp/zicha-window

The archive is made once under --work and reused while its marker file says it has the same
number of materials (a fresh build takes about a minute at 50,000): it is filled directly
through the ORM in bulk, not through `zicha import`: 2,000 small distinct text files are
written into the store, each material has one of them (so 25 materials share a file), a
title, 文号, date, 责任单位, type and state drawn from fixed lists, and is filed under one
测评内容 of the city system; each file gets its page text (as extraction would store it) and
the search index is rebuilt once at the end. Building it skips the audit log, so `zicha
verify` of a bench archive reports the missing entries; it is for measuring only.

The window is the real MainWindow, offscreen (QT_QPA_PLATFORM=offscreen), driven by its own
signals and widgets as the GUI tests do: open, select a 测评项目 and 全部材料, sort, filter, search,
select a material and another (until the editor, the review tab and the preview show it),
import five files and wait for their extraction, twice. Per step the bench prints the wall
time until the table (or the search results) shows what was asked for, the longest gap of the
event loop (a 10 ms QTimer: how late each tick came, minus its 10 ms) and the peak RSS of the
process so far (the archive is built in a child process, so the window's figure is its own).
--trace lists the SQL statements and files the GUI thread runs and opens in each step,
--profile STEP profiles the GUI thread during a step, --stacks shows where it is during each
stall.

Run it against another checkout's package (for a before/after table) by putting that checkout
first on sys.path before `desktop` is imported, e.g. through runpy (the editable install's
finder wins over PYTHONPATH).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BUILD_FORMAT = 2  # 2: material types from the core's list (the editor shows them as saved)


def _words(text: str) -> list[str]:
    return text.split()


BLOBS = 2000
TITLE_WORDS = _words("志愿服务 垃圾分类 文明交通 未成年人 诚信建设 公共文化 移风易俗 "
                     "社会治理 无障碍 文明养犬 环境整治 道德讲堂 好人榜 文明家庭 "
                     "网格化管理 背街小巷 农贸市场")
TITLE_TAILS = _words("工作方案 实施意见 活动照片 台账 总结 通知 会议纪要 督查通报 "
                     "宣传资料 整改报告 简报 考核细则")
DEPARTMENTS = _words("市委宣传部 市文明办 市城管局 市住建局 市交通运输局 市教育局 市民政局 "
                     "市卫健委 市市场监管局 团市委 市妇联 市总工会 市公安局 市生态环境局 "
                     "市商务局")
STATES = ("draft", "draft", "draft", "submitted", "first_approved", "final_approved", "returned")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(root: Path, n: int, seed: int = 7) -> None:
    """A `n`-material archive in `root`, filled in bulk (see the module's docstring)."""
    from sqlalchemy import insert, select

    from desktop.core import search
    from desktop.core.archive.archive import Archive
    from desktop.core.archive.kinds import MATERIAL_TYPES, NodeKind
    from desktop.core.archive.models import (
        Blob,
        BlobPage,
        Department,
        Filing,
        IndicatorNode,
        Material,
        MaterialFile,
        TextState,
    )

    rng = random.Random(seed)
    started = time.perf_counter()
    archive = Archive.create(root, name=f"窗口基准 {n}")
    try:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with archive.write("bench") as (session, _log):
            for name in DEPARTMENTS:
                session.add(Department(name=name))
            session.flush()
            departments = list(session.scalars(select(Department.id)))
            categories = list(session.scalars(select(IndicatorNode)
                                              .where(IndicatorNode.kind == NodeKind.CATEGORY)))
            items = []  # three 测评内容 under each 测评项目, as a bureau would add them
            for category in categories:
                for k in range(1, 4):
                    code = f"{category.code}.{k:02d}"
                    session.add(IndicatorNode(code=code, system_id=category.system_id,
                                              parent_code=category.code, kind=NodeKind.ITEM,
                                              name=f"{category.name}（第{k}项）", position=k,
                                              source="bureau"))
                    items.append(code)
            session.flush()
            blobs, pages, states = [], [], []
            for b in range(BLOBS):
                word = TITLE_WORDS[b % len(TITLE_WORDS)]
                body = (f"第{b}号材料 {word}工作记录 " + "、".join(
                    rng.sample(TITLE_WORDS, 6)) + f" 编号 NO{b:05d}\n").encode()
                sha = hashlib.sha256(body).hexdigest()
                path = archive.store.path_for(sha)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(body)
                blobs.append({"sha256": sha, "size": len(body), "kind": "text",
                              "mime": "text/plain", "page_count": 1, "stored_at": now})
                pages.append({"sha256": sha, "page": 0, "source": "text",
                              "text": body.decode()})
                states.append({"sha256": sha, "state": "done", "ocr_state": "none",
                               "chars": len(body), "updated_at": now})
            session.execute(insert(Blob), blobs)
            session.execute(insert(BlobPage), pages)
            session.execute(insert(TextState), states)
            for first in range(1, n + 1, 5000):
                ids = range(first, min(first + 5000, n + 1))
                materials, files, filings = [], [], []
                for i in ids:
                    word, tail = rng.choice(TITLE_WORDS), rng.choice(TITLE_TAILS)
                    day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(1200))
                    materials.append({
                        "id": i, "title": f"{word}{tail}（{i}）",
                        "doc_number": f"吴文明委〔{day.year}〕{i % 300 + 1}号" if i % 3 else "",
                        "material_date": day if i % 11 else None,
                        "department_id": rng.choice(departments) if i % 13 else None,
                        "material_type": rng.choice(MATERIAL_TYPES), "description": "",
                        "state": rng.choice(STATES), "created_at": now, "updated_at": now,
                        "created_by": "bench", "uid": f"00000000-0000-4000-8000-{i:012d}"})
                    blob = blobs[i % BLOBS]
                    files.append({"material_id": i, "sha256": blob["sha256"],
                                  "filename": f"材料{i}.txt", "position": 0})
                    filings.append({"material_id": i, "node_code": items[i % len(items)]})
                session.execute(insert(Material), materials)
                session.execute(insert(MaterialFile), files)
                session.execute(insert(Filing), filings)
                log(f"  {ids[-1]} / {n} materials")
        log("  search index …")
        search.rebuild(archive)
    finally:
        archive.close()
    (root / "bench-window.json").write_text(json.dumps({"materials": n,
                                                        "format": BUILD_FORMAT}))
    log(f"built {n} materials in {time.perf_counter() - started:.1f} s")


def ready(root: Path, n: int) -> bool:
    marker = root / "bench-window.json"
    try:
        return json.loads(marker.read_text()) == {"materials": n, "format": BUILD_FORMAT}
    except (OSError, ValueError):
        return False


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class LagMeter:
    """A 10 ms timer; the longest lateness of its ticks is how long the event loop stalled."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.worst = 0.0
        self.stalls = 0
        self.running = False

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self.last - 0.010
        self.last = now
        self.worst = max(self.worst, gap)
        self.stalls += gap > 0.1

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.stalls = 0
        self.running = True
        self.timer.start()


class StallWatch:
    """With --stacks: a thread that prints where the GUI thread is when the lag meter has not
    ticked for 80 ms (what holds the event loop)."""

    def __init__(self, meter: LagMeter) -> None:
        import threading

        self.meter = meter
        self.gui = threading.get_ident()
        self.seen: dict[str, int] = {}
        threading.Thread(target=self._watch, daemon=True).start()
        import gc

        started: dict[str, float] = {}

        def collection(phase: str, info: dict) -> None:  # collections of 20 ms and more
            if phase == "start":
                started["at"] = time.perf_counter()
            elif (took := time.perf_counter() - started.get("at", time.perf_counter())) > 0.02:
                log(f"--- gc generation {info['generation']}: {took * 1000:.0f} ms "
                    f"({threading.current_thread().name})")

        gc.callbacks.append(collection)

    def _watch(self) -> None:
        import traceback

        while True:
            time.sleep(0.04)
            if self.meter.running and time.perf_counter() - self.meter.last > 0.08:
                frames = sys._current_frames()
                frame = frames.get(self.gui)
                if frame is None:
                    continue
                ours = [line for line in traceback.format_stack(frame)
                        if "/desktop/" in line][-6:]
                if not ours:  # in Qt's own code: maybe waiting for a worker's GIL
                    ours = ["(in Qt) workers at:\n"] + [
                        "".join([x for x in traceback.format_stack(f) if "/desktop/" in x][-2:])
                        for ident, f in frames.items() if ident != self.gui]
                where = "".join(ours)
                if where not in self.seen:
                    log("--- GUI thread held at:\n" + where)
                self.seen[where] = self.seen.get(where, 0) + 1


class GuiThreadTrace:
    """With --trace: every database statement the GUI thread runs (an SQLAlchemy engine hook,
    with its duration) and every file it opens or lists (Python's audit events `open`,
    `os.listdir`, `os.scandir`, `sqlite3.connect`), per step, with the innermost frames of our
    code that made it. Python modules imported on the way are counted apart."""

    EVENTS = ("open", "os.listdir", "os.scandir", "sqlite3.connect")

    def __init__(self) -> None:
        import threading

        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        self.gui = threading.get_ident()
        self.step = ""
        self.found: dict[str, list[tuple[str, str, float]]] = {}  # step -> (what, where, s)
        self.imports: dict[str, int] = {}
        self._started: list[float] = []
        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "after_cursor_execute", self._after)
        sys.addaudithook(self._audit)

    def begin(self, step: str) -> None:
        self.step = step

    def _ours(self) -> bool:
        import threading

        return bool(self.step) and threading.get_ident() == self.gui

    @staticmethod
    def _where() -> str:
        import traceback

        frames = [f for f in traceback.extract_stack()[:-3] if "/desktop/" in f.filename]
        return " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                          for f in reversed(frames[-4:])) or "(no frame of ours)"

    def _before(self, *_args: object) -> None:
        if self._ours():
            self._started.append(time.perf_counter())

    def _after(self, _conn, _cursor, statement: str, *_args: object) -> None:  # type: ignore[no-untyped-def]
        if self._ours() and self._started:
            took = time.perf_counter() - self._started.pop()
            sql = " ".join(statement.split())[:90]
            self.found.setdefault(self.step, []).append((f"SQL {sql}", self._where(), took))

    def _audit(self, event: str, args: tuple) -> None:
        if event not in self.EVENTS or not self._ours():
            return
        target = str(args[0]) if args else ""
        if event == "open" and target.endswith((".py", ".pyc", ".so")) or "__pycache__" in target:
            self.imports[self.step] = self.imports.get(self.step, 0) + 1
            return
        self.found.setdefault(self.step, []).append((f"{event} {target}", self._where(), 0.0))

    def report(self, step: str) -> None:
        got = self.found.get(step, [])
        total = sum(s for _w, _at, s in got)
        log(f"    GUI thread in {step}: {sum(w.startswith('SQL') for w, _a, _s in got)} "
            f"statements ({total * 1000:.0f} ms), "
            f"{sum(not w.startswith('SQL') for w, _a, _s in got)} files, "
            f"{self.imports.get(step, 0)} module files")
        seen: dict[tuple[str, str], list[float]] = {}
        for what, at, took in got:
            seen.setdefault((what, at), []).append(took)
        for (what, at), times in seen.items():
            log(f"      {len(times)}× {sum(times) * 1000:.1f} ms  {what}\n          at {at}")


def wait_until(app, done: Callable[[], bool], timeout: float = 600.0) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEventLoop

    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("step did not finish")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.001)


def drive(root: Path, files: list[Path], stacks: bool = False,
          trace: GuiThreadTrace | None = None, profile: str | None = None) -> list[dict]:
    from PySide6.QtCore import QEvent, QEventLoop, QSettings, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from desktop.ui.app import settle_heap
    from desktop.ui.main_window import MainWindow
    from desktop.ui.models import ID_ROLE, MaterialTableModel

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(root.parent / "bench-settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.resize(1366, 768)
    window.show()
    # the window is up and painted (its welcome page) before an archive is opened in it, as
    # when a clerk opens one from the 文件 menu
    wait_until(app, lambda: window.isVisible())
    settle = time.perf_counter() + 1.0
    wait_until(app, lambda: time.perf_counter() > settle)
    meter = LagMeter()
    if stacks:
        StallWatch(meter)
    results: list[dict] = []

    def usable() -> bool:
        """The table shows the node asked for, with the text of its first row."""
        model = window.table.model()
        return (not window.table_loading and model.rowCount() > 0
                and bool(model.index(0, MaterialTableModel.TITLE).data()))

    def step(name: str, act: Callable[[], object], done: Callable[[], bool]) -> None:
        app.processEvents()
        meter.reset()
        if trace is not None:
            trace.begin(name)
        profiler = None
        if profile and name.startswith(profile):  # what the GUI thread spends the step on
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        act()
        acted = time.perf_counter() - started
        wait_until(app, done)
        wall = time.perf_counter() - started
        app.processEvents()
        if profiler is not None:
            import io
            import pstats

            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
            log(out.getvalue())
        meter.timer.stop()
        meter.running = False
        if trace is not None:
            trace.begin("")
        results.append({"step": name, "wall_s": round(wall, 3),
                        "longest_gap_ms": round(meter.worst * 1000, 1),
                        "stalls_over_100ms": meter.stalls,
                        "peak_rss_mb": round(peak_rss_mb(), 1),
                        "rows": window.table.model().rowCount()})
        log(f"  {name}: {wall:.2f} s, gap {meter.worst * 1000:.0f} ms "
            f"(the call itself {acted * 1000:.0f} ms)")
        if trace is not None:
            trace.report(name)
        if stacks:  # what a full collection would walk (objects not frozen), and the frozen
            import gc

            log(f"    heap: {len(gc.get_objects()):,} objects tracked, "
                f"{gc.get_freeze_count():,} frozen")

    def select(code: str) -> None:
        window.tree.setCurrentIndex(window.tree_model.index_of(code))

    settle_heap()  # as desktop.ui.app.run does once the window is up
    step("open", lambda: window.open_archive(root), usable)
    counts = [(window.tree_model.count_of(n.code), n.code) for n in window._nodes.values()
              if n.parent_code is None]
    biggest = max(counts)[1]
    step("select category", lambda: select(biggest), usable)
    step("select all", lambda: select(""), usable)
    step("sort by title", lambda: window.table.sortByColumn(
        MaterialTableModel.TITLE, Qt.SortOrder.DescendingOrder), usable)
    step("sort by id", lambda: window.table.sortByColumn(
        MaterialTableModel.ID, Qt.SortOrder.AscendingOrder), usable)

    def type_filter() -> None:
        """Four keystrokes 150 ms apart, the event loop running between them (QTest's
        keyClicks takes ASCII only)."""
        window.filter_edit.setFocus()
        for ch in "志愿服务":
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(window.filter_edit, QKeyEvent(
                    kind, 0, Qt.KeyboardModifier.NoModifier, ch))
            pause = time.perf_counter() + 0.15
            while time.perf_counter() < pause:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
                time.sleep(0.001)

    step("filter 4 keys", type_filter,
         lambda: usable() and window.table.model().rowCount() < window._total)
    step("clear filter", lambda: window.filter_edit.clear(), lambda: usable()
         and window.table.model().rowCount() == window._total)
    shown: list[int] = []
    window.search_panel.searched.connect(shown.append)
    step("search", lambda: window.search_edit.setText("垃圾分类"), lambda: bool(shown))
    step("clear search", lambda: window.search_edit.clear(), usable)
    shown_views: list[int] = []
    window.preview.rendered.connect(lambda _page: shown_views.append(1))

    def pick(row: int) -> Callable[[], None]:
        def act() -> None:
            shown_views.clear()
            window.table.selectRow(row)  # as a click on the row does
        return act

    def detail_shown(row: int) -> Callable[[], bool]:
        """The editor, the review tab and the preview show the material of `row`."""
        def done() -> bool:
            wanted = window.table_model.index(row, 0).data(ID_ROLE)
            return (window.editor.material_id == wanted and bool(shown_views)
                    and not getattr(window, "detail_loading", False))
        return done

    for n, row in enumerate((2, 7)):
        step("select a material" if n == 0 else "select another", pick(row), detail_shown(row))
    imported: list[object] = []
    window.import_finished.connect(imported.append)
    extracted: list[int] = []
    window.text_extraction_idle.connect(lambda: extracted.append(1))
    item = next(c for c in window._nodes if window._nodes[c].parent_code)
    select(item)
    wait_until(app, usable)
    step(f"import {len(files)} files", lambda: window.import_paths(item, files),
         lambda: bool(imported) and usable())
    step("extraction", lambda: None, lambda: bool(extracted) or not window.text_worker.busy)
    again = sample_files(files[0].parent / "again", len(files))
    imported.clear()
    extracted.clear()
    step(f"import {len(files)} more", lambda: window.import_paths(item, again),
         lambda: bool(imported) and usable())
    step("extraction again", lambda: None,
         lambda: bool(extracted) or not window.text_worker.busy)
    window.close()
    return results


def sample_files(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.time_ns()
    paths = []
    for i in range(count):
        path = folder / f"新材料{i}.txt"
        path.write_text(f"基准导入的第 {i} 份材料 {stamp}\n志愿服务活动记录\n", encoding="utf-8")
        paths.append(path)
    return paths


def table(results: list[dict]) -> str:
    lines = ["| step | wall s | longest gap ms | stalls > 100 ms | peak RSS MB | rows |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['step']} | {r['wall_s']:.2f} | {r['longest_gap_ms']:.0f} | "
                     f"{r['stalls_over_100ms']} | {r['peak_rss_mb']:.0f} | {r['rows']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--materials", type=int, default=50_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/zicha-window-bench"))
    parser.add_argument("--files", type=int, default=5, help="files imported in the import step")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--stacks", action="store_true",
                        help="print where the GUI thread is during each stall")
    parser.add_argument("--profile", metavar="STEP",
                        help="profile the GUI thread during the steps whose name starts so")
    parser.add_argument("--trace", action="store_true",
                        help="print the database statements and files of the GUI thread")
    args = parser.parse_args(argv)
    root = args.work / f"archive-{args.materials}"
    if args.build_only:
        build(root, args.materials)
        return 0
    if not ready(root, args.materials):
        if root.exists():
            import shutil

            shutil.rmtree(root)
        root.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, __file__, "--build-only", "--materials",
                        str(args.materials), "--work", str(args.work)], check=True)
    os.environ["ZICHA_HOME"] = str(args.work / "home")
    files = sample_files(args.work / "incoming", args.files)
    trace = GuiThreadTrace() if args.trace else None
    results = drive(root, files, args.stacks, trace, args.profile)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
