"""Transfer benchmark (issue 16): D departments × M materials merged into one city archive.

    .venv/bin/python bench/transfer_bench.py --departments 30 --materials 200 [--work DIR]

1. makes (or reuses) D×M real files (bench/corpus.py: text PDFs, DOCX, XLSX, scans);
2. makes a department archive per department (one bureau roster: the same people and keys in
   each), imports its M files (no OCR, no text pass: a 报送包 carries files, not text) and
   writes its 报送包 to the city, timing both;
3. applies the D packages to a fresh city archive in a child process (so its peak memory is
   the merge's own), then applies them all again (each refused as already applied) and prints:
   time, materials/s, peak RSS, the city archive's size, and the re-apply's share of the first;
4. writes the city's 下发包 to each department (the receipt) and applies it there, timing both.

Department archives are kept in WORK and reused by a later run with the same D and M
(`--fresh` makes them again).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

PASSPHRASE = "bench-pass-1"
CITY_ADMIN = "创文办主任"


def _department(n: int) -> str:
    return f"市第{n + 1:02d}局"


def _clerk(n: int) -> str:
    return f"经办人{n + 1:02d}"


def _people(departments: int) -> list[tuple[str, str, list[str]]]:
    found = [(CITY_ADMIN, "市文明办", ["admin"])]
    found += [(_clerk(n), _department(n), ["clerk"]) for n in range(departments)]
    return found


def _keys(home: Path, people: list[tuple[str, str, list[str]]]) -> dict[str, str]:
    from desktop.core.review import keys

    found = {}
    for name, _dept, _roles in people:
        found[name] = keys.own_public(name) or keys.new_key(name, PASSPHRASE)
    return found


def _new_archive(root: Path, people: list[tuple[str, str, list[str]]],
                 public: dict[str, str]) -> None:
    from desktop.core.archive.archive import Archive
    from desktop.core.review import roster

    with Archive.create(root, actor=CITY_ADMIN) as archive:
        for name, dept, roles in people:
            roster.add_person(archive, name, dept, roles, public[name], actor=CITY_ADMIN)


def _city_id(root: Path) -> str:
    from desktop.core.archive.archive import Archive

    with Archive.open(root, writable=False) as archive:
        return archive.info()["archive_id"]


def build_departments(work: Path, departments: int, materials: int, city_id: str,
                      people: list[tuple[str, str, list[str]]], public: dict[str, str]
                      ) -> dict[str, float]:
    from desktop.core.archive.archive import Archive
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.review import keys
    from desktop.core.transfer.send import export_transfer

    files = corpus.make_corpus(work / "corpus", departments * materials)
    packages = work / "packages"
    shutil.rmtree(packages, ignore_errors=True)
    packages.mkdir(parents=True)
    imported = exported = 0.0
    size = 0
    for n in range(departments):
        root = work / "departments" / _department(n)
        shutil.rmtree(root, ignore_errors=True)
        root.parent.mkdir(parents=True, exist_ok=True)
        _new_archive(root, people, public)
        mine = files[n * materials:(n + 1) * materials]
        started = time.perf_counter()
        with Archive.open(root) as archive:
            options = ImportOptions(codes=[f"{n % 11 + 1:02d}"], department=_department(n),
                                    actor=_clerk(n))
            rows = list(import_paths(archive, mine, options))
            assert all(r.status == "stored" for r in rows), [r.reason for r in rows][:3]
            imported += time.perf_counter() - started
            started = time.perf_counter()
            out = packages / f"{_department(n)}.zip"
            export_transfer(archive, city_id, out, actor=_clerk(n),
                            unlock=lambda n=n: keys.load_private(_clerk(n), PASSPHRASE))
            exported += time.perf_counter() - started
            size += out.stat().st_size
        print(f"  {_department(n)}: {len(rows)} materials imported and sent "
              f"({imported:.0f} s import, {exported:.0f} s export so far)", flush=True)
    return {"import_s": imported, "export_s": exported, "packages_mb": size / 2**20}


def apply_all(city: Path, packages: list[Path]) -> dict[str, float]:
    """In this (child) process: apply every package, then every package again."""
    from desktop.core.archive.archive import Archive
    from desktop.core.common.errors import ZichaError
    from desktop.core.transfer.merge import apply_transfer

    added = 0
    with Archive.open(city) as archive:
        started = time.perf_counter()
        for path in packages:
            report = apply_transfer(archive, path, actor=CITY_ADMIN)
            added += len(report.added)
        first = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        refused = 0
        for path in packages:
            try:
                apply_transfer(archive, path, actor=CITY_ADMIN)
            except ZichaError as exc:
                refused += "已应用过" in str(exc)
        again = time.perf_counter() - started
    return {"apply_s": first, "added": added, "peak_rss_mb": peak, "reapply_s": again,
            "refused": refused}


def dispatch_all(work: Path, city: Path, departments: int) -> dict[str, float]:
    """The city's 下发包 to each department (the receipt of its 报送包, the city's profile),
    applied there: what closes the round."""
    from desktop.core.archive.archive import Archive
    from desktop.core.review import keys
    from desktop.core.transfer.dispatch import export_dispatch
    from desktop.core.transfer.merge import apply_transfer

    out = work / "dispatches"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    written = applied = 0.0
    acknowledged = 0
    for n in range(departments):
        root = work / "departments" / _department(n)
        path = out / f"{_department(n)}.zip"
        started = time.perf_counter()
        with Archive.open(city) as archive:
            export_dispatch(archive, _city_id(root), path, actor=CITY_ADMIN,
                            unlock=lambda: keys.load_private(CITY_ADMIN, PASSPHRASE))
        written += time.perf_counter() - started
        started = time.perf_counter()
        with Archive.open(root) as archive:
            report = apply_transfer(archive, path, actor=_clerk(n))
        applied += time.perf_counter() - started
        acknowledged += len(getattr(report, "acknowledged", []))
    return {"dispatch_write_s": written, "dispatch_apply_s": applied,
            "acknowledged": acknowledged}


def _size_mb(root: Path) -> float:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=30)
    parser.add_argument("--materials", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path("/tmp/zicha-transfer-bench"))
    parser.add_argument("--apply-only", type=Path, metavar="CITY", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    work = args.work.resolve()
    os.environ["ZICHA_HOME"] = str(work / "home")
    os.environ.setdefault("ZICHA_USER", CITY_ADMIN)
    if args.apply_only:
        packages = sorted((work / "packages").glob("*.zip"))
        print(json.dumps(apply_all(args.apply_only, packages)))
        return 0
    people = _people(args.departments)
    public = _keys(work / "home", people)
    city = work / "city"
    shutil.rmtree(city, ignore_errors=True)
    _new_archive(city, people, public)
    print(f"{args.departments} departments × {args.materials} materials → {city}", flush=True)
    built = build_departments(work, args.departments, args.materials, _city_id(city), people,
                              public)
    child = subprocess.run([sys.executable, __file__, "--work", str(work), "--apply-only",
                            str(city)], capture_output=True, text=True, check=True)
    merged = json.loads(child.stdout.strip().splitlines()[-1])
    total = args.departments * args.materials
    closed = dispatch_all(work, city, args.departments)
    result = {**built, **merged, **closed, "city_mb": _size_mb(city), "materials": total}
    print(f"import {built['import_s']:.1f} s ({total / built['import_s']:.1f} files/s), "
          f"export {built['export_s']:.1f} s, packages {built['packages_mb']:.1f} MB")
    print(f"merge  {merged['apply_s']:.1f} s ({merged['added'] / merged['apply_s']:.1f} "
          f"materials/s), {merged['added']} added, peak RSS {merged['peak_rss_mb']:.0f} MB, "
          f"city archive {result['city_mb']:.1f} MB")
    print(f"re-apply {merged['reapply_s']:.2f} s ({merged['refused']}/{args.departments} "
          f"refused as applied) = {merged['reapply_s'] / merged['apply_s']:.1%} of the merge")
    print(f"下发包 {args.departments}: written {closed['dispatch_write_s']:.1f} s, applied at "
          f"the departments {closed['dispatch_apply_s']:.1f} s, "
          f"{closed['acknowledged']} 报送包 acknowledged")
    (work / f"results-{args.departments}x{args.materials}.json").write_text(
        json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
