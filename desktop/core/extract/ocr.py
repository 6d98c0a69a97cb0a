"""OCR of images and of PDF pages without a text layer (RapidOCR 3 on ONNX Runtime).

The Chinese models (PP-OCRv6 detection and recognition, PP-OCR orientation classifier) ship
inside the ``rapidocr`` wheel.  The engine is given their paths explicitly, which bypasses
RapidOCR's download-on-demand code entirely: OCR never touches the network.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import pymupdf
from PIL import Image, ImageOps

from desktop.core.common import formats
from desktop.core.extract.base import ExtractError, PageText, clean_text, describe, kind_of
from desktop.core.extract.documents import check_readable, image_frames, open_pdf

__all__ = ["normalise_ocr_lines", "ocr_available", "ocr_file"]

_MODELS = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}
# RapidOCR shrinks anything larger to this long side before detection; rendering or decoding
# bigger only costs time and memory.  An A4 page at this size is about 170 dpi.
_MAX_SIDE = 2000
_MAX_DPI = 200.0

_engine: Any = None
_engine_lock = threading.Lock()


def _models_dir() -> Path | None:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "models"


def _model_paths() -> dict[str, Path] | None:
    """The bundled model file of each stage: the known names, else the newest-looking match."""
    try:
        if importlib.util.find_spec("onnxruntime") is None:
            return None
        models = _models_dir()
    except (ImportError, ValueError):
        return None
    if models is None or not models.is_dir():
        return None
    paths = {}
    for stage, name in _MODELS.items():
        path = models / name
        if not path.is_file():
            found = sorted(models.glob(f"*_{stage.lower()}_*.onnx"))
            if not found:
                return None
            path = found[-1]
        paths[stage] = path
    return paths


def ocr_available() -> bool:
    """True when the OCR engine and its bundled models are installed (does not load them)."""
    return _model_paths() is not None


def _get_engine() -> Any:
    """The process's one OCR engine, created on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            paths = _model_paths()
            if paths is None:
                raise ExtractError("未安装文字识别（OCR）组件 rapidocr/onnxruntime，无法识别图片")
            logging.getLogger("RapidOCR").setLevel(logging.CRITICAL)
            from rapidocr import RapidOCR

            params: dict[str, Any] = {"Global.log_level": "critical"}
            for stage, path in paths.items():
                params[f"{stage}.model_path"] = str(path)
            _engine = RapidOCR(params=params)
            logging.getLogger("RapidOCR").setLevel(logging.CRITICAL)
        return _engine


# --------------------------------------------------------------------------- normalising

_RUN = r"0-9\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff65"
# a space the engine put between two digits / CJK characters / CJK punctuation
_INNER_SPACE = re.compile(rf"(?<=[{_RUN}])[ \u00a0]+(?=[{_RUN}])")


def _normalise_run(text: str) -> str:
    return _INNER_SPACE.sub("", " ".join(text.split()))


def normalise_ocr_lines(boxes: Sequence[Sequence[Sequence[float]]], texts: Sequence[str]) -> str:
    """Recognised pieces in reading order: rows top to bottom, pieces left to right.

    Pieces whose vertical extents overlap by at least half the smaller height share a row and
    are joined by one space; rows are joined by newlines.  Spaces the engine inserts inside
    runs of digits or CJK ("8 1 条") are removed.
    """
    items = []
    for box, text in zip(boxes, texts, strict=False):
        text = _normalise_run(text)
        if not text:
            continue
        xs = [float(point[0]) for point in box]
        ys = [float(point[1]) for point in box]
        items.append((min(ys), max(ys), min(xs), text))
    items.sort(key=lambda item: (item[0] + item[1]) / 2)
    rows: list[list[tuple[float, float, float, str]]] = []
    for item in items:
        top, bottom = item[0], item[1]
        if rows:
            row_top = min(piece[0] for piece in rows[-1])
            row_bottom = max(piece[1] for piece in rows[-1])
            overlap = min(bottom, row_bottom) - max(top, row_top)
            smaller = min(bottom - top, row_bottom - row_top)
            if smaller > 0 and overlap >= smaller / 2:
                rows[-1].append(item)
                continue
        rows.append([item])
    lines = [" ".join(piece[3] for piece in sorted(row, key=lambda piece: piece[2]))
             for row in rows]
    return clean_text("\n".join(lines))


# --------------------------------------------------------------------------- sources


def _fit(image: Image.Image) -> Image.Image:
    """RGB (or grey) image no larger than the engine will use anyway."""
    image = ImageOps.exif_transpose(image) or image
    if max(image.size) > _MAX_SIDE:
        image.thumbnail((_MAX_SIDE, _MAX_SIDE), Image.Resampling.LANCZOS)
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):  # 16-bit or float scans
        image = image.convert("F")
        # one band ("F"): (min, max) as numbers, not the per-band pairs of a colour image
        low, high = cast(tuple[float, float], image.getextrema())
        scale = 255.0 / (high - low) if high > low else 1.0
        image = image.point(lambda v: (v - low) * scale).convert("L")
    elif image.mode not in ("RGB", "L"):
        if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
            background = Image.new("RGB", image.size, (255, 255, 255))
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        else:
            image = image.convert("RGB")
    return image


def _image_pages(path: Path, kind: str, pages: Sequence[int]) -> list[tuple[int, Image.Image]]:
    frames = image_frames(path, kind)
    wanted = sorted({page for page in pages if 0 <= page < frames})
    result = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                for page in wanted:
                    image.seek(page)
                    if image.format == "JPEG":
                        image.draft("RGB", (_MAX_SIDE, _MAX_SIDE))
                    frame = image.copy()
                    frame.load()
                    result.append((page, _fit(frame)))
    except (ExtractError, MemoryError):
        raise
    except Exception as exc:
        raise ExtractError(f"图片已损坏或无法解码（{describe(exc)}）") from exc
    return result


def _render_pdf_page(doc: pymupdf.Document, index: int) -> Image.Image:
    page = doc.load_page(index)
    longest = max(page.rect.width, page.rect.height, 1.0)
    zoom = min(_MAX_DPI / 72.0, _MAX_SIDE / longest)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB,
                          alpha=False)
    return Image.frombytes("RGB", (pix.width, pix.height), pix.samples)


def _recognise(image: Image.Image) -> str:
    result = _get_engine()(image)
    boxes = getattr(result, "boxes", None)
    texts = getattr(result, "txts", None)
    if boxes is None or not texts:
        return ""
    return normalise_ocr_lines(boxes.tolist(), list(texts))


_OCR_KINDS = formats.IMAGE_KINDS | {"pdf", "ofd"}


def _ofd_as_pdf(path: Path) -> pymupdf.Document:
    """An OFD's pages as a PDF (drawn by ofd.ofd_to_pdf), to render its scanned pages."""
    from desktop.core.extract.ofd import ofd_to_pdf

    return pymupdf.open(stream=ofd_to_pdf(path), filetype="pdf")


def ocr_file(path: Path, kind: str, pages: Sequence[int]) -> tuple[PageText, ...]:
    """OCR the given pages (PDF pages, image frames); one PageText per page that exists.

    A page with nothing legible comes back with empty text.  Raises ExtractError (Chinese
    reason) when the file cannot be read or OCR is not installed.
    """
    kind = kind_of(kind)
    path = Path(path)
    if kind not in _OCR_KINDS:
        raise ValueError(f"{kind} 文件不需要文字识别")
    check_readable(path)
    _get_engine()
    out: list[PageText] = []
    try:
        if kind in ("pdf", "ofd"):
            doc = open_pdf(path) if kind == "pdf" else _ofd_as_pdf(path)
            try:
                for index in sorted({p for p in pages if 0 <= p < doc.page_count}):
                    try:
                        image = _render_pdf_page(doc, index)
                    except Exception as exc:
                        raise ExtractError(f"第 {index + 1} 页无法渲染（{describe(exc)}）") from exc
                    out.append(PageText(index, _recognise(image), "ocr"))
            finally:
                doc.close()
        else:
            for index, image in _image_pages(path, kind, pages):
                out.append(PageText(index, _recognise(image), "ocr"))
    except FileNotFoundError as exc:
        raise ExtractError("文件不存在或已被移走") from exc
    except PermissionError as exc:
        raise ExtractError("没有读取该文件的权限") from exc
    return tuple(out)
