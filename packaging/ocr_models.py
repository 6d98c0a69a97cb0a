#!/usr/bin/env python3
"""Store the OCR recognition model's weights as 16-bit floats in the bundle (half its size).

    python packaging/ocr_models.py MODEL.onnx [OUT.onnx]   # in place without OUT

Run by build.py with the build venv's Python (it has `onnx`, a build-only tool, and ONNX
Runtime) on the bundle's copy of RapidOCR's PP-OCRv6 recognition model (21.2 MB → 10.7 MB).
Each float32 weight of 256 or more values becomes a float16 initializer followed by a Cast
back to float32, so the graph computes in float32 as before; ONNX Runtime folds the casts
when it loads the model (its constant folding), and what changes is only each weight rounded
to float16. Compared on 12 pages (packaging/README.md, "Size"): the same text and boxes, the
scores within 0.035. The detection model stays float32: halving it moved boxes by 1–2 px and
changed two pieces of text. The converted model is checked: ONNX's checker, then ONNX Runtime
runs both models on the same input and the recognised characters must agree.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

MIN_VALUES = 256  # smaller weights (biases, scales) stay float32: they save nothing
CAST_SUFFIX = "__fp16"
RECOGNITION_MODEL = "PP-OCRv6_rec_small.onnx"


def halve(source: Path, dest: Path) -> tuple[int, int]:
    """Write `source` with its large float32 weights stored as float16 to `dest`: (weights
    converted, bytes saved). A model already converted is written unchanged (0 converted)."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    initializers, casts = [], []
    for init in graph.initializer:
        if init.data_type == TensorProto.FLOAT and int(np.prod(init.dims)) >= MIN_VALUES:
            values = numpy_helper.to_array(init).astype(np.float16)
            initializers.append(numpy_helper.from_array(values, init.name + CAST_SUFFIX))
            casts.append(helper.make_node("Cast", [init.name + CAST_SUFFIX], [init.name],
                                          to=TensorProto.FLOAT, name=init.name + "__cast"))
        else:
            initializers.append(init)
    if casts:
        del graph.initializer[:]
        graph.initializer.extend(initializers)
        nodes = list(graph.node)
        del graph.node[:]
        graph.node.extend([*casts, *nodes])  # the casts first: the nodes stay in order
        onnx.checker.check_model(model)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        written = Path(tmp) / dest.name
        onnx.save(model, str(written))
        before = source.stat().st_size
        written.replace(dest)
    return len(casts), before - dest.stat().st_size


def same_recognition(original: Path, halved: Path) -> tuple[bool, float]:
    """Both recognition models on one seeded input (a batch of text-line shaped noise and
    stripes): whether every position's best character agrees, and the largest difference of
    the probabilities."""
    import numpy as np
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    first = ort.InferenceSession(str(original), options, providers=["CPUExecutionProvider"])
    second = ort.InferenceSession(str(halved), options, providers=["CPUExecutionProvider"])
    name = first.get_inputs()[0].name
    rng = np.random.default_rng(20)
    lines = rng.random((2, 3, 48, 320), dtype=np.float32) * 2 - 1
    lines[1, :, 12:36, ::8] = 1.0  # (strokes on the second line)
    a = first.run(None, {name: lines})[0]
    b = second.run(None, {name: lines})[0]
    return bool((a.argmax(-1) == b.argmax(-1)).all()), float(np.abs(a - b).max())


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    source = Path(sys.argv[1])
    dest = Path(sys.argv[2]) if len(sys.argv) == 3 else source
    if not source.is_file():
        print(f"ocr_models: no such model file: {source}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        keep = Path(tmp) / source.name
        keep.write_bytes(source.read_bytes())
        converted, saved = halve(keep, dest)
        agree, diff = same_recognition(keep, dest)
        if not agree:  # the original back in place (or no copy beside it)
            if dest == source:
                dest.write_bytes(keep.read_bytes())
            else:
                dest.unlink()
    if not agree:
        print(f"ocr_models: {source.name} halved recognises differently (max difference "
              f"{diff:.4f}); kept as it was", file=sys.stderr)
        return 1
    print(f"{source.name}: {converted} weights stored as float16, {saved / 1e6:.1f} MB less "
          f"(recognition the same; probabilities within {diff:.4f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
