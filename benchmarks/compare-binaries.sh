#!/usr/bin/env bash
# Old and new nst-bench alternating in one run, so a refactor can be checked for speed on the same machine state:
# ROUNDS rounds (default 2) of each WORKLOAD (default: core stylize feedforward fast) with each binary, one JSON line
# per run prefixed by "old"/"new" and the workload. Run it on an idle machine.
# Usage: benchmarks/compare-binaries.sh OLD-NST-BENCH NEW-NST-BENCH [WORKLOAD...]
set -euo pipefail
old=$1; new=$2; shift 2
workloads=${*:-core stylize feedforward fast}
for round in $(seq "${ROUNDS:-2}"); do
    for w in $workloads; do
        extra=(); [ "$w" = feedforward ] && extra=(--only light)
        for which in old new; do
            bin=$old; [ "$which" = new ] && bin=$new
            echo "$which $w $("$bin" "$w" "${extra[@]}" 2>/dev/null)"
        done
    done
done
