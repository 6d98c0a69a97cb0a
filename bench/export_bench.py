"""Export throughput and memory on a realistic, fully reviewed archive.

    .venv/bin/python bench/export_bench.py [--materials 400] [--mb 5] [--work DIR] [--runs N]

Builds (once, cached in --work) an archive with material in all 11 测评项目: text PDFs, PDFs
holding a large scanned image, photos, DOCX and XLSX, each through 初审/复审/终审 with real
signatures. Files are padded with incompressible image data to about --mb MB so the archive
reaches the size asked for. Then it times, in separate processes (zicha from bytecode compiled
beforehand, as installed), `zicha export` to a ZIP and to a folder (peak RSS from
/usr/bin/time -v), `zip -r -0` of the exported payload folder, `zicha verify` of the ZIP and
bagit-python's validation of the folder, an export that only copies (`--no-image-pdf`: photos
stay JPEG files; 提交表 and 材料目录 are still written) beside `zip -r -0` of its own payload,
and the ZIP and copying-only exports in a process that has the export's modules loaded and its
plan made once, as the window's export dialog runs them. It prints the figures: wall seconds,
and the CPU seconds (user + system) each process used, which a machine busy with other work
changes less. With --runs N, each step is timed N times side by side (the steps of a round one
after the other) and every run's ratios are printed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PASS = "bench-pass-1"


def _noise_jpeg(width: int, height: int, rng: random.Random) -> bytes:
    from PIL import Image

    img = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92)
    return out.getvalue()


def build(root: Path, home: Path, files: Path, materials: int, mb: float) -> None:
    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item
    from desktop.core.materials.importer import ImportOptions, import_file
    from desktop.core.materials.service import update_material
    from desktop.core.review import decisions, keys, roster
    from desktop.demo import samples

    os.environ["ZICHA_HOME"] = str(home)
    rng = random.Random(20261122)
    files.mkdir(parents=True, exist_ok=True)
    side = int((mb * 1024 * 1024 / 1.1) ** 0.5)  # a noise JPEG is ~1.1 bytes per pixel
    with Archive.create(root) as archive:
        for code, name, criterion in samples.DEMO_ITEMS:
            add_item(archive, code, name, criterion=criterion)
        people = (("经办人甲", "clerk"), ("初审乙", "first"), ("复审丙", "second"),
                  ("终审丁", "final"))
        for name, role in people:
            roster.add_person(archive, name, "市文明办", [role], keys.new_key(name, PASS))
        signers = [(name, keys.load_private(name, PASS)) for name, _ in people[1:]]
        codes = [code for code, _, _ in samples.DEMO_ITEMS]
        started = time.perf_counter()
        for n in range(materials):
            code = codes[n % len(codes)]
            kind = n % 10
            title = f"{code} 佐证材料{n:04d}"
            if kind < 4:  # a scanned document: one large image on a PDF page
                import pymupdf

                path = files / f"{n:04d}.pdf"
                doc = pymupdf.open()
                page = doc.new_page()
                page.insert_image(page.rect, stream=_noise_jpeg(side, side, rng))
                doc.save(path)
                doc.close()
            elif kind < 6:
                path = files / f"{n:04d}.jpg"
                path.write_bytes(_noise_jpeg(side * 4 // 3, side * 3 // 4, rng))
            elif kind < 8:
                path = samples.make_pdf(files / f"{n:04d}.pdf", title,
                                        [f"第{n}号材料：文明城市创建工作情况说明。"] * 30, pages=3)
            elif kind < 9:
                path = samples.make_docx(files / f"{n:04d}.docx", title,
                                         [f"第{n}次会议研究部署创建工作。"] * 20)
            else:
                path = samples.make_xlsx(files / f"{n:04d}.xlsx", title, ["序号", "事项"],
                                         [[i, f"事项{i}"] for i in range(50)])
            row = import_file(archive, path, [code], ImportOptions(codes=[code]))
            month = 1 + n % 12
            update_material(archive, row.id, {
                "title": title, "department": "市文明办", "material_date": f"2025-{month:02d}-15",
                "caption": {"时间": f"2025年{month}月15日", "地点": "人民广场"}
                if path.suffix == ".jpg" else {}})
            decisions.submit(archive, [row.id], "经办人甲")
            for name, key in signers:
                decisions.decide(archive, row.id, name, "approve", "同意", key)
            if n % 50 == 49:
                print(f"  built {n + 1}/{materials} ({time.perf_counter() - started:.0f} s)",
                      flush=True)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS in MB and CPU seconds (user + system) of `command` under
    /usr/bin/time -v. The disk's write-back of what earlier steps left unflushed (zip's
    output) is done first, so that it does not slow this step."""
    os.sync()
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *command], env=env, capture_output=True,
                          text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stdout[-2000:]}\n"
                         f"{proc.stderr[-3000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)[1])
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", proc.stderr)[1])
              for kind in ("User", "System"))
    return elapsed, rss // 1024, cpu


def size_of(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(
        p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--materials", type=int, default=400)
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/zicha-export-bench"))
    parser.add_argument("--runs", type=int, default=1, help="time every step N times")
    parser.add_argument("--loaded", nargs=2, type=Path, metavar=("ARCHIVE", "OUT"),
                        help=argparse.SUPPRESS)  # the in-process step's child
    args = parser.parse_args()
    if args.loaded:
        _loaded(*args.loaded)
        return
    work = args.work / f"{args.materials}x{args.mb:g}mb"
    root, home = work / "档案", work / "home"
    if not (root / "zicha.db").exists():
        shutil.rmtree(work, ignore_errors=True)
        print(f"building {args.materials} reviewed materials of ~{args.mb:g} MB…", flush=True)
        build(root, home, work / "source", args.materials, args.mb)
        shutil.rmtree(work / "source")
    store = size_of(root / "files")
    print(f"archive: {args.materials} materials, store {store / 1e9:.2f} GB")
    # as installed, zicha runs from compiled bytecode: a shell that says not to write any
    # (PYTHONDONTWRITEBYTECODE) would have every run compile the modules it imports again
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
           "ZICHA_HOME": str(home), "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPYCACHEPREFIX": str(args.work / "pycache")}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "desktop")], env=env,
                   check=True)
    print(f"load average before: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    for run in range(1, args.runs + 1):
        rows = _round(root, work / "out", env)
        if args.runs > 1:
            print(f"\nrun {run} of {args.runs}")
        _print(rows, store)
    print(f"load average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


Row = tuple[str, float, int, float, int]  # label, wall s, peak RSS MB, CPU s, output bytes


def _round(root: Path, out: Path, env: dict[str, str]) -> dict[str, Row]:
    zicha = [sys.executable, "-m", "desktop"]
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    rows: dict[str, Row] = {}
    # DOCX and XLSX are allowed as they are: without LibreOffice they cannot become PDF, and
    # the export must pass its own 四性检测 to be timed
    formats = ["--formats", "pdf,jpeg,png,mp4,docx,xlsx"]
    for key, label, target, extra in (
            ("zip_export", "zicha export → ZIP", out / "申报材料.zip", []),
            ("folder_export", "zicha export → folder", out / "申报材料", ["--folder"]),
            ("copy_export", "zicha export --no-image-pdf → folder (copying only)",
             out / "原样", ["--folder", "--no-image-pdf"])):
        rows[key] = (label, *timed([*zicha, "export", str(target), "--archive", str(root),
                                    *formats, *extra], env), size_of(target))
    for key, label, folder, target in (
            ("zip", "zip -r -0 of the exported data/", out / "申报材料" / "data",
             out / "plain.zip"),
            ("zip_copy", "zip -r -0 of the copy-only export's data/", out / "原样" / "data",
             out / "plain-copy.zip")):
        rows[key] = (label, *_zip_plain(folder, target, env), size_of(target))
    loaded = _loaded_run(root, out, env)
    for key, label in (("loaded_zip", "export → ZIP in a process with the modules loaded "
                                      "(as the window's)"),
                       ("loaded_copy", "the same, copying only → folder")):
        rows[key] = (label, *loaded[key])
    rows["verify"] = ("zicha verify (四性检测) of the ZIP",
                      *timed([*zicha, "verify", str(out / "申报材料.zip")], env), 0)
    rows["bagit"] = ("bagit.py --validate of the folder",
                     *timed([sys.executable, "-m", "bagit", "--validate", str(out / "申报材料")],
                            env), 0)
    return rows


def _print(rows: dict[str, Row], store: int) -> None:
    print("\n| step | seconds | CPU s | MB/s | peak RSS MB | output MB |\n"
          "|---|---|---|---|---|---|")
    for label, seconds, rss, cpu, size in rows.values():
        print(f"| {label} | {seconds:.1f} | {cpu:.1f} | {store / 1e6 / seconds:.0f} | {rss} | "
              f"{size / 1e6:.0f} |")

    def ratio(key: str, base: str) -> str:  # speed of `key` as a share of `base`'s
        return (f"{rows[base][1] / rows[key][1]:.2f}× (CPU {rows[base][3] / rows[key][3]:.2f}×)")

    print(f"\nexport speed ÷ zip -r -0: ZIP {ratio('zip_export', 'zip')}, folder "
          f"{ratio('folder_export', 'zip')}, copying only {ratio('copy_export', 'zip_copy')};  "
          f"verify time ÷ bagit --validate: {rows['verify'][1] / rows['bagit'][1]:.1f}× "
          f"(CPU {rows['verify'][3] / rows['bagit'][3]:.1f}×)")
    print(f"with the modules loaded (the window): ZIP {ratio('loaded_zip', 'zip')}, copying "
          f"only {ratio('loaded_copy', 'zip_copy')}")


def _loaded_run(root: Path, out: Path, env: dict[str, str]) -> dict[str, tuple[float, int,
                                                                             float, int]]:
    """The export as the window's export dialog runs it, in a process that has imported the
    export's modules and made the plan once already (the dialog's preview): plan, write and
    check (write_export(check=True), verify_export) timed there, to a ZIP with photo pages
    and to a folder copying only."""
    proc = subprocess.run([sys.executable, __file__, "--loaded", str(root), str(out)], env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"the in-process export failed:\n{proc.stderr[-3000:]}")
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    return {key: (wall, rss, cpu, size) for key, (wall, rss, cpu, size) in found.items()}


def _loaded(root: Path, out: Path) -> None:
    import dataclasses
    import resource

    from desktop.core.archive.archive import Archive
    from desktop.core.common import formats
    from desktop.core.common.startup import openpyxl_without_numpy
    from desktop.core.export.bag import write_export
    from desktop.core.export.plan import archive_rules, make_plan
    from desktop.core.export.verify import verify_export

    openpyxl_without_numpy()
    found: dict[str, tuple[float, int, float, int]] = {}
    with Archive.open(root) as archive:
        rules = dataclasses.replace(archive_rules(archive), allowed_formats=tuple(
            formats.canonical(n) for n in ("pdf", "jpeg", "png", "mp4", "docx", "xlsx")))
        make_plan(archive, rules)  # the dialog's preview
        for key, target, as_zip, photos in (("loaded_zip", out / "窗口.zip", True, True),
                                            ("loaded_copy", out / "窗口原样", False, False)):
            os.sync()
            wall, cpu = time.perf_counter(), time.process_time()
            plan = make_plan(archive, dataclasses.replace(rules, images_to_pdf=photos))
            result = write_export(archive, plan, target, as_zip=as_zip, check=True)
            report = verify_export(target, known=result.digests, checked=result.checked)
            if not report.ok:
                raise SystemExit(f"{target} did not pass its check")
            found[key] = (time.perf_counter() - wall,  # peak RSS so far of the process, MB
                          resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                          time.process_time() - cpu, size_of(target))
    print(json.dumps(found))


def _zip_plain(folder: Path, target: Path, env: dict[str, str]) -> tuple[float, int, float]:
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return timed(["zip", "-q", "-r", "-0", str(target), "."], env)
    finally:
        os.chdir(cwd)


if __name__ == "__main__":
    main()
