#!/usr/bin/env python3
"""Small, valid seed files for scripts/fuzz: safetensors models and checkpoints nst accepts, built from the shapes
nst's networks ask for (FashionCNN `seeds` at 8 px, a VGG feature head, a classifier checkpoint with Adam state, a
feature cache), plus the shipped relu1_1 decoder and the shipped models' headers. Usage: fuzz-seeds.py <target> <dir>."""
import json
import shutil
import struct
import sys


def safetensors(path, tensors, metadata, dtype="F16"):
    """tensors: {name: (shape, value)}; every element is `value` (the fuzzer mutates the bytes anyway)."""
    size = 2 if dtype == "F16" else 4
    header, data, offset = {}, b"", 0
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        shape, value = tensors[name]
        count = 1
        for s in shape:
            count *= s
        blob = (struct.pack("<e", value) if size == 2 else struct.pack("<f", value)) * count
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        data += blob
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def fashion_seeds(hidden=2, classes=2, side=8):
    flat = 64 * (side // 4) ** 2
    tensors = {
        "conv1.weight": ([32, 1, 5, 5], 0.01), "conv1.bias": ([32], 0.0),
        "conv2.weight": ([64, 32, 5, 5], 0.01), "conv2.bias": ([64], 0.0),
        "fc1.weight": ([hidden, flat], 0.01), "fc1.bias": ([hidden], 0.0),
        "fc2.weight": ([classes, hidden], 0.5), "fc2.bias": ([classes], 0.0),
    }
    config = {"architecture": "seeds", "channels": 1, "classes": classes, "dropout": 0.4, "hidden": hidden, "side": side}
    metadata = {
        "format": "nst-classifier", "nst.kind": "fashion-cnn", "nst.config": json.dumps(config, sort_keys=True),
        "nst.labels": json.dumps(["a", "b"][:classes]),
        "nst.preprocessing": json.dumps({"color": "gray", "fit": "pad", "inversion": "auto", "size": side}, sort_keys=True),
        "nst.history": "[]",
    }
    return tensors, metadata


def main():
    target, out = sys.argv[1], sys.argv[2]
    tensors, metadata = fashion_seeds()
    if target == "safetensors":
        safetensors(f"{out}/fashion-seeds.safetensors", tensors, metadata)
        head = {"normalize.mean": ([64], 0.0), "normalize.std": ([64], 1.0), "fc1.weight": ([2, 64], 0.1), "fc1.bias": ([2], 0.0)}
        safetensors(f"{out}/feature-head.safetensors", head, {
            "format": "nst-classifier", "nst.kind": "vgg-feature-head",
            "nst.config": json.dumps({"classes": 2, "dropout": 0.3, "hidden": 0, "inputSize": 32, "layers": ["relu1_1"]}),
            "nst.labels": json.dumps(["cat", "dog"]), "nst.history": "[]",
            "nst.preprocessing": json.dumps({"color": "rgb", "fit": "center-crop", "inversion": "never", "size": 32})})
        shutil.copy("weights/decoder-relu1_1.safetensors", f"{out}/decoder-relu1_1.safetensors")
        # The shipped stylizer's metadata on a single tensor: the stylizer metadata parser's seed.
        raw = open("weights/stylizer-wave.safetensors", "rb").read()
        n = struct.unpack("<Q", raw[:8])[0]
        stylizer_meta = json.loads(raw[8:8 + n])["__metadata__"]
        safetensors(f"{out}/stylizer-metadata.safetensors", {"conv1.weight": ([2], 0.0)}, stylizer_meta)
    elif target == "checkpoint":
        training = {"augment": False, "batchSize": 4, "epochs": 3, "gamma": 0.1, "learningRate": 0.001, "maxShift": 2,
                    "momentum": 0.9, "optimizer": "adam", "schedule": "constant", "seed": 1, "stepEvery": 5,
                    "validationSplit": 0, "weightDecay": 0}
        history = [{"epoch": 1, "learningRate": 0.001, "seconds": 1.5, "trainAccuracy": 0.5, "trainLoss": 0.7}]
        metadata["nst.training"] = json.dumps(training, sort_keys=True)
        metadata["nst.history"] = json.dumps(history, sort_keys=True)
        # Adam's state: its step and a first and second moment per trainable tensor, in creation order.
        order = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
        state = dict(tensors)
        state["optimizer.step"] = ([], 4.0)
        for i, name in enumerate(order):
            state[f"optimizer.m.{i}"] = (tensors[name][0], 0.0)
            state[f"optimizer.v.{i}"] = (tensors[name][0], 0.0)
        safetensors(f"{out}/classifier.checkpoint", state, metadata)
        cache = {"features": ([3, 4], 0.5), "labels": ([3], 1.0)}
        safetensors(f"{out}/features.safetensors", cache, {"classes": json.dumps(["a", "b", "c"]), "skipped": "[]"}, dtype="F32")


main()
