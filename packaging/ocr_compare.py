#!/usr/bin/env python3
"""The OCR of a fixed set of pages as JSON (text, boxes, scores), to compare two builds of the
libraries OCR runs on (numpy, OpenCV, ONNX Runtime) with everything else the same.

    PYTHONPATH=[NEW_WHEEL_DIR:]SITE:REPO python3 packaging/ocr_compare.py > a.json
    python3 packaging/ocr_compare.py --diff a.json b.json

SITE is a build venv's site-packages (RapidOCR, its models, ONNX Runtime, OpenCV, numpy),
REPO the checkout (desktop.core.extract.ocr: its engine and page rendering, as the app runs
them). The pages: the smoke test's PNG and PDF, tests/fixtures/formats/media/photo.jpg, and
the first one or two pages of eight PDFs of /work/shared/corpus/realworld/pdf (the 13 pages of
packaging/README.md, "Size"). `--diff` prints, per page, whether text and boxes are identical,
the largest box and score differences, and exits 1 if any text or box differs.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path("/work/shared/corpus/realworld/pdf")
PAGES = [
    (REPO / "packaging/smoke-fixtures/照片.png", 0),
    (REPO / "tests/fixtures/formats/media/photo.jpg", 0),
    (REPO / "packaging/smoke-fixtures/方案.pdf", 0),
    *[(CORPUS / f"{name}.pdf", 0) for name in ("chinese-tables", "image-file1", "img-regular",
                                                "001003ED", "battery-file-22",
                                                "dotted-gridlines", "cms-etc-filled")],
    (CORPUS / "2.pdf", 0), (CORPUS / "2.pdf", 1),
    (CORPUS / "battery-file-22.pdf", 1),
]


def record() -> dict:
    import numpy
    import pymupdf
    from PIL import Image

    from desktop.core.extract import ocr

    engine = ocr._get_engine()
    out: dict = {"numpy": numpy.__file__, "pages": {}}
    started = time.monotonic()
    for path, index in PAGES:
        if path.suffix == ".pdf":
            with pymupdf.open(path) as doc:
                if index >= doc.page_count:
                    continue
                image = ocr._render_pdf_page(doc, index)
        else:
            with Image.open(path) as img:
                image = ocr._fit(img.copy())
        result = engine(image)
        boxes = getattr(result, "boxes", None)
        out["pages"][f"{path.name}#{index + 1}"] = {
            "texts": list(result.txts or []),
            "boxes": [] if boxes is None else boxes.tolist(),
            "scores": [float(s) for s in (result.scores or [])],
        }
    out["seconds"] = round(time.monotonic() - started, 1)
    return out


def diff(a_path: str, b_path: str) -> int:
    a, b = (json.loads(Path(p).read_text("utf-8")) for p in (a_path, b_path))
    print(f"numpy: {a['numpy']} / {b['numpy']}; {a['seconds']} s / {b['seconds']} s")
    bad, pieces = 0, 0
    for page, x in a["pages"].items():
        y = b["pages"].get(page)
        if y is None:
            print(f"{page}: missing")
            bad += 1
            continue
        pieces += len(x["texts"])
        same_text = x["texts"] == y["texts"]
        same_shape = same_text and len(x["boxes"]) == len(y["boxes"])
        box = max((abs(p - q) for bx, by in zip(x["boxes"], y["boxes"], strict=False)
                   for px, py in zip(bx, by, strict=False)
                   for p, q in zip(px, py, strict=False)), default=0.0) if same_shape else None
        score = max((abs(p - q) for p, q in zip(x["scores"], y["scores"], strict=False)),
                    default=0.0) if same_shape else None
        print(f"{page}: {len(x['texts'])} pieces, text {'identical' if same_text else 'DIFFERS'}"
              f", boxes max diff {box} px, scores max diff {score}")
        bad += not same_text or box is None or box > 0
    print(f"{len(a['pages'])} pages, {pieces} pieces: "
          + ("identical text and boxes" if not bad else f"{bad} pages differ"))
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--diff"]:
        raise SystemExit(diff(sys.argv[2], sys.argv[3]))
    json.dump(record(), sys.stdout, ensure_ascii=False)
    print()
