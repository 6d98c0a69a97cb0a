"""Import throughput and window responsiveness on a generated corpus.

    .venv/bin/python bench/import_bench.py [--files 2000] [--gui]
    .venv/bin/python bench/import_bench.py --ratio [--corpus DIR | --files 300] [--procs 2]

Generates N small Chinese PDFs/DOCX/photos (desktop.demo.samples), imports them into a fresh
archive and prints files/s. With --gui it imports through the real main window (offscreen) and
prints the longest event-loop stall seen by a 10 ms timer during the import.

With --ratio (issue 20, item 3) it runs, on the same files in the same run, a plain loop that
hashes each file (SHA-256) and extracts its text with PyMuPDF / python-docx / openpyxl on
`--procs` processes, and `import_paths` (its files parsed — open check, metadata, safety scan,
text — on `--procs` extraction children) + `texts.TextPass(ocr=False)` (what is left for it)
into a fresh archive; it prints both wall times, their ratio (plain / zicha: 1.0 means as fast
as the libraries alone), files/s per format and the load average before and after. Without
--corpus the corpus is bench/corpus.py's (PDF, DOCX, XLSX, scans).
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The archive, the importer and the sample generator are imported where they are used: the
# extraction children are spawned, and a spawned child imports the main module again (this
# file); `zicha import`'s main module (desktop.cli) imports 0.1 s, this file's imports 1.5-2 s,
# which the bench's children would pay and the CLI's do not.


def make_corpus(folder: Path, count: int) -> list[Path]:
    from desktop.demo import samples

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        kind = n % 10
        name = f"材料{n:05d}"
        if kind < 6:
            paths.append(samples.make_pdf(folder / f"{name}.pdf", f"工作方案{n}",
                                          [f"第{n}号材料正文，文明城市创建。"] * 5))
        elif kind < 9:
            paths.append(samples.make_docx(folder / f"{name}.docx", f"会议纪要{n}",
                                           [f"第{n}次会议研究创建工作。"] * 5))
        else:
            paths.append(samples.make_photo(folder / f"{name}.jpg", f"活动照片{n}",
                                            size=(640, 480), seed=n))
    return paths


def bench_core(archive_root: Path, corpus: Path) -> None:
    from desktop.core.archive.archive import Archive
    from desktop.core.materials.importer import ImportOptions, import_paths

    with Archive.open(archive_root) as archive:
        start = time.perf_counter()
        rows = list(import_paths(archive, [corpus], ImportOptions(codes=["01.01"])))
        elapsed = time.perf_counter() - start
    stored = sum(r.status == "stored" for r in rows)
    print(f"core import: {len(rows)} files ({stored} stored) in {elapsed:.1f} s "
          f"= {len(rows) / elapsed:.0f} files/s")


class StallSampler:
    """Samples the GUI thread's Python stack while the event loop has not ticked for 50 ms."""

    def __init__(self, threshold_s: float = 0.05) -> None:
        self.threshold_s = threshold_s
        self.last = time.perf_counter()
        self.main_id = threading.main_thread().ident
        self.samples: collections.Counter[str] = collections.Counter()
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def beat(self) -> None:
        self.last = time.perf_counter()

    def _watch(self) -> None:
        while self.running:
            time.sleep(0.005)
            if time.perf_counter() - self.last > self.threshold_s:
                frame = sys._current_frames().get(self.main_id)
                if frame is not None:
                    where = traceback.format_stack(frame, limit=12)
                    self.samples["".join(where[-8:])] += 1

    def stop(self) -> None:
        self.running = False
        self.thread.join()

    def report(self) -> None:
        for stack, count in self.samples.most_common(6):
            print(f"--- {count} samples (5 ms each) ---\n{stack}")


def bench_gui(archive_root: Path, corpus: Path, home: Path, stacks: bool = False) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["ZICHA_HOME"] = str(home)
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.ui.app import settings, settle_heap
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    window = MainWindow(settings())
    window.show()
    window.open_archive(archive_root)
    window.tree.setCurrentIndex(window.tree_model.index_of("01.01"))
    settle_heap()  # as the app does after start-up
    clock = QElapsedTimer()
    stalls: list[int] = []
    tick = QTimer(interval=10)

    long_gaps: list[tuple[float, int]] = []  # (seconds since start, gap ms) over 50 ms

    def on_tick() -> None:
        stalls.append(gap := clock.restart())
        if gap > 50:
            long_gaps.append((time.perf_counter() - start, gap))

    tick.timeout.connect(on_tick)
    sampler = StallSampler() if stacks else None
    if sampler:
        tick.timeout.connect(sampler.beat)
    from desktop.core.materials import texts

    marks: dict[str, float] = {}  # times, then the text state counts

    def imported(_rows: list) -> None:
        marks["import"] = time.perf_counter()

    def check() -> None:  # has the text worker caught up with everything imported?
        if "import" in marks and not (count := texts.counts(window.archive))["pending"]:
            marks["text"] = time.perf_counter()
            marks.update(count)
            tick.stop()  # closing the window is not part of the measurement
            if sampler:
                sampler.stop()
            app.quit()  # closes the window (and its archive) too

    window.import_finished.connect(imported)
    poll = QTimer(interval=250)
    poll.timeout.connect(check)
    poll.start()
    start = time.perf_counter()
    clock.start()
    tick.start()
    window.import_paths("01.01", [corpus])
    app.exec()
    if sampler:
        sampler.report()
    print("gaps over 50 ms (at s: ms): "
          + ", ".join(f"{at:.1f}: {gap}" for at, gap in long_gaps))
    stalls.sort()
    count = marks
    print(f"gui import: {marks['import'] - start:.1f} s; text phase done after "
          f"{marks['text'] - start:.1f} s ({count['done']} with text, {count['no_text']} none, "
          f"{count['failed']} failed, OCR not waited for: {count['ocr_pending']} waiting)")
    print(f"event loop: longest gap {stalls[-1]} ms, p99 {stalls[int(len(stalls) * 0.99)]} ms "
          f"over {len(stalls)} ticks (10 ms timer)")


def _plain_one(path_text: str) -> tuple[str, int]:
    """The libraries alone: hash the file, then extract its text (no OCR)."""
    import hashlib

    path = Path(path_text)
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    suffix = path.suffix.lower()
    chars = 0
    if suffix == ".pdf":
        import pymupdf

        with pymupdf.open(path) as doc:
            chars = sum(len(page.get_text()) for page in doc)
    elif suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        chars = sum(len(p.text) for p in document.paragraphs)
        chars += sum(len(c.text) for t in document.tables for r in t.rows for c in r.cells)
    elif suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                chars += sum(len(str(v)) for v in row if v is not None)
        wb.close()
    return digest.hexdigest(), chars


def plain_loop(files: list[Path], procs: int) -> float:
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    with ProcessPoolExecutor(procs) as pool:
        list(pool.map(_plain_one, [str(f) for f in files], chunksize=8))
    return time.perf_counter() - start


def zicha_ingest(root: Path, files: list[Path], procs: int) -> tuple[float, float, int]:
    """import_paths + texts.process(ocr=False) into the fresh archive `root`: (import s,
    extraction s, stored)."""
    from desktop.core.archive.archive import Archive
    from desktop.core.materials import texts
    from desktop.core.materials.importer import ImportOptions, import_paths

    with Archive.open(root) as archive:
        start = time.perf_counter()
        rows = list(import_paths(archive, files, ImportOptions(codes=["01.01"], workers=procs)))
        imported = time.perf_counter()
        texts.TextPass(archive, workers=procs).run(ocr=False)
        done = time.perf_counter()
    return imported - start, done - imported, sum(r.status == "stored" for r in rows)


def bench_ratio(work: Path, corpus: Path, procs: int) -> None:
    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item

    files = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("tmp-")
                   and p.name != "manifest.json")
    by_format: dict[str, list[Path]] = collections.defaultdict(list)
    for f in files:
        by_format[f.suffix.lower().lstrip(".")].append(f)
    print(f"{len(files)} files: " + ", ".join(f"{k} {len(v)}" for k, v in
                                               sorted(by_format.items())) + f"; {procs} processes"
          + f"; load average {_load()}")
    print(f"{'format':<8}{'files':>6}{'plain s':>9}{'plain/s':>9}{'import s':>10}"
          f"{'extract s':>11}{'zicha/s':>9}{'ratio':>7}")
    groups = [(k, v) for k, v in sorted(by_format.items()) if len(v) >= 5] + [("all", files)]
    for n, (name, group) in enumerate(groups):
        plain = plain_loop(group, procs)
        root = work / f"archive-{n}"
        with Archive.create(root) as archive:
            add_item(archive, "01.01", "基准测试")
        imp, ext, stored = zicha_ingest(root, group, procs)
        total = imp + ext
        print(f"{name:<8}{len(group):>6}{plain:>9.2f}{len(group) / plain:>9.1f}{imp:>10.2f}"
              f"{ext:>11.2f}{len(group) / total:>9.1f}{plain / total:>7.2f}")
        shutil.rmtree(root, ignore_errors=True)
    print(f"load average after: {_load()}")


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--gui", action="store_true")
    parser.add_argument("--corpus", type=Path, help="import this folder instead of generating")
    parser.add_argument("--stacks", action="store_true",
                        help="with --gui: print where the GUI thread was during each long gap")
    parser.add_argument("--ratio", action="store_true",
                        help="zicha import + extraction against a plain hash + text loop")
    parser.add_argument("--procs", type=int, default=2,
                        help="with --ratio: processes for the plain loop and the extraction")
    args = parser.parse_args()
    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item

    work = Path(tempfile.mkdtemp(prefix="zicha-bench-"))
    try:
        if args.ratio:
            corpus = args.corpus
            if corpus is None:
                from corpus import make_corpus as make_search_corpus

                corpus = work / "corpus"
                make_search_corpus(corpus, args.files, procs=args.procs)
            bench_ratio(work, corpus, args.procs)
            return
        if args.corpus:
            (work / "corpus").symlink_to(args.corpus.resolve(), target_is_directory=True)
        else:
            start = time.perf_counter()
            make_corpus(work / "corpus", args.files)
            print(f"generated {args.files} files in {time.perf_counter() - start:.1f} s")
        root = work / "archive"
        with Archive.create(root) as archive:
            add_item(archive, "01.01", "基准测试")
        if args.gui:
            bench_gui(root, work / "corpus", work / "home", stacks=args.stacks)
        else:
            bench_core(root, work / "corpus")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
