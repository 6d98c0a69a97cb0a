"""packaging/ocr_models.py: the bundle's OCR recognition model with its weights stored as
float16 is half the size and reads the same text."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
import ocr_models  # noqa: E402

from desktop.core.extract import ocr  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "ocr_models.py"


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The installed recognition model and its halved copy."""
    folder = ocr._models_dir()
    assert folder is not None, "RapidOCR's models are not installed"
    original = folder / ocr_models.RECOGNITION_MODEL
    halved = tmp_path_factory.mktemp("models") / original.name
    converted, saved = ocr_models.halve(original, halved)
    assert converted > 50
    assert saved == original.stat().st_size - halved.stat().st_size
    return original, halved


def test_the_halved_model_is_half_the_size_and_holds_no_large_float32_weight(models) -> None:
    import onnx
    from onnx import TensorProto

    original, halved = models
    assert halved.stat().st_size < 0.55 * original.stat().st_size
    graph = onnx.load(str(halved)).graph
    large = [i.name for i in graph.initializer
             if i.data_type == TensorProto.FLOAT and len(onnx.numpy_helper.to_array(i).flat)
             >= ocr_models.MIN_VALUES]
    assert large == []
    casts = [n for n in graph.node if n.op_type == "Cast"]
    assert len(casts) > 50 and all(n.output[0] + ocr_models.CAST_SUFFIX == n.input[0]
                                   for n in casts)


def test_a_halved_model_is_not_halved_again(models, tmp_path: Path) -> None:
    _original, halved = models
    again = tmp_path / halved.name
    assert ocr_models.halve(halved, again) == (0, 0)
    assert again.read_bytes() == halved.read_bytes()


def _line(text: str) -> Image.Image:
    """`text` set in MuPDF's built-in Chinese font and rendered as a scan would be."""
    doc = pymupdf.open()
    page = doc.new_page(width=560, height=60)
    page.insert_text((12, 40), text, fontname="china-s", fontsize=24)
    pix = page.get_pixmap(dpi=150)
    return Image.frombytes("RGB", (pix.width, pix.height), pix.samples)


def test_rapidocr_reads_the_same_text_with_the_halved_model(models) -> None:
    from rapidocr import RapidOCR

    original, halved = models
    folder = original.parent
    paths = ocr._model_paths()
    assert paths is not None

    def engine(rec: Path) -> RapidOCR:
        params = {"Global.log_level": "critical"}
        for stage, path in paths.items():
            params[f"{stage}.model_path"] = str(path)
        params["Rec.model_path"] = str(rec)
        return RapidOCR(params=params)

    assert paths["Rec"] == folder / ocr_models.RECOGNITION_MODEL
    stock, light = engine(original), engine(halved)
    for text in ["全国文明城市测评材料", "2026年12月 第3期 公示栏照片"]:
        image = _line(text)
        a, b = stock(image), light(image)
        assert list(a.txts) == list(b.txts)
        read = unicodedata.normalize("NFKC", "".join(a.txts)).replace(" ", "")
        assert read == text.replace(" ", "")  # (the font's digits are read as full-width)
        assert abs(a.boxes - b.boxes).max() == 0


def test_the_script_converts_in_place_and_says_what_it_saved(models, tmp_path: Path) -> None:
    original, _halved = models
    copy = tmp_path / original.name
    copy.write_bytes(original.read_bytes())
    done = subprocess.run([sys.executable, str(SCRIPT), str(copy)], capture_output=True,
                          text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert "stored as float16" in done.stdout and "recognition the same" in done.stdout
    assert copy.stat().st_size < 0.55 * original.stat().st_size


def test_a_missing_model_file_is_named(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "nothing.onnx")],
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 1
    assert "nothing.onnx" in done.stderr and done.stdout == ""
