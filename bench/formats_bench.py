"""Import throughput per file format, on the committed real-program fixtures.

    .venv/bin/python bench/formats_bench.py [--copies 20]

For each fixture of tests/fixtures/formats, `--copies` distinct variants are written (the
bytes of the fixture with a different unused tail, so that none is a duplicate), imported
into a fresh archive, then their text is extracted (the extraction child, no OCR). Prints
files/s of the store phase and of the text phase per kind.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import sys
import tempfile
import time
from pathlib import Path

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item
from desktop.core.materials import texts
from desktop.core.materials.importer import ImportOptions, import_paths

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "formats"
# one fixture per kind (name in the import folder -> fixture)
CHOSEN = {
    "doc": "legacy/tongzhi.doc", "xls": "legacy/taizhang.xls", "ppt": "legacy/jianbao.ppt.gz",
    "pptx": "markup/汇报.pptx", "rtf": "markup/通知.rtf", "odt": "markup/通知.odt",
    "ods": "markup/台账.ods", "odp": "markup/汇报.odp", "html": "markup/通知.html",
    "eml": "markup/报送函.eml", "msg": "markup/poi-chinese-traditional.msg",
    "epub": "markup/通知.epub", "csv": "markup/名单.csv", "ofd": "ofd/notice_easyofd.ofd",
    "heic": "media/photo.heic", "webp": "media/photo.webp", "mp4": "media/clip.mp4",
    "mov": "media/clip.mov", "mp3": "media/tone.mp3", "wav": "media/tone.wav",
    "zip": "archives/windows-explorer-gbk.zip",
}
_TEXT_TAILS = {"rtf", "html", "eml", "csv"}  # a tail these formats show as text


def variants(folder: Path, copies: int) -> dict[Path, str]:
    made: dict[Path, str] = {}
    for kind, fixture in CHOSEN.items():
        source = FIXTURES / fixture
        data = source.read_bytes()
        if source.suffix == ".gz":
            data = gzip.decompress(data)
        suffix = Path(fixture.removesuffix(".gz")).suffix
        for n in range(copies):
            tail = (f"\n<!-- {n} -->" if kind == "html" else f"\n{n}\n").encode() \
                if kind in _TEXT_TAILS else bytes(512) * (n + 1)
            path = folder / f"{kind}-{n:03d}{suffix}"
            path.write_bytes(data + tail)
            made[path] = kind
    return made


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zicha-formats-bench-") as tmp:
        folder = Path(tmp) / "files"
        folder.mkdir()
        made = variants(folder, args.copies)
        root = Path(tmp) / "archive"
        with Archive.create(root) as archive:
            add_item(archive, "01.01", "基准")
            store: dict[str, float] = collections.defaultdict(float)
            statuses: collections.Counter[str] = collections.Counter()
            keys: dict[str, list[str]] = collections.defaultdict(list)
            for path, kind in made.items():
                start = time.perf_counter()
                [row] = import_paths(archive, [path], ImportOptions(codes=["01.01"]))
                store[kind] += time.perf_counter() - start
                statuses[f"{kind}:{row.status}"] += 1
                if row.sha256:
                    keys[kind].append(row.sha256)
            print(f"{len(made)} files, {args.copies} per kind")
            print(f"{'kind':6} {'store files/s':>14} {'text files/s':>13}  outcome")
            for kind in CHOSEN:
                start = time.perf_counter()
                stats = texts.process(archive, keys=keys[kind], ocr=False)
                text_rate = len(keys[kind]) / (time.perf_counter() - start)
                stored = ", ".join(f"{k.split(':')[1]} {v}" for k, v in statuses.items()
                                   if k.startswith(f"{kind}:"))
                print(f"{kind:6} {args.copies / store[kind]:14.1f} {text_rate:13.1f}  "
                      f"{stored}; text: done {stats.done}, none {stats.no_text}, "
                      f"failed {stats.failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
